#!/usr/bin/env python3
"""Golden values for sequence labelling (entity-level scores as seqeval 1.2.2 computes them).

    /usr/bin/python3 test/oracle/sequence_oracle.py --update   # regenerate the tagged files and goldens
    /usr/bin/python3 test/oracle/sequence_oracle.py --check    # (default) recompute every golden, fail on any difference

The entity scores come from this file's own reference implementation of seqeval's two modes
(`default_entities`, `strict_entities` below, written from seqeval's documented behaviour, not
copied from it). When seqeval itself is importable (it is not packaged for Debian; put a checkout
on PYTHONPATH), both --update and --check also run it and fail on any disagreement, so the goldens
are seqeval's figures. Token accuracy and the tag confusion matrix come from scikit-learn.

The generated files hold more than 1,000 sentences, drawn from every scheme's prefixes at random,
so every ill-formed case (I- with no B-, E- with no I-, L- after O, a type change mid-entity, …)
occurs many times, plus a file of tags no scheme knows (bare B, '.', O-PER, astral letters).
The mocha tests in test/unit/evaluation/sequence-*.test.ts hold the engine to these goldens.
"""
import json
import math
import os
import random
import sys
import warnings

from sklearn.metrics import accuracy_score, confusion_matrix

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.normpath(os.path.join(HERE, "..", "fixtures", "sequence"))
warnings.simplefilter("ignore")

# ---------------------------------------------------------------- the reference

def first_and_rest(tag):
    # Python indexes by code point already.
    return tag[0], tag[1:]


def default_entities(sentences):
    """conlleval's reading (seqeval's default mode): a set of (type, start, end) over a flat index.

    Sentences are joined with one 'O' between each and one after the last. The state before the
    first token is prefix 'O' with an empty type, which no tag's type can equal."""
    flat = []
    for sentence in sentences:
        flat.extend(sentence)
        flat.append("O")
    found = set()
    last_prefix, last_type, opened = "O", "", 0
    for position, tag in enumerate(flat + ["O"]):
        prefix, rest = first_and_rest(tag)
        kind = rest.split("-", 1)[-1] or "_"
        closes = (
            last_prefix in ("E", "S")
            or (last_prefix in ("B", "I") and prefix in ("B", "S", "O"))
            or (last_prefix not in ("O", ".") and last_type != kind)
        )
        opens = (
            prefix in ("B", "S")
            or (last_prefix in ("E", "S", "O") and prefix in ("E", "I"))
            or (prefix not in ("O", ".") and last_type != kind)
        )
        if closes:
            found.add((last_type, opened, position - 1))
        if opens:
            opened = position
        last_prefix, last_type = prefix, kind
    return found


# Strict mode: per scheme, which prefixes are allowed and the (previous, current, type) rules that
# start, continue and end an entity. '*' is any prefix; type is 'same', 'diff' or 'any'.
RULES = {
    "IOB1": ("IOB",
             "O>I:any I>I:diff B>I:any I>B:same B>B:same",
             "B>I:same I>I:same",
             "I>I:diff I>O:any I>B:any B>O:any B>I:diff B>B:same"),
    "IOE1": ("IOE",
             "O>I:any I>I:diff E>I:any E>E:same",
             "I>I:same I>E:same",
             "I>I:diff I>O:any I>E:diff E>I:same E>E:same"),
    "IOB2": ("IOB",
             "*>B:any",
             "B>I:same I>I:same",
             "I>O:any I>I:diff I>B:any B>O:any B>I:diff B>B:any"),
    "IOE2": ("IOE",
             "O>I:any O>E:any E>I:any E>E:any I>I:diff I>E:diff",
             "I>E:same I>I:same",
             "E>*:any"),
    "IOBES": ("IOBES",
              "*>B:any *>S:any",
              "B>I:same B>E:same I>I:same I>E:same",
              "S>*:any E>*:any"),
    "BILOU": ("BILOU",
              "*>B:any *>U:any",
              "B>I:same B>L:same I>I:same I>L:same",
              "U>*:any L>*:any"),
}


def parse_rules(text):
    rules = []
    for item in text.split():
        pair, cond = item.split(":")
        prev, cur = pair.split(">")
        rules.append((prev, cur, cond))
    return rules


def rule_holds(rules, prev, cur):
    (pp, pt), (cp, ct) = prev, cur
    for rp, rc, cond in rules:
        if rp not in ("*", pp) or rc not in ("*", cp):
            continue
        if cond == "any" or (cond == "same") == (pt == ct):
            return True
    return False


class StrictError(ValueError):
    pass


def strict_token(tag, allowed):
    prefix, rest = first_and_rest(tag)
    if prefix not in allowed:
        raise StrictError(tag)
    return prefix, rest.strip("-") or "_"


def strict_entities(sentences, scheme):
    allowed, start, inside, end = RULES[scheme]
    start, inside, end = parse_rules(start), parse_rules(inside), parse_rules(end)
    found = set()
    for number, sentence in enumerate(sentences):
        tokens = [strict_token(t, allowed) for t in sentence] + [("O", "_")]
        i, prev = 0, ("O", "_")
        while i < len(tokens):
            if rule_holds(start, prev, tokens[i]):
                j = i + 1
                while rule_holds(inside, tokens[j - 1], tokens[j]):
                    j += 1
                if rule_holds(end, tokens[j - 1], tokens[j]):
                    found.add((tokens[i][1], number, i, j))
                i = j
            else:
                i += 1
            prev = tokens[i - 1]
    return found


def detect_scheme(sentences):
    prefixes = {first_and_rest(t)[0] for s in sentences for t in s}
    table = [
        ("IOB2", ["IOB", "IB", "BO", "B"]),
        ("IOE2", ["IOE", "IE", "EO", "E"]),
        ("IOBES", ["IOBES", "IBES", "IOBE", "OBES", "IBE", "BES", "OBE", "BE", "S"]),
        ("BILOU", ["IOBLU", "IBLU", "IOBL", "OBLU", "IBL", "BLU", "OBL", "BL", "U"]),
    ]
    for name, sets in table:
        if any(prefixes == set(s) for s in sets):
            return name
    raise StrictError(f"no scheme for prefixes {sorted(prefixes)}")


def scores(gold, predicted):
    """Per type and averaged precision, recall, F1 and support from two entity sets (type first)."""
    kinds = sorted({e[0] for e in gold} | {e[0] for e in predicted})
    rows = []
    for kind in kinds:
        g = {e for e in gold if e[0] == kind}
        p = {e for e in predicted if e[0] == kind}
        tp = len(g & p)
        precision = tp / len(p) if p else 0.0
        recall = tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        rows.append({"type": kind, "precision": precision, "recall": recall, "f1": f1, "support": len(g),
                     "predicted": len(p), "correct": tp})
    support = sum(r["support"] for r in rows)
    tp = sum(r["correct"] for r in rows)
    pred = sum(r["predicted"] for r in rows)
    mp = tp / pred if pred else 0.0
    mr = tp / support if support else 0.0
    micro = {"precision": mp, "recall": mr, "f1": 2 * mp * mr / (mp + mr) if mp + mr else 0.0, "support": support}
    mean = lambda key: sum(r[key] for r in rows) / len(rows) if rows else float("nan")
    macro = {"precision": mean("precision"), "recall": mean("recall"), "f1": mean("f1"), "support": support}
    wmean = lambda key: sum(r[key] * r["support"] for r in rows) / support if support else 0.0
    weighted = {"precision": wmean("precision"), "recall": wmean("recall"), "f1": wmean("f1"), "support": support}
    return rows, micro, macro, weighted


def type_confusion(gold, predicted):
    """Gold entities against predicted ones on exactly the same tokens; the last row and column are 'no entity'."""
    span = lambda e: e[1:]
    gold_by_span = {span(e): e[0] for e in gold}
    pred_by_span = {span(e): e[0] for e in predicted}
    kinds = sorted({e[0] for e in gold} | {e[0] for e in predicted})
    index = {k: i for i, k in enumerate(kinds)}
    none = len(kinds)
    matrix = [[0] * (none + 1) for _ in range(none + 1)]
    covered = set()
    for e in predicted:
        covered.update(token_range(e))
    boundary = 0
    for s, kind in gold_by_span.items():
        if s in pred_by_span:
            matrix[index[kind]][index[pred_by_span[s]]] += 1
        else:
            matrix[index[kind]][none] += 1
            if covered & set(token_range((kind,) + s)):
                boundary += 1
    for s, kind in pred_by_span.items():
        if s not in gold_by_span:
            matrix[none][index[kind]] += 1
    return {"types": kinds, "matrix": matrix, "boundaryErrors": boundary}


def token_range(entity):
    if len(entity) == 3:  # default mode: (type, start, end inclusive) over the flat index
        return [(entity[1], t) for t in range(entity[1], entity[2] + 1)] and [t for t in range(entity[1], entity[2] + 1)]
    _, sentence, start, end = entity  # strict: (type, sentence, start, end exclusive)
    return [(sentence, t) for t in range(start, end)]


def evaluate(sentences_true, sentences_pred, mode, scheme):
    if mode == "strict":
        scheme = scheme or detect_scheme(sentences_true)
        gold, predicted = strict_entities(sentences_true, scheme), strict_entities(sentences_pred, scheme)
    else:
        gold, predicted = default_entities(sentences_true), default_entities(sentences_pred)
    rows, micro, macro, weighted = scores(gold, predicted)
    flat_true = [t for s in sentences_true for t in s]
    flat_pred = [t for s in sentences_pred for t in s]
    labels = sorted(set(flat_true) | set(flat_pred))
    return {
        "n": len(flat_true),
        "sentences": len(sentences_true),
        "scheme": scheme if mode == "strict" else None,
        "tokenAccuracy": accuracy_score(flat_true, flat_pred),
        "entities": {"perType": rows, "micro": micro, "macro": macro, "weighted": weighted,
                     "confusion": type_confusion(gold, predicted)},
        "tags": {"labels": labels, "confusion": confusion_matrix(flat_true, flat_pred, labels=labels).tolist()},
    }


# ---------------------------------------------------------------- seqeval itself, when available

def seqeval_figures(sentences_true, sentences_pred, mode, scheme):
    """The same entity figures from seqeval 1.2.2, or None when it is not importable."""
    try:
        import seqeval.metrics.sequence_labeling as SM
        import seqeval.metrics.v1 as V1
        import seqeval.scheme as SS
        from seqeval.metrics.sequence_labeling import get_entities
    except ImportError:
        return None
    if mode == "strict":
        scheme_class = getattr(SS, scheme) if scheme else SS.auto_detect(sentences_true)
        prfs = lambda average: V1.precision_recall_fscore_support(sentences_true, sentences_pred, average=average, scheme=scheme_class)
        kinds = sorted(SS.Entities(sentences_true, scheme_class).unique_tags | SS.Entities(sentences_pred, scheme_class).unique_tags)
    else:
        prfs = lambda average: SM.precision_recall_fscore_support(sentences_true, sentences_pred, average=average)
        kinds = sorted({e[0] for e in get_entities(sentences_true)} | {e[0] for e in get_entities(sentences_pred)})
    p, r, f, s = prfs(None)
    rows = [{"type": k, "precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(s[i])} for i, k in enumerate(kinds)]
    averages = {}
    for average in ("micro", "macro", "weighted"):
        ap, ar, af, support = prfs(average)
        averages[average] = {"precision": float(ap), "recall": float(ar), "f1": float(af), "support": int(support)}
    return {"perType": rows, **averages, "tokenAccuracy": SM.accuracy_score(sentences_true, sentences_pred)}


def disagreements_with_seqeval(sentences_true, sentences_pred, mode, scheme, expected):
    figures = seqeval_figures(sentences_true, sentences_pred, mode, scheme)
    if figures is None:
        return None
    mine = {"perType": [{k: r[k] for k in ("type", "precision", "recall", "f1", "support")} for r in expected["entities"]["perType"]],
            "micro": expected["entities"]["micro"], "macro": expected["entities"]["macro"],
            "weighted": expected["entities"]["weighted"], "tokenAccuracy": expected["tokenAccuracy"]}
    return differences(figures, mine, ".seqeval")


# ---------------------------------------------------------------- generated files

TYPES = ["PER", "LOC", "ORG", "MISC"]
PREFIXES = {"IOB1": "IOB", "IOB2": "IOB", "IOE1": "IOE", "IOE2": "IOE", "IOBES": "IOBES", "BILOU": "BILOU"}


def random_tag(r, prefixes):
    prefix = r.choice(prefixes)
    return "O" if prefix == "O" or r.random() < 0.35 else f"{prefix}-{r.choice(TYPES)}"


def mutate(r, tags, prefixes, rate):
    out = []
    for tag in tags:
        if r.random() < rate:
            roll = r.random()
            if roll < 0.3:
                tag = "O"
            elif roll < 0.6 and tag != "O":
                tag = f"{tag[0]}-{r.choice(TYPES)}"
            elif roll < 0.85 and tag != "O":
                tag = f"{r.choice([p for p in prefixes if p != 'O'])}{tag[1:]}"
            else:
                tag = random_tag(r, prefixes)
        out.append(tag)
    return out


def well_formed_iob2(r, length):
    tags = []
    while len(tags) < length:
        if r.random() < 0.6:
            tags.append("O")
        else:
            kind = r.choice(TYPES)
            span = min(length - len(tags), r.choice([1, 1, 2, 2, 3, 4]))
            tags += [f"B-{kind}"] + [f"I-{kind}"] * (span - 1)
    return tags


WILD = ["O", "B", "I", "E", "S", ".", "X-PER", "B-PER-X", "O-PER", "BPER", "I-", "E-", "B-ÉTÉ", "I-ÉTÉ", "\U0001d538-PER",
        "L-PER", "U-PER", "B-PER", "I-PER", "E-PER", "S-LOC", "B--X", "I--X", ".-PER", "NN", "VB"]


def generate():
    """name -> (format, sentences of (token, gold, predicted), goldens [(mode, scheme)])."""
    cases = {}
    for seed, scheme in enumerate(["IOB1", "IOB2", "IOE1", "IOE2", "IOBES", "BILOU"], start=1):
        r = random.Random(1000 + seed)
        prefixes = PREFIXES[scheme] + "O"
        sentences = []
        for _ in range(250):
            length = r.choice([0, 1, 2, 3, 5, 8, 13, 21]) if r.random() < 0.1 else r.randint(1, 25)
            gold = [random_tag(r, prefixes) for _ in range(length)]
            pred = mutate(r, gold, prefixes, 0.25)
            sentences.append([(f"w{i}", g, p) for i, (g, p) in enumerate(zip(gold, pred))])
        fmt = "conll" if seed % 2 else "jsonl"
        cases[f"random_{scheme.lower()}"] = (fmt, sentences, [("default", None), ("strict", scheme)])

    r = random.Random(7)
    sentences = []
    for _ in range(300):
        gold = well_formed_iob2(r, r.randint(3, 30))
        pred = mutate(r, gold, "IOB", 0.08)
        sentences.append([(f"tok{i}", g, p) for i, (g, p) in enumerate(zip(gold, pred))])
    cases["well_formed_iob2"] = ("conll", sentences, [("default", None), ("strict", "IOB2"), ("strict", None)])

    r = random.Random(8)
    sentences = []
    for _ in range(200):
        length = r.randint(1, 15)
        sentences.append([(f"t{i}", r.choice(WILD), r.choice(WILD)) for i in range(length)])
    cases["wild_tags"] = ("jsonl", sentences, [("default", None)])

    r = random.Random(9)
    sentences = [[(f"t{i}", "O", "O") for i in range(r.randint(1, 6))] for _ in range(20)]
    cases["no_entities"] = ("conll", sentences, [("default", None), ("strict", "IOB2")])
    return cases


def write_fixture(name, fmt, sentences):
    path = os.path.join(FIXTURES, f"{name}.{fmt}")
    with open(path, "w", encoding="utf-8") as f:
        if fmt == "conll":
            for sentence in sentences:
                if not sentence:
                    continue  # CoNLL has no empty sentence
                for token, gold, pred in sentence:
                    f.write(f"{token} {gold} {pred}\n")
                f.write("\n")
        else:
            for sentence in sentences:
                f.write(json.dumps({"tokens": [t for t, _, _ in sentence], "tags": [g for _, g, _ in sentence],
                                    "predictions": [p for _, _, p in sentence]}, ensure_ascii=False) + "\n")
    return path


def read_fixture(path):
    """(gold sentences, predicted sentences) as a seqeval user would load them."""
    gold, pred = [], []
    with open(path, encoding="utf-8") as f:
        if path.endswith(".conll"):
            g, p = [], []
            for line in f:
                fields = line.split()
                if not fields:
                    if g:
                        gold.append(g), pred.append(p)
                    g, p = [], []
                    continue
                g.append(fields[-2]), p.append(fields[-1])
            if g:
                gold.append(g), pred.append(p)
        else:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    gold.append(record["tags"]), pred.append(record["predictions"])
    return gold, pred


# ---------------------------------------------------------------- compare

def clean(value):
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean(v) for v in value]
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if hasattr(value, "item"):
        return clean(value.item())
    return value


def differences(expected, actual, path="", tol=1e-12):
    if isinstance(expected, dict):
        if not isinstance(actual, dict) or set(expected) != set(actual):
            return [f"{path}: keys {sorted(expected)} != {sorted(actual) if isinstance(actual, dict) else actual}"]
        return [d for k in expected for d in differences(expected[k], actual[k], f"{path}.{k}", tol)]
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(expected) != len(actual):
            return [f"{path}: length {len(expected)} != {len(actual) if isinstance(actual, list) else actual}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]", tol)]
    if isinstance(expected, float) and isinstance(actual, (int, float)):
        if math.isnan(expected):
            return [] if isinstance(actual, float) and math.isnan(actual) else [f"{path}: nan != {actual!r}"]
        return [] if abs(expected - actual) <= tol * max(1.0, abs(expected)) else [f"{path}: {expected!r} != {actual!r}"]
    return [] if expected == actual else [f"{path}: {expected!r} != {actual!r}"]


def golden_name(name, mode, scheme):
    return f"{name}.{mode}{'-' + scheme.lower() if scheme else ('-detected' if mode == 'strict' else '')}.expected.json"


def main(argv):
    update = "--update" in argv
    os.makedirs(FIXTURES, exist_ok=True)
    passed = failed = 0
    sentences_total = 0
    seqeval_checked = 0
    for name, (fmt, sentences, goldens) in generate().items():
        path = os.path.join(FIXTURES, f"{name}.{fmt}")
        if update:
            write_fixture(name, fmt, sentences)
        gold, pred = read_fixture(path)
        sentences_total += len(gold)
        for mode, scheme in goldens:
            golden_path = os.path.join(FIXTURES, golden_name(name, mode, scheme))
            problems = []
            try:
                expected = evaluate(gold, pred, mode, scheme)
                against_seqeval = disagreements_with_seqeval(gold, pred, mode, scheme, expected)
                if against_seqeval is not None:
                    seqeval_checked += 1
                    problems += against_seqeval
                if update:
                    if not problems:
                        with open(golden_path, "w", encoding="utf-8") as f:
                            json.dump({"file": os.path.basename(path), "options": {"mode": mode, **({"scheme": scheme} if scheme else {})},
                                       "checkedWith": "seqeval 1.2.2" if against_seqeval is not None else None,
                                       "expected": clean(expected)}, f, indent=1, ensure_ascii=False)
                            f.write("\n")
                else:
                    with open(golden_path, encoding="utf-8") as f:
                        golden = json.load(f)
                    problems += differences(golden["expected"], clean(expected))
            except Exception as error:  # a missing fixture or a reference failure is a failed case, not a crash
                problems.append(f"{type(error).__name__}: {error}")
            label = f"{name} ({mode}{' ' + scheme if scheme else ''})"
            if problems:
                failed += 1
                print(f"FAIL {label}")
                for p in problems[:10]:
                    print(f"  {p}")
            else:
                passed += 1
                print(f"ok   {label}")
    print(f"{passed} passed, {failed} failed; {sentences_total} sentences; seqeval itself compared on {seqeval_checked} cases")
    if sentences_total < 1000:
        print("FAIL fewer than 1,000 generated sentences")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
