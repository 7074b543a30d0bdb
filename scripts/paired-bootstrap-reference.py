#!/usr/bin/env python3
"""Reference values for the item-level statistics of the report and of `ablate compare`
(src/report/compare/item-pairs.ts, src/report/data/item-intervals.ts), computed
independently with numpy and scikit-learn (sklearn.metrics.roc_curve gives the ROC whose
EER point is taken as in the ASVspoof scorer: the threshold where |FRR - FAR| is smallest,
EER = their mean).

Writes tests/fixtures/metrics/paired-bootstrap.json: the scores (3 seeds of two systems
on two evaluation sets) and, from 100 000 bootstrap replicates each,
 - the item-paired comparison of A and B on set s1: (seed) units drawn with replacement,
   within each drawn unit one class-stratified draw of items that A and B share; the mean
   EER difference, its 95 % percentile interval and two-sided bootstrap p-value;
 - system A's EER per set and on the mean of both sets with 95 % intervals over seeds and
   items: seeds drawn with replacement, per set one item draw shared by all drawn seeds.
The TypeScript side uses its own RNG, so the test compares within Monte Carlo error.
Run: /usr/bin/python3 scripts/paired-bootstrap-reference.py
"""
import json
import os

import numpy as np
from sklearn.metrics import roc_curve

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "tests", "fixtures", "metrics", "paired-bootstrap.json")
ITERATIONS = 100_000


def eer(bona, spoof):
    labels = np.concatenate((np.ones(bona.size), np.zeros(spoof.size)))
    scores = np.concatenate((bona, spoof))
    far, tpr, _ = roc_curve(labels, scores, drop_intermediate=False)
    frr = 1 - tpr
    i = np.argmin(np.abs(frr - far))
    return float((frr[i] + far[i]) / 2)


def fast_eer(bona, spoof):
    """EER from the sorted-merge DET curve (same definition; used in the replicate loops for speed).
    Checked against the scikit-learn version on every seed and set below."""
    scores = np.concatenate((bona, spoof))
    labels = np.concatenate((np.ones(bona.size), np.zeros(spoof.size)))
    order = np.argsort(scores, kind="mergesort")
    targets = np.cumsum(labels[order])
    frr = np.concatenate(([0.0], targets / bona.size))
    far = np.concatenate(([1.0], (spoof.size - (np.arange(1, scores.size + 1) - targets)) / spoof.size))
    i = np.argmin(np.abs(frr - far))
    return float((frr[i] + far[i]) / 2)


def percentile_interval(values):
    return float(np.percentile(values, 2.5)), float(np.percentile(values, 97.5))


def main():
    rng = np.random.default_rng(19)
    n_bona, n_spoof, seeds = 25, 35, 3
    sets = {}
    for name, separation in (("s1", 1.6), ("s2", 0.8)):
        labels = np.array([1] * n_bona + [0] * n_spoof)
        difficulty = rng.normal(0, 0.7, labels.size)  # per item, shared by both systems and all seeds
        systems = {}
        for system, gain in (("A", 1.0), ("B", 0.75)):
            systems[system] = [
                np.round(separation * gain * (2 * labels - 1) + difficulty + rng.normal(0, 0.8, labels.size), 6).tolist() for _ in range(seeds)
            ]
        sets[name] = {"labels": labels.tolist(), "ids": [f"{name}-item{i:03d}" for i in range(labels.size)], **systems}

    def split(values, labels):
        v, l = np.asarray(values), np.asarray(labels)
        return v[l == 1], v[l == 0]

    for name, s in sets.items():
        for system in ("A", "B"):
            for seed in range(seeds):
                bona, spoof = split(s[system][seed], s["labels"])
                assert abs(eer(bona, spoof) - fast_eer(bona, spoof)) < 1e-12, (name, system, seed)

    # 1. Item-paired comparison on s1.
    s1 = sets["s1"]
    labels = np.asarray(s1["labels"])
    bona_idx, spoof_idx = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    a = [np.asarray(x) for x in s1["A"]]
    b = [np.asarray(x) for x in s1["B"]]
    unit_diffs = [fast_eer(a[k][bona_idx], a[k][spoof_idx]) - fast_eer(b[k][bona_idx], b[k][spoof_idx]) for k in range(seeds)]
    draws = rng.integers(0, seeds, size=(ITERATIONS, seeds))
    replicates = np.empty(ITERATIONS)
    for r in range(ITERATIONS):
        total = 0.0
        for k in draws[r]:
            bi = rng.choice(bona_idx, bona_idx.size)
            si = rng.choice(spoof_idx, spoof_idx.size)
            total += fast_eer(a[k][bi], a[k][si]) - fast_eer(b[k][bi], b[k][si])
        replicates[r] = total / seeds
    lower, upper = percentile_interval(replicates)
    tail = (min(np.sum(replicates <= 0), np.sum(replicates >= 0)) + 1) / (ITERATIONS + 1)
    paired = {"set": "s1", "meanDiff": float(np.mean(unit_diffs)), "lower": lower, "upper": upper, "pValue": float(min(1.0, 2 * tail))}

    # 2. System A's intervals over seeds and items, per set and for the mean of both sets.
    per_set = {}
    reps = {}
    seed_draws = rng.integers(0, seeds, size=(ITERATIONS, seeds))
    for name, s in sets.items():
        labels = np.asarray(s["labels"])
        bona_idx, spoof_idx = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
        a = [np.asarray(x) for x in s["A"]]
        estimate = float(np.mean([fast_eer(a[k][bona_idx], a[k][spoof_idx]) for k in range(seeds)]))
        values = np.empty(ITERATIONS)
        for r in range(ITERATIONS):
            bi = rng.choice(bona_idx, bona_idx.size)
            si = rng.choice(spoof_idx, spoof_idx.size)
            values[r] = np.mean([fast_eer(a[k][bi], a[k][si]) for k in seed_draws[r]])
        reps[name] = values
        lower, upper = percentile_interval(values)
        per_set[name] = {"mean": estimate, "lower": lower, "upper": upper}
    both = (reps["s1"] + reps["s2"]) / 2
    lower, upper = percentile_interval(both)
    per_set["__all__"] = {"mean": (per_set["s1"]["mean"] + per_set["s2"]["mean"]) / 2, "lower": lower, "upper": upper}

    record = {
        "generator": "scripts/paired-bootstrap-reference.py (numpy %s, scikit-learn roc_curve)" % np.__version__,
        "iterations": ITERATIONS,
        "seeds": seeds,
        "sets": sets,
        "pairedItems": paired,
        "intervalsA": per_set,
    }
    with open(OUT, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print(json.dumps({"pairedItems": paired, "intervalsA": per_set}, indent=1))


if __name__ == "__main__":
    main()
