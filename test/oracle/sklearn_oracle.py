#!/usr/bin/env python3
"""Golden values for the evaluation engine, computed by scikit-learn.

Run with Debian's interpreter, which has python3-sklearn, numpy and pandas:

    /usr/bin/python3 test/oracle/sklearn_oracle.py --update   # regenerate the prediction sets and goldens
    /usr/bin/python3 test/oracle/sklearn_oracle.py --check    # (default) recompute every golden, fail on any difference

Each case writes a predictions file under test/fixtures/eval/ and a golden
<case>.expected.json holding the options the engine needs and what scikit-learn
computes on that same file. --check reloads each file (pandas for CSV/TSV/JSON/JSONL,
numpy for .npy/.npz), recomputes, and compares with the stored golden.
The mocha tests in test/unit/evaluation then hold the engine to these goldens within 1e-9.
"""
import json
import math
import os
import sys
import warnings

import numpy as np
import pandas as pd
import sklearn
from sklearn import metrics as M
from sklearn.preprocessing import label_binarize

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures", "eval"))
SWEEP_LIMIT = 3000  # rows up to which the per-threshold sweep is checked point by point

warnings.simplefilter("ignore")  # zero-division and one-class warnings are expected in the edge cases


# ---------------------------------------------------------------- data sets

def rng(seed):
    return np.random.default_rng(seed)


def noisy_predictions(r, y, classes, accuracy):
    y_pred = y.copy()
    flip = r.random(len(y)) > accuracy
    y_pred[flip] = r.choice(classes, flip.sum())
    return y_pred


def sigmoid_scores(r, yb, separation=1.5, decimals=None):
    logits = r.normal(0, 1, len(yb)) + separation * (2 * yb - 1)
    s = 1 / (1 + np.exp(-logits))
    return np.round(s, decimals) if decimals is not None else s


def softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def case_frames():
    """name -> (DataFrame or dict of arrays, file extension, engine options, spec for the oracle)."""
    cases = {}

    r = rng(1)
    y = r.integers(0, 2, 500)
    cases["binary_labels"] = (pd.DataFrame({"y_true": y, "y_pred": noisy_predictions(r, y, [0, 1], 0.8)}), "csv", {}, {})

    r = rng(2)
    y = (r.random(800) < 0.4).astype(int)
    s = sigmoid_scores(r, y, decimals=2)  # two decimals: many tied scores
    cases["binary_scores_tied"] = (pd.DataFrame({"label": y, "prob": s}), "csv", {}, {"score": "prob", "derive": 0.5})

    r = rng(3)
    y = (r.random(1000) < 0.5).astype(int)
    s = sigmoid_scores(r, y)
    cases["binary_scores_pred"] = (pd.DataFrame({"y_true": y, "y_pred": (s >= 0.5).astype(int), "score": s}), "csv", {}, {"score": "score"})

    r = rng(4)
    y = (r.random(2000) < 0.5).astype(int)
    s = sigmoid_scores(r, y)
    cases["binary_threshold_0_3"] = (pd.DataFrame({"y_true": y, "score": s}), "csv", {"threshold": 0.3}, {"score": "score", "derive": 0.3})

    r = rng(5)
    y = r.integers(0, 20, 3000)
    cases["multiclass_20_labels"] = (pd.DataFrame({"target": y, "prediction": noisy_predictions(r, y, np.arange(20), 0.6)}), "csv", {}, {})

    r = rng(6)
    y = r.integers(0, 20, 2000)
    logits = r.normal(0, 1, (2000, 20))
    logits[np.arange(2000), y] += 2.0
    P = softmax(logits)
    frame = pd.DataFrame({"y_true": y})
    for k in range(20):
        frame[f"prob_{k}"] = P[:, k]
    cases["multiclass_20_probs"] = (frame, "csv", {}, {"classes": list(range(20)), "prob_prefix": "prob_", "derive": "argmax"})

    r = rng(7)
    y = r.integers(0, 4, 1200)
    logits = r.normal(0, 1, (1200, 4))
    logits[np.arange(1200), y] += 1.5
    frame = pd.DataFrame({"y_true": y})
    for k in range(4):
        frame[f"logit_{k}"] = logits[:, k]
    cases["multiclass_logits"] = (frame, "csv", {}, {"classes": list(range(4)), "prob_prefix": "logit_", "logits": True, "derive": "argmax"})

    r = rng(8)
    y = (r.random(5000) < 0.02).astype(int)
    s = sigmoid_scores(r, y, separation=1.0)
    cases["imbalanced_scores"] = (pd.DataFrame({"y_true": y, "score": s}), "csv", {}, {"score": "score", "derive": 0.5})

    r = rng(9)
    y = np.where(r.random(600) < 0.3, "spam", "ham")
    p_spam = sigmoid_scores(r, (y == "spam").astype(int))
    cases["string_labels_two_columns"] = (pd.DataFrame({"y_true": y, "p_ham": 1 - p_spam, "p_spam": p_spam}), "csv", {},
                                          {"classes": ["ham", "spam"], "prob_prefix": "p_", "binary_positive": "spam", "derive": 0.5})

    r = rng(10)
    y = r.choice(np.array(["cat", "dog", "pig", "eel"], dtype="<U4"), 400)  # wide enough for 'bird'
    y_pred = noisy_predictions(r, y, np.array(["cat", "dog", "pig", "bird"]), 0.7)
    y_pred[y_pred == "eel"] = "dog"  # 'eel' is never predicted; 'bird' is never true
    cases["labels_missing_from_one_side"] = (pd.DataFrame({"y_true": y, "y_pred": y_pred}), "csv", {}, {})

    r = rng(11)
    y = r.integers(0, 3, 300)
    y_pred = np.where(y == 2, 0, y)  # class 2 never predicted
    cases["class_never_predicted"] = (pd.DataFrame({"y_true": y, "y_pred": y_pred}), "csv", {}, {})

    r = rng(12)
    s = 0.5 + 0.5 * r.random(200)
    cases["single_class_scores"] = (pd.DataFrame({"y_true": np.ones(200, dtype=int), "score": np.round(s, 3)}), "csv", {}, {"score": "score", "derive": 0.5})

    cases["single_class_text"] = (pd.DataFrame({"y_true": ["yes"] * 50, "y_pred": ["yes"] * 50}), "csv", {}, {})

    r = rng(13)
    y = r.integers(0, 2, 700)
    s = r.choice([0.1, 0.25, 0.5, 0.75, 0.9], 700)
    cases["all_scores_tied_in_five_values"] = (pd.DataFrame({"y_true": y, "score": s}), "csv", {}, {"score": "score", "derive": 0.5})

    # The seeds' worked examples, exactly.
    y = np.array([1] * 100 + [0] * 100)
    y_pred = np.array([1] * 80 + [0] * 20 + [1] * 10 + [0] * 90)
    cases["worked_example_precision_recall"] = (pd.DataFrame({"y_true": y, "y_pred": y_pred}), "csv", {}, {})
    y = np.array([1] * 50 + [0] * 50)
    y_pred = np.array([1] * 40 + [0] * 10 + [1] * 5 + [0] * 45)
    cases["worked_example_accuracy"] = (pd.DataFrame({"y_true": y, "y_pred": y_pred}), "csv", {}, {})

    # 98% accuracy, 12% recall on spam: 10,000 messages, 200 spam, 24 caught, 24 false alarms.
    y = np.array(["spam"] * 200 + ["ham"] * 9800)
    y_pred = np.array(["spam"] * 24 + ["ham"] * 176 + ["spam"] * 24 + ["ham"] * 9776)
    cases["accuracy_paradox_spam"] = (pd.DataFrame({"label": y, "predicted": y_pred}), "csv", {}, {})

    r = rng(14)
    yt = r.normal(3, 2, 900)
    cases["regression"] = (pd.DataFrame({"y_true": yt, "y_pred": yt + r.normal(0, 0.7, 900)}), "csv", {}, {"task": "regression"})
    cases["regression_constant_target"] = (pd.DataFrame({"y_true": np.full(40, 2.5), "y_pred": np.full(40, 2.5) + r.normal(0, 0.1, 40)}), "csv", {}, {"task": "regression"})

    r = rng(15)
    cases["language_model_logprobs"] = (pd.DataFrame({"token_logprob": -r.gamma(2.0, 1.2, 3000)}), "csv", {}, {"task": "language-model", "column": "token_logprob", "kind": "logprob"})
    cases["language_model_loss"] = (pd.DataFrame({"loss": r.gamma(2.0, 1.0, 1000)}), "csv", {}, {"task": "language-model", "column": "loss", "kind": "loss"})

    # One data set in every format: the same goldens must come out of each reader.
    r = rng(16)
    y = (r.random(300) < 0.45).astype(int)
    s = sigmoid_scores(r, y)
    base = pd.DataFrame({"y_true": y, "y_pred": (s >= 0.5).astype(int), "score": s})
    for ext in ["tsv", "json", "jsonl", "npy", "npz"]:
        cases[f"format_{ext}"] = (base, ext, {}, {"score": "score"})
    cases["format_json_columns"] = (base, "json-columns", {}, {"score": "score"})
    r = rng(17)
    y = r.integers(0, 3, 250)
    P = softmax(r.normal(0, 1, (250, 3)) + 2.0 * np.eye(3)[y])
    cases["format_npz_probability_matrix"] = ({"y_true": y, "probs": P}, "npz", {}, {"classes": [0, 1, 2], "matrix": "probs", "derive": "argmax"})

    # Calibration: scores exactly on the bin edges (each goes to the lower bin), and an overconfident
    # five-class model (logits three times too large) with 15 bins.
    r = rng(18)
    y = (r.random(600) < 0.5).astype(int)
    s = np.round(np.clip(sigmoid_scores(r, y, separation=0.8), 0, 1), 1)
    cases["calibration_scores_on_bin_edges"] = (pd.DataFrame({"y_true": y, "score": s}), "csv", {}, {"score": "score", "derive": 0.5})
    r = rng(19)
    y = r.integers(0, 5, 1500)
    logits = 3.0 * (r.normal(0, 1, (1500, 5)) + 1.2 * np.eye(5)[y])
    frame = pd.DataFrame({"y_true": y})
    for k in range(5):
        frame[f"logit_{k}"] = logits[:, k]
    cases["calibration_overconfident_15_bins"] = (frame, "csv", {"calibrationBins": 15},
                                                  {"classes": list(range(5)), "prob_prefix": "logit_", "logits": True, "derive": "argmax", "bins": 15})

    # Errors by sequence length: whitespace-split text with quantile buckets (a pile-up at 200 tokens,
    # where the text was cut), a length column with given edges, and a regression.
    r = rng(20)
    lengths = np.minimum(r.integers(3, 260, 1500), 200)
    y = r.integers(0, 3, 1500)
    accuracy = np.where(lengths <= 20, 0.93, np.where(lengths > 100, 0.55, 0.8))
    y_pred = np.where(r.random(1500) < accuracy, y, (y + r.integers(1, 3, 1500)) % 3)
    text = [" ".join(f"w{j % 7}" for j in range(n)) for n in lengths]
    cases["length_buckets_text"] = (pd.DataFrame({"text": text, "y_true": y, "y_pred": y_pred}), "csv", {},
                                    {"length": ("text", "text")})
    cases["length_buckets_given_edges"] = (pd.DataFrame({"n_tokens": lengths, "y_true": y, "y_pred": y_pred}), "jsonl",
                                           {"lengthBuckets": [10, 20, 50, 100]}, {"length": ("n_tokens", "length"), "edges": [10, 20, 50, 100]})
    yt = r.normal(0, 1, 1500)
    cases["length_buckets_regression"] = (pd.DataFrame({"len": lengths, "y_true": yt, "y_pred": yt + r.normal(0, 1, 1500) * lengths / 100}), "csv", {},
                                          {"task": "regression", "length": ("len", "length")})

    # Perplexity by sequence length: one row per scored token naming its sequence, the NLL growing
    # along each sequence, a pile-up at 64 tokens (a context window cut them), tokens with no
    # sequence; and the same tokens shuffled in JSON Lines with losses and given edges.
    r = rng(21)
    seq_lengths = np.minimum(r.integers(1, 90, 200), 64)
    seq = np.repeat(np.arange(200), seq_lengths)
    position = np.concatenate([np.arange(n) for n in seq_lengths])
    logprob = -r.gamma(2.0, 0.8, len(seq)) * (1 + position / 64)
    names = np.array([f"doc{q}" for q in seq], dtype=object)
    names[r.random(len(seq)) < 0.01] = ""
    cases["language_model_length_buckets"] = (pd.DataFrame({"seq_id": names, "token_logprob": logprob}), "csv", {},
                                              {"task": "language-model", "column": "token_logprob", "kind": "logprob", "sequence": "seq_id"})
    order = r.permutation(len(seq))
    cases["language_model_length_buckets_given_edges"] = (pd.DataFrame({"sentence_id": seq[order], "loss": -logprob[order]}), "jsonl",
                                                          {"lengthBuckets": [8, 16, 32]},
                                                          {"task": "language-model", "column": "loss", "kind": "loss", "sequence": "sentence_id", "edges": [8, 16, 32]})
    return cases


# ---------------------------------------------------------------- files

def fixture_path(name, ext):
    suffix = {"json-columns": "json"}.get(ext, ext)
    return os.path.join(FIXTURES, f"{name}.{suffix}")


def write_file(name, data, ext):
    path = fixture_path(name, ext)
    if ext == "csv":
        data.to_csv(path, index=False, float_format="%.17g")
    elif ext == "tsv":
        data.to_csv(path, index=False, sep="\t", float_format="%.17g")
    elif ext == "json":
        data.to_json(path, orient="records", double_precision=15)
    elif ext == "json-columns":
        with open(path, "w") as f:
            json.dump({c: data[c].tolist() for c in data.columns}, f)
    elif ext == "jsonl":
        data.to_json(path, orient="records", lines=True, double_precision=15)
    elif ext == "npy":
        np.save(path, data.to_records(index=False))
    elif ext == "npz":
        arrays = data if isinstance(data, dict) else {c: data[c].to_numpy() for c in data.columns}
        np.savez_compressed(path, **arrays)
    return path


def load_file(path, ext):
    """The file as scikit-learn users would load it: a dict of column name -> numpy array."""
    # round_trip: pandas' default float parser is off by an ulp at times, which moves a score
    # sitting on a calibration bin edge (0.7 = 1 - 0.3) into the next bin.
    if ext == "csv":
        frame = pd.read_csv(path, float_precision="round_trip")
    elif ext == "tsv":
        frame = pd.read_csv(path, sep="\t", float_precision="round_trip")
    elif ext == "json":
        frame = pd.read_json(path, orient="records", precise_float=True)
    elif ext == "json-columns":
        with open(path) as f:
            frame = pd.DataFrame(json.load(f))
    elif ext == "jsonl":
        frame = pd.read_json(path, orient="records", lines=True, precise_float=True)
    elif ext == "npy":
        rec = np.load(path)
        return {n: rec[n] for n in rec.dtype.names}
    elif ext == "npz":
        with np.load(path) as z:
            return {n: z[n] for n in z.files}
    return {c: frame[c].to_numpy() for c in frame.columns}


# ---------------------------------------------------------------- expected values

def clean(value):
    """JSON-safe: NaN and infinities become null, numpy scalars become Python numbers."""
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [clean(v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        v = float(value)
        return None if math.isnan(v) or math.isinf(v) else v
    if isinstance(value, np.str_):
        return str(value)
    return value


def curve_entry(label, yb, score):
    fpr, tpr, thr = M.roc_curve(yb, score)
    precision, recall, pthr = M.precision_recall_curve(yb, score)
    return ({"label": label, "fpr": fpr, "tpr": tpr, "thresholds": thr},
            {"label": label, "precision": precision, "recall": recall, "thresholds": pthr})


def binary_auc(yb, score):
    if len(np.unique(yb)) < 2:
        fpr, tpr, _ = M.roc_curve(yb, score)
        return M.auc(fpr, tpr)  # nan, as scikit-learn's curve gives with one class
    return M.roc_auc_score(yb, score)


def sweep_of(yb, score):
    thresholds = np.unique(score)[::-1]
    out = {"thresholds": thresholds, "precision": [], "recall": [], "f1": []}
    for t in thresholds:
        pred = (score >= t).astype(int)
        out["precision"].append(M.precision_score(yb, pred, zero_division=0))
        out["recall"].append(M.recall_score(yb, pred, zero_division=0))
        out["f1"].append(M.f1_score(yb, pred, zero_division=0))
    return out


def expected_for(data, spec):
    task = spec.get("task", "classification")
    if task == "regression":
        yt, yp = data["y_true"].astype(float), data["y_pred"].astype(float)
        mse = M.mean_squared_error(yt, yp)
        out = {"task": task, "n": len(yt), "mse": mse, "mae": M.mean_absolute_error(yt, yp), "rmse": math.sqrt(mse), "r2": M.r2_score(yt, yp)}
        if "length" in spec:
            out["lengthBuckets"] = length_buckets(data, spec, yt, yp, regression=True)
        return out
    if task == "language-model":
        v = data[spec["column"]].astype(float)
        nll = -v if spec["kind"] == "logprob" else v
        ce = float(np.mean(nll))
        out = {"task": task, "n": len(v), "crossEntropy": ce, "perplexity": math.exp(ce)}
        if "sequence" in spec:
            out.update(language_model_buckets(data[spec["sequence"]], np.asarray(nll), spec))
        return out

    y_true = data.get("y_true", data.get("label", data.get("target")))
    classes = spec.get("classes")
    P = None
    if classes is not None:
        if "matrix" in spec:
            P = data[spec["matrix"]].astype(float)
        else:
            P = np.column_stack([data[f"{spec['prob_prefix']}{c}"] for c in classes]).astype(float)
        if spec.get("logits"):
            P = softmax(P)
    score = data[spec["score"]].astype(float) if "score" in spec else None

    pos = None
    if score is not None:
        present = sorted(set(y_true.tolist()) | (set(data["y_pred"].tolist()) if "y_pred" in data else set()))
        pos = present[-1] if len(present) >= 2 else (1 if present[0] == 0 else present[0])
    if P is not None and len(classes) == 2:
        pos = spec["binary_positive"]
        score = P[:, classes.index(pos)]

    derive = spec.get("derive")
    if derive == "argmax":
        y_pred = np.array(classes)[P.argmax(axis=1)]
    elif derive is not None:
        neg = [c for c in (classes or [0, 1]) if c != pos][0]
        y_pred = np.where(score >= derive, pos, neg)
    else:
        y_pred = data.get("y_pred", data.get("prediction", data.get("predicted")))

    labels = sorted(set(y_true.tolist()) | set(y_pred.tolist()) | set(classes or []))
    p, r, f, s = M.precision_recall_fscore_support(y_true, y_pred, labels=labels)
    avg = {}
    for mode in ["macro", "micro", "weighted"]:
        ap, ar, af, _ = M.precision_recall_fscore_support(y_true, y_pred, labels=labels, average=mode)
        avg[mode] = {"precision": ap, "recall": ar, "f1": af}
    out = {
        "task": "classification",
        "n": len(y_true),
        "labels": labels,
        "confusionMatrix": M.confusion_matrix(y_true, y_pred, labels=labels),
        "accuracy": M.accuracy_score(y_true, y_pred),
        "balancedAccuracy": M.balanced_accuracy_score(y_true, y_pred),
        "mcc": M.matthews_corrcoef(y_true, y_pred),
        "kappa": M.cohen_kappa_score(y_true, y_pred),
        "perClass": [{"label": l, "precision": p[i], "recall": r[i], "f1": f[i], "support": s[i]} for i, l in enumerate(labels)],
        **avg,
    }
    if "length" in spec:
        out["lengthBuckets"] = length_buckets(data, spec, y_true, y_pred)
    if score is not None:
        yb = (y_true == pos).astype(int)
        roc, pr = curve_entry(pos, yb, score)
        out.update({
            "threshold": derive if isinstance(derive, float) else None,
            "rocAuc": binary_auc(yb, score),
            "averagePrecision": M.average_precision_score(yb, score),
            "logLoss": (M.log_loss(y_true, P, labels=classes) if P is not None
                        else M.log_loss(yb, score, labels=[0, 1]) if score.min() >= 0 and score.max() <= 1 else float("nan")),
            "curves": {"roc": [roc], "pr": [pr]},
        })
        if len(y_true) <= SWEEP_LIMIT:
            out["sweep"] = sweep_of(yb, score)
        if score.min() >= 0 and score.max() <= 1:
            if P is not None:
                cal_classes, cal_P = classes, P
            else:
                present = sorted(set(y_true.tolist()))
                neg = [c for c in (present if len(present) > 1 else [0, 1]) if c != pos][0]
                cal_classes = sorted([neg, pos])
                cal_P = np.column_stack([score if c == pos else 1 - score for c in cal_classes])
            truth_column = np.array([cal_classes.index(t) if t in cal_classes else -1 for t in y_true.tolist()])
            out["calibration"] = calibration_of(cal_classes, cal_P, truth_column, [cal_classes.index(pos)], spec.get("bins", 10))
    elif P is not None:
        Y = label_binarize(y_true, classes=classes)
        try:
            auc = M.roc_auc_score(y_true, P, multi_class="ovr", labels=classes)
        except ValueError:
            auc = float("nan")  # a class absent from y_true: scikit-learn refuses, we report NaN
        rocs, prs = zip(*[curve_entry(c, Y[:, k], P[:, k]) for k, c in enumerate(classes)])
        out.update({
            "threshold": None,
            "rocAuc": auc,
            "averagePrecision": M.average_precision_score(Y, P, average="macro"),
            "logLoss": M.log_loss(y_true, P, labels=classes),
            "curves": {"roc": list(rocs), "pr": list(prs)},
            "calibration": calibration_of(classes, P, np.array([classes.index(t) for t in y_true.tolist()]), list(range(len(classes))), spec.get("bins", 10)),
        })
    return out


# ---------------------------------------------------------------- errors by sequence length

def nice_number(v):
    if not v > 1:
        return 1
    power = 10 ** math.floor(math.log10(v))
    return min([power, 2 * power, 5 * power, 10 * power], key=lambda c: (abs(c - v), c))


def length_buckets(data, spec, y_true=None, y_pred=None, regression=False):
    column, kind = spec["length"]
    lengths = np.array([len(str(t).split()) for t in data[column]] if kind == "text" else data[column], dtype=float)
    if "edges" in spec:
        edges = sorted(spec["edges"])
    else:
        edges = sorted({e for e in (nice_number(np.quantile(lengths, q)) for q in (0.2, 0.4, 0.6, 0.8)) if lengths.min() <= e < lengths.max()})
    bucket = pd.cut(lengths, bins=[-np.inf, *edges, np.inf], right=True, labels=False)
    buckets = []
    for b in range(len(edges) + 1):
        rows = bucket == b
        entry = {"above": None if b == 0 else edges[b - 1], "upTo": None if b == len(edges) else edges[b], "count": int(rows.sum())}
        if regression:
            entry.update({"mse": M.mean_squared_error(y_true[rows], y_pred[rows]) if rows.any() else float("nan"),
                          "mae": M.mean_absolute_error(y_true[rows], y_pred[rows]) if rows.any() else float("nan")})
        else:
            entry.update({"accuracy": M.accuracy_score(y_true[rows], y_pred[rows]) if rows.any() else float("nan"),
                          "macroF1": M.f1_score(y_true[rows], y_pred[rows], average="macro") if rows.any() else float("nan")})
        buckets.append(entry)
    longest = lengths.max()
    return {"edges": edges, "edgesGiven": "edges" in spec, "buckets": buckets, "unknown": 0,
            "maxLength": longest, "atMax": int((lengths == longest).sum())}


def language_model_buckets(sequence, nll, spec):
    """Sequences grouped by their number of tokens; each bucket's mean NLL over its tokens and exp of it."""
    frame = pd.DataFrame({"sequence": pd.Series(sequence).astype(str).str.strip(), "nll": nll})
    named = frame[(frame["sequence"] != "") & (frame["sequence"] != "nan")]
    lengths = named.groupby("sequence", sort=False).size().astype(float)
    if "edges" in spec:
        edges = sorted(spec["edges"])
    else:
        edges = sorted({e for e in (nice_number(np.quantile(lengths, q)) for q in (0.2, 0.4, 0.6, 0.8)) if lengths.min() <= e < lengths.max()})
    bucket_of_sequence = pd.Series(pd.cut(lengths.to_numpy(), bins=[-np.inf, *edges, np.inf], right=True, labels=False), index=lengths.index)
    token_bucket = named["sequence"].map(bucket_of_sequence).to_numpy()
    buckets = []
    for b in range(len(edges) + 1):
        tokens = named["nll"].to_numpy()[token_bucket == b]
        mean = float(np.mean(tokens)) if len(tokens) else float("nan")
        buckets.append({"above": None if b == 0 else edges[b - 1], "upTo": None if b == len(edges) else edges[b],
                        "count": int((bucket_of_sequence == b).sum()), "tokens": len(tokens),
                        "crossEntropy": mean, "perplexity": math.exp(mean) if len(tokens) else float("nan")})
    longest = lengths.max()
    return {"sequences": len(lengths), "lengthBuckets": {
        "edges": edges, "edgesGiven": "edges" in spec, "buckets": buckets, "unknown": int(len(frame) - len(named)),
        "maxLength": longest, "atMax": int((lengths == longest).sum())}}


# ---------------------------------------------------------------- calibration

EPS = np.finfo(np.float64).eps


def reliability(yb, p, bins):
    """calibration_curve's bins, with the counts and the ECE and MCE computed from them."""
    from sklearn.calibration import calibration_curve
    prob_true, prob_pred = calibration_curve(yb, p, n_bins=bins, strategy="uniform")
    edges = np.linspace(0.0, 1.0, bins + 1)
    totals = np.bincount(np.searchsorted(edges[1:-1], p), minlength=bins)
    nonzero = np.nonzero(totals)[0]
    counts = totals[nonzero]
    gaps = np.abs(prob_pred - prob_true)
    return {"probTrue": prob_true, "probPred": prob_pred, "counts": counts, "binIndex": nonzero,
            "ece": float(np.sum(counts / len(p) * gaps)), "mce": float(gaps.max())}


def temperature_by_torch(logits, truth):
    """Temperature scaling fitted with PyTorch's LBFGS on the mean cross-entropy of logits / T."""
    import torch
    import torch.nn.functional as F
    z = torch.tensor(logits, dtype=torch.float64)
    y = torch.tensor(truth, dtype=torch.long)
    t = torch.ones(1, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.LBFGS([t], lr=1, max_iter=1000, tolerance_grad=1e-13, tolerance_change=1e-16, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(z / t, y)
        loss.backward()
        return loss

    optimizer.step(closure)
    temperature = float(t.detach())
    with torch.no_grad():
        at = lambda T: float(F.cross_entropy(z / T, y))
        # No finite minimum in [1e-4, 1e4] (separable data, or scores that carry no signal): the loss
        # keeps falling towards an end, wherever LBFGS stopped.
        if not 1e-4 < temperature < 1e4 or at(1e-4) < at(temperature) or at(1e4) < at(temperature):
            return None, None, None, None
    with torch.no_grad():
        before = float(F.cross_entropy(z, y))
        after = float(F.cross_entropy(z / temperature, y))
        scaled = torch.softmax(z / temperature, dim=1).numpy()
    return temperature, before, after, scaled


def calibration_of(classes, P, truth_column, scored, bins):
    """classes and P's columns in sorted order; truth_column: the true class's column per row."""
    per_class = []
    for c in scored:
        yb = (truth_column == c).astype(int)
        per_class.append({"label": classes[c], **reliability(yb, P[:, c], bins), "brier": M.brier_score_loss(yb, P[:, c])})
    out = {"bins": bins, "perClass": per_class}
    if P.shape[1] < 2:
        return {**out, "topLabel": None, "temperature": None}
    confidence = P.max(axis=1)
    correct = (P.argmax(axis=1) == truth_column).astype(int)
    top = {**reliability(correct, confidence, bins), "meanConfidence": float(confidence.mean()), "accuracy": float(correct.mean())}
    logits = np.log(np.maximum(P, EPS))
    temperature, before, after, scaled = temperature_by_torch(logits, truth_column)
    if temperature is None:
        import torch
        before = float(torch.nn.functional.cross_entropy(torch.tensor(logits), torch.tensor(truth_column)))
        return {**out, "topLabel": top, "temperature": {"temperature": None, "nllBefore": before, "nllAfter": float("nan"),
                                                        "eceAfter": float("nan"), "fittedOnThisData": True}}
    scaled_correct = (scaled.argmax(axis=1) == truth_column).astype(int)
    return {**out, "topLabel": top, "temperature": {
        "temperature": temperature, "nllBefore": before, "nllAfter": after,
        "eceAfter": reliability(scaled_correct, scaled.max(axis=1), bins)["ece"], "fittedOnThisData": True}}


# ---------------------------------------------------------------- compare

def differences(expected, actual, path="", tol=1e-12):
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            return [f"{path}: keys {sorted(expected)} != {sorted(actual) if isinstance(actual, dict) else actual}"]
        return [d for k in expected for d in differences(expected[k], actual[k], f"{path}.{k}", tol)]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return [f"{path}: length {len(expected)} != {len(actual) if isinstance(actual, list) else actual}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]", tol)]
    if isinstance(expected, float) and isinstance(actual, (int, float)) and not isinstance(actual, bool):
        return [] if abs(expected - actual) <= tol * max(1.0, abs(expected)) else [f"{path}: {expected!r} != {actual!r}"]
    return [] if expected == actual else [f"{path}: {expected!r} != {actual!r}"]


def main(argv):
    update = "--update" in argv
    os.makedirs(FIXTURES, exist_ok=True)
    passed = failed = 0
    for name, (data, ext, options, spec) in case_frames().items():
        golden_path = os.path.join(FIXTURES, f"{name}.expected.json")
        if update:
            path = write_file(name, data, ext)
            expected = clean(expected_for(load_file(path, ext), spec))
            golden = {"file": os.path.basename(path), "options": options, "sklearn": sklearn.__version__, "expected": expected}
            with open(golden_path, "w") as f:
                json.dump(golden, f, indent=1)
                f.write("\n")
            passed += 1
            continue
        try:
            with open(golden_path) as f:
                golden = json.load(f)
            actual = clean(expected_for(load_file(fixture_path(name, ext), ext), spec))
            diffs = differences(golden["expected"], actual)
        except Exception as error:  # a missing or unreadable fixture is a failure, not a crash
            diffs = [f"{type(error).__name__}: {error}"]
        if diffs:
            failed += 1
            print(f"FAIL {name}")
            for d in diffs[:10]:
                print(f"  {d}")
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
