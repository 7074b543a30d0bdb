#!/usr/bin/env python3
"""Entry point by path: `python3 trainers/pytorch/run.py [job.json]` (same as `python3 -m ablate_torch`)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from ablate_torch.__main__ import main  # noqa: E402

sys.exit(main(sys.argv[1:]))
