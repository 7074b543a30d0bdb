"""`python3 -m ablate_torch [job.json]`: run one job of ablate's trainer protocol (docs/TRAINERS.md).

The job file comes from the argument or $ABLATE_JOB_FILE. CUDA when torch.cuda.is_available()
(ablate sets CUDA_VISIBLE_DEVICES), the CPU otherwise; ABLATE_TORCH_AMP=1 turns on mixed
precision on CUDA; ABLATE_TORCH_THREADS sets the CPU threads. Exit codes: 0 done, 143 stopped
by SIGTERM after a checkpoint, 2 a bad job file, 1 anything else.
"""
import json
import os
import sys
import time
import traceback


class Events:
    """The JSON-lines event stream: every line is also a heartbeat."""

    def __init__(self, path):
        self.path = path
        self.last_progress = 0.0

    def write(self, record):
        record['time'] = time.time()
        with open(self.path, 'a', encoding='utf-8') as f:
            f.write(json.dumps(record) + '\n')

    def epoch(self, epoch, epochs, metrics):
        clean = {k: (v if isinstance(v, (int, float)) and v == v and abs(v) != float('inf') else None) for k, v in metrics.items()}
        self.write({'event': 'epoch', 'epoch': epoch, 'epochs': epochs, 'metrics': clean})

    def progress(self, **fields):
        now = time.time()
        # At most two progress lines a second: they are heartbeats, not a log.
        if 'message' not in fields and now - self.last_progress < 0.5:
            return
        self.last_progress = now
        self.write({'event': 'progress', **{k: v for k, v in fields.items() if v is not None}})


def main(argv):
    path = argv[0] if argv else os.environ.get('ABLATE_JOB_FILE')
    if not path:
        print('usage: python3 -m ablate_torch <job.json> (or set ABLATE_JOB_FILE)', file=sys.stderr)
        return 2
    with open(path, encoding='utf-8') as f:
        job = json.load(f)
    if job.get('protocol') != 'ablate-trainer' or job.get('version') != 1:
        print(f'{path}: not an ablate trainer job file of version 1 (protocol {job.get("protocol")!r}, version {job.get("version")!r})', file=sys.stderr)
        return 2
    import torch

    from .augment import JobError
    from .jobs import Job
    from .loop import Stopped, StopFlag

    stop = StopFlag()
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    if device == 'cpu':
        # Deterministic on the CPU: the same job gives the same weights, resumed or not.
        torch.use_deterministic_algorithms(True)
        if os.environ.get('ABLATE_TORCH_THREADS'):
            torch.set_num_threads(int(os.environ['ABLATE_TORCH_THREADS']))
    amp = os.environ.get('ABLATE_TORCH_AMP') == '1'
    events = Events(job['outputs']['events'])
    kind = job['job']['kind']
    print(f'ablate_torch: {kind} {job["job"]["key"]} attempt {job["job"]["attempt"]} on {device} (torch {torch.__version__}){" resuming" if job["resume"] else ""}', flush=True)
    try:
        runner = Job(job, events, stop, device, amp)
        {'pretrain': runner.pretrain, 'train-moe': runner.train_moe, 'evaluate': runner.evaluate}[kind]()
    except Stopped:
        print('SIGTERM: checkpointed; exiting', flush=True)
        return 143
    except JobError as error:
        print(f'ablate_torch: {error}', file=sys.stderr, flush=True)
        return 2
    except Exception:
        traceback.print_exc()
        return 1
    print('done', flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
