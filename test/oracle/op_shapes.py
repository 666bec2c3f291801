#!/usr/bin/python3
"""PyTorch's own answer for every op SeqLens models: the golden of the op-table property test.

For each op, a seeded generator writes at least 20 small programs on random valid shapes
(`x = torch.randn(3, 1, 5)` then `y = x.squeeze(1)`). Each program runs in real PyTorch 1.13;
the shape and dtype of the names it checks (`y`, and for RNNs also `h`, `c`) go into
test/oracle/op-shapes.json. test/unit/analysis/op-table.test.ts runs every program through the
analyzer and compares: a dimension the analyzer claims must be PyTorch's, and each modelled op
must be fully known.

    /usr/bin/python3 test/oracle/op_shapes.py --check    # CI: regenerate and compare with the golden
    /usr/bin/python3 test/oracle/op_shapes.py --update   # rewrite the golden
"""

import argparse
import json
import os
import random
import sys
import zlib

import numpy
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.utils.rnn import pad_sequence

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "test", "oracle", "op-shapes.json")
CASES_PER_OP = 24
SEED = 20261202
# Imports every program gets, in the analyzer as in PyTorch.
PRELUDE = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nfrom torch.nn.utils.rnn import pad_sequence\n"

GENERATORS = {}


def op(name, check=("y",)):
    def register(fn):
        GENERATORS[name] = (fn, check)
        return fn

    return register


def sizes(r, rank, lo=1, hi=6):
    return [r.randint(lo, hi) for _ in range(rank)]


def tup(dims):
    return "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"


def args(dims):
    return ", ".join(map(str, dims))


def randn(dims):
    return f"torch.randn({args(dims)})" if dims else "torch.randn(())"


def factor(r, n, parts):
    """n split into `parts` positive factors."""
    out = []
    for _ in range(parts - 1):
        divisors = [d for d in range(1, n + 1) if n % d == 0]
        d = r.choice(divisors)
        out.append(d)
        n //= d
    out.append(n)
    r.shuffle(out)
    return out


def axis(r, rank, extra=0):
    a = r.randrange(rank + extra)
    return a - (rank + extra) if r.random() < 0.4 else a


# ── shape ops ──────────────────────────────────────────────────────────────────

@op("view")
def _(r):
    s = sizes(r, r.randint(1, 4))
    n = 1
    for d in s:
        n *= d
    t = factor(r, n, r.randint(1, 3))
    if r.random() < 0.5:
        t[r.randrange(len(t))] = -1
    return f"x = {randn(s)}\ny = x.view({args(t)})"


@op("reshape")
def _(r):
    s = sizes(r, r.randint(1, 4))
    n = 1
    for d in s:
        n *= d
    t = factor(r, n, r.randint(1, 3))
    if r.random() < 0.5:
        t[r.randrange(len(t))] = -1
    form = r.choice(["x.reshape({a})", "x.reshape({t})", "torch.reshape(x, {t})"])
    return f"x = {randn(s)}\ny = " + form.format(a=args(t), t=tup(t))


@op("permute")
def _(r):
    s = sizes(r, r.randint(2, 4))
    order = list(range(len(s)))
    r.shuffle(order)
    form = r.choice(["x.permute({a})", "x.permute({t})", "torch.permute(x, {t})"])
    return f"x = {randn(s)}\ny = " + form.format(a=args(order), t=tup(order))


@op("transpose")
def _(r):
    s = sizes(r, r.randint(2, 4))
    a, b = axis(r, len(s)), axis(r, len(s))
    form = r.choice(["x.transpose({a}, {b})", "torch.transpose(x, {a}, {b})"])
    return f"x = {randn(s)}\ny = " + form.format(a=a, b=b)


@op("t")
def _(r):
    s = sizes(r, 2)
    return f"x = {randn(s)}\ny = x.t()" if r.random() < 0.5 else f"x = {randn(s)}\ny = x.T"


@op("contiguous")
def _(r):
    s = sizes(r, r.randint(2, 4))
    return f"x = {randn(s)}\ny = x.transpose(0, 1).contiguous()"


@op("squeeze")
def _(r):
    s = [d if r.random() < 0.6 else 1 for d in sizes(r, r.randint(1, 4))]
    form = r.choice(["x.squeeze()", "x.squeeze({a})", "torch.squeeze(x, {a})", "x.squeeze(dim={a})"])
    return f"x = {randn(s)}\ny = " + form.format(a=axis(r, len(s)))


@op("unsqueeze")
def _(r):
    s = sizes(r, r.randint(1, 3))
    form = r.choice(["x.unsqueeze({a})", "torch.unsqueeze(x, {a})", "x.unsqueeze(dim={a})"])
    return f"x = {randn(s)}\ny = " + form.format(a=axis(r, len(s), 1))


@op("expand")
def _(r):
    s = [d if r.random() < 0.5 else 1 for d in sizes(r, r.randint(1, 3))]
    lead = sizes(r, r.randint(0, 1))
    t = lead + [r.randint(2, 5) if d == 1 and r.random() < 0.7 else (-1 if r.random() < 0.5 else d) for d in s]
    return f"x = {randn(s)}\ny = x.expand({args(t)})"


@op("expand_as")
def _(r):
    s = sizes(r, r.randint(1, 3))
    t = [d if r.random() < 0.5 else 1 for d in s]
    return f"x = {randn(t)}\nz = {randn(s)}\ny = x.expand_as(z)"


@op("repeat")
def _(r):
    s = sizes(r, r.randint(1, 3))
    reps = sizes(r, len(s) + r.randint(0, 1), 1, 3)
    return f"x = {randn(s)}\ny = x.repeat({args(reps)})"


@op("flatten")
def _(r):
    s = sizes(r, r.randint(1, 4))
    a = r.randrange(len(s))
    b = r.randrange(a, len(s))
    form = r.choice(["x.flatten({a})", "x.flatten({a}, {b})", "torch.flatten(x, {a})", "torch.flatten(x, start_dim={a}, end_dim={b})", "nn.Flatten()(x)" if len(s) >= 2 else "x.flatten()"])
    return f"x = {randn(s)}\ny = " + form.format(a=a, b=b)


@op("index")
def _(r):
    s = sizes(r, 3, 2, 6)
    form = r.choice(["x[:, -1, :]", "x[0]", "x[..., 0]", "x[:, None]", "x[-1]", "x[:, :2]", "x[1:, :, -1]", "x[:, 1:-1]", "x[None, :, 0]"])
    return f"x = {randn(s)}\ny = {form}"


@op("index-bool-mask")
def _(r):
    # A bool mask of rank k takes k axes and leaves one, as long as its count of True entries: the rank is known.
    s = sizes(r, r.randint(1, 4))
    k = r.randint(1, len(s))
    start = r.randint(0, len(s) - k)
    m = s[start:start + k]
    index = ", ".join([":"] * start + [r.choice(["mask", "~mask"])])
    if start + k == len(s) and start > 0 and r.random() < 0.3:
        index = "..., mask"
    if r.random() < 0.4:
        made = r.choice([f"np.random.rand({args(m)}) > 0.5", f"np.ones({tup(m)}, dtype=bool)", f"np.zeros({tup(m)}, dtype='bool')"])
        return f"import numpy as np\nx = np.random.randn({args(s)})\nmask = {made}\ny = torch.from_numpy(x[{index}])"
    made = r.choice([f"torch.rand({args(m)}) > 0.5", f"torch.ones({args(m)}, dtype=torch.bool)", f"{randn(m)} != 0"])
    return f"x = {randn(s)}\nmask = {made}\ny = x[{index}]"


@op("np-factory-dtype")
def _(r):
    # NumPy's factories name their dtype as a Python type, a string or a NumPy scalar type.
    s = sizes(r, r.randint(1, 3))
    factory = r.choice(["np.zeros", "np.ones", "np.empty"])
    dtype = r.choice(["bool", "'bool'", "np.bool_", "'float32'", "np.float32", "np.float64", "'int64'", "np.int64", "np.int32", "'int32'"])
    return f"import numpy as np\ny = torch.from_numpy({factory}({tup(s)}, dtype={dtype}))"


@op("np-shape")
def _(r):
    # np.shape(a) and np.ndim(a) of a tensor or an array are its .shape (a torch.Size for a tensor) and .ndim.
    s = sizes(r, r.randint(1, 4))
    x = r.choice([randn(s), f"np.random.randn({args(s)})"])
    k = r.randrange(len(s))
    form = r.choice(["torch.zeros(np.shape(x))", "torch.zeros(np.shape(x)[{k}], np.ndim(x))", "torch.ones(np.ndim(x), *np.shape(x))",
                     "torch.zeros(np.shape(x)[-1], np.shape(x)[0])"]).format(k=k)
    return f"import numpy as np\nx = {x}\ny = {form}"


@op("cat")
def _(r):
    s = sizes(r, r.randint(1, 3))
    d = axis(r, len(s))
    parts = []
    for _ in range(r.randint(2, 4)):
        p = list(s)
        p[d] = r.randint(1, 5)
        parts.append(randn(p))
    form = r.choice(["torch.cat([{p}], dim={d})", "torch.cat(({p}), {d})", "torch.cat([{p}], {d})"])
    return "y = " + form.format(p=", ".join(parts), d=d)


@op("cat-comprehension")
def _(r):
    s = sizes(r, r.randint(1, 3))
    d = axis(r, len(s))
    n = r.randint(1, 5)
    return f"x = {randn(s)}\ny = torch.cat([x for _ in range({n})], dim={d})"


@op("stack")
def _(r):
    s = sizes(r, r.randint(1, 3))
    d = axis(r, len(s), 1)
    n = r.randint(1, 4)
    if r.random() < 0.5:
        return f"y = torch.stack([{', '.join([randn(s)] * n)}], dim={d})"
    return f"x = {randn(s)}\ny = torch.stack([x * i for i in range({n})], {d})"


@op("stack-cat-loop")
def _(r):
    # A list grown in a loop too long to unroll, every step appending the same number of times: its length is known.
    s = sizes(r, r.randint(1, 3))
    stack = r.random() < 0.5
    d = axis(r, len(s), 1 if stack else 0)
    n, per = r.randint(17, 40), r.randint(1, 2)
    start = r.randint(0, 3)
    head = "xs = [" + randn(s) + "]\n" if r.random() < 0.3 else "xs = []\n"
    body = "".join(f"    xs.append({randn(s)})\n" for _ in range(per))
    fn = "torch.stack" if stack else "torch.cat"
    return head + f"for t in range({start}, {start + n}):\n" + body + f"y = {fn}(xs, dim={d})"


@op("chunk")
def _(r):
    s = sizes(r, r.randint(1, 3), 1, 8)
    d = axis(r, len(s))
    c = r.randint(1, 4)
    pick = r.choice([0, -1])
    form = r.choice(["x.chunk({c}, {d})[{p}]", "torch.chunk(x, {c}, dim={d})[{p}]"])
    return f"x = {randn(s)}\ny = " + form.format(c=c, d=d, p=pick)


@op("split")
def _(r):
    s = sizes(r, r.randint(1, 3), 1, 8)
    d = axis(r, len(s))
    size = r.randint(1, 4)
    pick = r.choice([0, -1])
    form = r.choice(["x.split({c}, {d})[{p}]", "torch.split(x, {c}, dim={d})[{p}]"])
    return f"x = {randn(s)}\ny = " + form.format(c=size, d=d, p=pick)


@op("index_select")
def _(r):
    s = sizes(r, r.randint(1, 3))
    d = axis(r, len(s))
    k = r.randint(1, 4)
    idx = [r.randrange(s[d]) for _ in range(k)]
    form = r.choice(["torch.index_select(x, {d}, idx)", "x.index_select({d}, idx)"])
    return f"x = {randn(s)}\nidx = torch.tensor({idx})\ny = " + form.format(d=d)


@op("gather")
def _(r):
    s = sizes(r, r.randint(1, 3))
    d = axis(r, len(s))
    t = [r.randint(1, v) for v in s]
    t[d] = r.randint(1, 4)
    return f"x = {randn(s)}\nidx = torch.randint(0, {s[d]}, {tup(t)})\ny = torch.gather(x, {d}, idx)" if r.random() < 0.5 else f"x = {randn(s)}\nidx = torch.randint(0, {s[d]}, {tup(t)})\ny = x.gather({d}, idx)"


# ── reductions and normalisations over a dim ───────────────────────────────────

def reduction(name, with_indices=False):
    @op(name)
    def _(r):
        s = sizes(r, r.randint(1, 4))
        d = axis(r, len(s))
        k = r.choice([True, False])
        if with_indices:
            form = r.choice(["y, _ = x.{n}({d})", "y, _ = torch.{n}(x, {d}, keepdim={k})", "_, y = x.{n}(dim={d}, keepdim={k})", "y = x.{n}({d})[0]", "y = x.{n}()"])
        else:
            form = r.choice(["y = x.{n}({d})", "y = x.{n}(dim={d}, keepdim={k})", "y = torch.{n}(x, {d})", "y = torch.{n}(x, dim={d}, keepdim={k})", "y = x.{n}()"])
        return f"x = {randn(s)}\n" + form.format(n=name, d=d, k=k)


for _name in ["sum", "mean"]:
    reduction(_name)
for _name in ["max", "min"]:
    reduction(_name, with_indices=True)
for _name in ["argmax", "argmin"]:
    reduction(_name)


def softmax_like(name):
    @op(name)
    def _(r):
        s = sizes(r, r.randint(1, 4))
        d = axis(r, len(s))
        form = r.choice(["F.{n}(x, dim={d})", "torch.{n}(x, {d})", "x.{n}({d})", "x.{n}(dim={d})", "nn.{m}(dim={d})(x)"])
        return f"x = {randn(s)}\ny = " + form.format(n=name, d=d, m="Softmax" if name == "softmax" else "LogSoftmax")


softmax_like("softmax")
softmax_like("log_softmax")


@op("topk", check=("y", "i"))
def _(r):
    s = sizes(r, r.randint(1, 3))
    d = axis(r, len(s))
    k = r.randint(1, s[d])
    form = r.choice(["y, i = x.topk({k}, dim={d})", "y, i = torch.topk(x, {k}, {d})", "y, i = x.topk({k})" if d in (-1, len(s) - 1) else "y, i = x.topk({k}, {d}, largest=False)"])
    return f"x = {randn(s)}\n" + form.format(k=k, d=d)


@op("sort", check=("y", "i"))
def _(r):
    s = sizes(r, r.randint(1, 3))
    d = axis(r, len(s))
    form = r.choice(["y, i = x.sort(dim={d}, descending=True)", "y, i = torch.sort(x, {d})", "y, i = torch.sort(x, descending=True)", "y, i = x.sort()"])
    return f"x = {randn(s)}\n" + form.format(d=d)


@op("multinomial")
def _(r):
    s = sizes(r, r.randint(1, 2), 2, 6)
    n = r.randint(1, s[-1])
    form = r.choice(["torch.multinomial(p, {n})", "p.multinomial({n})", "torch.multinomial(p, num_samples={n}, replacement=True)"])
    return f"p = torch.softmax({randn(s)}, -1)\ny = " + form.format(n=n)


@op("one_hot")
def _(r):
    s = sizes(r, r.randint(1, 3))
    c = r.randint(2, 8)
    form = r.choice(["F.one_hot(ids, num_classes={c})", "F.one_hot(ids, {c})", "torch.nn.functional.one_hot(ids, num_classes={c})"])
    return f"ids = torch.randint(0, {c}, {tup(s)})\ny = " + form.format(c=c)


# ── products and element-wise arithmetic ───────────────────────────────────────

@op("dot")
def _(r):
    n = r.randint(1, 9)
    form = r.choice(["torch.dot(a, b)", "a.dot(b)", "torch.vdot(a, b)"])
    return f"a = {randn([n])}\nb = {randn([n])}\ny = {form}"


@op("pool1d")
def _(r):
    s = sizes(r, r.choice([2, 3]), 1, 4) + [r.randint(1, 12)]
    length = s[-1]
    k = r.randint(1, length)
    kind = r.choice(["max", "avg"])
    stride = r.choice(["", f", stride={r.randint(1, 3)}", f", {r.randint(1, 3)}"])
    pad = r.choice(["", f", padding={r.randint(0, k // 2)}"]) if not stride.startswith(", ") or "=" in stride else ""
    form = r.choice([
        f"F.{kind}_pool1d(x, {k}{stride}{pad})",
        f"F.{kind}_pool1d(x, kernel_size={k})",
        f"F.{kind}_pool1d(x, x.size({len(s) - 1}))",
        f"F.adaptive_{kind}_pool1d(x, {r.randint(1, 5)})",
        f"nn.{kind.capitalize()}Pool1d({k}{stride}{pad})(x)",
        f"nn.{kind.capitalize()}Pool1d({k}, ceil_mode=False)(x)",
    ])
    return f"x = {randn(s)}\ny = {form}"



@op("matmul")
def _(r):
    n, m, p = sizes(r, 3)
    batch = sizes(r, r.randint(0, 2))
    kind = r.choice(["mm", "bmv", "vec", "broadcast"])
    if kind == "mm":
        a, b = [n, m], [m, p]
    elif kind == "bmv":
        a, b = batch + [n, m], [m]
    elif kind == "vec":
        a, b = [m], batch + [m, p]
    else:
        a, b = batch + [n, m], [1] * len(batch) + [m, p] if r.random() < 0.5 else [m, p]
    form = r.choice(["torch.matmul(a, b)", "a @ b", "a.matmul(b)"])
    return f"a = {randn(a)}\nb = {randn(b)}\ny = {form}"


@op("bmm")
def _(r):
    bsz, n, m, p = sizes(r, 4)
    form = r.choice(["torch.bmm(a, b)", "a.bmm(b)"])
    return f"a = {randn([bsz, n, m])}\nb = {randn([bsz, m, p])}\ny = {form}"


@op("mm")
def _(r):
    n, m, p = sizes(r, 3)
    form = r.choice(["torch.mm(a, b)", "a.mm(b)"])
    return f"a = {randn([n, m])}\nb = {randn([m, p])}\ny = {form}"


def broadcastable_to(r, s, keep):
    """A trailing part of shape s, each size kept with probability keep and otherwise 1: it broadcasts against s."""
    return [d if r.random() < keep else 1 for d in s][r.randint(0, len(s) - 1):]


def broadcast_pair(r):
    """Two shapes that broadcast together, the shorter one first or second at random."""
    s = sizes(r, r.randint(1, 4))
    t = broadcastable_to(r, s, keep=0.5)
    if r.random() < 0.5:
        s, t = t, s
    return s, t


@op("broadcast")
def _(r):
    s, t = broadcast_pair(r)
    o = r.choice(["+", "-", "*", "/"])
    form = r.choice(["a {o} b", "torch.add(a, b)", "torch.mul(a, b)", "a {o} 2", "a.add(b)"])
    return f"a = {randn(s)}\nb = {randn(t)}\ny = " + form.format(o=o)


@op("masked_fill")
def _(r):
    s = sizes(r, r.randint(1, 3))
    m = broadcastable_to(r, s, keep=0.6)
    form = r.choice(["x.masked_fill(mask, 0)", "x.masked_fill(mask == 0, float('-inf'))", "x.masked_fill(mask, -1e9)"])
    return f"x = {randn(s)}\nmask = torch.rand({args(m) if m else '()'}) > 0.5\ny = " + form


@op("comparison")
def _(r):
    s, t = broadcast_pair(r)
    name = r.choice(["eq", "ne", "lt", "le", "gt", "ge", "greater", "less_equal", "not_equal", "logical_and", "logical_or", "logical_xor"])
    form = r.choice(["a.{n}(b)", "torch.{n}(a, b)", "a.{n}(0)", "torch.{n}(a, 0.5)", "a.{n}(other=b)"])
    if name.startswith("logical") and "other" in form:
        form = "a.{n}(b)"
    return f"a = {randn(s)}\nb = {randn(t)}\ny = " + form.format(n=name)


@op("masks")
def _(r):
    s = sizes(r, r.randint(1, 4))
    m = broadcastable_to(r, s, keep=0.6)
    k = r.randrange(len(s))
    a = axis(r, len(s))
    form = r.choice([
        "x.masked_select(mask)", "torch.masked_select(x, mask)", "x.nonzero()", "torch.nonzero(x)", "torch.nonzero(x, as_tuple=True)[{k}]",
        "x.select({a}, 0)", "torch.select(x, {a}, 0)", "x.ravel()", "torch.ravel(x)", "x.logical_not()", "torch.logical_not(x)",
        "x.all()", "x.any()", "(x > 0).all({a})", "(x > 0).any({a}, keepdim=True)", "torch.all(x > 0, {a})",
    ])
    return f"x = {randn(s)}\nmask = torch.rand({args(m) if m else '()'}) > 0.5\ny = " + form.format(k=k, a=a)


@op("unique", check=("y", "inv"))
def _(r):
    s = sizes(r, r.randint(1, 3))
    a = axis(r, len(s))
    form = r.choice([
        "torch.unique(x, return_inverse=True)", "x.unique(return_inverse=True)", "torch.unique(x, dim={a}, return_inverse=True)",
        "x.unique_consecutive(return_inverse=True)", "torch.unique_consecutive(x, return_inverse=True, dim={a})",
        "torch.unique(x, True, True, True)", "x.unique(sorted=False, return_inverse=True, return_counts=True)",
    ])
    out = "y, inv, counts = " if "True, True, True" in form or "return_counts=True" in form else "y, inv = "
    return f"x = torch.randint(0, 4, {tup(s)})\n" + out + form.format(a=a)


@op("shape-keeping-writes")
def _(r):
    s = sizes(r, r.randint(1, 4))
    a = axis(r, len(s))
    form = r.choice([
        "x.copy_(torch.randn({t}))", "x.scatter_add({a}, idx, torch.randn({t}))", "x.clone().scatter_add_({a}, idx, torch.randn({t}))",
        "torch.bernoulli(torch.rand({t}))", "torch.rand({t}).bernoulli()", "x.clone().bernoulli_(0.5)", "x.clone().sigmoid_()", "x.clone().tanh_()",
        "x.clone().relu_()", "x.clamp_min(0)", "x.clamp_max(1)", "x.clone().index_add_(0, torch.zeros(1, dtype=torch.long), torch.randn({u}))",
    ])
    u = tup([1] + s[1:])
    return f"x = {randn(s)}\nidx = torch.zeros({tup(s)}, dtype=torch.long)\ny = " + form.format(t=tup(s), a=a, u=u)


@op("in-place-blends")
def _(r):
    # lerp_, addcmul_ and addcdiv_ write into x: their operands broadcast to x's shape, which the result keeps.
    s = sizes(r, r.randint(1, 4))
    k = r.randint(0, len(s))
    t = [1 if r.random() < 0.3 else d for d in s[len(s) - k:]]
    other = randn(t) if t else "torch.randn(())"
    form = r.choice([
        "x.clone().lerp_({o}, 0.5)", "x.clone().lerp_({o}, torch.rand({u}))", "x.clone().addcmul_({o}, {o})",
        "x.clone().addcmul_({o}, x, value=0.1)", "x.clone().addcdiv_(x, torch.rand({u}) + 1)", "x.clone().addcdiv_({o}, x.abs() + 1, value=2)",
    ])
    return f"x = {randn(s)}\ny = " + form.format(o=other, u=tup(t) if t else "()")


@op("blends")
def _(r):
    # x.lerp(end, weight), x.addcmul(t1, t2) and x.addcdiv(t1, t2): x and both operands broadcast together, so the
    # result may have more axes, or larger ones, than x.
    s = sizes(r, r.randint(1, 3))
    big = sizes(r, r.randint(0, 2)) + s
    ones = [1 if r.random() < 0.4 else d for d in big]
    a, b = r.sample([randn(big), randn(ones), randn(s), "torch.randn(())"], 2)
    w = r.choice(["0.5", f"torch.rand({tup(ones)})" if ones else "0.5", b])
    form = r.choice(["x.lerp({a}, {w})", "x.lerp(end={a}, weight={w})", "torch.lerp(x, {a}, {w})", "x.addcmul({a}, {b})", "x.addcmul({a}, {b}, value=0.5)",
                     "x.addcdiv({a}, {b}.abs() + 1)", "x.addcdiv(tensor1={a}, tensor2={b}.abs() + 1, value=2)"])
    return f"x = {randn(s)}\ny = " + form.format(a=a, b=b, w=w)


# ── constructors and casts ─────────────────────────────────────────────────────

@op("factories")
def _(r):
    s = sizes(r, r.randint(1, 3))
    form = r.choice([
        "torch.zeros({a})", "torch.ones({t})", "torch.randn({a})", "torch.rand({t})", "torch.empty({a})",
        "torch.zeros({t}, dtype=torch.long)", "torch.ones({a}, dtype=torch.bool)", "torch.full({t}, 1.5)", "torch.full({t}, 3)",
        "torch.randint(0, 9, {t})", "torch.randint(9, {t})", "torch.zeros(size={t})",
    ])
    return "y = " + form.format(a=args(s), t=tup(s))


@op("arange")
def _(r):
    a = r.randint(0, 5)
    b = a + r.randint(1, 9)
    form = r.choice(["torch.arange({b})", "torch.arange({a}, {b})", "torch.arange({a}, {b}, 2)", "torch.arange({b}, dtype=torch.float)"])
    return "y = " + form.format(a=a, b=b)


@op("arange-float")
def _(r):
    # Float bounds or steps: ceil((end - start) / step) entries, in the default float dtype (a DCT or mel table's
    # `torch.arange(float(n_mels))`).
    a = r.choice([0, 0.5, 1.0, 2.5])
    b = a + r.choice([1, 2.5, 3.0, 7.25, 9])
    step = r.choice([0.1, 0.25, 0.5, 1, 2, 0.3])
    form = r.choice(["torch.arange(float({n}))", "torch.arange({a}, {b})", "torch.arange({a}, {b}, {s})", "torch.arange(0, {b}, step={s})", "torch.arange(start={a}, end={b}, step={s})"])
    return "y = " + form.format(n=r.randint(1, 9), a=a, b=b, s=step)


@op("linspace")
def _(r):
    # steps evenly spaced points (a mel filter bank's frequencies); NumPy's num is 50 unless given.
    a, b, n = r.choice([0, 0.5, 2595.0]), r.choice([1, 8000, 3.5]), r.randint(0, 70)
    form = r.choice(["torch.linspace({a}, {b}, {n})", "torch.linspace({a}, {b}, steps={n})", "torch.logspace({a}, {b}, {n})",
                     "torch.from_numpy(np.linspace({a}, {b}))", "torch.from_numpy(np.linspace({a}, {b}, {n}))", "torch.from_numpy(np.linspace({a}, {b}, num={n}, endpoint=False))",
                     "torch.from_numpy(np.logspace({a}, {b}, {n}))", "torch.linspace({a}, {b}, {n}, dtype=torch.float64)"])
    return "import numpy as np\ny = " + form.format(a=a, b=b, n=n)


@op("like")
def _(r):
    s = sizes(r, r.randint(1, 3))
    form = r.choice(["torch.zeros_like(x)", "torch.ones_like(x)", "torch.randn_like(x)", "torch.rand_like(x)", "torch.empty_like(x)", "torch.full_like(x, 2.0)", "torch.zeros_like(x, dtype=torch.long)"])
    return f"x = {randn(s)}\ny = {form}"


@op("new")
def _(r):
    s = sizes(r, r.randint(1, 3))
    t = sizes(r, r.randint(1, 3))
    form = r.choice(["x.new_zeros({a})", "x.new_ones({t})", "x.new_zeros({t})", "x.new_empty({t})", "x.new_full({t}, 0.5)", "x.new_tensor([1, 2, 3])", "x.new({a})", "x.new({a}).zero_()", "x.new([1.0, 2.0])"])
    return f"x = {randn(s)}\ny = " + form.format(a=args(t), t=tup(t))


@op("legacy")
def _(r):
    s = sizes(r, r.randint(1, 3))
    form = r.choice(["torch.FloatTensor({a})", "torch.Tensor({a})", "torch.LongTensor({a})", "torch.FloatTensor({data})", "torch.LongTensor({ints})", "torch.Tensor({data})"])
    data = json.dumps([[round(r.random(), 2) for _ in range(s[-1])] for _ in range(s[0])])
    ints = json.dumps([r.randint(0, 9) for _ in range(s[0])])
    return "y = " + form.format(a=args(s), data=data, ints=ints)


@op("rows")
def _(r):
    # list(x) / tuple(x) of a tensor: its rows along the first axis, joined again.
    s = sizes(r, r.randint(2, 4))
    rank = len(s) - 1
    form = r.choice([
        f"y = torch.cat(list(x), dim={axis(r, rank)})",
        f"y = torch.stack(tuple(x), {axis(r, rank, 1)})",
        f"y = torch.cat(tuple(x), {axis(r, rank)})",
        f"y = torch.stack(list(x))",
    ])
    return f"x = {randn(s)}\n" + form


@op("opaque-sizes")
def _(r):
    # A size the analyzer cannot read (`n` from a tensor's item): the rank must still come out right.
    s = sizes(r, r.randint(1, 3))
    t = sizes(r, r.randint(1, 2))
    n = f"n = int(torch.randint({r.randint(1, 3)}, 7, (1,)).item())\n"
    form = r.choice([
        f"x = {randn(s)}\ny = x.new(n, {args(t)})",
        f"x = {randn(s)}\ny = x.new({args(t)}, n).zero_()",
        f"y = torch.FloatTensor(n, {args(t)})",
        f"y = torch.LongTensor({args(t)}, n)",
        f"x = torch.randn({args(s)}, n)\ny = F.max_pool1d(x, x.size({len(s)}))" if len(s) <= 2 else f"x = torch.randn({args(s[:2])}, n)\ny = F.max_pool1d(x, x.size(-1))",
        f"x = torch.randn({args(s[:2])}, n)\ny = F.avg_pool1d(x, x.size(-1)).squeeze(-1)",
        f"x = torch.randn({args(s[:2])}, n)\ny = F.max_pool1d(x, kernel_size=x.size(-1), stride=x.size(-1))",
        "x = torch.randn(n)\ny = x.dot(torch.randn(n, 1).squeeze())",
        "x = torch.randn(n)\ny = torch.dot(torch.randn(1, n).squeeze(), x)",
    ])
    return n + form


@op("opaque-join")
def _(r):
    # cat and stack given an input of unknown rank (squeezed on a size the analyzer cannot read): another input
    # fixes the rank, since cat skips only a 1-D empty tensor and stack needs equal shapes.
    t = sizes(r, r.randint(1, 2), 2, 6)
    m = f"m = int(torch.randint(2, 6, (1,)).item())\n"
    form = r.choice([
        f"a = torch.randn({r.randint(1, 4)}, {args(t)})\nu = torch.randn(m, {args(t)}).squeeze()\ny = torch.cat([a, u], 0)",
        f"a = torch.randn({args(t)}, {r.randint(1, 4)})\nu = torch.randn({args(t)}, m).squeeze()\ny = torch.cat((u, a), dim=-1)",
        f"a = torch.randn(m, {args(t)})\nu = torch.randn(m, {args(t)}).squeeze()\ny = torch.stack([a, u, a], {r.randint(0, len(t) + 1)})",
        f"a = torch.randn({args(t)})\nu = torch.randn(m, {args(t)}).squeeze().sum(0)\ny = torch.stack((u, a), dim={-r.randint(1, len(t) + 1)})",
    ])
    return m + form


@op("tensor")
def _(r):
    s = sizes(r, r.randint(1, 2))
    if len(s) == 1:
        data = [r.randint(0, 9) for _ in range(s[0])]
    else:
        data = [[round(r.random(), 2) for _ in range(s[1])] for _ in range(s[0])]
    form = r.choice(["torch.tensor({d})", "torch.tensor({d}, dtype=torch.float)", "torch.tensor({d}, dtype=torch.long)", "torch.as_tensor({d})"])
    return "y = " + form.format(d=json.dumps(data))


@op("np-array")
def _(r):
    n = r.randint(1, 6)
    s = sizes(r, r.randint(1, 2))
    item = r.choice(["np.random.rand({a})", "np.zeros({t})", "np.ones({t})"]).format(a=args(s), t=tup(s))
    grown = f"import numpy as np\nxs = []\nfor i in range({n}):\n    xs.append({item})\n"
    form = r.choice([
        grown + "y = torch.tensor(np.array(xs))",
        grown + "y = torch.tensor(np.array(xs), dtype=torch.float)",
        grown + "y = torch.from_numpy(np.array(xs))",
        grown + "y = torch.as_tensor(np.asarray(xs))",
        f"import numpy as np\nxs = [{item}, {item}]\ny = torch.tensor(np.array(xs))",
        f"import numpy as np\na = {item}\ny = torch.tensor(a, dtype=torch.float)",
        f"import numpy as np\na = np.array({item})\ny = torch.tensor(np.array(a[0:{r.randint(0, 6)}]))",
    ])
    return form


@op("sklearn-scaler")
def _(r):
    s = sizes(r, 2)
    scaler = r.choice(["MinMaxScaler", "StandardScaler", "MaxAbsScaler", "RobustScaler"])
    data = r.choice(["np.random.rand({a})", "np.random.randn({a})"]).format(a=args(s))
    call = r.choice(["sc.fit_transform(x)", "sc.fit(x).transform(x)", "sc.inverse_transform(sc.fit_transform(x))"])
    return f"import numpy as np\nfrom sklearn.preprocessing import {scaler}\nx = {data}\nsc = {scaler}()\ny = torch.from_numpy({call})"


@op("np-random-choice")
def _(r):
    s = sizes(r, r.randint(1, 3))
    size = r.choice([f"size={tup(s)}", tup(s)] if len(s) > 1 else [f"size={s[0]}", str(s[0]), f"size={tup(s)}"])
    n = r.randint(2, 9)
    pop = r.choice([str(n), json.dumps([r.randint(0, 20) for _ in range(n)]), json.dumps([round(r.random(), 2) for _ in range(n)]), f"np.arange({n})"])
    draw = r.choice([f"np.random.choice({pop}, {size})", f"np.random.default_rng(0).choice({pop}, {size})", f"np.random.choice({pop}, {size}, replace=True)"])
    return f"import numpy as np\ny = torch.from_numpy({draw})"


@op("sklearn-encoders")
def _(r):
    n = r.randint(3, 12)
    k = r.randint(2, 5)
    ids = f"np.random.randint(0, {k}, size={r.choice([f'({n},)', f'({n}, 1)'])})"
    form = r.choice([
        f"y = torch.from_numpy(LabelEncoder().fit_transform({ids}))",
        f"enc = LabelEncoder()\nenc.fit(x)\ny = torch.from_numpy(enc.transform(x))",
        f"y = torch.from_numpy(OneHotEncoder(sparse=False).fit_transform(np.random.randint(0, {k}, size=({n}, {r.randint(1, 3)}))))",
        f"enc = OneHotEncoder(sparse_output=False)\ny = torch.from_numpy(enc.fit(x.reshape(-1, 1)).transform(x.reshape(-1, 1)))",
    ])
    return f"import numpy as np\nfrom sklearn.preprocessing import LabelEncoder, OneHotEncoder\nx = np.random.randint(0, {k}, size=({n},))\n{form}"


@op("casts")
def _(r):
    s = sizes(r, r.randint(1, 3))
    src = r.choice([randn(s), f"torch.randint(0, 5, {tup(s)})"])
    form = r.choice(["x.float()", "x.long()", "x.to(torch.long)", "x.to(torch.float32)", "x.to('cpu')", "x.detach()", "x.clone()", "x.int()", "x.bool()", "x.double()", "x.type(torch.LongTensor)", "x.cpu()", "x.to(dtype=torch.float)"])
    return f"x = {src}\ny = {form}"


@op("elementwise")
def _(r):
    s = sizes(r, r.randint(1, 4))
    form = r.choice(["torch.tanh(x)", "torch.sigmoid(x)", "F.relu(x)", "torch.relu(x)", "x.relu()", "x.tanh()", "F.gelu(x)", "torch.exp(x)", "x.abs()", "F.dropout(x, 0.3)", "F.leaky_relu(x)", "x.pow(2)", "torch.clamp(x, 0, 1)", "x.clamp(min=0)", "-x", "x.neg()", "x.sqrt()", "F.elu(x)"])
    return f"x = {randn(s)}\ny = {form}"


# ── modules ────────────────────────────────────────────────────────────────────

@op("activation-modules")
def _(r):
    s = sizes(r, r.randint(1, 4))
    m = r.choice(["nn.ReLU()", "nn.Tanh()", "nn.Sigmoid()", "nn.GELU()", "nn.LeakyReLU(0.1)", "nn.ELU()", "nn.Dropout(0.2)", "nn.Dropout(p=0.5)", "nn.Identity()", "nn.SiLU()"])
    return f"m = {m}\nx = {randn(s)}\ny = m(x)"


@op("LayerNorm")
def _(r):
    s = sizes(r, r.randint(1, 4))
    form = r.choice(["nn.LayerNorm({n})", "nn.LayerNorm(normalized_shape={n})", "nn.LayerNorm({t})"])
    return f"m = " + form.format(n=s[-1], t=tup(s[-min(2, len(s)):])) + f"\nx = {randn(s)}\ny = m(x)"


@op("BatchNorm1d")
def _(r):
    bsz, c = r.randint(2, 6), r.randint(1, 6)
    s = [bsz, c] if r.random() < 0.5 else [bsz, c, r.randint(1, 6)]
    return f"m = nn.BatchNorm1d({c})\nx = {randn(s)}\ny = m(x)"


@op("Linear")
def _(r):
    s = sizes(r, r.randint(1, 4))
    out = r.randint(1, 9)
    form = r.choice(["nn.Linear({i}, {o})", "nn.Linear(in_features={i}, out_features={o})", "nn.Linear({i}, {o}, bias=False)"])
    return "m = " + form.format(i=s[-1], o=out) + f"\nx = {randn(s)}\ny = m(x)"


@op("F.linear")
def _(r):
    s = sizes(r, r.randint(1, 3))
    out = r.randint(1, 9)
    return f"w = {randn([out, s[-1]])}\nx = {randn(s)}\ny = F.linear(x, w)"


@op("Embedding")
def _(r):
    s = sizes(r, r.randint(1, 3))
    n, d = r.randint(5, 30), r.randint(1, 9)
    form = r.choice(["nn.Embedding({n}, {d})", "nn.Embedding({n}, {d}, padding_idx=0)", "nn.Embedding(num_embeddings={n}, embedding_dim={d})"])
    return "m = " + form.format(n=n, d=d) + f"\nids = torch.randint(0, {n}, {tup(s)})\ny = m(ids)"


def recurrent(kind):
    check = ("y", "h", "c") if kind == "LSTM" else ("y", "h")

    @op(kind, check=check)
    def _(r):
        i, hid = r.randint(1, 8), r.randint(1, 8)
        layers = r.randint(1, 3)
        bi = r.choice([True, False])
        bf = r.choice([True, False])
        bsz, t = r.randint(1, 5), r.randint(1, 6)
        shape = [bsz, t, i] if bf else [t, bsz, i]
        if r.random() < 0.15:
            shape = [t, i]  # unbatched
        ctor = f"nn.{kind}({i}, {hid}, num_layers={layers}, bidirectional={bi}, batch_first={bf})"
        target = "y, (h, c)" if kind == "LSTM" else "y, h"
        return f"m = {ctor}\nx = {randn(shape)}\n{target} = m(x)"


for _kind in ["RNN", "GRU", "LSTM"]:
    recurrent(_kind)


def cell(kind):
    check = ("h", "c") if kind == "LSTMCell" else ("h",)

    @op(kind, check=check)
    def _(r):
        i, hid, bsz = r.randint(1, 8), r.randint(1, 8), r.randint(1, 5)
        shape = [bsz, i] if r.random() < 0.85 else [i]
        target = "h, c" if kind == "LSTMCell" else "h"
        state = ""
        if r.random() < 0.5 and len(shape) == 2:
            state = f", (torch.zeros({bsz}, {hid}), torch.zeros({bsz}, {hid}))" if kind == "LSTMCell" else f", torch.zeros({bsz}, {hid})"
        return f"m = nn.{kind}({i}, {hid})\nx = {randn(shape)}\n{target} = m(x{state})"


for _kind in ["RNNCell", "GRUCell", "LSTMCell"]:
    cell(_kind)


@op("pad_sequence")
def _(r):
    n = r.randint(1, 4)
    rest = sizes(r, r.randint(0, 2))
    seqs = ", ".join(randn([r.randint(1, 6)] + rest) for _ in range(n))
    form = r.choice(["pad_sequence([{s}])", "pad_sequence([{s}], batch_first=True)", "pad_sequence([{s}], batch_first=True, padding_value=0)"])
    return "y = " + form.format(s=seqs)


@op("pad_packed_sequence", check=("y", "n"))
def _(r):
    # Packed with one layout, unpacked with either: batch_first swaps the first two axes whatever the rank (2-D data
    # packs 1-D steps), and the lengths come back 1-D, one per sequence.
    t, b = r.randint(1, 6), r.randint(1, 5)
    packed_first = r.random() < 0.5
    dims = ([b, t] if packed_first else [t, b]) + sizes(r, r.randint(0, 2))
    lengths = [t] * b
    pack = f"nn.utils.rnn.pack_padded_sequence(x, {lengths}" + (", batch_first=True)" if packed_first else ")")
    unpack = r.choice(["nn.utils.rnn.pad_packed_sequence(p)", "nn.utils.rnn.pad_packed_sequence(p, batch_first=True)", "nn.utils.rnn.pad_packed_sequence(p, True)"])
    return f"x = {randn(dims)}\np = {pack}\ny, n = {unpack}"


def packed_batch(r, shortest, least_rank):
    """A padded batch of random layout and sorted lengths of their own, and the packing of it into p: time steps,
    whether it is batch-first, its sizes, the lengths and the pack_padded_sequence call."""
    t, b = r.randint(shortest, 6), r.randint(1, 5)
    packed_first = r.random() < 0.5
    dims = ([b, t] if packed_first else [t, b]) + sizes(r, r.randint(least_rank, 2))
    lengths = sorted((r.randint(1, t) for _ in range(b)), reverse=True)
    pack = f"nn.utils.rnn.pack_padded_sequence(x, {lengths}" + (", batch_first=True)" if packed_first else ")")
    return t, packed_first, dims, lengths, pack


@op("pad_packed_sequence total_length", check=("y", "n"))
def _(r):
    # Lengths of their own: unpacking pads the time axis to the longest length, not to the packed input's, or to
    # total_length when it is given (at least the longest length; PyTorch raises below it).
    t, packed_first, dims, lengths, pack = packed_batch(r, 2, 0)
    total = r.choice([None, None, lengths[0], t, t + r.randint(1, 3)])
    layout = r.choice(["", ", batch_first=True", ", batch_first=False"])
    extra = "" if total is None else r.choice([f", total_length={total}", f", total_length=x.size({1 if packed_first else 0})" if total == t else f", total_length={total}"])
    return f"x = {randn(dims)}\np = {pack}\ny, n = nn.utils.rnn.pad_packed_sequence(p{layout}{extra})"


@op("PackedSequence-fields", check=("d", "y", "n"))
def _(r):
    # A packed batch's data is (total steps, *); a PackedSequence rebuilt from data computed on it (the same steps) and
    # the batch sizes unpacks to (time, batch, *) or its batch-first twin, * being the new data's trailing sizes.
    _, _, dims, _, pack = packed_batch(r, 1, 1)
    feats = r.choice(["torch.tanh(d)", "d.sum(-1)", "d * 2", f"d.unsqueeze(-1).expand(*d.shape, {r.randint(1, 4)})"])
    build = r.choice(["nn.utils.rnn.PackedSequence(f, p.batch_sizes)", "nn.utils.rnn.PackedSequence(data=f, batch_sizes=p.batch_sizes)"])
    layout = r.choice(["", ", batch_first=True"])
    return f"x = {randn(dims)}\np = {pack}\nd = p.data\nf = {feats}\nq = {build}\ny, n = nn.utils.rnn.pad_packed_sequence(q{layout})"


# ── data loading ───────────────────────────────────────────────────────────────

def dataset_tensors(r):
    """Two to three tensors sharing a first axis: float features, long ids or labels."""
    n = r.randint(2, 9)
    made = []
    for _ in range(r.randint(2, 3)):
        rest = sizes(r, r.randint(0, 2))
        made.append(randn([n] + rest) if r.random() < 0.5 else f"torch.randint(0, 5, {tup([n] + rest)})")
    return n, made


@op("TensorDataset", check=("y", "z"))
def _(r):
    n, made = dataset_tensors(r)
    i = r.randrange(n)
    head = "from torch.utils.data import TensorDataset\n"
    form = r.choice(["y, z = ds[{i}][0], ds[{i}][1]", "y = ds[{i}][0]\nz = ds[{i}][-1]", "for y, z, *rest in ds:\n    break"])
    if len(made) == 2 and "*rest" in form:
        form = "for y, z in ds:\n    break"
    return head + f"ds = TensorDataset({', '.join(made)})\n" + form.format(i=i)


@op("DataLoader", check=("y", "z"))
def _(r):
    n, made = dataset_tensors(r)
    b = r.randint(1, n)
    head = "from torch.utils.data import TensorDataset, DataLoader\n"
    form = r.choice([
        "for y, z, *rest in DataLoader(ds, batch_size={b}):\n    break",
        "loader = DataLoader(ds, batch_size={b}, shuffle=True)\nfor batch in loader:\n    y, z = batch[0], batch[1]\n    break",
        "def collate(items):\n    return torch.stack([it[0] for it in items]), torch.stack([it[1] for it in items])\nfor y, z in DataLoader(ds, batch_size={b}, collate_fn=collate):\n    break",
    ])
    if len(made) == 2:
        form = form.replace("y, z, *rest in", "y, z in")
    return head + f"ds = TensorDataset({', '.join(made)})\n" + form.format(b=b)


@op("Subset-random_split", check=("y", "z"))
def _(r):
    # A Subset's samples are its dataset's (dataset[indices[i]]), whatever the indices; random_split gives one Subset
    # per length. The dataset is a TensorDataset or a Dataset of the caller's whose __getitem__ indexes a tensor.
    n, made = dataset_tensors(r)
    made = made[:2]
    head = "from torch.utils.data import DataLoader, Dataset, Subset, TensorDataset, random_split\n"
    k = r.randint(1, n)
    picked = sorted(r.sample(range(n), k))
    cut = r.randint(1, n - 1)
    b = r.randint(1, n)
    # Indices whose items are ints the analysis sees (a written list, a range, random_split's) reach a Dataset of the
    # caller's; a tensor of indices, or a list whose items it does not know, only a TensorDataset, whose samples are its
    # rows whatever the key.
    keyed = [
        f"sub = Subset(ds, {picked})\ny, z = sub[0]",
        f"sub = Subset(ds, range({k}))\nfor y, z in DataLoader(sub, batch_size={b}):\n    break",
        f"train, val = random_split(ds, [{cut}, {n - cut}])\nfor y, z in DataLoader(val, batch_size={b}):\n    break",
        f"parts = random_split(ds, [{cut}, {n - cut}])\ny, z = parts[0][0]",
    ]
    rows_only = [
        f"sub = Subset(ds, torch.randperm({n})[:{k}])\ny, z = sub[{k - 1}]",
        f"order = torch.randperm({n}).tolist()\nsub = Subset(ds, order[:{cut}] + order[{cut}:])\nfor y, z in DataLoader(sub, batch_size={b}, shuffle=True):\n    break",
    ]
    if r.random() < 0.5:
        build = f"ds = TensorDataset({', '.join(made)})\n"
        keyed += rows_only
    else:
        build = (f"class Windows(Dataset):\n    def __init__(self):\n        self.a = {made[0]}\n        self.b = {made[1]}\n"
                 "    def __len__(self):\n        return len(self.a)\n"
                 "    def __getitem__(self, i):\n        return self.a[i], self.b[i]\n"
                 "ds = Windows()\n")
    form = r.choice(keyed)
    return head + build + form


# ── convolution, pooling, attention ─────────────────────────────────────────────

def window_fits(length, kernel, padding, dilation=1):
    return length + 2 * padding - dilation * (kernel - 1) - 1 >= 0


@op("Conv1d")
def _(r):
    bsz, c, length, out = r.randint(1, 4), r.randint(1, 6), r.randint(3, 12), r.randint(1, 6)
    k, stride, pad, dil = r.randint(1, 4), r.randint(1, 3), r.randint(0, 2), r.randint(1, 2)
    form = r.choice([
        "nn.Conv1d({c}, {o}, {k})",
        "nn.Conv1d({c}, {o}, kernel_size={k}, stride={s}, padding={p})",
        "nn.Conv1d(in_channels={c}, out_channels={o}, kernel_size={k}, padding={p}, dilation={d})",
        "nn.Conv1d({c}, {o}, {k}, {s}, {p}, {d})",
        "nn.Conv1d({c}, {o}, {k}, padding='same')",
        "nn.Conv1d({c}, {o}, {k}, stride={s}, padding='valid')",
        "nn.Conv1d({c}, {o}, ({k},), stride=({s},))",
    ])
    shape = [bsz, c, length] if r.random() < 0.85 else [c, length]
    return "m = " + form.format(c=c, o=out, k=k, s=stride, p=pad, d=dil) + f"\nx = {randn(shape)}\ny = m(x)"


@op("Conv2d")
def _(r):
    bsz, c, out = r.randint(1, 3), r.randint(1, 4), r.randint(1, 5)
    h, w = r.randint(4, 12), r.randint(4, 12)
    kh, kw, sh, sw, ph, pw, dh, dw = r.randint(1, 3), r.randint(1, 3), r.randint(1, 3), r.randint(1, 3), r.randint(0, 1), r.randint(0, 1), r.randint(1, 2), r.randint(1, 2)
    form = r.choice([
        "nn.Conv2d({c}, {o}, {kh})",
        "nn.Conv2d({c}, {o}, kernel_size=({kh}, {kw}), stride=({sh}, {sw}))",
        "nn.Conv2d({c}, {o}, ({kh}, {kw}), ({sh}, {sw}), ({ph}, {pw}), ({dh}, {dw}))",
        "nn.Conv2d(in_channels={c}, out_channels={o}, kernel_size={kh}, stride={sh}, padding={ph}, dilation={dh})",
        "nn.Conv2d({c}, {o}, ({kh}, {kw}), padding='same')",
        "nn.Conv2d({c}, {o}, {kw}, stride={sh}, padding='valid')",
    ])
    shape = [bsz, c, h, w] if r.random() < 0.85 else [c, h, w]
    return "m = " + form.format(c=c, o=out, kh=kh, kw=kw, sh=sh, sw=sw, ph=ph, pw=pw, dh=dh, dw=dw) + f"\nx = {randn(shape)}\ny = m(x)"


@op("pool2d")
def _(r):
    bsz, c, h, w = r.randint(1, 3), r.randint(1, 4), r.randint(4, 12), r.randint(4, 12)
    kh, kw = r.randint(1, 3), r.randint(1, 3)
    sh, sw = r.randint(1, 3), r.randint(1, 3)
    ph, pw = r.randint(0, kh // 2), r.randint(0, kw // 2)
    form = r.choice([
        "nn.MaxPool2d({kh})",
        "nn.MaxPool2d(({kh}, {kw}), stride=({sh}, {sw}))",
        "nn.MaxPool2d(kernel_size=({kh}, {kw}), stride={sh}, padding=({ph}, {pw}), ceil_mode=True)",
        "nn.MaxPool2d({kh}, {sh}, {ph}, 1, False, True)",
        "nn.AvgPool2d({kh})",
        "nn.AvgPool2d(({kh}, {kw}), stride=({sh}, {sw}), padding=({ph}, {pw}))",
        "nn.AvgPool2d(kernel_size={kh}, stride={sh}, ceil_mode=True)",
    ])
    if "MaxPool2d({kh}, {sh}, {ph}" in form:
        ph = min(ph, kh // 2)
    shape = [bsz, c, h, w] if r.random() < 0.85 else [c, h, w]
    return "m = " + form.format(kh=kh, kw=kw, sh=sh, sw=sw, ph=ph, pw=pw) + f"\nx = {randn(shape)}\ny = m(x)"


@op("BatchNorm2d")
def _(r):
    bsz, c, h, w = r.randint(2, 3), r.randint(1, 4), r.randint(1, 6), r.randint(1, 6)
    form = r.choice(["nn.BatchNorm2d({c})", "nn.BatchNorm2d(num_features={c}, momentum=0.2)", "nn.InstanceNorm2d({c})"])
    return "m = " + form.format(c=c) + f"\nx = {randn([bsz, c, h, w])}\ny = m(x)"


@op("MaxPool1d")
def _(r):
    bsz, c, length = r.randint(1, 4), r.randint(1, 5), r.randint(2, 14)
    k = r.randint(1, 4)
    stride, pad, dil = r.randint(1, 3), r.randint(0, k // 2), r.randint(1, 2)
    form = r.choice([
        "nn.MaxPool1d({k})",
        "nn.MaxPool1d({k}, stride={s})",
        "nn.MaxPool1d({k}, {s}, {p})",
        "nn.MaxPool1d(kernel_size={k}, stride={s}, padding={p}, dilation={d})",
        "nn.MaxPool1d({k}, stride={s}, padding={p}, ceil_mode=True)",
        "nn.MaxPool1d({k}, {s}, {p}, {d}, ceil_mode=True)",
    ])
    shape = [bsz, c, length] if r.random() < 0.85 else [c, length]
    return "m = " + form.format(k=k, s=stride, p=pad, d=dil) + f"\nx = {randn(shape)}\ny = m(x)"


@op("AvgPool1d")
def _(r):
    bsz, c, length = r.randint(1, 4), r.randint(1, 5), r.randint(2, 14)
    k = r.randint(1, 4)
    stride, pad = r.randint(1, 3), r.randint(0, k // 2)
    form = r.choice(["nn.AvgPool1d({k})", "nn.AvgPool1d({k}, stride={s}, padding={p})", "nn.AvgPool1d({k}, {s}, {p}, True)", "nn.AvgPool1d(kernel_size={k}, ceil_mode=True)"])
    return "m = " + form.format(k=k, s=stride, p=pad) + f"\nx = {randn([bsz, c, length])}\ny = m(x)"


@op("AdaptiveMaxPool1d")
def _(r):
    bsz, c, length, out = r.randint(1, 4), r.randint(1, 5), r.randint(1, 12), r.randint(1, 6)
    form = r.choice(["nn.AdaptiveMaxPool1d({o})", "nn.AdaptiveAvgPool1d({o})", "nn.AdaptiveMaxPool1d(output_size={o})", "nn.AdaptiveAvgPool1d(output_size={o})"])
    shape = [bsz, c, length] if r.random() < 0.85 else [c, length]
    return "m = " + form.format(o=out) + f"\nx = {randn(shape)}\ny = m(x)"


@op("AdaptivePool2d3d")
def _(r):
    # nn.AdaptiveAvgPool2d / nn.AdaptiveMaxPool2d and the 3-D forms on batched or unbatched maps: one int for every
    # spatial axis, or one entry per axis with None keeping that axis.
    n = r.choice([2, 3])
    kind = r.choice(["Avg", "Max"])
    spatial = sizes(r, n, 1, 9)
    shape = ([r.randint(1, 3)] if r.random() < 0.8 else []) + [r.randint(1, 4)] + spatial
    entries = [r.choice(["None", str(r.randint(1, 5))]) for _ in range(n)]
    size = r.choice([str(r.randint(1, 5)), "(" + ", ".join(entries) + ")", "output_size=(" + ", ".join(entries) + ")"])
    return f"m = nn.Adaptive{kind}Pool{n}d({size})\nx = {randn(shape)}\ny = m(x)"


def heads_and_width(r):
    h = r.randint(1, 4)
    return h, h * r.randint(1, 4)


@op("MultiheadAttention", check=("y", "w"))
def _(r):
    h, e = heads_and_width(r)
    bsz, tgt, src = r.randint(1, 4), r.randint(1, 6), r.randint(1, 6)
    bf = r.choice([True, False])
    kd = r.choice([None, r.randint(1, 7)])
    qshape = [bsz, tgt, e] if bf else [tgt, bsz, e]
    kshape = [bsz, src, kd or e] if bf else [src, bsz, kd or e]
    unbatched = r.random() < 0.15
    if unbatched:
        qshape, kshape = [tgt, e], [src, kd or e]
    kdims = f", kdim={kd}, vdim={kd}" if kd else ""
    avg = r.choice(["", ", average_attn_weights=False", ", average_attn_weights=True"])
    self_attn = r.random() < 0.4 and not kd
    call = "m(x, x, x" if self_attn else "m(x, k, k"
    ctor = f"nn.MultiheadAttention({e}, {h}, batch_first={bf}{kdims})" if r.random() < 0.5 else f"nn.MultiheadAttention(embed_dim={e}, num_heads={h}{kdims}, batch_first={bf})"
    return f"m = {ctor}\nx = {randn(qshape)}\nk = {randn(kshape)}\ny, w = {call}{avg})"


@op("TransformerEncoderLayer")
def _(r):
    h, e = heads_and_width(r)
    bsz, t = r.randint(1, 4), r.randint(1, 6)
    bf = r.choice([True, False])
    shape = [bsz, t, e] if bf else [t, bsz, e]
    if r.random() < 0.15:
        shape = [t, e]
    ff = r.randint(2, 16)
    form = r.choice(["nn.TransformerEncoderLayer({e}, {h}, {ff}, batch_first={bf})", "nn.TransformerEncoderLayer(d_model={e}, nhead={h}, dim_feedforward={ff}, dropout=0.0, batch_first={bf})", "nn.TransformerEncoderLayer({e}, {h}, dim_feedforward={ff}, batch_first={bf}, norm_first=True)"])
    return "m = " + form.format(e=e, h=h, ff=ff, bf=bf) + f"\nx = {randn(shape)}\ny = m(x)"


@op("TransformerEncoder")
def _(r):
    h, e = heads_and_width(r)
    bsz, t = r.randint(1, 4), r.randint(1, 6)
    bf = r.choice([True, False])
    shape = [bsz, t, e] if bf else [t, bsz, e]
    layers = r.randint(1, 3)
    norm = r.choice(["", f", norm=nn.LayerNorm({e})"])
    mask = r.choice(["", f", mask=torch.zeros({t}, {t})", f", src_key_padding_mask=torch.zeros({bsz}, {t}, dtype=torch.bool)"])
    return f"layer = nn.TransformerEncoderLayer({e}, {h}, {r.randint(2, 16)}, batch_first={bf})\nm = nn.TransformerEncoder(layer, {layers}{norm})\nx = {randn(shape)}\ny = m(x{mask})"


@op("TransformerDecoderLayer")
def _(r):
    h, e = heads_and_width(r)
    bsz, t, s = r.randint(1, 4), r.randint(1, 6), r.randint(1, 6)
    bf = r.choice([True, False])
    tshape = [bsz, t, e] if bf else [t, bsz, e]
    mshape = [bsz, s, e] if bf else [s, bsz, e]
    stack = r.random() < 0.5
    ctor = f"nn.TransformerDecoderLayer({e}, {h}, {r.randint(2, 16)}, batch_first={bf})"
    if stack:
        ctor = f"nn.TransformerDecoder({ctor}, num_layers={r.randint(1, 3)})"
    mask = r.choice(["", f", tgt_mask=torch.zeros({t}, {t})", f", memory_key_padding_mask=torch.zeros({bsz}, {s}, dtype=torch.bool)"])
    return f"m = {ctor}\nx = {randn(tshape)}\nmem = {randn(mshape)}\ny = m(x, mem{mask})"


@op("Transformer")
def _(r):
    h, e = heads_and_width(r)
    bsz, t, s = r.randint(1, 4), r.randint(1, 6), r.randint(1, 6)
    bf = r.choice([True, False])
    sshape = [bsz, s, e] if bf else [s, bsz, e]
    tshape = [bsz, t, e] if bf else [t, bsz, e]
    n_enc, n_dec, ff = r.randint(1, 2), r.randint(1, 2), r.randint(2, 16)
    form = r.choice([
        "nn.Transformer({e}, {h}, {ne}, {nd}, {ff}, batch_first={bf})",
        "nn.Transformer(d_model={e}, nhead={h}, num_encoder_layers={ne}, num_decoder_layers={nd}, dim_feedforward={ff}, batch_first={bf})",
    ])
    mask = r.choice(["", f", tgt_mask=m.generate_square_subsequent_mask({t})", f", tgt_mask=nn.Transformer.generate_square_subsequent_mask({t})"])
    return "m = " + form.format(e=e, h=h, ne=n_enc, nd=n_dec, ff=ff, bf=bf) + f"\nsrc = {randn(sshape)}\ntgt = {randn(tshape)}\ny = m(src, tgt{mask})"


@op("generate_square_subsequent_mask")
def _(r):
    n = r.randint(1, 12)
    form = r.choice(["nn.Transformer.generate_square_subsequent_mask({n})", "m.generate_square_subsequent_mask({n})", "m.generate_square_subsequent_mask(sz={n})"])
    return f"m = nn.Transformer(8, 2, 1, 1, 16)\ny = " + form.format(n=n)


@op("index-tensor")
def _(r):
    s = sizes(r, 3, 2, 6)
    ax = r.randrange(3)
    n = s[ax]
    idx_shape = sizes(r, r.randint(0, 2), 1, 4)
    idx = r.choice([
        f"torch.randint(0, {n}, {tup(idx_shape)})",
        f"torch.randint(0, {n}, {tup(idx_shape)}).long()",
        f"torch.arange({n})",
        f"torch.randperm({n})",
        f"torch.randn({n}).sort()[1]",
        f"torch.randn({n}).sort(descending=True)[1]",
        f"torch.randn({n}).argsort()",
        f"torch.argsort(torch.randn({n}))",
    ])
    lead = ", ".join([":"] * ax)
    form = r.choice([
        "x[{lead}idx]",
        "x[{lead}idx, 0]" if ax < 2 else "x[{lead}idx]",
        "x[None, {lead}idx]",
        "x[1, {lead}idx]" if ax < 2 else "x[..., idx]",
        "x[{lead}idx, 1:]" if ax < 2 else "x[:1, {lead1}idx]",
    ])
    return f"x = {randn(s)}\nidx = {idx}\ny = " + form.format(lead=lead + ", " if lead else "", lead1=", ".join([":"] * (ax - 1)) + ", " if ax > 1 else "")


@op("T")
def _(r):
    # .T reverses every axis (a 0-D or 1-D tensor stays as it is); t() swaps a matrix's two axes.
    s = sizes(r, r.randint(0, 4))
    form = r.choice(["x.T", "x.T.contiguous()"] + (["x.t()"] if len(s) <= 2 else []))
    return f"x = {randn(s)}\ny = {form}"


@op("pool2d-functional")
def _(r):
    # F.max_pool2d / F.avg_pool2d and the adaptive forms on (N, C, H, W) or (C, H, W): an int window for both axes or a
    # pair, the window read off the tensor (`x.size(2)`, `x.size()[2:]`), and None in an adaptive size keeping an axis.
    c, h, w = r.randint(1, 4), r.randint(2, 12), r.randint(2, 12)
    s = ([r.randint(1, 3)] if r.random() < 0.8 else []) + [c, h, w]
    kh, kw = r.randint(1, min(h, 4)), r.randint(1, min(w, 4))
    sh, sw = r.randint(1, 3), r.randint(1, 3)
    ph, pw = r.randint(0, kh // 2), r.randint(0, kw // 2)
    n = len(s)
    kind = r.choice(["max", "avg"])
    ceil = r.choice(["", ", ceil_mode=True"])
    form = r.choice([
        f"F.{kind}_pool2d(x, {kh})",
        f"F.{kind}_pool2d(x, ({kh}, {kw}), stride=({sh}, {sw}), padding=({ph}, {pw}){ceil})",
        f"F.{kind}_pool2d(x, kernel_size={kh}, stride={sh}, padding={ph}{ceil})",
        f"F.{kind}_pool2d(x, ({kh}, {kw}), {sh})",
        f"F.{kind}_pool2d(x, kernel_size=(x.size({n - 2}), {kw}))",
        f"F.{kind}_pool2d(x, kernel_size=(x.size({n - 2}), 1)).squeeze({n - 2})",
        f"F.{kind}_pool2d(x, x.size()[{n - 2}:])",
        f"F.adaptive_{kind}_pool2d(x, {r.randint(1, 5)})",
        f"F.adaptive_{kind}_pool2d(x, ({r.randint(1, 5)}, {r.choice(['None', str(r.randint(1, 5))])}))",
        f"F.adaptive_{kind}_pool2d(x, output_size=(None, {r.randint(1, 5)}))",
    ])
    return f"x = {randn(s)}\ny = {form}"


@op("interpolate")
def _(r):
    # F.interpolate / F.upsample on (N, C, L), (N, C, H, W) or (N, C, D, H, W): each spatial axis takes `size` (one int
    # for all, or one per axis) or floor(length * scale_factor); batch and channels stay.
    k = r.randint(1, 3)
    s = [r.randint(1, 3), r.randint(1, 4)] + sizes(r, k, 1, 9)
    mode = r.choice(["'nearest'", {1: "'linear'", 2: "'bilinear'", 3: "'trilinear'"}[k]])
    corners = ", align_corners=False" if mode != "'nearest'" else ""
    per = sizes(r, k, 1, 12)
    scale = r.choice([2, 3, 0.5, 1.5, 2.5])
    fn = r.choice(["F.interpolate", "F.upsample"])
    form = r.choice([
        f"{fn}(x, size={per[0]}, mode={mode}{corners})",
        f"{fn}(x, size={tup(per)}, mode={mode}{corners})",
        f"{fn}(x, {tup(per)})",
        f"{fn}(x, scale_factor={scale}, mode={mode}{corners})",
        f"{fn}(x, None, {scale})",
        f"{fn}(x, size=x.shape[2:])",
    ])
    return f"x = {randn(s)}\ny = {form}"


@op("pool2d-opaque")
def _(r):
    # A height the analyzer cannot read (`n` from a tensor's item): pooling over the whole of it still leaves one row.
    c, w = r.randint(1, 4), r.randint(1, 8)
    n = f"n = int(torch.randint({r.randint(1, 3)}, 9, (1,)).item())\n"
    lead = f"{r.randint(1, 3)}, " if r.random() < 0.8 else ""
    h = 1 if lead else 0
    kind = r.choice(["max", "avg"])
    form = r.choice([
        f"F.{kind}_pool2d(x, kernel_size=(x.size({h + 1}), 1))",
        f"F.{kind}_pool2d(x, (x.size({h + 1}), 1)).squeeze({h + 1})",
        f"F.{kind}_pool2d(x, (x.size({h + 1}), {r.randint(1, w)}), stride=(x.size({h + 1}), 1))",
    ])
    return f"{n}x = torch.randn({lead}{c}, n, {w})\ny = {form}"



@op("eye")
def _(r):
    # torch.eye(n, m=None) and np.eye(N, M=None, k=0): n rows of m columns, m defaulting to n.
    n, m = r.randint(1, 8), r.randint(1, 8)
    form = r.choice([
        f"torch.eye({n})",
        f"torch.eye({n}, {m})",
        f"torch.eye({n}, m={m})",
        f"torch.eye({n}, dtype=torch.long)",
        f"torch.from_numpy(np.eye({n}))",
        f"torch.from_numpy(np.eye({n}, {m}))",
        f"torch.from_numpy(np.eye({n}, M={m}, k={r.randint(-2, 2)}))",
        f"torch.FloatTensor(np.eye({n}))",
    ])
    return f"import numpy as np\ny = {form}"


@op("index-int-list")
def _(r):
    # A list of ints indexes like a 1-D int64 tensor: its length replaces the axis it stands on.
    s = sizes(r, r.randint(1, 4), 2, 6)
    ids = [r.randrange(s[0]) for _ in range(r.randint(1, 5))]
    last = [r.randrange(s[-1]) for _ in range(r.randint(1, 4))]
    form = r.choice([
        f"x[{ids}]",
        f"x[{ids}, ...]",
        f"x[..., {last}]",
        f"torch.FloatTensor(np.eye({s[0]})[{ids}])",
        f"torch.FloatTensor([np.eye({s[-1]})[{last}] for _ in range({r.randint(1, 4)})])",
    ])
    return f"import numpy as np\nx = {randn(s)}\ny = {form}"


@op("legacy-alike-rows")
def _(r):
    # torch.FloatTensor / torch.Tensor over a list of arrays of one shape the analyzer cannot read (`n` from a tensor's
    # item; ids looked up in a dict comprehension over a set): PyTorch raises unless they agree, so the rank is known.
    n = f"n = int(torch.randint({r.randint(4, 6)}, 9, (1,)).item())\n"
    words = "".join(r.sample("abcdefgh", r.randint(3, 6)))
    vocab = f"vocab = {{w: i for i, w in enumerate(set({words!r}))}}\n"
    k, m = r.randint(1, 5), r.randint(1, len(words))
    ids = f"[vocab[c] for c in {words[:m]!r}]"
    ctor = r.choice(["torch.FloatTensor", "torch.Tensor"])
    form = r.choice([
        f"rows = [np.eye(n)[{ids}] for _ in range({k})]\ny = {ctor}(rows)",
        f"rows = []\nfor _ in range({k}):\n    rows.append(np.eye(n)[{ids}])\ny = {ctor}(rows)",
        f"rows = [np.zeros((n, {m})) for _ in range({k})]\ny = {ctor}(rows)",
        f"y = {ctor}([np.eye(len(vocab))[{ids}], np.eye(len(vocab))[{ids}]])",
    ])
    return f"import numpy as np\n{n}{vocab}{form}"

@op("outer")
def _(r):
    # The outer product of two vectors: (n,) and (m,) give (n, m); ger is its older name.
    n, m = r.randint(1, 9), r.randint(1, 9)
    form = r.choice(["torch.outer(a, b)", "torch.ger(a, b)", "a.outer(b)", "a.ger(b)"])
    return f"a = {randn([n])}\nb = {randn([m])}\ny = {form}"


@op("meshgrid", check=("y", "z"))
def _(r):
    # Coordinate grids: N tensors of 0 or 1 axes give N tensors of shape (s1, ..., sN); indexing='xy' swaps the first
    # two sizes; without indexing (or indexing=None) PyTorch 1.13 takes 'ij'. The inputs may come as one list.
    n = r.randint(2, 3)
    inputs = [randn([]) if r.random() < 0.15 else randn([r.randint(1, 6)]) for _ in range(n)]
    indexing = r.choice(["", ", indexing='ij'", ", indexing='xy'", ", indexing=None"])
    names = ["y", "z", "w"][:n]
    listed = r.random() < 0.3
    given = ("[" + ", ".join(inputs) + "]") if listed else ", ".join(inputs)
    return f"{', '.join(names)} = torch.meshgrid({given}{indexing})"


@op("loss-reduction")
def _(r):
    # An elementwise loss module: a scalar with reduction 'mean' or 'sum' (the default 'mean'), one loss per element
    # of input and target with reduction='none' or the legacy reduce=False, however the arguments are passed.
    # (HuberLoss is left out: the analyzer gives no value for it yet.)
    s = sizes(r, r.randint(1, 4))
    kind = r.choice(["MSELoss", "L1Loss", "SmoothL1Loss", "BCELoss", "BCEWithLogitsLoss", "KLDivLoss"])
    reduction = r.choice(["'none'", "'mean'", "'sum'", None])
    legacy = {"MSELoss": 1, "L1Loss": 1, "SmoothL1Loss": 1, "KLDivLoss": 1, "BCELoss": 2, "BCEWithLogitsLoss": 2}.get(kind)
    if reduction is None and legacy is not None and r.random() < 0.5:
        given = r.choice(["reduce=False", "reduce=True", "None, False" if legacy == 1 else "None, None, False"])
    elif reduction is None:
        given = ""
    else:
        given = f"reduction={reduction}"
    x = f"torch.sigmoid({randn(s)})" if kind == "BCELoss" else randn(s)
    t = f"torch.rand({args(s)})"
    return f"x = {x}\nt = {t}\ncriterion = nn.{kind}({given})\ny = criterion(x, t)"


@op("glu")
def _(r):
    # F.glu halves the axis it gates over (the last by default); only even sizes run.
    s = sizes(r, r.randint(1, 4))
    a = axis(r, len(s))
    s[a] = 2 * r.randint(1, 4)
    if r.random() < 0.3:
        s[-1] = 2 * r.randint(1, 4)
        return f"x = {randn(s)}\ny = F.glu(x)"
    form = r.choice(["F.glu(x, {a})", "F.glu(x, dim={a})", "F.glu(input=x, dim={a})"])
    return f"x = {randn(s)}\ny = " + form.format(a=a)


EINSUMS = [
    # (equation, operand subscripts): every subscript gets a size, some operands a 1 that broadcasts.
    ("ij,jk->ik", ["ij", "jk"]), ("bij,bjk->bik", ["bij", "bjk"]), ("bhqd,bhkd->bhqk", ["bhqd", "bhkd"]),
    ("ibnd,jbnd->ijbn", ["ibnd", "jbnd"]), ("ibnd,jnd->ijbn", ["ibnd", "jnd"]), ("ij,jk", ["ij", "jk"]),
    ("i,j->ij", ["i", "j"]), ("ii->i", ["ii"]), ("ij->", ["ij"]), ("ij->j", ["ij"]), ("bi,bj->bij", ["bi", "bj"]),
    ("...ij,jk->...ik", ["...ij", "jk"]), ("...d,...d->...", ["...d", "...d"]), ("bnd,d->bn", ["bnd", "d"]),
    ("Ba,aB", ["Ba", "aB"]), ("nlh,nsh->nls", ["nlh", "nsh"]), ("b i d, b j d -> b i j", ["bid", "bjd"]),
]


@op("einsum")
def _(r):
    # torch.einsum: the output names its axes (implicitly: every subscript used once, in alphabetical order), each of
    # the size the operands give it; operands passed one by one, as a tuple or as a list.
    equation, terms = r.choice(EINSUMS)
    size = {c: r.randint(1, 5) for c in "abcdefghijklmnopqrstuvwxyzB"}
    shapes = []
    for term in terms:
        lead = sizes(r, r.randint(0, 2)) if term.startswith("...") else []
        shapes.append(lead + [1 if r.random() < 0.15 else size[c] for c in term.replace("...", "")])
    operands = ", ".join(randn(s) for s in shapes)
    form = r.choice(["torch.einsum('{e}', {o})", "torch.einsum('{e}', ({o},))", "torch.einsum('{e}', [{o}])"])
    return "y = " + form.format(e=equation, o=operands)


@op("np-trim-zeros")
def _(r):
    # np.trim_zeros cuts the leading and/or trailing zeros of a 1-D array: 1-D, its dtype, a length the values decide.
    n = r.randint(0, 7)
    values = [r.choice([0, 0, r.randint(1, 9)]) for _ in range(n)]
    made = r.choice([f"np.array({values})", f"np.array({values}, dtype=np.float32)", f"np.zeros({n})", f"np.ones({max(n, 1)})"])
    trim = r.choice(["", ", 'f'", ", 'b'", ", trim='fb'"])
    return f"import numpy as np\na = {made}\ny = torch.from_numpy(np.trim_zeros(a{trim}).copy())"


@op("np-triangle")
def _(r):
    # np.triu / np.tril keep the array's shape; a 1-D array of n entries gives (n, n).
    s = sizes(r, r.randint(1, 4))
    fn = r.choice(["triu", "tril"])
    k = r.choice(["", ", 1", ", k=-1", ", k=2"])
    made = r.choice(["np.ones({t})", "np.random.rand({a})", "np.zeros({t})"]).format(t=tup(s), a=args(s))
    return f"import numpy as np\na = {made}\ny = torch.from_numpy(np.{fn}(a{k}))"


@op("np-random-generator")
def _(r):
    # np.random.default_rng(seed)'s methods (random, uniform, normal, standard_normal, integers) and np.random.normal:
    # arrays of size.
    s = sizes(r, r.randint(1, 3))
    size = r.choice([tup(s), f"size={tup(s)}"]) if len(s) > 1 else r.choice([tup(s), str(s[0]), f"size={s[0]}"])
    rng = r.choice(["np.random.default_rng({})".format(r.randint(0, 9)), "np.random.default_rng()"])
    form = r.choice([
        f"rng.random({size})",
        f"rng.uniform(0.0, 1.0, {size})",
        f"rng.uniform(low=-1, high=1, size={tup(s)})",
        f"rng.normal(0.0, 1.0, {size})",
        f"rng.normal(size={tup(s)})",
        f"rng.standard_normal({size})",
        f"rng.integers(0, 10, {size})",
        f"rng.integers({r.randint(2, 9)}, size={tup(s)})",
        f"rng.integers(1, 5, size={tup(s)}, endpoint=True)",
        f"np.random.normal(0.0, 1.0, {size})",
        f"np.random.standard_normal({size})",
    ])
    return f"import numpy as np\nrng = {rng}\ny = torch.from_numpy({form})"


@op("addmm")
def _(r):
    # torch.addmm(input, mat1, mat2) is input + mat1 @ mat2, (n, p), with input broadcast to it.
    n, m, p = r.randint(1, 6), r.randint(1, 6), r.randint(1, 6)
    bias = r.choice([[p], [n, p], [1, p], [n, 1], [1], []])
    form = r.choice(["torch.addmm(b, m1, m2)", "b.addmm(m1, m2)", "torch.addmm(b, m1, m2, beta=0.5, alpha=2)", "torch.addmm(input=b, mat1=m1, mat2=m2)"])
    return f"b = {randn(bias)}\nm1 = {randn([n, m])}\nm2 = {randn([m, p])}\ny = {form}"


@op("baddbmm")
def _(r):
    # torch.baddbmm(input, batch1, batch2) is input + batch1 @ batch2, (b, n, p), with input broadcast to it.
    b, n, m, p = r.randint(1, 4), r.randint(1, 5), r.randint(1, 5), r.randint(1, 5)
    bias = r.choice([[p], [n, p], [b, n, p], [1, n, 1], [b, 1, p], [1], []])
    form = r.choice(["torch.baddbmm(i, b1, b2)", "i.baddbmm(b1, b2)", "torch.baddbmm(i, b1, b2, beta=0.5, alpha=2)", "torch.baddbmm(input=i, batch1=b1, batch2=b2)"])
    return f"i = {randn(bias)}\nb1 = {randn([b, n, m])}\nb2 = {randn([b, m, p])}\ny = {form}"


@op("functional-loss")
def _(r):
    # The loss functions of F: a scalar with reduction 'mean' or 'sum' (the default) or the legacy size_average, one
    # loss per element (per sample and position for cross_entropy and nll_loss, the class axis 1 gone) with
    # reduction='none' or the legacy reduce=False, however the arguments are passed.
    fn = r.choice(["cross_entropy", "nll_loss", "mse_loss", "l1_loss", "smooth_l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div", "huber_loss"])
    if fn in ("cross_entropy", "nll_loss"):
        s = sizes(r, r.randint(1, 4))
        c = s[1] if len(s) > 1 else s[0]
        target_shape = [d for i, d in enumerate(s) if i != 1] if len(s) > 1 else []
        x = randn(s)
        t = f"torch.randint(0, {c}, {tup(target_shape)})" if target_shape else f"torch.tensor({r.randrange(c)})"
    else:
        s = sizes(r, r.randint(1, 4))
        x = f"torch.sigmoid({randn(s)})" if fn == "binary_cross_entropy" else randn(s)
        t = f"torch.rand({args(s)})"
    legacy = fn != "huber_loss"
    given = r.choice(["", ", reduction='none'", ", reduction='mean'", ", reduction='sum'"] + ([", reduce=False", ", reduce=True", ", size_average=False", ", size_average=False, reduce=False"] if legacy else []))
    return f"x = {x}\nt = {t}\ny = F.{fn}(x, t{given})"


@op("F.pad")
def _(r):
    # F.pad grows the last len(pad) / 2 axes, from the last backwards, by their two pads (negative ones crop).
    s = sizes(r, r.randint(1, 4))
    k = r.randint(1, len(s))
    pads = [r.randint(-1, 3) for _ in range(2 * k)]
    form = r.choice(["F.pad(x, {p})", "F.pad(x, pad={p})", "F.pad(x, {p}, value=0.5)", "F.pad(x, {p}, 'constant', 0)", "F.pad(input=x, pad={p})"])
    p = tup(pads) if r.random() < 0.7 else "[" + args(pads) + "]"
    return f"x = {randn(s)}\ny = " + form.format(p=p)


@op("padding-modules")
def _(r):
    # nn.ZeroPad2d and nn.{Constant,Reflection,Replication}Pad{1,2,3}d pad as F.pad does: an int pads both sides of the
    # last N axes, a tuple pads the last axes from the last one backwards. Reflection and replication take inputs of
    # rank N + 1 or N + 2, and reflection pads below each padded axis's size.
    n = r.randint(1, 3)
    kind = r.choice(["ZeroPad2d", f"ConstantPad{n}d", f"ReflectionPad{n}d", f"ReplicationPad{n}d"])
    n = 2 if kind == "ZeroPad2d" else n
    constant = kind.startswith(("Zero", "Constant"))
    rank = r.randint(n, 4) if constant else r.choice([n + 1, n + 2])
    s = sizes(r, rank, 2, 6)
    lo = -1 if constant else 0
    if r.random() < 0.4:
        p = str(r.randint(0, 1 if kind.startswith("Reflection") else 3))
    else:
        k = r.randint(1, n) if constant else n
        pads = [r.randint(lo, 3) for _ in range(2 * k)]
        if kind.startswith("Reflection"):
            pads = [min(v, s[rank - 1 - i // 2] - 1) for i, v in enumerate(pads)]
        p = tup(pads)
    given = f"{p}, 0.5" if kind.startswith("Constant") else p
    if r.random() < 0.3:
        given = f"padding={p}" + (", value=0.5" if kind.startswith("Constant") else "")
    return f"x = {randn(s)}\nm = nn.{kind}({given})\ny = m(x)"


@op("F.conv1d")
def _(r):
    # F.conv1d: (N, C, L) or (C, L) with a weight (O, C / groups, K) gives (N, O, L') or (O, L'), L' by the window
    # formula; padding 'same' (stride 1 only) keeps L, 'valid' is no padding.
    g = r.choice([1, 1, 2])
    c, o, k = g * r.randint(1, 3), g * r.randint(1, 3), r.randint(1, 4)
    d = r.randint(1, 2)
    length = d * (k - 1) + r.randint(1, 8)
    x = [r.randint(1, 3), c, length] if r.random() < 0.7 else [c, length]
    w = f"torch.randn({o}, {c // g}, {k})"
    opts = []
    padding = r.choice(["", "", "'same'", "'valid'", str(r.randint(0, 2))])
    stride = "1" if padding == "'same'" else str(r.randint(1, 3))
    form = r.random()
    if form < 0.4:
        call = f"F.conv1d(x, w, None, {stride}, {padding or 0}, {d}, {g})"
    elif form < 0.7:
        for name, v in [("stride", stride), ("padding", padding), ("dilation", str(d)), ("groups", str(g))]:
            if v and (v != "1" or r.random() < 0.5) or name == "groups" and g > 1 or name == "dilation" and d > 1:
                opts.append(f"{name}={v}")
        call = "F.conv1d(input=x, weight=w" + "".join(", " + a for a in opts) + ")"
    else:
        stride_t = f"({stride},)" if r.random() < 0.5 else stride
        call = f"torch.conv1d(x, w, torch.randn({o}), stride={stride_t}, padding={padding or 0}, dilation={d}, groups={g})"
    return f"x = {randn(x)}\nw = {w}\ny = {call}"


@op("ConvTranspose1d")
def _(r):
    # The transposed window rule: (L - 1)*stride - 2*padding + dilation*(kernel - 1) + output_padding + 1, with
    # output_padding smaller than the stride or the dilation; a forward's output_size picks one size within a stride.
    bsz, c, out, length = r.randint(1, 3), r.randint(1, 5), r.randint(1, 5), r.randint(1, 9)
    k, s, d = r.randint(1, 4), r.randint(1, 3), r.randint(1, 2)
    op_ = r.randrange(max(s, d))
    p = r.randint(0, ((length - 1) * s + d * (k - 1) + op_) // 2)
    form = r.choice([
        "nn.ConvTranspose1d({c}, {o}, {k})",
        "nn.ConvTranspose1d({c}, {o}, kernel_size={k}, stride={s}, padding={p})",
        "nn.ConvTranspose1d({c}, {o}, {k}, {s}, {p}, {op})",
        "nn.ConvTranspose1d(in_channels={c}, out_channels={o}, kernel_size=({k},), stride=({s},), output_padding={op}, dilation={d})",
        "nn.ConvTranspose1d({c}, {o}, {k}, stride={s}, padding={p}, output_padding={op}, groups=1, bias=False, dilation={d})",
    ])
    shape = [bsz, c, length] if r.random() < 0.85 else [c, length]
    call = "m(x)"
    if r.random() < 0.25:
        p = r.randint(0, ((length - 1) * s + d * (k - 1)) // 2)
        least = (length - 1) * s - 2 * p + d * (k - 1) + 1
        form = "nn.ConvTranspose1d({c}, {o}, {k}, stride={s}, padding={p}, dilation={d})"
        want = least + r.randrange(s)
        call = r.choice([f"m(x, output_size=[{want}])", f"m(x, {tup(shape[:-1] + [want])})"])
    return "m = " + form.format(c=c, o=out, k=k, s=s, p=p, op=op_, d=d) + f"\nx = {randn(shape)}\ny = {call}"


@op("ConvTranspose2d")
def _(r):
    # The 2-D and 3-D layers: the same rule on each spatial axis with its own kernel, stride, padding and dilation.
    n = r.choice([2, 2, 3])
    bsz, c, out = r.randint(1, 2), r.randint(1, 4), r.randint(1, 4)
    size = [r.randint(1, 6) for _ in range(n)]
    k = [r.randint(1, 3) for _ in range(n)]
    s = [r.randint(1, 3) for _ in range(n)]
    d = [r.randint(1, 2) for _ in range(n)]
    op_ = [r.randrange(max(si, di)) for si, di in zip(s, d)]
    p = [r.randint(0, ((z - 1) * si + di * (ki - 1) + oi) // 2) for z, si, di, ki, oi in zip(size, s, d, k, op_)]
    kind = f"nn.ConvTranspose{n}d"
    form = r.choice([
        f"{kind}({c}, {out}, {k[0]})",
        f"{kind}({c}, {out}, {tup(k)}, stride={tup(s)})",
        f"{kind}({c}, {out}, {tup(k)}, {tup(s)}, {tup(p)}, {tup(op_)}, 1, True, {tup(d)})",
        f"{kind}(in_channels={c}, out_channels={out}, kernel_size={tup(k)}, stride={tup(s)}, padding={tup(p)}, output_padding={tup(op_)}, dilation={tup(d)})",
    ])
    shape = [bsz, c] + size if r.random() < 0.85 else [c] + size
    return f"m = {form}\nx = {randn(shape)}\ny = m(x)"


@op("F.conv_transpose1d")
def _(r):
    # F.conv_transpose1d: a weight (C, O / groups, K) gives O channels; the length by the transposed window rule.
    g = r.choice([1, 1, 2])
    c, o, k = g * r.randint(1, 3), r.randint(1, 3), r.randint(1, 4)
    s, d = r.randint(1, 3), r.randint(1, 2)
    length = r.randint(1, 8)
    op_ = r.randrange(max(s, d))
    p = r.randint(0, ((length - 1) * s + d * (k - 1) + op_) // 2)
    x = [r.randint(1, 3), c, length] if r.random() < 0.7 else [c, length]
    w = f"torch.randn({c}, {o}, {k})"
    form = r.random()
    if form < 0.4:
        call = f"F.conv_transpose1d(x, w, None, {s}, {p}, {op_}, {g}, {d})"
    elif form < 0.7:
        call = f"F.conv_transpose1d(x, w, stride={s}, padding={p}, output_padding={op_}, groups={g}, dilation={d})"
    else:
        call = f"torch.conv_transpose1d(x, w, torch.randn({o * g}), stride=({s},), padding={p}, output_padding={op_}, groups={g}, dilation={d})"
    return f"x = {randn(x)}\nw = {w}\ny = {call}"


@op("window-over-symbol")
def _(r):
    # Windows over a size the analyzer names but cannot number: `n`, a parameter of a class it never sees built (it
    # runs __init__ with n as a symbol; PyTorch runs the class through vars(), which the analyzer cannot follow). A
    # kernel that is the whole axis leaves one step whatever the stride; a stride-1 window padded by half its span
    # (or padding='same') keeps the axis, so a later window over n again leaves one step. Each case squeezes that step.
    b, c, o, n, w = r.randint(1, 3), r.randint(1, 4), r.randint(1, 5), r.randint(1, 9), r.randint(1, 6)
    k, s, d = r.randint(1, 4), r.randint(1, 3), r.randint(1, 2)
    keep_k = k if d * (k - 1) % 2 == 0 else k + 1  # 2·padding = dilation·(kernel − 1)
    keep_p = d * (keep_k - 1) // 2
    odd = 2 * r.randint(0, 2) + 1
    ceil = r.choice(["", ", ceil_mode=True"])
    layer, body = r.choice([
        (f"nn.Conv2d({c}, {o}, ({k}, n))", f"self.m(torch.randn({b}, {c}, {k + w}, self.n)).squeeze(3)"),
        (f"nn.Conv2d({c}, {o}, (n, {k}), stride=({s}, 1))", f"self.m(torch.randn({b}, {c}, self.n, {k + w})).squeeze(2)"),
        (f"nn.Conv2d(in_channels={c}, out_channels={o}, kernel_size=(n, n), stride={s})", f"self.m(torch.randn({c}, self.n, self.n)).squeeze(2).squeeze(1)"),
        (f"nn.Conv1d({c}, {o}, n, stride={s})", f"self.m(torch.randn({b}, {c}, self.n)).squeeze(2)"),
        (f"nn.Conv1d({c}, {o}, {keep_k}, padding={keep_p}, dilation={d})", f"F.max_pool1d(self.m(torch.randn({b}, {c}, self.n)), self.n).squeeze(2)"),
        (f"nn.Conv1d({c}, {o}, {k}, padding='same', dilation={d})", f"F.avg_pool1d(self.m(torch.randn({b}, {c}, self.n)), self.n).squeeze(-1)"),
        (f"nn.Conv2d({c}, {o}, ({k}, {odd}), padding='same')", f"F.max_pool2d(self.m(torch.randn({b}, {c}, {k + w}, self.n)), ({k + w}, self.n)).squeeze(3)"),
        (f"nn.MaxPool1d(n, stride={s}{ceil})", f"self.m(torch.randn({b}, {c}, self.n)).squeeze(2)"),
        (f"nn.AvgPool1d(n, {s})", f"self.m(torch.randn({c}, self.n)).squeeze(1)"),
        (f"nn.MaxPool1d({odd}, stride=1, padding={odd // 2}{ceil})", f"F.avg_pool1d(self.m(torch.randn({b}, {c}, self.n)), self.n).squeeze(2)"),
        (f"nn.MaxPool2d((n, 1))", f"self.m(torch.randn({b}, {c}, self.n, {w})).squeeze(2)"),
        (f"nn.AvgPool2d(({k}, n), stride=(1, {s}))", f"self.m(torch.randn({b}, {c}, {k + w}, self.n)).squeeze(3)"),
        ("None", f"F.max_pool1d(torch.randn({b}, {c}, self.n), self.n, {s}{ceil}).squeeze(2)"),
        ("None", f"F.avg_pool1d(torch.randn({c}, self.n), kernel_size=self.n, stride={s}).squeeze(1)"),
        ("None", f"F.max_pool2d(torch.randn({b}, {c}, {w}, self.n), (1, self.n), stride=({s}, {s})).squeeze(3)"),
        ("None", f"F.max_pool1d(F.max_pool1d(torch.randn({b}, {c}, self.n), {odd}, 1, {odd // 2}), self.n).squeeze(2)"),
    ])
    return (
        "class M(nn.Module):\n"
        "    def __init__(self, n):\n"
        "        super().__init__()\n"
        "        self.n = n\n"
        f"        self.m = {layer}\n"
        "    def forward(self):\n"
        f"        y = {body}\n"
        "        return y\n"
        f"y = vars()['M']({n})()"
    )


ELEMENTWISE_LOSSES = {
    # module: (functional name, legacy parameters before `reduction` when passed by position)
    "MSELoss": ("mse_loss", 2), "L1Loss": ("l1_loss", 2), "SmoothL1Loss": ("smooth_l1_loss", 2), "KLDivLoss": ("kl_div", 2),
    "BCELoss": ("binary_cross_entropy", 3), "BCEWithLogitsLoss": ("binary_cross_entropy_with_logits", 3), "HuberLoss": ("huber_loss", 0),
}


def loss_reduction_args(r, kind, positional_legacy):
    # How a loss is told to reduce: `reduction` alone (with the alias 'elementwise_mean', and 'batchmean' for
    # KLDivLoss), or the legacy size_average / reduce, which override `reduction` whenever one of them is not None.
    names = ["'none'", "'none'", "'mean'", "'sum'", "'elementwise_mean'"] + (["'batchmean'"] if kind in ("KLDivLoss", "kl_div") else [])
    reduction = r.choice(names)
    if positional_legacy == 0 or r.random() < 0.3:
        return f"reduction={reduction}"
    legacy = r.choice(["size_average=False", "size_average=True", "reduce=False", "reduce=True", "size_average=0", "reduce=None",
                       "size_average=True, reduce=False", "size_average=False, reduce=True", "size_average=None, reduce=None"])
    if r.random() < 0.25:
        # By position: weight first for the losses that take one, then size_average and reduce.
        sa, rd = r.choice(["None", "False", "True"]), r.choice(["None", "False", "True"])
        lead = "None, " if positional_legacy == 3 else ""
        return f"{lead}{sa}, {rd}, {reduction}" if r.random() < 0.5 else f"{lead}{sa}, {rd}, reduction={reduction}"
    return f"{legacy}, reduction={reduction}" if r.random() < 0.7 else legacy


def elementwise_loss_operands(r, kind):
    s = sizes(r, r.randint(1, 4))
    t = list(s)
    if kind in ("MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss") and r.random() < 0.3:
        t = [1 if r.random() < 0.4 else d for d in s]  # these broadcast (with a warning) when not reducing
    x = f"torch.sigmoid({randn(s)})" if kind in ("BCELoss", "binary_cross_entropy") else randn(s)
    return x, f"torch.rand({args(t)})" if t else "torch.rand(())"


def class_loss_operands(r, probabilities):
    # (C) or (N, C, d1, …) scores; class ids of the same shape without axis 1, or (cross_entropy only) probabilities.
    s = sizes(r, r.randint(1, 4))
    c = s[1] if len(s) > 1 else s[0]
    if probabilities:
        return randn(s), f"torch.rand({args(s)}).softmax({1 if len(s) > 1 else 0})"
    target_shape = [d for i, d in enumerate(s) if i != 1] if len(s) > 1 else []
    t = f"torch.randint(0, {c}, {tup(target_shape)})" if target_shape else f"torch.tensor({r.randrange(c)})"
    return randn(s), t


def ctc_operands(r):
    # log_probs (T, N, C) with targets (N, S) or concatenated, lengths as tensors or tuples; unbatched (T, C) too.
    t, n, c, s = r.randint(4, 9), r.randint(1, 4), r.randint(2, 6), r.randint(1, 3)
    if r.random() < 0.25:
        return f"torch.randn({t}, {c}).log_softmax(1)", f"torch.randint(1, {c}, ({s},))", f"torch.tensor({t})", f"torch.tensor({s})"
    targets = r.choice([f"torch.randint(1, {c}, ({n}, {s}))", f"torch.randint(1, {c}, ({n * s},))"])
    lengths = r.choice([(f"torch.full(({n},), {t}, dtype=torch.long)", f"torch.full(({n},), {s}, dtype=torch.long)"), (tup([t] * n), tup([s] * n))])
    return f"torch.randn({t}, {n}, {c}).log_softmax(2)", targets, lengths[0], lengths[1]


@op("loss-module-reduction")
def _(r):
    # The elementwise loss modules read their reduction as PyTorch 1.13 does: legacy size_average / reduce over
    # `reduction`, 'elementwise_mean' a mean, 'batchmean' for KLDivLoss; unreduced, one loss per element.
    kind = r.choice(list(ELEMENTWISE_LOSSES))
    x, t = elementwise_loss_operands(r, kind)
    given = loss_reduction_args(r, kind, ELEMENTWISE_LOSSES[kind][1])
    form = r.choice(["criterion = nn.{k}({g})\ny = criterion(x, t)", "y = nn.{k}({g})(x, t)", "y = nn.{k}({g})(input=x, target=t)"])
    return f"x = {x}\nt = {t}\n" + form.format(k=kind, g=given)


@op("loss-module-per-sample")
def _(r):
    # CrossEntropyLoss and NLLLoss unreduced give one loss per sample and position (the class axis 1 gone), CTCLoss one
    # per batch entry; the same legacy arguments and aliases decide whether they reduce.
    kind = r.choice(["CrossEntropyLoss", "NLLLoss", "CTCLoss"])
    reduction = r.choice(["'none'", "'none'", "'none'", "'mean'", "'sum'", "'elementwise_mean'"])
    if kind == "CTCLoss":
        given = r.choice([f"reduction={reduction}", f"0, {reduction}", f"blank=0, reduction={reduction}, zero_infinity=True"])
        lp, tg, il, tl = ctc_operands(r)
        form = r.choice(["criterion = nn.CTCLoss({g})\ny = criterion(x, t, {il}, {tl})", "y = nn.CTCLoss({g})(x, t, {il}, {tl})"])
        return f"x = {lp}\nt = {tg}\n" + form.format(g=given, il=il, tl=tl)
    x, t = class_loss_operands(r, kind == "CrossEntropyLoss" and r.random() < 0.25)
    given = r.choice([f"reduction={reduction}", f"reduction={reduction}", "reduce=False", f"reduce=True, reduction={reduction}",
                      f"size_average=False, reduction={reduction}", f"None, None, -100, None, {reduction}", f"ignore_index=0, reduction={reduction}"])
    form = r.choice(["criterion = nn.{k}({g})\ny = criterion(x, t)", "y = nn.{k}({g})(x, t)", "y = nn.{k}({g})(input=x, target=t)"])
    return f"x = {x}\nt = {t}\n" + form.format(k=kind, g=given)


@op("functional-loss-reduction")
def _(r):
    # The same reading for the elementwise loss functions of F.
    kind = r.choice([f for f, _ in ELEMENTWISE_LOSSES.values()])
    x, t = elementwise_loss_operands(r, kind)
    module = next(m for m, (f, _) in ELEMENTWISE_LOSSES.items() if f == kind)
    given = ", " + loss_reduction_args(r, kind, ELEMENTWISE_LOSSES[module][1])
    form = r.choice(["F.{k}(x, t{g})", "F.{k}(input=x, target=t{g})"])
    return f"x = {x}\nt = {t}\ny = " + form.format(k=kind, g=given)


@op("functional-loss-per-sample")
def _(r):
    # F.cross_entropy, F.nll_loss and F.ctc_loss, reduced or one loss per sample (and position) or batch entry.
    kind = r.choice(["cross_entropy", "nll_loss", "ctc_loss"])
    reduction = r.choice(["'none'", "'none'", "'none'", "'mean'", "'sum'", "'elementwise_mean'"])
    if kind == "ctc_loss":
        lp, tg, il, tl = ctc_operands(r)
        form = r.choice(["F.ctc_loss(x, t, {il}, {tl}, reduction={red})", "F.ctc_loss(x, t, {il}, {tl}, 0, {red})",
                         "F.ctc_loss(log_probs=x, targets=t, input_lengths={il}, target_lengths={tl}, reduction={red}, zero_infinity=True)"])
        return f"x = {lp}\nt = {tg}\ny = " + form.format(il=il, tl=tl, red=reduction)
    x, t = class_loss_operands(r, kind == "cross_entropy" and r.random() < 0.25)
    given = r.choice([f", reduction={reduction}", f", reduction={reduction}", f", reduce=True, reduction={reduction}", f", size_average=False, reduction={reduction}",
                      f", None, None, -100, None, {reduction}", f", None, True, -100, False, {reduction}", ", reduce=False"])
    return f"x = {x}\nt = {t}\ny = F.{kind}(x, t{given})"


@op("activation-modules-more")
def _(r):
    s = sizes(r, r.randint(1, 4))
    m = r.choice(["nn.Softsign()", "nn.Tanhshrink()", "nn.LogSigmoid()", "nn.Hardswish()", "nn.Hardsigmoid()", "nn.CELU()", "nn.CELU(0.5)", "nn.Softmin(dim=-1)", "nn.Softmin(1)" if len(s) > 1 else "nn.Softmin(0)", "nn.Softshrink()", "nn.Softshrink(0.3)", "nn.Hardshrink()", "nn.AlphaDropout(0.2)"])
    return f"m = {m}\nx = {randn(s)}\ny = m(x)"



# ── reductions read by their own signatures, repeat_interleave, similarities, masked_fill broadcasting ──────────

@op("std-var")
def _(r):
    # std and var take (dim, unbiased, keepdim): a second positional argument is unbiased, a lone bool too.
    s = sizes(r, r.randint(1, 4))
    d = axis(r, len(s))
    n = r.choice(["std", "var"])
    k = r.choice(["True", "False"])
    u = r.choice(["True", "False"])
    two = (0, len(s) - 1) if len(s) > 1 else (0,)
    form = r.choice(["x.{n}({d})", "x.{n}({d}, {u})", "x.{n}({d}, {u}, {k})", "x.{n}({u})", "x.{n}()", "x.{n}(dim={d}, keepdim={k})",
                     "torch.{n}(x, {d})", "torch.{n}(x, {d}, {u}, {k})", "torch.{n}(x, keepdim={k}, dim={d})", "torch.{n}(x, {u})",
                     "torch.{n}(x, dim={t}, keepdim={k})", "x.{n}(dim=None, keepdim={k})", "torch.{n}(x, {d}, unbiased={u})", "x.{n}({d}, keepdim={k}, unbiased={u})"])
    return f"x = {randn(s)}\ny = " + form.format(n=n, d=d, k=k, u=u, t=tup(list(two)))


@op("norm")
def _(r):
    # norm takes (p, dim, keepdim): its first argument is the order of the norm, not an axis.
    s = sizes(r, r.randint(1, 4))
    d = axis(r, len(s))
    k = r.choice(["True", "False"])
    p = r.choice(["2", "1", "3"])
    form = r.choice(["x.norm()", "x.norm({p})", "x.norm({p}, {d})", "x.norm({p}, {d}, {k})", "x.norm(dim={d})", "x.norm(p={p}, dim={d}, keepdim={k})",
                     "torch.norm(x)", "torch.norm(x, {p})", "torch.norm(x, {p}, {d})", "torch.norm(x, dim={d}, keepdim={k})", "torch.norm(x, {p}, {d}, {k})",
                     "x.norm(keepdim={k})", "torch.norm(x, p={p}, dim={d})"])
    return f"x = {randn(s)}\ny = " + form.format(p=p, d=d, k=k)


@op("reductions-more")
def _(r):
    # prod, amin, nansum, nanmean, logsumexp and median, as methods and torch functions, keepdim by position or name.
    s = sizes(r, r.randint(1, 4))
    d = axis(r, len(s))
    k = r.choice(["True", "False"])
    n = r.choice(["prod", "amin", "nansum", "nanmean", "logsumexp", "median"])
    forms = ["x.{n}({d})", "x.{n}({d}, {k})", "x.{n}(dim={d}, keepdim={k})", "torch.{n}(x, {d})", "torch.{n}(x, {d}, {k})", "torch.{n}(x, dim={d}, keepdim={k})"]
    if n in ("prod", "amin", "nansum", "nanmean", "median"):
        forms += ["x.{n}()", "torch.{n}(x)"]
    form = r.choice(forms)
    if n == "median" and "{d}" in form:
        form += "[0]"
    return f"x = {randn(s)}\ny = " + form.format(n=n, d=d, k=k)


@op("repeat_interleave")
def _(r):
    s = sizes(r, r.randint(0, 4))
    n = r.randint(1, 4)
    if s and r.random() < 0.6:
        d = axis(r, len(s))
        form = r.choice(["x.repeat_interleave({n}, dim={d})", "x.repeat_interleave({n}, {d})", "torch.repeat_interleave(x, {n}, {d})", "torch.repeat_interleave(x, repeats={n}, dim={d})"])
        return f"x = {randn(s)}\ny = " + form.format(n=n, d=d)
    form = r.choice(["x.repeat_interleave({n})", "torch.repeat_interleave(x, {n})", "x.repeat_interleave(repeats={n})"])
    return f"x = {randn(s)}\ny = " + form.format(n=n)


@op("repeat_interleave-counts")
def _(r):
    # Counts in a tensor: the new size is their sum, which the analysis does not add up; the rank stays known.
    s = sizes(r, r.randint(1, 3))
    d = axis(r, len(s))
    counts = [r.randint(0, 3) for _ in range(s[d])]
    form = r.choice(["x.repeat_interleave(c, dim={d})", "torch.repeat_interleave(x, c, {d})", "x.repeat_interleave(c[:1])", "torch.repeat_interleave(c)"])
    return f"x = {randn(s)}\nc = torch.tensor({counts})\ny = " + form.format(d=d)


@op("cosine_similarity")
def _(r):
    a, b = broadcast_pair(r)
    rank = max(len(a), len(b))
    if rank < 2 or r.random() < 0.5:
        d = axis(r, rank)
        form = r.choice(["F.cosine_similarity(a, b, dim={d})", "F.cosine_similarity(a, b, {d})", "torch.cosine_similarity(a, b, {d})", "F.cosine_similarity(a, b, {d}, 1e-6)"])
    else:
        form = r.choice(["F.cosine_similarity(a, b)", "torch.cosine_similarity(a, b)", "F.cosine_similarity(x1=a, x2=b)"])
        d = 1
    return f"a = {randn(a)}\nb = {randn(b)}\ny = " + form.format(d=d)


@op("pairwise_distance")
def _(r):
    a, b = broadcast_pair(r)
    k = r.choice(["True", "False"])
    form = r.choice(["F.pairwise_distance(a, b)", "F.pairwise_distance(a, b, keepdim={k})", "F.pairwise_distance(a, b, 1)", "F.pairwise_distance(a, b, 2, 1e-6, {k})",
                     "torch.pairwise_distance(a, b)", "torch.pairwise_distance(a, b, p=1, keepdim={k})"])
    return f"a = {randn(a)}\nb = {randn(b)}\ny = " + form.format(k=k)


@op("masked_fill-broadcast")
def _(r):
    # Out of place, x and the mask broadcast: a mask of more axes, or of 1s where the mask is wider, widens the result.
    m, s = broadcast_pair(r)
    form = r.choice(["x.masked_fill(mask, 0)", "x.masked_fill(mask, float('-inf'))", "torch.masked_fill(x, mask, -1e9)", "x.masked_fill(mask=mask, value=1.0)"])
    return f"x = {randn(s)}\nmask = torch.rand({args(m) if m else '()'}) > 0.5\ny = " + form


@op("scale-of-unknown-value")
def _(r):
    # A Python float whose value the analyzer cannot read (math.sqrt of an int read from a tensor's item, float() of
    # an item, a float tensor's item() or tolist(), / between ints): a scalar all the same, so the tensor it scales
    # keeps its shape, and an integer tensor becomes float32.
    s = sizes(r, r.randint(1, 4))
    base = r.choice([randn(s), f"torch.randint(0, 9, {tup(s)})"])
    n = "n = int(torch.randint(1, 9, (1,)).item())\nf = float(torch.rand(1).item())\n"
    form = r.choice([
        "x / math.sqrt(n)", "x * float(n)", "x * (1.0 / math.sqrt(n))", "x / np.sqrt(n)", "np.sqrt(n) * x", "math.log(n) * x",
        "x * f", "f * x", "x * (n / 2)", "x - f * 0.5", "x * abs(-f)", "x * max(f, 1.0)", "x * -f", "x * (f // 2)", "x * f ** 2",
        "x / (float(n) + 1e-6)", "(x + 1) / math.exp(f)", "x * (n * 0.5)", "x + f % 1.0",
        "x / (x.float().abs().max().item() + 1)", "torch.tensor(x.float().tolist()) * f",
    ])
    return f"import math\nimport numpy as np\n{n}x = {base}\ny = " + form


@op("scale-of-unknown-size")
def _(r):
    # The same of a size named by a parameter of a class the analyzer never sees built (it runs __init__ with d as a
    # symbol; PyTorch runs the class through vars()): a scale made of d is a float, so attention scores keep their shape.
    b, h, t, d = r.randint(1, 3), r.randint(1, 3), r.randint(1, 5), r.randint(1, 8)
    scale, body = r.choice([
        ("d ** 0.5", "q / self.scale"),
        ("math.sqrt(d)", "torch.matmul(q, k.transpose(-2, -1)) / self.scale"),
        ("d ** -0.5", "torch.matmul(q, k.transpose(-2, -1)) * self.scale"),
        ("1 / math.sqrt(d)", "self.scale * q"),
        ("float(d)", "q / self.scale"),
        ("d / 2", "q * self.scale"),
        ("np.sqrt(d)", "q / self.scale"),
        ("math.sqrt(d // 2 + 1)", "torch.bmm(q.view(-1, q.size(-2), q.size(-1)), k.view(-1, k.size(-2), k.size(-1)).transpose(1, 2)) / self.scale"),
        ("math.sqrt(d)", "(q / math.sqrt(q.size(-1))) * self.scale"),
    ])
    return (
        "import math\nimport numpy as np\n"
        "class M(nn.Module):\n"
        "    def __init__(self, d):\n"
        "        super().__init__()\n"
        f"        self.scale = {scale}\n"
        "    def forward(self):\n"
        f"        q = torch.randn({b}, {h}, {t}, {d})\n"
        f"        k = torch.randn({b}, {h}, {t}, {d})\n"
        f"        y = {body}\n"
        "        return y\n"
        f"y = vars()['M']({d})()"
    )


@op("unpacked-sizes")
def _(r):
    # A tensor's sizes unpacked or listed (`b, c, t = x.size()`, `list(x.shape)`) where the analyzer cannot read them:
    # each is that axis's size, as x.size(i) is: a pool given it spans the whole axis, and a size to a fractional power
    # is a float.
    b, c = r.randint(1, 4), r.randint(1, 5)
    n = "n = int(torch.randint(1, 9, (1,)).item())\n"
    x = f"x = torch.randn({b}, {c}, n)\n"
    form = r.choice([
        "b, c, t = x.size()\ny = F.max_pool1d(x, t)",
        "_, _, t = x.shape\ny = F.avg_pool1d(x, kernel_size=t)",
        "t = list(x.size())[2]\ny = F.max_pool1d(x, t).squeeze(2)",
        "b, c, t = x.size()\ny = x / t ** 0.5",
        "dims = tuple(x.shape)\ny = x * dims[-1] ** -0.5",
        "b, c, t = x.size()\ny = torch.matmul(x.transpose(1, 2), x) / math.sqrt(t)",
    ])
    return f"import math\n{n}{x}" + form


# ── NumPy's joining and axis functions, read through torch.from_numpy ──────────────────────────────────────────


def np_array(r, s, ints=False):
    if ints:
        return f"np.random.randint(0, 9, size={tup(s)})"
    return r.choice([f"np.random.rand({args(s)})" if s else "np.random.rand()", f"np.zeros({tup(s)})", f"np.ones({tup(s)})"])


@op("np-join")
def _(r):
    # np.stack / np.concatenate / np.vstack / np.hstack: NumPy needs equal ranks; vstack raises 1-D arrays to (1, N),
    # hstack joins 1-D arrays end to end and others along axis 1; concatenate(axis=None) flattens.
    rank = r.randint(1, 3)
    s = sizes(r, rank)
    n = r.randint(1, 4)
    ints = r.random() < 0.3
    kind = r.choice(["stack", "concatenate", "concatenate-none", "vstack", "hstack", "stack-lists"])

    def joined_along(axis):
        # n arrays of shape s but for their own size on the joined axis.
        items = []
        for _ in range(n):
            t = list(s)
            t[axis] = r.randint(1, 4)
            items.append(np_array(r, t, ints))
        return items

    if kind == "stack":
        axis = r.randint(-rank - 1, rank)
        items = ", ".join(np_array(r, s, ints) for _ in range(n))
        return f"import numpy as np\ny = torch.from_numpy(np.stack([{items}], axis={axis}))"
    if kind == "stack-lists":
        rows = [[r.randint(0, 9) for _ in range(s[0])] for _ in range(n)]
        return f"import numpy as np\ny = torch.from_numpy(np.stack({json.dumps(rows)}))"
    if kind == "vstack":
        items = []
        for _ in range(n):
            if len(s) == 1:
                items.append(np_array(r, s, ints))
            else:
                items.append(np_array(r, [r.randint(1, 4)] + s[1:], ints))
        return f"import numpy as np\ny = torch.from_numpy(np.vstack([{', '.join(items)}]))"
    if kind == "hstack":
        items = joined_along(0 if rank == 1 else 1)
        return f"import numpy as np\ny = torch.from_numpy(np.hstack(({', '.join(items)},)))"
    if kind == "concatenate-none":
        items = ", ".join(np_array(r, sizes(r, r.randint(1, 3)), ints) for _ in range(n))
        return f"import numpy as np\ny = torch.from_numpy(np.concatenate([{items}], axis=None))"
    axis = r.randint(-rank, rank - 1)
    items = joined_along(axis)
    return f"import numpy as np\ny = torch.from_numpy(np.concatenate(({', '.join(items)}), axis={axis}))"


@op("np-column-stack")
def _(r):
    # np.column_stack: arrays of fewer than 2 axes become columns ((N,) is (N, 1), a scalar (1, 1)), the others are
    # kept, and all are joined along axis 1; rows (and any later axes) must agree.
    rows = r.randint(1, 4)
    n = r.randint(1, 4)
    if r.random() < 0.25:
        tail = r.randint(1, 3)
        items = [np_array(r, [rows, r.randint(1, 3), tail], False) for _ in range(n)]
    else:
        items = []
        for _ in range(n):
            kind = r.choice(["1d", "2d", "scalar"] if rows == 1 else ["1d", "2d"])
            if kind == "scalar":
                items.append(r.choice(["np.float64(2.5)", "np.array(3.0)"]))
            elif kind == "1d":
                items.append(np_array(r, [rows], r.random() < 0.3))
            else:
                items.append(np_array(r, [rows, r.randint(1, 4)], r.random() < 0.3))
    return f"import numpy as np\ny = torch.from_numpy(np.column_stack(({', '.join(items)},)))"


@op("np-axes")
def _(r):
    # np.expand_dims / np.squeeze / np.reshape / np.transpose / np.argmax / np.zeros_like on an array of known shape.
    rank = r.randint(1, 4)
    s = sizes(r, rank)
    ints = r.random() < 0.3
    a = np_array(r, s, ints)
    kind = r.choice(["expand_dims", "expand_dims-tuple", "squeeze", "squeeze-axis", "reshape", "transpose", "transpose-axes", "argmax", "like"])
    if kind == "expand_dims":
        return f"import numpy as np\ny = torch.from_numpy(np.expand_dims({a}, {r.randint(-rank - 1, rank)}))"
    if kind == "expand_dims-tuple":
        axes = sorted(r.sample(range(rank + 2), 2))
        return f"import numpy as np\ny = torch.from_numpy(np.expand_dims({a}, axis={tup(axes)}))"
    if kind == "squeeze":
        t = [r.choice([1, d]) for d in s]
        return f"import numpy as np\ny = torch.from_numpy(np.squeeze({np_array(r, t, ints)}))"
    if kind == "squeeze-axis":
        i = r.randrange(rank)
        t = list(s)
        t[i] = 1
        axis = i - rank if r.random() < 0.5 else i
        return f"import numpy as np\ny = torch.from_numpy(np.squeeze({np_array(r, t, ints)}, axis={axis}))"
    if kind == "reshape":
        total = 1
        for d in s:
            total *= d
        shape = r.choice([(total,), (-1,), (1, total), (total, -1), (-1, 1)])
        return f"import numpy as np\ny = torch.from_numpy(np.reshape({a}, {tup(list(shape))}).copy())"
    if kind == "transpose":
        return f"import numpy as np\ny = torch.from_numpy(np.transpose({a}).copy())"
    if kind == "transpose-axes":
        order = list(range(rank))
        r.shuffle(order)
        return f"import numpy as np\ny = torch.from_numpy(np.transpose({a}, {tup(order)}).copy())"
    if kind == "argmax":
        fn = r.choice(["argmax", "argmin"])
        return f"import numpy as np\ny = torch.from_numpy(np.{fn}({a}, axis={r.randint(-rank, rank - 1)}))"
    fn = r.choice(["zeros_like", "ones_like"])
    dtype = r.choice(["", ", dtype=np.int64", ", dtype=np.float32"])
    return f"import numpy as np\ny = torch.from_numpy(np.{fn}({a}{dtype}))"


@op("np-cumulative")
def _(r):
    # np.cumsum / np.cumprod: the array's shape along an axis, flattened to 1-D without one (axis=None, the default).
    # The array may come from a seeded np.random.RandomState, whose randn is np.random.randn.
    rank = r.randint(1, 3)
    s = sizes(r, rank)
    a = np_array(r, s, r.random() < 0.3) if r.random() < 0.6 else f"np.random.RandomState({r.randint(0, 99)}).randn({args(s)})"
    fn = r.choice(["cumsum", "cumprod"])
    kind = r.choice(["none", "axis", "axis-kw", "axis-none"])
    if kind == "none":
        return f"import numpy as np\ny = torch.from_numpy(np.{fn}({a}))"
    if kind == "axis-none":
        return f"import numpy as np\ny = torch.from_numpy(np.{fn}({a}, axis=None))"
    axis = r.randint(-rank, rank - 1)
    form = f"{axis}" if kind == "axis" else f"axis={axis}"
    return f"import numpy as np\ny = torch.from_numpy(np.{fn}({a}, {form}))"


@op("float-binary")
def _(r):
    # atan2, hypot, logaddexp and copysign broadcast their operands and give floats, even of ints (the phase of a
    # complex spectrum held as two real tensors); fmax and fmin broadcast and keep the promoted dtype.
    rank = r.randint(1, 3)
    s = sizes(r, rank)
    t = [d if r.random() < 0.6 else 1 for d in s][r.randint(0, rank - 1):]
    a = randn(s) if r.random() < 0.7 else f"torch.randint(0, 9, {tup(s)})"
    b = randn(t) if r.random() < 0.7 else f"torch.randint(1, 9, {tup(t)})"
    if r.random() < 0.5:
        a, b = b, a
    fn = r.choice(["atan2", "arctan2", "hypot", "logaddexp", "copysign", "fmax", "fmin", "float_power"])
    if fn in ("hypot", "logaddexp"):
        a, b = a.replace("torch.randint(0, 9, ", "torch.rand(").replace("torch.randint(1, 9, ", "torch.rand("), b.replace("torch.randint(0, 9, ", "torch.rand(").replace("torch.randint(1, 9, ", "torch.rand(")
    form = r.choice(["torch.{f}(x, z)", "x.{f}(z)"])
    return f"x = {a}\nz = {b}\ny = " + form.format(f=fn)


@op("np-ufunc")
def _(r):
    # NumPy's unary functions keep the shape: floats from exp/log/floor of ints, ints kept by abs/sign/square/round,
    # bools from isnan; np.clip's bounds broadcast with the array (a float bound makes an int array float).
    rank = r.randint(0, 3)
    s = sizes(r, rank)
    ints = r.random() < 0.35
    a = np_array(r, s, ints) if rank else ("np.random.rand()" if not ints else "np.array(3)")
    if rank == 0:
        a = f"np.asarray({a})"
    fn = r.choice(["exp", "log1p", "sqrt", "abs", "absolute", "sign", "square", "negative", "tanh", "sin", "cos", "floor", "ceil",
                   "round", "around", "isnan", "isfinite", "real", "imag", "nan_to_num", "copy", "flip", "sort", "argsort", "clip", "clip-float"])
    if fn == "clip":
        return f"import numpy as np\ny = torch.from_numpy(np.asarray(np.clip({a}, 0, {r.randint(1, 5)})))"
    if fn == "clip-float":
        return f"import numpy as np\ny = torch.from_numpy(np.asarray(np.clip({a}, a_min=0.5, a_max=None)))"
    if fn in ("flip", "sort", "argsort") and rank == 0:
        fn = "exp"
    if fn in ("flip", "sort", "argsort") and r.random() < 0.5:
        return f"import numpy as np\ny = torch.from_numpy(np.{fn}({a}, axis={r.randint(-rank, rank - 1)}).copy())"
    return f"import numpy as np\ny = torch.from_numpy(np.asarray(np.{fn}({a})).copy())"


@op("np-binary")
def _(r):
    # NumPy's binary functions broadcast their operands as PyTorch does; comparisons and logical ones give bools, and a
    # list operand is np.asarray of it.
    rank = r.randint(1, 3)
    s = sizes(r, rank)
    t = [d if r.random() < 0.6 else 1 for d in s][r.randint(0, rank - 1):]
    ints = r.random() < 0.3
    a, b = np_array(r, s, ints), np_array(r, t, r.random() < 0.3)
    if r.random() < 0.3:
        b = r.choice(["2", "0.5", "[" + ", ".join(str(r.randint(1, 4)) for _ in range(s[-1])) + "]"])
    if r.random() < 0.5:
        a, b = b, a
    fn = r.choice(["add", "subtract", "multiply", "divide", "power", "maximum", "minimum", "greater", "less_equal", "equal",
                   "logical_and", "hypot", "mod", "fmax"])
    return f"import numpy as np\ny = torch.from_numpy(np.asarray(np.{fn}({a}, {b})))"


@op("np-reduce")
def _(r):
    # NumPy's reductions as functions: the axes given go (or stay as 1s with keepdims=True); np.max/np.min give the
    # values alone; mean/std/median of ints are floats, sum of bools an int.
    rank = r.randint(1, 4)
    s = sizes(r, rank)
    kind = r.choice(["float", "int", "bool"])
    a = np_array(r, s, kind == "int") if kind != "bool" else f"({np_array(r, s)} > 0.5)"
    fn = r.choice(["mean", "sum", "std", "var", "max", "min", "amax", "amin", "prod", "median", "all", "any", "ptp", "nanmean", "average"])
    if fn == "ptp" and kind == "bool":
        fn = "max"
    form = r.choice(["axis", "axis-kw", "keepdims", "tuple", "none-keepdims"])
    if form == "axis":
        call = f"np.{fn}({a}, {r.randint(-rank, rank - 1)})"
    elif form == "axis-kw":
        call = f"np.{fn}({a}, axis={r.randint(-rank, rank - 1)})"
    elif form == "keepdims" and fn != "average":
        call = f"np.{fn}({a}, axis={r.randint(-rank, rank - 1)}, keepdims=True)"
    elif form == "tuple" and rank >= 2 and fn not in ("median", "ptp"):
        call = f"np.{fn}({a}, axis={tup(sorted(r.sample(range(rank), 2)))})"
    elif fn != "average":
        call = f"np.{fn}({a}, axis=None, keepdims=True)"
    else:
        call = f"np.{fn}({a}, axis=0)"
    return f"import numpy as np\ny = torch.from_numpy(np.asarray({call}))"


@op("np-products")
def _(r):
    # np.dot of operands of at most 2 axes (matmul's rule), np.matmul's broadcast batches, np.linalg.pinv's (N, M) for
    # (M, N), np.linalg.inv's square matrices and np.linalg.norm over an axis.
    m, k, n = r.randint(1, 5), r.randint(1, 5), r.randint(1, 5)
    kind = r.choice(["dot", "dot-vec", "matmul", "pinv", "inv", "norm"])
    if kind == "dot":
        return f"import numpy as np\ny = torch.from_numpy(np.dot({np_array(r, [m, k])}, {np_array(r, [k, n])}))"
    if kind == "dot-vec":
        left = r.choice([[m, k], [k]])
        return f"import numpy as np\ny = torch.from_numpy(np.asarray(np.dot({np_array(r, left)}, np.random.rand({k}))))"
    if kind == "matmul":
        b = r.randint(1, 3)
        return f"import numpy as np\ny = torch.from_numpy(np.matmul(np.random.rand({b}, {m}, {k}), {np_array(r, [k, n])}))"
    if kind == "pinv":
        lead = r.choice([[], [r.randint(1, 3)]])
        return f"import numpy as np\ny = torch.from_numpy(np.linalg.pinv(np.random.rand({args(lead + [m, k])})))"
    if kind == "inv":
        return f"import numpy as np\ny = torch.from_numpy(np.linalg.inv(np.random.rand({m}, {m}) + {m} * np.eye({m})))"
    keep = r.random() < 0.3
    return f"import numpy as np\ny = torch.from_numpy(np.asarray(np.linalg.norm(np.random.rand({m}, {k}, {n}), axis={r.randint(-3, 2)}{', keepdims=True' if keep else ''})))"


@op("np-repeat-tile")
def _(r):
    # np.repeat repeats each entry (flattening without an axis); np.tile pads the shorter of the shape and the repeats
    # with leading 1s; np.ravel flattens; np.where(c, x, y) broadcasts the three.
    rank = r.randint(1, 3)
    s = sizes(r, rank)
    a = np_array(r, s, r.random() < 0.3)
    kind = r.choice(["repeat", "repeat-axis", "tile", "tile-int", "ravel", "where"])
    if kind == "repeat":
        return f"import numpy as np\ny = torch.from_numpy(np.repeat({a}, {r.randint(1, 3)}))"
    if kind == "repeat-axis":
        return f"import numpy as np\ny = torch.from_numpy(np.repeat({a}, {r.randint(1, 3)}, axis={r.randint(-rank, rank - 1)}))"
    if kind == "tile":
        reps = [r.randint(1, 3) for _ in range(r.randint(1, 4))]
        return f"import numpy as np\ny = torch.from_numpy(np.tile({a}, {tup(reps)}))"
    if kind == "tile-int":
        return f"import numpy as np\ny = torch.from_numpy(np.tile({a}, {r.randint(1, 3)}))"
    if kind == "ravel":
        return f"import numpy as np\ny = torch.from_numpy(np.ravel({a}))"
    c = f"np.random.rand({args(s[r.randint(0, rank - 1):])}) > 0.5"
    other = r.choice(["0", "0.0", np_array(r, s, False)])
    return f"import numpy as np\ny = torch.from_numpy(np.asarray(np.where({c}, {a}, {other})))"


@op("ndarray-methods")
def _(r):
    # An array's own max/min give the values alone, repeat repeats each entry, transpose permutes all its axes.
    rank = r.randint(1, 3)
    s = sizes(r, rank)
    a = np_array(r, s, r.random() < 0.3)
    kind = r.choice(["max", "min-kw", "repeat", "repeat-axis", "transpose", "transpose-tuple"])
    if kind == "max":
        return f"import numpy as np\nx = {a}\ny = torch.from_numpy(np.asarray(x.max({r.randint(-rank, rank - 1)})))"
    if kind == "min-kw":
        return f"import numpy as np\nx = {a}\ny = torch.from_numpy(np.asarray(x.min(axis={r.randint(-rank, rank - 1)}, keepdims={r.choice(['True', 'False'])})))"
    if kind == "repeat":
        return f"import numpy as np\nx = {a}\ny = torch.from_numpy(x.repeat({r.randint(1, 3)}))"
    if kind == "repeat-axis":
        return f"import numpy as np\nx = {a}\ny = torch.from_numpy(x.repeat({r.randint(1, 3)}, {r.randint(-rank, rank - 1)}))"
    order = list(range(rank))
    r.shuffle(order)
    if kind == "transpose":
        return f"import numpy as np\nx = {a}\ny = torch.from_numpy(x.transpose({args(order)}).copy())"
    return f"import numpy as np\nx = {a}\ny = torch.from_numpy(x.transpose({tup(order)}).copy())"


@op("opaque-axis")
def _(r):
    # An axis the analyzer cannot read (`d` from a tensor's item): index_select keeps the input's rank whichever axis
    # it picks along; squeeze(d) keeps it when no axis is a 1 and drops one when every axis is a 1.
    rank = r.randint(1, 4)
    d = f"d = int(torch.randint(0, {rank}, (1,)).item())\n"
    kind = r.choice(["index_select", "torch.index_select", "squeeze-none", "squeeze-all", "torch.squeeze-none"])
    if kind.endswith("index_select"):
        s = sizes(r, rank)
        k = r.randint(1, 3)
        form = "x.index_select(d, idx)" if kind == "index_select" else "torch.index_select(x, d, idx)"
        return f"{d}x = {randn(s)}\nidx = torch.zeros({k}, dtype=torch.long)\ny = " + form
    s = sizes(r, rank, 2, 6) if kind.endswith("none") else [1] * rank
    form = r.choice(["x.squeeze(d)", "x.squeeze(dim=d)"]) if kind.startswith("squeeze") else "torch.squeeze(x, d)"
    return f"{d}x = {randn(s)}\ny = " + form


@op("diag")
def _(r):
    # torch.diag: a vector on the k-th diagonal of a square matrix, or a matrix's k-th diagonal.
    s = sizes(r, r.randint(1, 2))
    k = r.randint(-s[0], s[-1]) if len(s) == 2 else r.randint(-3, 3)
    base = r.choice([randn(s), f"torch.randint(0, 9, {tup(s)})"])
    form = r.choice(["torch.diag(x)", "torch.diag(x, {k})", "torch.diag(x, diagonal={k})", "x.diag({k})", "x.diag()"])
    return f"x = {base}\ny = " + form.format(k=k)


# ── 3-D convolution and pooling: (N, C, D, H, W), as in a video encoder ─────────────────────────────────────────

@op("Conv3d")
def _(r):
    bsz, c, out = r.randint(1, 2), r.randint(1, 3), r.randint(1, 4)
    d, h, w = r.randint(3, 7), r.randint(4, 9), r.randint(4, 9)
    kd, kh, kw = r.randint(1, 3), r.randint(1, 3), r.randint(1, 3)
    sd, sh, sw = r.randint(1, 2), r.randint(1, 3), r.randint(1, 3)
    pd, ph, pw = r.randint(0, 1), r.randint(0, 1), r.randint(0, 1)
    dd, dh = r.randint(1, 2), r.randint(1, 2)
    form = r.choice([
        "nn.Conv3d({c}, {o}, {kh})",
        "nn.Conv3d({c}, {o}, kernel_size=({kd}, {kh}, {kw}), stride=({sd}, {sh}, {sw}))",
        "nn.Conv3d({c}, {o}, ({kd}, {kh}, {kw}), ({sd}, {sh}, {sw}), ({pd}, {ph}, {pw}), ({dd}, {dh}, 1))",
        "nn.Conv3d(in_channels={c}, out_channels={o}, kernel_size={kh}, stride=(1, {sh}, {sw}), padding={ph}, dilation={dh})",
        "nn.Conv3d({c}, {o}, ({kd}, {kh}, {kw}), padding='same')",
        "nn.Conv3d({c}, {o}, {kw}, stride={sh}, padding='valid')",
    ])
    shape = [bsz, c, d, h, w] if r.random() < 0.85 else [c, d, h, w]
    return "m = " + form.format(c=c, o=out, kd=kd, kh=kh, kw=kw, sd=sd, sh=sh, sw=sw, pd=pd, ph=ph, pw=pw, dd=dd, dh=dh) + f"\nx = {randn(shape)}\ny = m(x)"


@op("pool3d")
def _(r):
    bsz, c = r.randint(1, 2), r.randint(1, 3)
    d, h, w = r.randint(3, 7), r.randint(4, 9), r.randint(4, 9)
    kd, kh, kw = r.randint(1, 3), r.randint(1, 3), r.randint(1, 3)
    sd, sh, sw = r.randint(1, 2), r.randint(1, 3), r.randint(1, 3)
    pd, ph, pw = r.randint(0, kd // 2), r.randint(0, kh // 2), r.randint(0, kw // 2)
    form = r.choice([
        "nn.MaxPool3d({kh})",
        "nn.MaxPool3d(({kd}, {kh}, {kw}), stride=({sd}, {sh}, {sw}))",
        "nn.MaxPool3d(kernel_size=({kd}, {kh}, {kw}), stride={sh}, padding=({pd}, {ph}, {pw}), ceil_mode=True)",
        "nn.MaxPool3d((1, {kh}, {kw}))",
        "nn.AvgPool3d({kh})",
        "nn.AvgPool3d(({kd}, {kh}, {kw}), stride=({sd}, {sh}, {sw}), padding=({pd}, {ph}, {pw}))",
        "nn.AvgPool3d(kernel_size={kh}, stride={sh}, ceil_mode=True)",
    ])
    shape = [bsz, c, d, h, w] if r.random() < 0.85 else [c, d, h, w]
    return "m = " + form.format(kd=kd, kh=kh, kw=kw, sd=sd, sh=sh, sw=sw, pd=pd, ph=ph, pw=pw) + f"\nx = {randn(shape)}\ny = m(x)"


@op("BatchNorm3d")
def _(r):
    bsz, c, d, h, w = r.randint(2, 3), r.randint(1, 4), r.randint(1, 4), r.randint(1, 5), r.randint(1, 5)
    form = r.choice(["nn.BatchNorm3d({c})", "nn.BatchNorm3d(num_features={c}, momentum=0.2)", "nn.InstanceNorm3d({c})", "nn.Dropout3d(0.3)"])
    return "m = " + form.format(c=c) + f"\nx = {randn([bsz, c, d, h, w])}\ny = m(x)"



@op("np-join-comprehension")
def _(r):
    # np.stack / np.concatenate over a list comprehension of alike arrays: PyTorch's stack and cat over such a list.
    n = r.randint(1, 5)
    s = sizes(r, r.randint(1, 3))
    item = r.choice(["np.random.rand({a})", "np.zeros({t})", "np.ones({t})"]).format(a=args(s), t=tup(s))
    rank = len(s)
    form = r.choice([
        "np.stack(xs)",
        f"np.stack(xs, axis={r.randint(-rank - 1, rank)})",
        "np.concatenate(xs)",
        f"np.concatenate(xs, axis={r.randint(-rank, rank - 1)})",
        "np.array(np.stack(xs))",
    ])
    return f"import numpy as np\nxs = [{item} for _ in range({n})]\ny = torch.from_numpy({form})"


@op("np-join-window-comprehension")
def _(r):
    # Windows sliced from one array in a comprehension (`[data[i:i + w] for i in range(n)]`), stacked: the window's
    # length depends on the loop variable, so only the other axes need be known.
    n, w, f = r.randint(1, 5), r.randint(1, 4), r.randint(1, 5)
    length = n + w + r.randint(0, 3)
    form = r.choice(["np.stack(xs)", "np.stack(xs, axis=1)", "np.concatenate(xs)", "np.concatenate(xs, axis=1)"])
    return f"import numpy as np\ndata = np.random.rand({length}, {f})\nxs = [data[i:i + {w}] for i in range({n})]\ny = torch.from_numpy({form}).float()"


@op("loader-batch-of-one", check=("y", "t"))
def _(r):
    # DataLoader(dataset, batch_size=1): every batch holds one sample, the last one too, whatever the sampler.
    n = r.randint(1, 7)
    s = sizes(r, r.randint(0, 2))
    data = r.choice([randn([n] + s), f"torch.randint(0, 9, {tup([n] + s)})"])
    loader = r.choice([
        "DataLoader(ds, batch_size=1)",
        "DataLoader(ds, 1)",
        "DataLoader(ds, batch_size=1, shuffle=True)",
        "DataLoader(ds, 1, True)",
        "DataLoader(ds, batch_size=1, drop_last=True)",
        "DataLoader(ds, batch_size=1, sampler=RandomSampler(ds))",
    ])
    return ("from torch.utils.data import DataLoader, RandomSampler, TensorDataset\n"
            f"ds = TensorDataset({data}, torch.randn({n}))\nfor xb, tb in {loader}:\n    y = xb\n    t = tb")

# ── ranks an op demands ────────────────────────────────────────────────────────
# What src/analysis/ops/rank-from-use.ts reads as proof of a rank: the input ranks (0 to 6) on which each op runs,
# and its output's rank minus its input's (None when it gives no tensor). An op accepts a rank when one of 24 random shapes of that rank runs;
# every other rank raised on all of them. `m` is built from the shape: f is its last size, c1 the one before,
# n1 the second (3 where the rank has none).

RANK_DEMANDS = {
    "LSTM": ("nn.LSTM({f}, 4)", "m(x)[0]", "float"),
    "GRU": ("nn.GRU({f}, 4)", "m(x)[0]", "float"),
    "RNN": ("nn.RNN({f}, 4)", "m(x)[0]", "float"),
    "Conv1d": ("nn.Conv1d({c1}, 4, 1)", "m(x)", "float"),
    "BatchNorm1d": ("nn.BatchNorm1d({n1}).eval()", "m(x)", "float"),
    "MaxPool1d": ("nn.MaxPool1d(1)", "m(x)", "float"),
    "AvgPool1d": ("nn.AvgPool1d(1)", "m(x)", "float"),
    "Linear": ("nn.Linear({f}, 4)", "m(x)", "float"),
    "LayerNorm": ("nn.LayerNorm({f})", "m(x)", "float"),
    "Embedding": ("nn.Embedding(10, 4)", "m(x)", "long"),
    "Dropout": ("nn.Dropout(0.5)", "m(x)", "float"),
    "ReLU": ("nn.ReLU()", "m(x)", "float"),
    "Tanh": ("nn.Tanh()", "m(x)", "float"),
    "Sigmoid": ("nn.Sigmoid()", "m(x)", "float"),
    "GELU": ("nn.GELU()", "m(x)", "float"),
    "LeakyReLU": ("nn.LeakyReLU()", "m(x)", "float"),
    "Identity": ("nn.Identity()", "m(x)", "float"),
    "ReLU6": ("nn.ReLU6()", "m(x)", "float"),
    "Softplus": ("nn.Softplus()", "m(x)", "float"),
    "Hardtanh": ("nn.Hardtanh()", "m(x)", "float"),
    "Softmax": ("nn.Softmax(dim=-1)", "m(x)", "float"),
    "LogSoftmax": ("nn.LogSoftmax(dim=-1)", "m(x)", "float"),
    "Conv2d": ("nn.Conv2d({n1}, 4, 1)", "m(x)", "float"),
    "Conv3d": ("nn.Conv3d({c3}, 4, 1)", "m(x)", "float"),
    "ConvTranspose1d": ("nn.ConvTranspose1d({c1}, 4, 1)", "m(x)", "float"),
    "ConvTranspose2d": ("nn.ConvTranspose2d({n1}, 4, 1)", "m(x)", "float"),
    "MaxPool2d": ("nn.MaxPool2d(1)", "m(x)", "float"),
    "AvgPool2d": ("nn.AvgPool2d(1)", "m(x)", "float"),
    "BatchNorm2d": ("nn.BatchNorm2d({n1}).eval()", "m(x)", "float"),
    "InstanceNorm1d": ("nn.InstanceNorm1d({n1})", "m(x)", "float"),
    "GRUCell": ("nn.GRUCell({f}, 4)", "m(x)", "float"),
    "RNNCell": ("nn.RNNCell({f}, 4)", "m(x)", "float"),
    "Sequential": ("nn.Sequential(nn.Linear({f}, 4), nn.ReLU(), nn.Dropout(0.1), nn.Linear(4, 2))", "m(x)", "float"),
    "Sequential-embedding": ("nn.Sequential(nn.Embedding(10, 4), nn.Dropout(0.1), nn.Linear(4, 2))", "m(x)", "long"),
    "Sequential-conv": ("nn.Sequential(nn.Conv1d({c1}, 4, 1), nn.ReLU(), nn.MaxPool1d(1))", "m(x)", "float"),
    "LSTM-packed": ("nn.LSTM({f}, 4)", "nn.utils.rnn.pad_packed_sequence(m(nn.utils.rnn.pack_padded_sequence(x, [x.size(0)] * x.size(1)))[0])[0]", "float"),
    "GRU-packed-data": ("nn.GRU({f}, 4)", "nn.utils.rnn.pad_packed_sequence(m(nn.utils.rnn.pack_padded_sequence(x.data, [x.size(0)] * x.size(1)).to('cpu'))[0])[0]", "float"),
    "permute": (None, "x.permute(2, 0, 1)", "float"),
    "permute-tuple": (None, "x.permute((1, 0))", "float"),
    "transpose": (None, "x.transpose(1, 2)", "float"),
    "transpose-negative": (None, "x.transpose(-1, -3)", "float"),
    "torch.transpose": (None, "torch.transpose(x, 0, 2)", "float"),
    "t": (None, "x.t()", "float"),
    "bmm": (None, "torch.bmm(x, x.transpose(1, 2))", "float"),
    "bmm-method": (None, "x.bmm(x.transpose(1, 2))", "float"),
    "mm": (None, "torch.mm(x, x.t())", "float"),
    "dot": (None, "x.dot(x)", "float"),
    "torch.dot": (None, "torch.dot(x, x)", "float"),
    "unsqueeze": (None, "x.unsqueeze(2)", "float"),
    "unsqueeze-negative": (None, "x.unsqueeze(-3)", "float"),
    "index-last-step": (None, "x[:, -1, :]", "float"),
    "index-two": (None, "x[:, 0]", "float"),
    "index-none": (None, "x[:, None, 1:]", "float"),
    "F.relu": (None, "F.relu(x)", "float"),
    "F.softmax": (None, "F.softmax(x, dim=-1)", "float"),
    "F.dropout": (None, "F.dropout(x, 0.5)", "float"),
    "F.relu6": (None, "F.relu6(x)", "float"),
    "F.softplus": (None, "F.softplus(x)", "float"),
    "F.hardtanh": (None, "F.hardtanh(x)", "float"),
    "F.embedding": (None, "F.embedding(x, torch.randn(10, 4))", "long"),
    "F.linear": (None, "F.linear(x, torch.randn(4, x.size(-1)))", "float"),
    "F.max_pool1d": (None, "F.max_pool1d(x, 1)", "float"),
    "F.avg_pool1d": (None, "F.avg_pool1d(x, 1)", "float"),
    "F.max_pool2d": (None, "F.max_pool2d(x, 1)", "float"),
    "F.avg_pool2d": (None, "F.avg_pool2d(x, 1)", "float"),
    "zero_": (None, "x.clone().zero_()", "float"),
    "sum-dim": (None, "x.sum(1)", "float"),
    "mean-keepdim": (None, "x.mean(dim=-2, keepdim=True)", "float"),
    "torch.sum": (None, "torch.sum(x, dim=2)", "float"),
    "torch.mean-keepdim": (None, "torch.mean(x, 1, True)", "float"),
    "logsumexp": (None, "torch.logsumexp(x, 1)", "float"),
    "prod-keepdim": (None, "x.prod(-3, True)", "float"),
    "F.pad": (None, "F.pad(x, (1, 1))", "float"),
    "fill_": (None, "x.clone().fill_(1)", "float"),
    "type": (None, "x.type(torch.FloatTensor)", "long"),
    "data": (None, "x.data", "float"),
    "torch.tanh": (None, "torch.tanh(x)", "float"),
    "contiguous": (None, "x.contiguous()", "float"),
    "float": (None, "x.float()", "long"),
    "to": (None, "x.to('cpu')", "float"),
    "detach": (None, "x.detach()", "float"),
    "scalar-arithmetic": (None, "x * 2 + 1", "float"),
    "size": (None, "x.size(2)", "float"),
    "size-zero": (None, "x.size(0)", "float"),
    "shape-index": (None, "x.shape[-3]", "float"),
    "squeeze-dim": (None, "x.squeeze(2)", "float"),
    "torch.squeeze-dim": (None, "torch.squeeze(x, -2)", "float"),
    "index_select": (None, "x.index_select(1, torch.tensor([0]))", "float"),
    "torch.index_select": (None, "torch.index_select(x, 0, torch.tensor(0))", "float"),
    "sort-indices": (None, "x.sort(dim=0, descending=True)[1]", "float"),
    "torch.sort-values": (None, "torch.sort(x)[0]", "float"),
    "topk-indices": (None, "x.topk(1)[1]", "float"),
    "chunk": (None, "x.chunk(2, 1)[0]", "float"),
    "torch.chunk": (None, "torch.chunk(x, 1)[0]", "float"),
    "max-dim": (None, "x.max(1)[1]", "float"),
    "torch.min-dim-keepdim": (None, "torch.min(x, -2, True)[0]", "float"),
    "median-dim": (None, "x.median(dim=2)[0]", "float"),
    "sign": (None, "x.sign()", "float"),
    "floor": (None, "x.floor()", "float"),
    "ceil": (None, "x.ceil()", "float"),
    "round": (None, "x.round()", "float"),
    "sin": (None, "x.sin()", "float"),
    "cos": (None, "x.cos()", "float"),
    "log1p": (None, "x.abs().log1p()", "float"),
    "reciprocal": (None, "x.reciprocal()", "float"),
    "rsqrt": (None, "x.abs().rsqrt()", "float"),
    "relu_": (None, "x.clone().relu_()", "float"),
    "sigmoid_": (None, "x.clone().sigmoid_()", "float"),
    "tanh_": (None, "x.clone().tanh_()", "float"),
    "exp_": (None, "x.clone().exp_()", "float"),
    "abs_": (None, "x.clone().abs_()", "float"),
    "neg_": (None, "x.clone().neg_()", "float"),
    "bernoulli": (None, "x.sigmoid().bernoulli()", "float"),
    "torch.sign": (None, "torch.sign(x)", "float"),
    "torch.floor": (None, "torch.floor(x)", "float"),
    "torch.round": (None, "torch.round(x)", "float"),
    "torch.sin": (None, "torch.sin(x)", "float"),
    "torch.cos": (None, "torch.cos(x)", "float"),
    "torch.log1p": (None, "torch.log1p(x.abs())", "float"),
    "torch.reciprocal": (None, "torch.reciprocal(x)", "float"),
    "torch.rsqrt": (None, "torch.rsqrt(x.abs())", "float"),
    "F.softsign": (None, "F.softsign(x)", "float"),
    "F.tanhshrink": (None, "F.tanhshrink(x)", "float"),
    "LSTMCell": ("nn.LSTMCell({f}, 4)", "m(x)[0]", "float"),
    "LSTMCell-cell": ("nn.LSTMCell({f}, 4)", "m(x)[1]", "float"),
    "AdaptiveAvgPool1d": ("nn.AdaptiveAvgPool1d(2)", "m(x)", "float"),
    "AdaptiveMaxPool1d": ("nn.AdaptiveMaxPool1d(2)", "m(x)", "float"),
    "InstanceNorm2d": ("nn.InstanceNorm2d({n1})", "m(x)", "float"),
    "ELU": ("nn.ELU()", "m(x)", "float"),
    "SELU": ("nn.SELU()", "m(x)", "float"),
    "SiLU": ("nn.SiLU()", "m(x)", "float"),
    "PReLU": ("nn.PReLU()", "m(x)", "float"),
    "Softsign": ("nn.Softsign()", "m(x)", "float"),
    "Tanhshrink": ("nn.Tanhshrink()", "m(x)", "float"),
    "LogSigmoid": ("nn.LogSigmoid()", "m(x)", "float"),
    "Mish": ("nn.Mish()", "m(x)", "float"),
    "Hardswish": ("nn.Hardswish()", "m(x)", "float"),
    "Hardsigmoid": ("nn.Hardsigmoid()", "m(x)", "float"),
    "CELU": ("nn.CELU()", "m(x)", "float"),
    "Softmin": ("nn.Softmin(dim=-1)", "m(x)", "float"),
    "AlphaDropout": ("nn.AlphaDropout(0.5)", "m(x)", "float"),
    "F.conv1d": (None, "F.conv1d(x, torch.randn(4, x.size(-2), 1))", "float"),
    "F.conv_transpose1d": (None, "F.conv_transpose1d(x, torch.randn(x.size(-2), 4, 1))", "float"),
    "F.conv2d": (None, "F.conv2d(x, torch.randn(4, x.size(-3), 1, 1))", "float"),
    "F.adaptive_max_pool1d": (None, "F.adaptive_max_pool1d(x, 2)", "float"),
    "F.adaptive_avg_pool1d": (None, "F.adaptive_avg_pool1d(x, 2)", "float"),
    "F.adaptive_max_pool2d": (None, "F.adaptive_max_pool2d(x, 2)", "float"),
    "F.adaptive_avg_pool2d": (None, "F.adaptive_avg_pool2d(x, 2)", "float"),
    "F.logsigmoid": (None, "F.logsigmoid(x)", "float"),
    "F.elu": (None, "F.elu(x)", "float"),
    "F.selu": (None, "F.selu(x)", "float"),
    "F.silu": (None, "F.silu(x)", "float"),
    "F.gelu": (None, "F.gelu(x)", "float"),
    "F.leaky_relu": (None, "F.leaky_relu(x, 0.2)", "float"),
    "torch.sigmoid": (None, "torch.sigmoid(x)", "float"),
    "torch.relu": (None, "torch.relu(x)", "float"),
    "torch.exp": (None, "torch.exp(x)", "float"),
    "torch.log_softmax": (None, "torch.log_softmax(x, -1)", "float"),
    "clamp": (None, "x.clamp(min=0)", "float"),
    "torch.clamp": (None, "torch.clamp(x, -1, 1)", "float"),
    "pow": (None, "x.pow(2)", "float"),
    "torch.pow": (None, "torch.pow(x, 2)", "float"),
    "F.normalize": (None, "F.normalize(x, dim=-1)", "float"),
    "narrow": (None, "x.narrow(1, 0, 1)", "float"),
    "narrow-negative": (None, "x.narrow(-2, 0, 1)", "float"),
    "torch.narrow": (None, "torch.narrow(x, 0, 0, 1)", "float"),
    "torch.unsqueeze": (None, "torch.unsqueeze(x, 1)", "float"),
    "torch.unsqueeze-negative": (None, "torch.unsqueeze(x, -3)", "float"),
    # The result has the argument's shape: x's rank, whatever the receiver's.
    "view_as": (None, "x.reshape(-1).view_as(x)", "float"),
    "reshape_as": (None, "x.reshape(-1).reshape_as(x)", "float"),
    "expand_as": (None, "torch.ones(1).expand_as(x)", "float"),
    "add": (None, "x.add(1)", "float"),
    "sub": (None, "x.sub(0.5)", "float"),
    "mul": (None, "x.mul(2)", "float"),
    "div": (None, "x.div(2)", "float"),
    "torch.add": (None, "torch.add(x, 1)", "float"),
    "torch.sub": (None, "torch.sub(x, 2)", "float"),
    "torch.mul": (None, "torch.mul(x, 0.5)", "float"),
    "torch.div": (None, "torch.div(x, 3)", "float"),
    # cat and stack join tensors of one rank (cat also skips an empty 1-D one, which these shapes never are).
    "torch.cat": (None, "torch.cat([x, x], 0)", "float"),
    "torch.stack": (None, "torch.stack([x, x], 1)", "float"),
    "torch.stack-negative": (None, "torch.stack((x, x), dim=-3)", "float"),
}
# Ops whose output rank depends on sizes (squeeze(d) drops axis d only when it has size 1): only their demand counts.
VARYING_RANK = {"squeeze-dim", "torch.squeeze-dim"}


def rank_demands():
    out = {}
    for name, (layer, expr, dtype) in RANK_DEMANDS.items():
        r = random.Random(SEED ^ zlib.crc32(("rank:" + name).encode()))
        accepts, shifts = [], set()
        for rank in range(7):
            ran = False
            for _ in range(24):
                s = sizes(r, rank, 1, 5)
                fill = {"f": s[-1] if rank >= 1 else 3, "c1": s[-2] if rank >= 2 else 3, "n1": s[1] if rank >= 2 else 3, "c3": s[-4] if rank >= 4 else 3}
                x = torch.randint(0, 10, tuple(s)) if dtype == "long" else torch.randn(*s) if s else torch.randn(())
                namespace = {"torch": torch, "nn": nn, "F": F, "x": x}
                try:
                    if layer:
                        namespace["m"] = eval(layer.format(**fill), namespace)
                    y = eval(expr, namespace)
                except Exception:
                    continue
                ran = True
                # A size is no tensor: the op proves a rank without giving one.
                shifts.add(y.dim() - rank if isinstance(y, torch.Tensor) else None)
            if ran:
                accepts.append(rank)
        if name in VARYING_RANK:
            if len(shifts) < 2:
                raise SystemExit(f"rank demand {name}: listed as varying but the output rank always follows the input's")
            shifts = {None}
        if len(shifts) != 1:
            raise SystemExit(f"rank demand {name}: output rank does not follow the input's ({shifts})")
        out[name] = {"layer": layer, "expr": expr, "dtype": dtype, "accepts": accepts, "shift": shifts.pop()}
    return out


# ── torch.nn.init: each initialiser returns the tensor it fills ──────────────────────────────────────────────

@op("nn.init")
def _(r):
    name, lo, hi = r.choice([("uniform_", 1, 4), ("normal_", 1, 4), ("trunc_normal_", 1, 4), ("constant_", 1, 4), ("ones_", 1, 4), ("zeros_", 1, 4),
                             ("eye_", 2, 2), ("dirac_", 3, 4), ("xavier_uniform_", 2, 4), ("xavier_normal_", 2, 4), ("kaiming_uniform_", 2, 4),
                             ("kaiming_normal_", 2, 4), ("orthogonal_", 2, 3), ("xavier_uniform", 2, 3), ("normal", 1, 3), ("orthogonal", 2, 3)])
    s = sizes(r, r.randint(lo, hi))
    extra = {"constant_": ", 0.5", "normal_": ", std=0.1", "uniform_": ", -0.1, 0.1", "kaiming_normal_": ", mode='fan_out'"}.get(name, "") if r.random() < 0.5 else ""
    if name == "constant_" and not extra:
        extra = ", 0.0"
    made = r.choice([f"torch.empty({args(s)})", f"torch.zeros({args(s)})", f"nn.Parameter(torch.Tensor({args(s)}))"])
    module = r.choice(["nn.init", "torch.nn.init"])
    return f"x = {made}\ny = {module}.{name}(x{extra})"


# ── spectral ops and torchaudio's transforms ───────────────────────────────────

FFT_ONE = ["fft", "ifft", "rfft", "irfft", "hfft", "ihfft"]


@op("fft")
def _(r):
    # torch.fft's one-axis transforms: the axis dim (default -1) becomes n (fft, ifft), n // 2 + 1 (rfft, ihfft) or
    # n, by default 2 × (m − 1) (irfft, hfft), n padding or trimming the axis first; the other axes are kept.
    rank = r.randint(1, 3)
    s = sizes(r, rank, 2, 9)
    name = r.choice(FFT_ONE)
    opts = []
    if r.random() < 0.5:
        opts.append(f"n={r.randint(2, 12)}" if r.random() < 0.7 else str(r.randint(2, 12)))
    if r.random() < 0.6:
        d = r.randint(-rank, rank - 1)
        opts.append(f"dim={d}")
    x = randn(s)
    if name in ("irfft", "hfft") and r.random() < 0.5:
        x = f"torch.fft.rfft({randn(s)})"
    return f"import torch.fft\ny = torch.fft.{name}({', '.join([x] + opts)})"


@op("fft-nd")
def _(r):
    # fft2 / rfft2 / irfft2 over dim (default the last two), fftn / rfftn / irfftn over dim, the last len(s) axes, or
    # all: only the last transformed axis is halved (rfft*) or restored (irfft*), the others take s or keep their size.
    rank = r.randint(2, 4)
    s = sizes(r, rank, 2, 8)
    name = r.choice(["fft2", "ifft2", "rfft2", "irfft2", "fftn", "ifftn", "rfftn", "irfftn"])
    k = 2 if name.endswith("2") else r.randint(1, rank)
    opts = []
    if r.random() < 0.5:
        opts.append(f"s={tup([r.randint(2, 9) for _ in range(k)])}")
    if r.random() < 0.5 or (name.endswith("n") and not opts and r.random() < 0.5):
        axes = r.sample(range(rank), k)
        if r.random() < 0.5:
            axes = [a - rank for a in axes]
        opts.append(f"dim={tup(axes)}")
    return f"from torch import fft\ny = fft.{name}({', '.join([randn(s)] + opts)})"


@op("np-fft")
def _(r):
    # numpy.fft follows the same sizes: n and axis for the one-axis transforms, s and axes for fft2 / rfft2 / fftn.
    rank = r.randint(1, 3)
    s = sizes(r, rank, 2, 9)
    name = r.choice(["fft", "rfft", "irfft", "ifft", "rfftfreq", "fftfreq", "fft2", "rfftn"])
    if name in ("rfftfreq", "fftfreq"):
        return f"import numpy as np\ny = torch.from_numpy(np.fft.{name}({r.randint(1, 20)}))"
    if name in ("fft2", "rfftn") and rank < 2:
        s = s + [r.randint(2, 6)]
        rank = 2
    opts = []
    if name in ("fft2", "rfftn"):
        if r.random() < 0.5:
            opts.append(f"s={tup([r.randint(2, 8) for _ in range(2)])}")
            if r.random() < 0.5:
                opts.append(f"axes={tup([r.randint(-rank, -2), -1])}" if name == "fft2" else f"axes={tup([0, rank - 1])}")
    else:
        if r.random() < 0.5:
            opts.append(f"n={r.randint(2, 12)}")
        if r.random() < 0.5:
            opts.append(f"axis={r.randint(-rank, rank - 1)}")
    return f"import numpy as np\ny = torch.from_numpy(np.fft.{name}({', '.join([f'np.zeros({tup(s)})'] + opts)}))"


@op("stft")
def _(r):
    # torch.stft of (L,) or (B, L): (…, n_fft // 2 + 1 or n_fft if onesided=False, frames), frames 1 + (L' − n_fft) //
    # hop with L' = L + 2 × (n_fft // 2) when centred; return_complex=False adds a last axis of 2.
    n_fft = r.choice([8, 16, 25, 32, 64])
    length = r.randint(n_fft, 300)
    x = [length] if r.random() < 0.3 else [r.randint(1, 3), length]
    opts = [str(n_fft) if r.random() < 0.5 else f"n_fft={n_fft}"]
    if r.random() < 0.6:
        opts.append(f"hop_length={r.randint(1, n_fft)}")
    win = None
    if r.random() < 0.4:
        win = r.randint(2, n_fft)
        opts.append(f"win_length={win}")
    if r.random() < 0.5:
        opts.append(f"window=torch.{r.choice(['hann', 'hamming'])}_window({win or n_fft})")
    if r.random() < 0.4:
        opts.append(f"center={r.choice(['True', 'False'])}")
    if r.random() < 0.2:
        opts.append("onesided=False")
    opts.append(f"return_complex={r.choice(['True', 'False'])}")
    if r.random() < 0.3:
        return f"x = {randn(x)}\ny = x.stft({', '.join(opts)})"
    return f"y = torch.stft({', '.join([randn(x)] + opts)})"


@op("view_as_real")
def _(r):
    # A complex tensor viewed as (…, 2) reals, and back.
    s = sizes(r, r.randint(1, 3))
    if r.random() < 0.5:
        return f"y = torch.view_as_real(torch.fft.fft({randn(s)}))"
    return f"y = torch.view_as_complex({randn(s + [2])})"


@op("torchaudio-transforms")
def _(r):
    # torchaudio.transforms: (…, time) → (…, features, frames) for Spectrogram (n_fft // 2 + 1), MelSpectrogram (n_mels)
    # and MFCC (n_mfcc), frames as torch.stft makes them with hop_length = win_length // 2 by default and the waveform
    # padded by pad on both sides; Resample's ceil(new × time / orig); the masks and AmplitudeToDB keep the shape.
    kind = r.choice(["Spectrogram", "MelSpectrogram", "MFCC", "Resample", "AmplitudeToDB", "MelScale", "masks"])
    lead = sizes(r, r.randint(0, 2), 1, 3)
    n_fft = r.choice([64, 128, 200, 256])
    length = r.randint(n_fft, 2000)
    x = randn(lead + [length])
    if kind in ("Spectrogram", "MelSpectrogram"):
        opts = [f"n_fft={n_fft}"]
        if r.random() < 0.6:
            opts.append(f"hop_length={r.randint(8, n_fft)}")
        if r.random() < 0.3:
            opts.append(f"win_length={r.randint(16, n_fft)}")
        if r.random() < 0.2:
            opts.append(f"pad={r.randint(1, 20)}")
        if r.random() < 0.2:
            opts.append("center=False")
        if kind == "MelSpectrogram":
            opts.insert(0, str(r.choice([8000, 16000])) if r.random() < 0.5 else "sample_rate=16000")
            if r.random() < 0.7:
                opts.append(f"n_mels={r.randint(8, 64)}")
        return f"import torchaudio\nt = torchaudio.transforms.{kind}({', '.join(opts)})\ny = t({x})"
    if kind == "MFCC":
        mels = r.randint(20, 64)
        melkwargs = f"{{'n_fft': {n_fft}, 'hop_length': {r.randint(16, n_fft)}, 'n_mels': {mels}}}"
        opts = [f"n_mfcc={r.randint(5, mels)}"]
        if r.random() < 0.8:
            opts.append(f"melkwargs={melkwargs}")
        else:
            length = r.randint(400, 2000)
            x = randn(lead + [length])
            opts = [f"n_mfcc={r.randint(5, 40)}"]
        return f"import torchaudio\nmfcc = torchaudio.transforms.MFCC(sample_rate=16000, {', '.join(opts)})\ny = mfcc({x})"
    if kind == "Resample":
        orig, new = r.choice([(16000, 8000), (44100, 16000), (8000, 16000), (22050, 16000), (48000, 44100), (16000, 16000)])
        return f"import torchaudio\ny = torchaudio.transforms.Resample({orig}, {new})({x})"
    if kind == "MelScale":
        n_stft = n_fft // 2 + 1
        spec = randn(lead + [n_stft, r.randint(1, 20)])
        return f"import torchaudio\ny = torchaudio.transforms.MelScale(n_mels={r.randint(8, 64)}, sample_rate=16000, n_stft={n_stft})({spec})"
    spec = randn(lead + [r.randint(8, 40), r.randint(8, 40)])
    if kind == "AmplitudeToDB":
        return f"import torchaudio\ny = torchaudio.transforms.AmplitudeToDB(top_db=80)({spec})"
    return f"import torchaudio\nm = torchaudio.transforms.{r.choice(['FrequencyMasking', 'TimeMasking'])}({r.randint(1, 8)})\ny = m({spec})"


@op("kaldi-features")
def _(r):
    # torchaudio.compliance.kaldi's fbank (num_mel_bins, + 1 with use_energy), mfcc (num_ceps) and spectrogram
    # (padded window // 2 + 1) of a (channels, samples) waveform: frames of frame_length ms every frame_shift ms.
    name = r.choice(["fbank", "mfcc", "spectrogram"])
    length = r.randint(400, 8000)
    opts = []
    if r.random() < 0.5:
        opts.append(f"frame_shift={r.choice([10.0, 5.0, 12.5])}")
    if r.random() < 0.3:
        opts.append(f"frame_length={r.choice([25.0, 20.0])}")
    if r.random() < 0.3:
        opts.append("snip_edges=False")
    if name == "fbank":
        opts.append(f"num_mel_bins={r.randint(10, 80)}")
        if r.random() < 0.3:
            opts.append("use_energy=True")
    elif name == "mfcc" and r.random() < 0.6:
        opts.append(f"num_ceps={r.randint(5, 13)}")
    elif name == "spectrogram" and r.random() < 0.3:
        opts.append("round_to_power_of_two=False")
    return f"import torchaudio\ny = torchaudio.compliance.kaldi.{name}({', '.join([randn([1, length])] + opts)})"



@op("unfold")
def _(r):
    # nn.Unfold / F.unfold (im2col): (N, C, H, W) or (C, H, W) → (N, C·kh·kw, blocks); the blocks may not fit.
    bsz, c, h, w = r.randint(1, 3), r.randint(1, 4), r.randint(2, 12), r.randint(2, 12)
    kh, kw, sh, sw, ph, pw, dh, dw = r.randint(1, 4), r.randint(1, 4), r.randint(1, 3), r.randint(1, 3), r.randint(0, 1), r.randint(0, 1), r.randint(1, 2), r.randint(1, 2)
    form = r.choice([
        "nn.Unfold({kh})(x)",
        "nn.Unfold({kh}, stride={sh})(x)",
        "nn.Unfold(kernel_size=({kh}, {kw}), stride=({sh}, {sw}))(x)",
        "nn.Unfold(({kh}, {kw}), ({dh}, {dw}), ({ph}, {pw}), ({sh}, {sw}))(x)",
        "nn.Unfold({kh}, dilation={dh}, padding={ph}, stride={sh})(x)",
        "F.unfold(x, {kh}, stride={sh})",
        "F.unfold(x, kernel_size=({kh}, {kw}), padding={ph})",
        "F.unfold(x, ({kh}, {kw}), {dh}, {ph}, ({sh}, {sw}))",
    ])
    shape = [bsz, c, h, w] if r.random() < 0.8 else [c, h, w]
    return f"x = {randn(shape)}\ny = " + form.format(kh=kh, kw=kw, sh=sh, sw=sw, ph=ph, pw=pw, dh=dh, dw=dw)

# ── running ────────────────────────────────────────────────────────────────────

DTYPES = {torch.float32: "float", torch.float64: "float", torch.float16: "float", torch.int64: "long", torch.int32: "long", torch.int16: "long", torch.uint8: "long", torch.bool: "bool", torch.complex64: "complex", torch.complex128: "complex"}


def run_case(code, check):
    namespace = {}
    exec(PRELUDE + code, namespace)
    out = {}
    for name in check:
        v = namespace[name]
        out[name] = {"shape": list(v.shape), "dtype": DTYPES[v.dtype]}
    return out


def generate():
    cases = []
    for name, (fn, check) in GENERATORS.items():
        r = random.Random(SEED ^ zlib.crc32(name.encode()))
        made = 0
        seen = set()
        tries = 0
        while made < CASES_PER_OP and tries < CASES_PER_OP * 20:
            tries += 1
            code = fn(r)
            if code in seen:
                continue
            seen.add(code)
            # Both generators a case may draw from start from the same state, so a case's result does not depend on the
            # cases generated before it (a NumPy mask's count of True entries would).
            torch.manual_seed(0)
            numpy.random.seed(0)
            try:
                results = run_case(code, check)
            except Exception:
                continue  # only valid programs: the generator's constraints were not enough
            cases.append({"op": name, "code": code, "results": results})
            made += 1
        if made < 20:
            raise SystemExit(f"{name}: only {made} valid cases")
    return {"torch": torch.__version__.split("+")[0], "prelude": PRELUDE, "cases": cases, "rankDemands": rank_demands()}


def main():
    parser = argparse.ArgumentParser()
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="regenerate and compare with the golden (default)")
    mode.add_argument("--update", action="store_true", help="rewrite the golden")
    opts = parser.parse_args()
    data = generate()
    text = json.dumps(data, indent=1) + "\n"
    if opts.update:
        with open(GOLDEN, "w") as f:
            f.write(text)
        print(f"op-shapes: wrote {len(data['cases'])} cases over {len(GENERATORS)} ops")
        return
    with open(GOLDEN) as f:
        golden = json.load(f)
    if golden != data:
        old = {(c["op"], c["code"]): c["results"] for c in golden["cases"]}
        new = {(c["op"], c["code"]): c["results"] for c in data["cases"]}
        diff = [k for k in set(old) | set(new) if old.get(k) != new.get(k)]
        for k in sorted(diff)[:20]:
            print(f"mismatch {k[0]}: {k[1]!r}\n  golden {old.get(k)}\n  torch  {new.get(k)}")
        print(f"op-shapes: {len(diff)} cases differ from PyTorch {data['torch']}; run with --update after checking")
        sys.exit(1)
    print(f"op-shapes: {len(data['cases'])} cases over {len(GENERATORS)} ops agree with PyTorch {data['torch']}")


if __name__ == "__main__":
    main()
