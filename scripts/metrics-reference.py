#!/usr/bin/python3
"""Independent reference values for ablate's src/metrics, written as test fixtures.

Run from the repository root with Debian's python3-numpy and python3-sklearn:

    /usr/bin/python3 scripts/metrics-reference.py

It reads tests/fixtures/metrics/golden-metrics.json (the shared golden cases), adds cases of its
own drawn from a seeded numpy generator, and writes:

- tests/fixtures/metrics/reference.json: per case the EER and its threshold, AUC, minDCF and its
  threshold, actDCF, Cllr, rates and balanced accuracy at a threshold, and (where a case has
  sources) SAFE's source-averaged balanced accuracy;
- tests/fixtures/metrics/files/**: the same kind of trials written in each score/key layout
  `ablate score` reads, with the metrics this script computes for them (reference.json "files").

How each value is computed here, independently of the TypeScript:
- EER: the ASVspoof eval packages' algorithm (stable mergesort, cumulative counts) in numpy,
  re-derived from the description in shared/reference/SDD.md and checked against the golden file.
- AUC: sklearn.metrics.roc_auc_score.
- minDCF: the ASVspoof 5 definition (Pspoof 0.05, Cmiss 1, Cfa 10, normalised by
  min(Cmiss (1 - Pspoof), Cfa Pspoof)) evaluated vectorised over the DET points; for cases
  without ties it is cross-checked against sklearn's roc_curve points.
- actDCF: the same costs at the Bayes threshold -ln(Cmiss (1 - Pspoof) / (Cfa Pspoof)).
- Cllr: numpy.logaddexp (stable softplus), in bits.
- Balanced accuracy / TPR / TNR: sklearn.metrics.balanced_accuracy_score and recall_score with
  "bona fide iff score >= threshold".
"""
import json
import os

import numpy as np
from sklearn.metrics import balanced_accuracy_score, recall_score, roc_auc_score, roc_curve

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "metrics")
P_SPOOF, C_MISS, C_FA = 0.05, 1, 10


def det_curve(bona, spoof):
    scores = np.concatenate((bona, spoof))
    labels = np.concatenate((np.ones(bona.size), np.zeros(spoof.size)))
    order = np.argsort(scores, kind="mergesort")
    labels = labels[order]
    targets = np.cumsum(labels)
    nontargets_above = spoof.size - (np.arange(1, scores.size + 1) - targets)
    frr = np.concatenate(([0.0], targets / bona.size))
    far = np.concatenate(([1.0], nontargets_above / spoof.size))
    thresholds = np.concatenate(([scores[order[0]] - 0.001], scores[order]))
    return frr, far, thresholds


def eer(bona, spoof):
    frr, far, thresholds = det_curve(bona, spoof)
    i = np.argmin(np.abs(frr - far))
    return float(np.mean((frr[i], far[i]))), float(thresholds[i])


def min_dcf(frr, far, thresholds):
    p_target = 1 - P_SPOOF
    costs = C_MISS * frr * p_target + C_FA * far * (1 - p_target)
    i = int(np.argmin(costs))
    return float(costs[i] / min(C_MISS * p_target, C_FA * (1 - p_target))), float(thresholds[i])


def min_dcf_sklearn(bona, spoof):
    """minDCF over scikit-learn's ROC points; equals the DET version when no scores tie."""
    y = np.concatenate((np.ones(bona.size), np.zeros(spoof.size)))
    fpr, tpr, _ = roc_curve(y, np.concatenate((bona, spoof)), drop_intermediate=False)
    p_target = 1 - P_SPOOF
    costs = C_MISS * (1 - tpr) * p_target + C_FA * fpr * (1 - p_target)
    return float(costs.min() / min(C_MISS * p_target, C_FA * (1 - p_target)))


def act_dcf(bona, spoof):
    threshold = -np.log(C_MISS * (1 - P_SPOOF) / (C_FA * P_SPOOF))
    miss = np.sum(bona < threshold) / bona.size
    fa = np.sum(spoof >= threshold) / spoof.size
    cost = C_MISS * (1 - P_SPOOF) * miss + C_FA * P_SPOOF * fa
    return float(cost / min(C_FA * P_SPOOF, C_MISS * (1 - P_SPOOF))), float(threshold)


def cllr(bona, spoof):
    return float(0.5 * (np.mean(np.logaddexp(0, -bona)) + np.mean(np.logaddexp(0, spoof))) / np.log(2))


def rates(bona, spoof, threshold):
    y = np.concatenate((np.ones(bona.size), np.zeros(spoof.size)))
    pred = (np.concatenate((bona, spoof)) >= threshold).astype(float)
    return {
        "threshold": float(threshold),
        "tpr": float(recall_score(y, pred, pos_label=1)),
        "tnr": float(recall_score(y, pred, pos_label=0)),
        "balanced_accuracy": float(balanced_accuracy_score(y, pred)),
    }


def source_averaged(bona, spoof, bona_sources, spoof_sources, threshold):
    def mean_accuracy(scores, sources, bonafide):
        accuracies = []
        for source in sorted(set(sources)):
            mine = scores[np.array(sources) == source]
            correct = (mine >= threshold) if bonafide else (mine < threshold)
            accuracies.append(np.mean(correct))
        return float(np.mean(accuracies))

    pristine = mean_accuracy(bona, bona_sources, True)
    generated = mean_accuracy(spoof, spoof_sources, False)
    return {"value": (pristine + generated) / 2, "pristine": pristine, "generated": generated}


def metrics(bona, spoof, threshold=None):
    frr, far, thresholds = det_curve(bona, spoof)
    e, e_threshold = eer(bona, spoof)
    m, m_threshold = min_dcf(frr, far, thresholds)
    a, a_threshold = act_dcf(bona, spoof)
    values = {
        "eer": e,
        "eer_threshold": e_threshold,
        "auc": float(roc_auc_score(np.concatenate((np.ones(bona.size), np.zeros(spoof.size))), np.concatenate((bona, spoof)))),
        "min_dcf": m,
        "min_dcf_threshold": m_threshold,
        "act_dcf": a,
        "act_dcf_threshold": a_threshold,
        "cllr": cllr(bona, spoof),
        "n_bonafide": int(bona.size),
        "n_spoof": int(spoof.size),
    }
    if np.unique(np.concatenate((bona, spoof))).size == bona.size + spoof.size:
        assert abs(min_dcf_sklearn(bona, spoof) - m) < 1e-12, "DET and ROC minDCF disagree without ties"
    if threshold is not None:
        values["at_threshold"] = rates(bona, spoof, threshold)
    return values


def own_cases(rng):
    act_threshold = -np.log(C_MISS * (1 - P_SPOOF) / (C_FA * P_SPOOF))
    cases = []
    cases.append({"name": "llr-gaussian", "bonafide": rng.normal(2.0, 1.5, 400), "spoof": rng.normal(-2.0, 1.5, 1600), "threshold": 0.0})
    cases.append({"name": "llr-rounded-ties", "bonafide": np.round(rng.normal(1.0, 1.0, 300), 1), "spoof": np.round(rng.normal(-1.0, 1.0, 700), 1), "threshold": 0.2})
    logits_b, logits_s = rng.normal(1.5, 2.0, 250), rng.normal(-1.5, 2.0, 250)
    cases.append({"name": "probabilities", "bonafide": 1 / (1 + np.exp(-logits_b)), "spoof": 1 / (1 + np.exp(-logits_s)), "threshold": 0.5})
    cases.append({"name": "integer-ties", "bonafide": rng.integers(1, 6, 120).astype(float), "spoof": rng.integers(0, 4, 80).astype(float), "threshold": 2.0})
    cases.append({
        "name": "extreme-llr",
        "bonafide": np.concatenate((rng.normal(30, 20, 60), [800.0, -750.0])),
        "spoof": np.concatenate((rng.normal(-30, 20, 60), [-900.0, 720.0])),
        "threshold": 0.0,
    })
    at = np.full(5, act_threshold)
    cases.append({
        "name": "at-actdcf-threshold",
        "bonafide": np.concatenate((rng.normal(0.5, 1.0, 95), at)),
        "spoof": np.concatenate((rng.normal(-1.5, 1.0, 95), at)),
        "threshold": float(act_threshold),
    })
    cases.append({"name": "perfect", "bonafide": rng.normal(5, 1, 50) + 10, "spoof": rng.normal(-5, 1, 50), "threshold": 0.0})
    cases.append({"name": "inverted", "bonafide": rng.normal(-3, 1, 40), "spoof": rng.normal(3, 1, 60), "threshold": 0.0})
    bona_sources = [f"real{int(i)}" for i in rng.integers(0, 3, 180)]
    spoof_sources = [f"tts{int(i)}" for i in rng.integers(0, 5, 420)]
    bona = rng.normal(1.0, 1.0, 180) + np.array([0.5 * int(s[-1]) for s in bona_sources])
    spoof = rng.normal(-1.0, 1.0, 420) + np.array([0.4 * int(s[-1]) for s in spoof_sources])
    cases.append({"name": "safe-sources", "bonafide": bona, "spoof": spoof, "threshold": 0.3, "bonafide_sources": bona_sources, "spoof_sources": spoof_sources})
    return cases


def case_record(case):
    bona, spoof = np.asarray(case["bonafide"], float), np.asarray(case["spoof"], float)
    record = {"name": case["name"], "bonafide": bona.tolist(), "spoof": spoof.tolist(), **metrics(bona, spoof, case.get("threshold"))}
    if "bonafide_sources" in case:
        record["bonafide_sources"] = case["bonafide_sources"]
        record["spoof_sources"] = case["spoof_sources"]
        record["source_averaged"] = source_averaged(bona, spoof, case["bonafide_sources"], case["spoof_sources"], case["threshold"])
        one_source = source_averaged(bona, spoof, ["a"] * bona.size, ["b"] * spoof.size, case["threshold"])["value"]
        assert abs(one_source - record["at_threshold"]["balanced_accuracy"]) < 1e-12
    return record


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def trial_set(rng, prefix, n_bona, n_spoof, attacks):
    """Trials in a shuffled order, with scores in repr form (shortest exact decimal)."""
    trials = [(f"{prefix}_{i:07d}", True, "bonafide") for i in range(n_bona)]
    trials += [(f"{prefix}_{n_bona + i:07d}", False, attacks[i % len(attacks)]) for i in range(n_spoof)]
    order = rng.permutation(len(trials))
    trials = [trials[i] for i in order]
    scores = {tid: float(rng.normal(1.2, 1.3) if bona else rng.normal(-1.2, 1.3)) for tid, bona, _ in trials}
    return trials, scores


def file_metrics(trials, scores, keep=lambda trial: True):
    bona = np.array([scores[t[0]] for t in trials if t[1] and keep(t)])
    spoof = np.array([scores[t[0]] for t in trials if not t[1] and keep(t)])
    return metrics(bona, spoof)


def score_files(rng):
    out = {}
    base = os.path.join(FIXTURES, "files")

    trials, scores = trial_set(rng, "E", 60, 140, ["A17", "A18", "A19"])
    key_order = sorted(trials)
    write(os.path.join(base, "asvspoof5", "scores.tsv"), "filename\tcm-score\n" + "".join(f"{t}\t{scores[t]!r}\n" for t, _, _ in trials))
    write(os.path.join(base, "asvspoof5", "keys.tsv"), "filename\tcm-label\n" + "".join(f"{t}\t{'bonafide' if b else 'spoof'}\n" for t, b, _ in key_order))
    write(os.path.join(base, "asvspoof5", "protocol.txt"), "".join(f"E_{i % 40:04d} {t} F - - - AC1 {a if not b else '-'} {'bonafide' if b else 'spoof'} -\n" for i, (t, b, a) in enumerate(key_order)))
    out["asvspoof5"] = {"scores": "asvspoof5/scores.tsv", "keys": ["asvspoof5/keys.tsv", "asvspoof5/protocol.txt"], "expected": file_metrics(trials, scores)}

    trials, scores = trial_set(rng, "LA_E", 70, 130, ["A07", "A08", "A09", "A10"])
    subsets = {t: ("eval" if i % 3 else "progress") for i, (t, _, _) in enumerate(sorted(trials))}
    write(os.path.join(base, "asvspoof2021-la", "score.txt"), "".join(f"{t} {scores[t]!r}\n" for t, _, _ in trials))
    write(os.path.join(base, "asvspoof2021-la", "trial_metadata.txt"), "".join(
        f"LA_{i % 30:04d} {t} alaw ita_tx {a if not b else 'bonafide'} {'bonafide' if b else 'spoof'} notrim {subsets[t]}\n"
        for i, (t, b, a) in enumerate(sorted(trials))))
    out["asvspoof2021-la"] = {
        "scores": "asvspoof2021-la/score.txt",
        "keys": ["asvspoof2021-la/trial_metadata.txt"],
        "expected": file_metrics(trials, scores),
        "expected_eval_subset": file_metrics(trials, scores, lambda t: subsets[t[0]] == "eval"),
    }

    trials, scores = trial_set(rng, "DF_E", 50, 150, ["A09", "A12", "A16"])
    write(os.path.join(base, "asvspoof2021-df", "score.txt"), "".join(f"{t}  {scores[t]!r}\n" for t, _, _ in trials))
    write(os.path.join(base, "asvspoof2021-df", "trial_metadata.txt"), "".join(
        f"LA_{i % 30:04d} {t} mp3m4a asvspoof {a if not b else 'bonafide'} {'bonafide' if b else 'spoof'} notrim eval traditional_vocoder - - - -\n"
        for i, (t, b, a) in enumerate(sorted(trials))))
    write(os.path.join(base, "asvspoof2021-df", "protocol-2019.txt"), "".join(
        f"LA_{i % 30:04d} {t} - {a if not b else '-'} {'bonafide' if b else 'spoof'}\n" for i, (t, b, a) in enumerate(sorted(trials))))
    out["asvspoof2021-df"] = {"scores": "asvspoof2021-df/score.txt", "keys": ["asvspoof2021-df/trial_metadata.txt", "asvspoof2021-df/protocol-2019.txt"], "expected": file_metrics(trials, scores)}

    trials, scores = trial_set(rng, "clip", 80, 120, ["tts0", "tts1", "tts2"])
    bona_sources = {t: f"real{i % 2}" for i, (t, b, _) in enumerate(trials) if b}
    write(os.path.join(base, "csv", "scores.csv"), "id,pred,score\n" + "".join(
        f"{t},{'pristine' if scores[t] >= 0 else 'generated'},{scores[t]!r}\n" for t, _, _ in trials))
    write(os.path.join(base, "csv", "keys.csv"), "file,speaker,label,source\n" + "".join(
        f"{t},spk{i % 7},{'bona-fide' if b else 'spoof'},{bona_sources[t] if b else a}\n" for i, (t, b, a) in enumerate(sorted(trials))))
    expected = file_metrics(trials, scores)
    bona = np.array([scores[t] for t, b, _ in trials if b])
    spoof = np.array([scores[t] for t, b, _ in trials if not b])
    expected["at_threshold"] = rates(bona, spoof, 0.0)
    expected["source_averaged"] = source_averaged(bona, spoof, [bona_sources[t] for t, b, _ in trials if b], [a for _, b, a in trials if not b], 0.0)
    out["csv"] = {"scores": "csv/scores.csv", "keys": ["csv/keys.csv"], "threshold": 0.0, "expected": expected}
    return out


def main():
    with open(os.path.join(FIXTURES, "golden-metrics.json"), encoding="utf-8") as f:
        golden = json.load(f)["cases"]
    records = []
    for i, case in enumerate(golden):
        record = case_record({"name": f"golden-{i}", "bonafide": case["bonafide"], "spoof": case["spoof"], "threshold": 0.5})
        # The numpy EER here must reproduce the shared golden values exactly.
        assert record["eer"] == case["eer"] and record["eer_threshold"] == case["eer_threshold"], record["name"]
        assert abs(record["auc"] - case["auc"]) < 1e-12, record["name"]
        records.append(record)
    rng = np.random.default_rng(20250601)
    records += [case_record(case) for case in own_cases(rng)]
    files = score_files(rng)
    reference = {
        "meta": {
            "generator": "scripts/metrics-reference.py",
            "numpy": np.__version__,
            "sklearn": __import__("sklearn").__version__,
            "costs": {"p_spoof": P_SPOOF, "c_miss": C_MISS, "c_fa": C_FA},
            "decision": "bona fide iff score >= threshold",
        },
        "cases": records,
        "files": files,
    }
    write(os.path.join(FIXTURES, "reference.json"), json.dumps(reference, indent=1) + "\n")
    print(f"wrote {len(records)} cases and {len(files)} file sets to {FIXTURES}")


if __name__ == "__main__":
    main()
