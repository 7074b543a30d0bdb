#!/bin/sh
# The PyTorch trainer on CUDA: one sweep run end to end with --trainer pytorch on every GPU,
# then its wall time and the training throughput its jobs logged (samples/s of training
# steps, summed over jobs; validation, features and Python start-up excluded).
#
#   bench/gpu-pytorch.sh [sweep] [jobs per GPU]     (default sweeps/mile-grid.json, 4)
#   ABLATE_PYTHON=/path/to/python3 ABLATE_TORCH_AMP=1 bench/gpu-pytorch.sh
#
# Needs an interpreter with torch (CUDA build) and torchaudio, and nvidia-smi.
# ABLATE_BENCH_CPU=1 runs the same on the CPU (no --gpus): a dry run of this script. Results go to
# a fresh temporary folder (printed), so nothing is reused from an earlier run.
set -eu
cd "$(dirname "$0")/.."
SWEEP=${1:-sweeps/mile-grid.json}
PER_GPU=${2:-4}
PY=${ABLATE_PYTHON:-python3}
CPU=${ABLATE_BENCH_CPU:-0}
GPU_ARGS="--gpus all --jobs-per-gpu $PER_GPU"
[ "$CPU" = 1 ] && GPU_ARGS=""
export ABLATE_PYTHON="$PY"
"$PY" -c "import torch, torchaudio, sys; ok = torch.cuda.is_available(); print('torch', torch.__version__, 'torchaudio', torchaudio.__version__, 'cuda', torch.version.cuda, torch.cuda.get_device_name(0) if ok else 'NO CUDA DEVICE'); sys.exit(0 if ok or '$CPU' == '1' else 3)"
RESULTS=$(mktemp -d /tmp/ablate-gpu-pytorch.XXXXXX)
echo "results: $RESULTS"
START=$(date +%s.%N)
node --import tsx src/cli/main.ts run "$SWEEP" --trainer pytorch $GPU_ARGS --results "$RESULTS" --quiet
END=$(date +%s.%N)
awk -v s="$START" -v e="$END" 'BEGIN { printf "wall time: %.1f s\n", e - s }'
# Lines "ablate_torch: trained N samples in S s (X samples/s) on cuda" from each attempt's log.
cat "$RESULTS"/jobs/*/trainer/attempt-*.log | awk '
  /ablate_torch: trained/ { n += $3; s += $6; jobs++; if ($NF != "cuda") cpu++ }
  END {
    if (jobs == 0) { print "no training job logged its throughput"; exit 1 }
    printf "training: %d samples in %.1f s of steps over %d jobs: %.1f samples/s per job on average\n", n, s, jobs, n / s
    if (cpu > 0 && ENVIRON["ABLATE_BENCH_CPU"] != "1") printf "warning: %d job(s) trained on the CPU\n", cpu
  }'
node --import tsx src/cli/main.ts report "$(basename "$SWEEP" .json)" --results "$RESULTS" >/dev/null 2>&1 && echo "report: $RESULTS/$(basename "$SWEEP" .json)/report/index.html" || true
