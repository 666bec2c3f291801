#!/usr/bin/python3
"""The keyword arguments each PyTorch callee takes: the golden of SL162's table, measured in PyTorch 1.13.

src/analysis/ops/keyword-arguments.ts lists, for every callee SL162 knows, the keywords PyTorch 1.13 takes (`v113`) and
those later releases added (`later`, read from pytorch/pytorch's sources: NEWEST below). SL162 reports a keyword only
when it is in neither list. This script measures the 1.13 part and checks the table against PyTorch itself:

  * `v113` is what 1.13 takes: inspect.signature for Python callees (RNN/LSTM/GRU forward **kwargs to RNNBase), the
    argument parser's own list of overloads for C callees, plus the NumPy names the parser also takes (axis for dim,
    keepdims for keepdim, x/a/x1 for input, x2 for other);
  * every `v113` keyword is accepted: a call naming it does not raise "unexpected keyword argument" (Python callees)
    or is accepted by the parser with a value of its type (C callees);
  * a keyword outside the table raises TypeError: every keyword the unit tests use, the `later` ones, and random names;
  * `reserved` keywords (a parameter the callee fills itself) raise "got multiple values".

    /usr/bin/python3 test/oracle/keyword_args.py --check    # CI: measure again and compare with the table
    /usr/bin/python3 test/oracle/keyword_args.py --update   # rewrite the table's data from the measurement
"""

import argparse
import inspect
import os
import random
import re
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TABLE = os.path.join(ROOT, "src", "analysis", "ops", "keyword-arguments.ts")
BEGIN = "// <keyword-table>"
END = "// </keyword-table>"

X = torch.randn(2, 4)

# Layers: the class and the positional arguments of a valid construction.
LAYERS = {
    "torch.nn.RNN": (nn.RNN, (3, 4)),
    "torch.nn.LSTM": (nn.LSTM, (3, 4)),
    "torch.nn.GRU": (nn.GRU, (3, 4)),
    "torch.nn.RNNCell": (nn.RNNCell, (3, 4)),
    "torch.nn.LSTMCell": (nn.LSTMCell, (3, 4)),
    "torch.nn.GRUCell": (nn.GRUCell, (3, 4)),
    "torch.nn.Embedding": (nn.Embedding, (5, 3)),
    "torch.nn.Linear": (nn.Linear, (3, 4)),
    "torch.nn.Conv1d": (nn.Conv1d, (3, 4, 2)),
    "torch.nn.Conv2d": (nn.Conv2d, (3, 4, 2)),
    "torch.nn.Conv3d": (nn.Conv3d, (3, 4, 2)),
    "torch.nn.Dropout": (nn.Dropout, ()),
    "torch.nn.Dropout1d": (nn.Dropout1d, ()),
    "torch.nn.Dropout2d": (nn.Dropout2d, ()),
    "torch.nn.Dropout3d": (nn.Dropout3d, ()),
    "torch.nn.AlphaDropout": (nn.AlphaDropout, ()),
    "torch.nn.LayerNorm": (nn.LayerNorm, (4,)),
    "torch.nn.GroupNorm": (nn.GroupNorm, (2, 4)),
}
RECURRENT = {"torch.nn.RNN", "torch.nn.LSTM", "torch.nn.GRU"}

# Python functions of torch.nn.functional (in 1.13 and in the newest source read).
FUNCTIONAL = [
    "relu", "relu6", "elu", "selu", "leaky_relu", "hardtanh", "glu", "softmax", "log_softmax", "tanh", "sigmoid",
    "tanhshrink", "softsign", "silu", "mish", "dropout", "dropout1d", "alpha_dropout",
]

# C functions bound by PyTorch's argument parser: torch.<name> and, for METHODS, Tensor.<name>.
C_FUNCTIONS = [
    "softmax", "log_softmax", "sum", "mean", "max", "min", "argmax", "argmin", "std", "var", "prod", "logsumexp",
    "transpose", "squeeze", "unsqueeze", "topk", "sort", "argsort", "cat", "concat", "stack",
]
NOT_METHODS = {"cat", "concat", "stack"}
NUMPY_NAMES = {"dim": ["axis"], "keepdim": ["keepdims"], "input": ["x", "a", "x1"], "other": ["x2"]}

# What the newest PyTorch source read takes (pytorch/pytorch torch/nn/modules/rnn.py at e6f551aa; ROCm/pytorch, a
# fork following upstream main, at 10b22ea5 for torch/nn/modules/{sparse,linear,conv,dropout,normalization}.py,
# torch/nn/functional.py and aten/src/ATen/native/native_functions.yaml). `later` = these minus what 1.13 takes.
RNN_BASE = ["input_size", "hidden_size", "num_layers", "bias", "batch_first", "dropout", "bidirectional", "proj_size", "device", "dtype"]
CELL = ["input_size", "hidden_size", "bias", "device", "dtype"]
CONV = ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias", "padding_mode", "device", "dtype"]
DROPOUT = ["p", "inplace"]
NEWEST = {
    "torch.nn.RNN": RNN_BASE + ["nonlinearity"],
    "torch.nn.LSTM": RNN_BASE,
    "torch.nn.GRU": RNN_BASE,
    "torch.nn.RNNCell": CELL + ["nonlinearity"],
    "torch.nn.LSTMCell": CELL,
    "torch.nn.GRUCell": CELL,
    "torch.nn.Embedding": ["num_embeddings", "embedding_dim", "padding_idx", "max_norm", "norm_type", "scale_grad_by_freq", "sparse", "_weight", "_freeze", "device", "dtype"],
    "torch.nn.Linear": ["in_features", "out_features", "bias", "device", "dtype"],
    "torch.nn.Conv1d": CONV,
    "torch.nn.Conv2d": CONV,
    "torch.nn.Conv3d": CONV,
    "torch.nn.Dropout": DROPOUT,
    "torch.nn.Dropout1d": DROPOUT,
    "torch.nn.Dropout2d": DROPOUT,
    "torch.nn.Dropout3d": DROPOUT,
    "torch.nn.AlphaDropout": DROPOUT,
    "torch.nn.LayerNorm": ["normalized_shape", "eps", "elementwise_affine", "bias", "device", "dtype"],
    "torch.nn.GroupNorm": ["num_groups", "num_channels", "eps", "affine", "device", "dtype"],
    "torch.nn.functional.relu": ["input", "inplace"],
    "torch.nn.functional.relu6": ["input", "inplace"],
    "torch.nn.functional.elu": ["input", "alpha", "inplace"],
    "torch.nn.functional.selu": ["input", "inplace"],
    "torch.nn.functional.leaky_relu": ["input", "negative_slope", "inplace"],
    "torch.nn.functional.hardtanh": ["input", "min_val", "max_val", "inplace"],
    "torch.nn.functional.glu": ["input", "dim"],
    "torch.nn.functional.softmax": ["input", "dim", "_stacklevel", "dtype"],
    "torch.nn.functional.log_softmax": ["input", "dim", "_stacklevel", "dtype"],
    "torch.nn.functional.tanh": ["input"],
    "torch.nn.functional.sigmoid": ["input"],
    "torch.nn.functional.tanhshrink": ["input"],
    "torch.nn.functional.softsign": ["input"],
    "torch.nn.functional.silu": ["input", "inplace"],
    "torch.nn.functional.mish": ["input", "inplace"],
    "torch.nn.functional.dropout": ["input", "p", "training", "inplace"],
    "torch.nn.functional.dropout1d": ["input", "p", "training", "inplace"],
    "torch.nn.functional.alpha_dropout": ["input", "p", "training", "inplace"],
}
# native_functions.yaml: the parameter names of every overload (self is `input` for the function, bound for the
# method; out= only where an out variant exists, and out variants are functions).
C_NEWEST = {
    "softmax": ["input", "dim", "dtype"], "log_softmax": ["input", "dim", "dtype"],
    "sum": ["input", "dim", "keepdim", "dtype"], "mean": ["input", "dim", "keepdim", "dtype"], "prod": ["input", "dim", "keepdim", "dtype"],
    "max": ["input", "dim", "keepdim", "other"], "min": ["input", "dim", "keepdim", "other"],
    "argmax": ["input", "dim", "keepdim"], "argmin": ["input", "dim", "keepdim"],
    "std": ["input", "dim", "unbiased", "keepdim", "correction"], "var": ["input", "dim", "unbiased", "keepdim", "correction"],
    "logsumexp": ["input", "dim", "keepdim"], "transpose": ["input", "dim0", "dim1"], "squeeze": ["input", "dim"],
    "unsqueeze": ["input", "dim"], "topk": ["input", "k", "dim", "largest", "sorted"], "sort": ["input", "dim", "descending", "stable"],
    "argsort": ["input", "dim", "descending", "stable"], "cat": ["tensors", "dim"], "concat": ["tensors", "dim"], "stack": ["tensors", "dim"],
}
C_OUT = set(C_NEWEST) - {"transpose", "squeeze", "unsqueeze"}
for _name, _params in C_NEWEST.items():
    _function = _params + (["out"] if _name in C_OUT else [])
    NEWEST[f"torch.{_name}"] = _function
    if _name not in NOT_METHODS:
        NEWEST[f"Tensor.{_name}"] = [p for p in _params if p != "input"]

# Keywords no release takes, used by the unit tests and in real code: each must raise TypeError in 1.13.
REJECTED = {
    "torch.nn.LSTM": ["batch_frist", "dropout_rate", "mode"],
    "torch.nn.GRU": ["dropout_rate", "batch_frist"],
    "torch.nn.RNN": ["activation"],
    "torch.nn.Embedding": ["padding_index", "vocab_size"],
    "torch.nn.Linear": ["in_feature", "use_bias"],
    "torch.nn.Conv1d": ["kernal_size", "filters"],
    "torch.nn.Dropout": ["rate"],
    "torch.nn.LayerNorm": ["epsilon"],
    "torch.nn.functional.relu": ["dim"],
    "torch.nn.functional.softmax": ["axis"],
    "torch.nn.functional.log_softmax": ["axis"],
    "torch.nn.functional.dropout": ["rate"],
    "Tensor.softmax": ["dims"],
    "Tensor.sum": ["keep_dim"],
    "torch.sum": ["keep_dim"],
    "torch.cat": ["axes"],
    "Tensor.transpose": ["axis"],
}


def signature_names(fn):
    params = inspect.signature(fn).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params):
        raise ValueError(f"{fn} takes **kwargs")
    return [p.name for p in params if p.name != "self" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]


def parser_names(call):
    """The parameter names of every overload, from the argument parser's own error on an unknown keyword."""
    try:
        call(zzqx_not_a_keyword=1)
    except TypeError as e:
        message = str(e)
    else:
        raise AssertionError("an unknown keyword was accepted")
    names = []
    for line in message.splitlines():
        m = re.match(r"\s*\* \((.*)\)\s*$", line)
        if not m:
            continue
        for part in m.group(1).split(","):
            part = part.strip()
            if part and part != "*":
                name = part.split()[-1]
                if name not in names:
                    names.append(name)
    return names


def top_level_parts(text):
    """`a: X[b, c], d: Y` → ['a: X[b, c]', ' d: Y']: commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "[(":
            depth += 1
        elif ch in "])":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


STUBS = os.path.join(os.path.dirname(torch.__file__), "_C")


def stub_names(key):
    """The parameter names of every overload PyTorch's own stubs list (generated from the parser's declarations): for a
    C function of one overload, whose error on an unknown keyword names none."""
    method = key.startswith("Tensor.")
    name = key.split(".", 1)[1]
    path = os.path.join(STUBS, "__init__.pyi" if method else "_VariableFunctions.pyi")
    pattern = re.compile((r"^    def " if method else r"^def ") + re.escape(name) + r"\((.*)\) -> ")
    names = []
    with open(path) as f:
        for line in f:
            m = pattern.match(line)
            if not m:
                continue
            for part in top_level_parts(m.group(1)):
                part = part.strip()
                if not part or part == "*" or part.startswith("*"):
                    continue
                param = part.split(":")[0].split("=")[0].strip()
                if param != "self" and param not in names:
                    names.append(param)
    return names


def callable_of(key):
    if key.startswith("Tensor."):
        return lambda **kw: getattr(X, key[7:])(**kw)
    if key.startswith("torch.nn.functional."):
        return getattr(F, key[20:])
    return getattr(torch, key[6:])


def is_python(key):
    if key in LAYERS:
        return True
    fn = callable_of(key) if not key.startswith("Tensor.") else getattr(torch.Tensor, key[7:])
    return inspect.isfunction(fn)


def measure(key):
    """What PyTorch 1.13 takes: (names, parser) with parser 'python' or 'c'."""
    if key in RECURRENT:
        names = [n for n in signature_names(nn.RNNBase.__init__) if n != "mode"]
        return names + (["nonlinearity"] if key == "torch.nn.RNN" else []), "python"
    if key in LAYERS:
        return signature_names(LAYERS[key][0].__init__), "python"
    if is_python(key):
        return signature_names(callable_of(key)), "python"
    fn = callable_of(key)
    first = [] if key.startswith("Tensor.") else ([[X, X]] if key[6:] in NOT_METHODS else [X])
    names = parser_names(lambda **kw: fn(*first, **kw))
    for name in stub_names(key):
        if name not in names:
            names.append(name)
    if not names:
        raise AssertionError(f"{key}: no parameters found")
    for name in list(names):
        for alias in NUMPY_NAMES.get(name, []):
            if alias not in names:
                names.append(alias)
    return names, "c"


def keys():
    out = list(LAYERS) + [f"torch.nn.functional.{n}" for n in FUNCTIONAL]
    for name in C_FUNCTIONS:
        out.append(f"torch.{name}")
        if name not in NOT_METHODS:
            out.append(f"Tensor.{name}")
    return out


def measured_table():
    rows = {}
    for key in keys():
        names, parser = measure(key)
        later = [n for n in NEWEST[key] if n not in names]
        reserved = ["mode"] if key in RECURRENT else []
        rows[key] = {"parser": parser, "v113": names, "later": later, "reserved": reserved}
    return rows


# ── acceptance in 1.13 ─────────────────────────────────────────────────────────────────────────────────────────────

def layer_call(key, name):
    cls, args = LAYERS[key]
    return lambda: cls(*args, **{name: None})


# A value of each C parameter's type, and what it needs beside it; `input` names the tensor, so no positional one.
C_VALUES = {
    "dim": 0, "axis": 0, "keepdim": True, "keepdims": True, "dtype": torch.float64, "out": None, "other": X,
    "x2": X, "dim0": 0, "dim1": 1, "unbiased": True, "correction": 1, "k": 1, "largest": True, "sorted": True,
    "descending": True, "stable": True, "tensors": [X, X],
}
C_NEEDS = {"keepdim": {"dim": 0}, "keepdims": {"dim": 0}, "out": {"dim": 0}, "correction": {"dim": 0}, "largest": {"k": 1}, "sorted": {"k": 1}}
# Parameters without a default: every call names them (1.13 checks them before it looks at an unknown keyword).
C_REQUIRED = {
    "transpose": {"dim0": 0, "dim1": 1}, "unsqueeze": {"dim": 0}, "topk": {"k": 1}, "softmax": {"dim": 0},
    "log_softmax": {"dim": 0}, "logsumexp": {"dim": 0},
}
INPUT_NAMES = {"input", "x", "a", "x1", "tensors"}


def c_call(key, name):
    op = key.split(".", 1)[1]
    kw = dict(C_REQUIRED.get(op, {}))
    kw.update(C_NEEDS.get(name, {}))
    if name in INPUT_NAMES:
        kw[name] = [X, X] if op in NOT_METHODS else X
    else:
        kw[name] = C_VALUES[name]
    if name == "axis":
        kw.pop("dim", None)
    if key.startswith("Tensor."):
        return lambda: getattr(X, op)(**kw)
    fn = getattr(torch, op)
    positional = [] if name in INPUT_NAMES else ([[X, X]] if op in NOT_METHODS else [X])
    return lambda: fn(*positional, **kw)


def functional_call(key, name):
    fn = callable_of(key)
    if name == "input":
        return lambda: fn(input=X)
    return lambda: fn(X, **{name: None if name not in ("dim", "p", "training") else {"dim": -1, "p": 0.5, "training": False}[name]})


def raised(call):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            call()
        except Exception as e:  # noqa: BLE001 - the kind and message are what is measured
            return e
    return None


def accepts(key, parser, name):
    """A call naming `name` is not refused for its name."""
    if parser == "python":
        call = layer_call(key, name) if key in LAYERS else functional_call(key, name)
        e = raised(call)
        return not (isinstance(e, TypeError) and "unexpected keyword argument" in str(e))
    e = raised(c_call(key, name))
    return e is None


def any_call(key, name):
    if key in LAYERS:
        return layer_call(key, name)
    fn = callable_of(key)
    op = key.split(".", 1)[1]
    kw = {**C_REQUIRED.get(op, {}), name: 0} if not key.startswith("torch.nn.") else {name: 0}
    if key.startswith("Tensor."):
        return lambda: fn(**kw)
    first = [[X, X]] if op in NOT_METHODS else [X]
    return lambda: fn(*first, **kw)


def check(table):
    problems = []
    measured = measured_table()
    if set(table) != set(measured):
        problems.append(f"callees differ: table has {sorted(set(table) ^ set(measured))} apart")
    rng = random.Random(20261206)
    for key, row in table.items():
        fresh = measured.get(key)
        if fresh is None:
            continue
        for field in ("parser", "v113", "later", "reserved"):
            if row[field] != fresh[field]:
                problems.append(f"{key}: {field} is {row[field]} in the table, PyTorch 1.13 measures {fresh[field]}")
        for name in row["v113"]:
            if not accepts(key, row["parser"], name):
                problems.append(f"{key}: 1.13 refuses {name}=, which the table lists as taken")
        for name in row["reserved"]:
            e = raised(any_call(key, name))
            if not (isinstance(e, TypeError) and "multiple values" in str(e)):
                problems.append(f"{key}: {name}= is reserved but 1.13 raised {e!r}")
        randoms = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz_") for _ in range(rng.randint(3, 12))) for _ in range(4)]
        outside = set(REJECTED.get(key, [])) | set(row["later"]) | set(randoms)
        for name in sorted(outside - set(row["v113"]) - set(row["reserved"])):
            e = raised(any_call(key, name))
            if not isinstance(e, TypeError):
                problems.append(f"{key}: {name}= is outside the table but 1.13 raised {e!r}")
            elif row["parser"] == "python" and f"unexpected keyword argument '{name}'" not in str(e):
                problems.append(f"{key}: {name}= raised another TypeError: {e}")
            elif row["parser"] == "c" and "invalid combination of arguments" not in str(e) and "unexpected keyword" not in str(e):
                problems.append(f"{key}: {name}= raised another TypeError: {e}")
    return problems


# ── the table file ─────────────────────────────────────────────────────────────────────────────────────────────────

ROW = re.compile(r"^\s*'([^']+)': \{ parser: '(\w+)', v113: \[([^\]]*)\], later: \[([^\]]*)\], reserved: \[([^\]]*)\] \},$")


def names_of(text):
    return [n.strip().strip("'") for n in text.split(",") if n.strip()]


def read_table():
    with open(TABLE) as f:
        source = f.read()
    body = source[source.index(BEGIN) + len(BEGIN):source.index(END)]
    rows = {}
    for line in body.splitlines():
        if not line.strip():
            continue
        m = ROW.match(line)
        if not m:
            raise SystemExit(f"keyword-arguments.ts: unreadable table line: {line!r}")
        rows[m.group(1)] = {"parser": m.group(2), "v113": names_of(m.group(3)), "later": names_of(m.group(4)), "reserved": names_of(m.group(5))}
    return source, rows


def write_table(rows):
    source, _ = read_table()
    quoted = lambda names: ", ".join(f"'{n}'" for n in names)  # noqa: E731
    lines = [f"  '{k}': {{ parser: '{r['parser']}', v113: [{quoted(r['v113'])}], later: [{quoted(r['later'])}], reserved: [{quoted(r['reserved'])}] }}," for k, r in rows.items()]
    head = source[:source.index(BEGIN) + len(BEGIN)]
    tail = source[source.index(END):]
    with open(TABLE, "w") as f:
        f.write(head + "\n" + "\n".join(lines) + "\n  " + tail)


def main():
    parser = argparse.ArgumentParser()
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="measure again and compare with the table (default)")
    mode.add_argument("--update", action="store_true", help="rewrite the table's data from the measurement")
    args = parser.parse_args()
    if args.update:
        write_table(measured_table())
    _, table = read_table()
    problems = check(table)
    for p in problems:
        print(p)
    if problems:
        print(f"keyword-args: {len(problems)} problems against PyTorch {torch.__version__}")
        sys.exit(1)
    print(f"keyword-args: {len(table)} callees, {sum(len(r['v113']) for r in table.values())} keywords taken by PyTorch {torch.__version__}, "
          f"{sum(len(r['later']) for r in table.values())} added later; all agree")


if __name__ == "__main__":
    main()
