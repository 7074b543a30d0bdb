#!/bin/bash
# The built-in TensorFlow.js trainer against the PyTorch reference trainer on one sweep, in one
# run on this machine: each trainer's wall time, then the mean EER (%) over seeds per
# configuration on the known and unknown sets, side by side. Each trainer gets a fresh
# temporary results folder (printed), so nothing is reused.
#
#   bench/trainers.sh [sweep]          (default sweeps/mile-grid.json: about 20 + 10 min on 2 cores)
#   ABLATE_PYTHON=/usr/bin/python3 bench/trainers.sh sweeps/smoke.json
#
# Needs an interpreter with torch and torchaudio for the PyTorch side (ABLATE_PYTHON, default python3).
# Samples per second of one LCNN training job with each trainer: bench/train.ts and bench/train_torch.py.
set -eu
cd "$(dirname "$0")/.."
SWEEP=${1:-sweeps/mile-grid.json}
NAME=$(node -e "console.log(JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8')).name)" "$SWEEP")
export ABLATE_PYTHON=${ABLATE_PYTHON:-python3}
OUT=$(mktemp -d /tmp/ablate-trainers.XXXXXX)
echo "results: $OUT"
for TRAINER in builtin pytorch; do
  EXTRA=""
  [ "$TRAINER" = pytorch ] && EXTRA="--trainer pytorch"
  # CPU seconds (user + system, the run and all its workers and child trainers) beside the wall
  # time: the CPU figure barely moves when other work shares the machine, the wall time does.
  TIMEFORMAT="$TRAINER: wall time %R s, CPU %U s user + %S s system (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  time node --import tsx src/cli/main.ts run "$SWEEP" $EXTRA --results "$OUT/$TRAINER" --quiet
  node --import tsx src/cli/main.ts export "$NAME" --results "$OUT/$TRAINER" --format json > "$OUT/$TRAINER.json"
done
node -e '
const fs = require("fs");
const [dir] = process.argv.slice(1);
// Mean EER over seeds per configuration (the params without the seed) and aggregate group.
const table = (file) => {
  const sums = new Map();
  for (const row of JSON.parse(fs.readFileSync(file, "utf8"))) {
    if (row.group !== "aggregate" || row.metrics.eer == null) continue;
    const { seed, ...rest } = row.params;
    const key = Object.entries(rest).filter(([k]) => k !== "trainer").map(([k, v]) => `${k}=${v}`).join(" ");
    const cell = sums.get(key) ?? {};
    const s = (cell[row.dataset] ??= { sum: 0, n: 0 });
    s.sum += row.metrics.eer; s.n++;
    sums.set(key, cell);
  }
  return sums;
};
const a = table(`${dir}/builtin.json`), b = table(`${dir}/pytorch.json`);
const pct = (c, g) => (c && c[g] ? (100 * c[g].sum / c[g].n).toFixed(1) : "-");
console.log("| configuration | built-in known | built-in unknown | PyTorch known | PyTorch unknown |");
console.log("|---|--:|--:|--:|--:|");
for (const key of [...new Set([...a.keys(), ...b.keys()])].sort()) {
  console.log(`| ${key} | ${pct(a.get(key), "__known__")} | ${pct(a.get(key), "__unknown__")} | ${pct(b.get(key), "__known__")} | ${pct(b.get(key), "__unknown__")} |`);
}
const overall = (t, g) => { const v = [...t.values()].filter((c) => c[g]).map((c) => c[g].sum / c[g].n); return (100 * v.reduce((x, y) => x + y, 0) / v.length).toFixed(1); };
console.log(`| mean over configurations | ${overall(a, "__known__")} | ${overall(a, "__unknown__")} | ${overall(b, "__known__")} | ${overall(b, "__unknown__")} |`);
' "$OUT"
