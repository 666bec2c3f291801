#!/usr/bin/python3
"""PyTorch's answer to matrix products and views on random shapes, valid or not: the golden of SL121's and SL122's
property tests.

Each case is a product (`matmul`, `@`, `mm`, `bmm`, `mv`, `addmm`, `baddbmm`, `dot`/`vdot`) of two tensors of random rank and
sizes, drawn so that about half of them fit. Each runs in real PyTorch 1.13, which either gives a shape or raises;
test/unit/analysis/matmul-size-mismatch.test.ts checks that SL121's productMismatch reports exactly the cases that
raised, and that with an operand's rank or sizes hidden it never reports one that did not. Views (`x.view(sizes)`,
with at most one -1) are drawn the same way, about half of them holding the input's element count, for SL122's
viewSizeClash (test/unit/analysis/view-size-mismatch.test.ts). Indices (ints, slices, None and ... on random shapes) are
the golden of SL125's indexOutOfBounds (test/unit/analysis/index-out-of-bounds.test.ts), and pack_padded_sequence given
a number of lengths on random inputs that of SL126's lengthsClash (test/unit/analysis/packed-lengths-batch-mismatch.test.ts),
softmaxes over random axes (whether every weight comes out as 1) that of SL127's singleEntryAxis, cross_entropy of
3-D scores against 2-D class targets that of SL113's stepsClash, and values written into regions of random shapes
(x[...] = value) that of SL119's storeClash (x.expand_as(y) too, the `expands`), and tensors joined by torch.cat or
torch.stack that of SL142's catClash (test/unit/analysis/cat-size-mismatch.test.ts); joins of tensors of several ranks
along random axes that of SL123's joinAxisTensor (test/unit/analysis/dim-out-of-range.test.ts), and torch.gather on random
shapes that of SL147's gatherClash (test/unit/analysis/gather-index-size.test.ts); nn.Conv1d and nn.Conv2d over random
short inputs that of SL150 (test/unit/analysis/conv-kernel-longer-than-input.test.ts).

    /usr/bin/python3 test/oracle/product_errors.py --check    # CI: regenerate and compare with the golden
    /usr/bin/python3 test/oracle/product_errors.py --update   # rewrite the golden
"""

import argparse
import json
import os
import random
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GOLDEN = os.path.join(ROOT, "test", "oracle", "product-errors.json")
SEED = 20261203
CASES_PER_PRODUCT = 40
RANKS = {"matmul": (1, 4), "mm": (1, 3), "bmm": (2, 4), "mv": (1, 3)}
PRODUCTS = ["matmul", "mm", "bmm", "mv", "addmm", "baddbmm"]
# Layers and the keyword arguments they are built with, ints everywhere (each int is made a float in turn).
_CONV = {"in_channels": 4, "out_channels": 6, "kernel_size": 3, "stride": 1, "padding": 1, "dilation": 1, "groups": 1}
_RNN = {"input_size": 8, "hidden_size": 4, "num_layers": 2}
_ATTN = {"d_model": 8, "nhead": 2, "dim_feedforward": 16}
LAYER_ARGS = [
    ("Linear", {"in_features": 8, "out_features": 4}),
    ("Embedding", {"num_embeddings": 10, "embedding_dim": 4, "padding_idx": 0}),
    ("LSTM", {**_RNN, "proj_size": 2}),
    ("GRU", _RNN),
    ("RNN", _RNN),
    ("LSTMCell", {"input_size": 8, "hidden_size": 4}),
    ("GRUCell", {"input_size": 8, "hidden_size": 4}),
    ("RNNCell", {"input_size": 8, "hidden_size": 4}),
    ("Conv1d", _CONV),
    ("Conv2d", _CONV),
    ("Conv3d", _CONV),
    ("LayerNorm", {"normalized_shape": 4}),
    ("BatchNorm1d", {"num_features": 4}),
    ("BatchNorm1d", {"num_features": 4, "affine": False}),
    ("BatchNorm1d", {"num_features": 4, "track_running_stats": False}),
    ("BatchNorm1d", {"num_features": 4, "affine": False, "track_running_stats": False}),
    ("BatchNorm2d", {"num_features": 4}),
    ("BatchNorm3d", {"num_features": 4}),
    ("MultiheadAttention", {"embed_dim": 8, "num_heads": 2}),
    ("TransformerEncoderLayer", _ATTN),
    ("TransformerDecoderLayer", _ATTN),
]


# Equations without an ellipsis or a subscript repeated in one operand: their sizes meet only across operands.
EINSUM_EQUATIONS = [
    "ij,jk->ik", "bij,bjk->bik", "bhqd,bhkd->bhqk", "bhqk,bhkd->bhqd", "bnd,di->bni", "bnd,od->bno", "ibnd,jbnd->ijbn",
    "i,j->ij", "bi,bj->bij", "bnd,d->bn", "nlh,nsh->nls", "b i d, b j d -> b i j", "ij,jk,kl->il", "bd,bd->b",
]


def operand_pair(r, product):
    lo, hi = RANKS[{"addmm": "mm", "baddbmm": "bmm"}.get(product, product)]
    # Mostly the ranks the product takes, sometimes another.
    wanted = {"mm": (2, 2), "addmm": (2, 2), "bmm": (3, 3), "baddbmm": (3, 3), "mv": (2, 1)}.get(product)
    if wanted and r.random() < 0.8:
        ra, rb = wanted
    else:
        ra, rb = r.randint(lo, hi), r.randint(lo, hi)
    a = [r.randint(1, 5) for _ in range(ra)]
    b = [r.randint(1, 5) for _ in range(rb)]
    if r.random() < 0.5:
        # Make the contracted sizes agree, and the batch axes too.
        b[-2 if rb >= 2 else 0] = a[-1]
        for k in range(1, min(ra, rb) - 1):
            if r.random() < 0.8:
                b[rb - 2 - k] = a[ra - 2 - k]
    return a, b


def run(product, a, b):
    x, y = torch.randn(*a), torch.randn(*b)
    if product == "matmul":
        return torch.matmul(x, y)
    if product == "mm":
        return torch.mm(x, y)
    if product == "bmm":
        return torch.bmm(x, y)
    if product == "mv":
        return torch.mv(x, y)
    if product == "addmm":
        return torch.addmm(torch.zeros(()), x, y)
    return torch.baddbmm(torch.zeros(()), x, y)


# Tensor methods given one axis (the others at their defaults), for SL123's axis ranges.
AXIS_CALLS = {
    "sum": lambda t, d: t.sum(d),
    "mean": lambda t, d: t.mean(d),
    "softmax": lambda t, d: t.softmax(d),
    "log_softmax": lambda t, d: t.log_softmax(d),
    "argmax": lambda t, d: t.argmax(d),
    "cumsum": lambda t, d: t.cumsum(d),
    "squeeze": lambda t, d: t.squeeze(d),
    "unsqueeze": lambda t, d: t.unsqueeze(d),
    "size": lambda t, d: t.size(d),
    "max": lambda t, d: t.max(d),
    "min": lambda t, d: t.min(d),
    "std": lambda t, d: t.std(d),
    "unbind": lambda t, d: t.unbind(d),
    "sort": lambda t, d: t.sort(d),
    "logsumexp": lambda t, d: t.logsumexp(d),
    "split": lambda t, d: t.split(1, d),
    "chunk": lambda t, d: t.chunk(2, d),
    "topk": lambda t, d: t.topk(1, d),
    "norm": lambda t, d: t.norm(2, d),
    "transpose": lambda t, d: t.transpose(0, d) if t.dim() else t.transpose(0, d),
    "flatten": lambda t, d: t.flatten(d),
    "narrow": lambda t, d: t.narrow(d, 0, 1),
    "select": lambda t, d: t.select(d, 0),
    "index_select": lambda t, d: t.index_select(d, torch.tensor([0])),
}
AXIS_METHODS = sorted(AXIS_CALLS)


def generate():
    r = random.Random(SEED)
    cases = []
    for product in PRODUCTS:
        for _ in range(CASES_PER_PRODUCT):
            a, b = operand_pair(r, product)
            try:
                out = run(product, a, b)
                cases.append({"product": product, "a": a, "b": b, "shape": list(out.shape)})
            except (RuntimeError, IndexError) as e:
                cases.append({"product": product, "a": a, "b": b, "raises": type(e).__name__ + ": " + str(e).split("\n")[0]})
    views = []
    for _ in range(CASES_PER_PRODUCT * 4):
        x = [r.randint(1, 6) for _ in range(r.randint(1, 4))]
        numel = 1
        for d in x:
            numel *= d
        if r.random() < 0.5:
            # A factorisation of the element count.
            sizes, n = [], numel
            for _ in range(r.randint(0, 2)):
                d = r.choice([k for k in range(1, n + 1) if n % k == 0])
                sizes.append(d)
                n //= d
            sizes.append(n)
            r.shuffle(sizes)
        else:
            sizes = [r.randint(1, 8) for _ in range(r.randint(1, 4))]
        if r.random() < 0.4:
            sizes[r.randrange(len(sizes))] = -1
        try:
            out = torch.randn(*x).view(*sizes)
            views.append({"x": x, "sizes": sizes, "shape": list(out.shape)})
        except RuntimeError as e:
            views.append({"x": x, "sizes": sizes, "raises": type(e).__name__ + ": " + str(e).split("\n")[0]})
    axes = []
    for _ in range(CASES_PER_PRODUCT * 8):
        x = [r.randint(1, 4) for _ in range(r.randint(0, 4))]
        method = r.choice(AXIS_METHODS)
        dim = r.randint(-6, 5)
        try:
            out = AXIS_CALLS[method](torch.randn(tuple(x)), dim)
            axes.append({"x": x, "method": method, "dim": dim, "ok": True})
        except (RuntimeError, IndexError) as e:
            axes.append({"x": x, "method": method, "dim": dim, "raises": type(e).__name__ + ": " + str(e).split("\n")[0]})
    # Inner products (dot, vdot), drawn last from a stream of their own so that the cases above keep their draws.
    d = random.Random(SEED + 1)
    for product in ("dot", "vdot"):
        for _ in range(CASES_PER_PRODUCT // 2):
            ra, rb = (1, 1) if d.random() < 0.7 else (d.randint(0, 2), d.randint(0, 2))
            a = [d.randint(1, 5) for _ in range(ra)]
            b = [d.randint(1, 5) for _ in range(rb)]
            if ra == rb == 1 and d.random() < 0.5:
                b[0] = a[0]
            try:
                out = getattr(torch, product)(torch.randn(tuple(a)), torch.randn(tuple(b)))
                cases.append({"product": "dot", "a": a, "b": b, "shape": list(out.shape)})
            except RuntimeError as e:
                cases.append({"product": "dot", "a": a, "b": b, "raises": type(e).__name__ + ": " + str(e).split("\n")[0]})
    # Integer indices mixed with slices, None and ..., from a stream of their own: the golden of SL125.
    g = random.Random(SEED + 2)
    indices = []
    for _ in range(CASES_PER_PRODUCT * 8):
        x = [g.randint(1, 5) for _ in range(g.randint(1, 4))]
        items = []
        for _ in range(g.randint(1, len(x) + 1)):
            roll = g.random()
            if roll < 0.55:
                items.append(g.randint(-6, 5))
            elif roll < 0.8:
                items.append(":")
            elif roll < 0.9:
                items.append(None)
            elif "..." not in items:
                items.append("...")
        index = tuple({":": slice(None), "...": Ellipsis}.get(i, i) if i is not None else None for i in items)
        try:
            torch.randn(tuple(x))[index]
            indices.append({"x": x, "index": items, "ok": True})
        except IndexError as e:
            indices.append({"x": x, "index": items, "raises": type(e).__name__ + ": " + str(e).split("\n")[0]})
    # pack_padded_sequence given a number of lengths against its input's axes, from a stream of their own: SL126's golden.
    p = random.Random(SEED + 3)
    packs = []
    for _ in range(CASES_PER_PRODUCT * 4):
        x = [p.randint(1, 6) for _ in range(p.randint(2, 4))]
        batch_first = p.random() < 0.5
        enforce_sorted = p.random() < 0.5
        count = p.choice([x[0], x[1], p.randint(1, 6)])
        top = x[1] if batch_first else x[0]
        lengths = [p.randint(1, top) for _ in range(count)]
        lengths.sort(reverse=True)
        case = {"x": x, "count": count, "batch_first": batch_first, "enforce_sorted": enforce_sorted}
        try:
            packed = torch.nn.utils.rnn.pack_padded_sequence(torch.randn(tuple(x)), torch.tensor(lengths, dtype=torch.long), batch_first=batch_first, enforce_sorted=enforce_sorted)
            # Without enforce_sorted PyTorch reorders the batch axis by the lengths: it packs as many sequences as lengths.
            packs.append({**case, "packed_batch": int(packed.batch_sizes[0])})
        except (RuntimeError, IndexError) as e:
            packs.append({**case, "raises": type(e).__name__ + ": " + str(e).split("\n")[0]})
    # softmax over a random axis of random shapes with sizes of 1 common, from a stream of their own: SL127's golden is
    # whether the weights come out as 1 everywhere whatever the scores (a softmax over a single entry).
    q = random.Random(SEED + 4)
    softmaxes = []
    for _ in range(CASES_PER_PRODUCT * 4):
        x = [q.choice([1, 1, 2, 3, 5]) for _ in range(q.randint(1, 4))]
        dim = q.randint(-len(x), len(x) - 1)
        out = torch.softmax(torch.randn(tuple(x)) * 10, dim=dim)
        softmaxes.append({"x": x, "dim": dim, "all_ones": bool(torch.all(out == 1.0))})
    # cross_entropy of 3-D scores against 2-D class targets of random sizes (indices always below the classes axis 1
    # holds), from a stream of their own: the golden of SL113's stepsClash (test/unit/analysis/cross-entropy-layout.test.ts).
    e = random.Random(SEED + 5)
    losses = []
    for _ in range(CASES_PER_PRODUCT * 4):
        x = [e.randint(1, 4), e.randint(1, 6), e.randint(1, 6)]
        t = [x[0] if e.random() < 0.8 else e.randint(1, 4), x[2] if e.random() < 0.3 else e.randint(1, 6)]
        case = {"x": x, "target": t}
        try:
            torch.nn.functional.cross_entropy(torch.randn(tuple(x)), torch.randint(0, x[1], tuple(t)))
            losses.append({**case, "ok": True})
        except (RuntimeError, ValueError) as err:
            losses.append({**case, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # A value written into a region of random shape (x[...] = value), from a stream of their own: SL119's storeClash.
    w = random.Random(SEED + 6)
    stores = []
    for _ in range(CASES_PER_PRODUCT * 4):
        region = [w.randint(1, 4) for _ in range(w.randint(1, 3))]
        value = [w.choice([1, d, w.randint(1, 4)]) for d in region[w.randint(0, len(region)):]]
        if w.random() < 0.2:
            value = [1] + value
        try:
            x = torch.zeros(tuple(region))
            x[...] = torch.randn(tuple(value))
            stores.append({"region": region, "value": value, "ok": True})
        except RuntimeError as err:
            stores.append({"region": region, "value": value, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # Tensors joined by torch.cat or torch.stack, of random shapes that mostly agree, from a stream of their own:
    # SL142's catClash.
    c = random.Random(SEED + 7)
    cats = []
    for _ in range(CASES_PER_PRODUCT * 4):
        rank = c.randint(1, 3)
        base = [c.randint(0 if rank == 1 else 1, 4) for _ in range(rank)]
        shapes = []
        for _ in range(c.randint(2, 4)):
            shape = [d if c.random() < 0.75 else c.randint(0, 4) for d in base]
            if c.random() < 0.1:
                shape = [0]
            shapes.append(shape)
        op = c.choice(["cat", "stack"])
        dim = c.randint(-rank, rank - 1)
        case = {"op": op, "shapes": shapes, "dim": dim}
        try:
            tensors = [torch.randn(tuple(s)) for s in shapes]
            (torch.cat if op == "cat" else torch.stack)(tensors, dim=dim)
            cats.append({**case, "ok": True})
        except RuntimeError as err:
            cats.append({**case, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # x.expand_as(y) on random shapes, from a stream of their own: the same check as a store (SL119's storeClash).
    e = random.Random(SEED + 8)
    expands = []
    for _ in range(CASES_PER_PRODUCT * 4):
        target = [e.randint(1, 4) for _ in range(e.randint(1, 3))]
        source = [e.choice([1, d, e.randint(1, 4)]) for d in target[e.randint(0, len(target) - 1):]]
        try:
            torch.randn(tuple(source)).expand_as(torch.randn(tuple(target)))
            expands.append({"target": target, "source": source, "ok": True})
        except RuntimeError as err:
            expands.append({"target": target, "source": source, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # Tensors of several ranks (and legacy empty (0,) ones) joined by torch.cat or torch.stack along a random axis, from
    # a stream of their own: which tensor PyTorch checks the axis against, SL123's joinAxisTensor.
    j = random.Random(SEED + 9)
    joins = []
    for _ in range(CASES_PER_PRODUCT * 4):
        shapes = []
        for _ in range(j.randint(2, 3)):
            shapes.append([0] if j.random() < 0.15 else [j.randint(1, 3) for _ in range(j.randint(1, 3))])
        op = j.choice(["cat", "stack"])
        dim = j.randint(-4, 3)
        case = {"op": op, "shapes": shapes, "dim": dim}
        try:
            tensors = [torch.randn(tuple(s)) for s in shapes]
            (torch.cat if op == "cat" else torch.stack)(tensors, dim=dim)
            joins.append({**case, "ok": True})
        except (RuntimeError, IndexError) as err:
            joins.append({**case, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # torch.gather(input, dim, index) on random shapes, the index mostly of the input's rank and sizes around the
    # input's (sometimes 0), from a stream of their own: SL147's gatherClash.
    g = random.Random(SEED + 10)
    gathers = []
    for _ in range(CASES_PER_PRODUCT * 4):
        x = [g.randint(1, 4) for _ in range(g.randint(1, 3))]
        rank = len(x) if g.random() < 0.85 else max(1, len(x) + g.choice([-1, 1]))
        index = [g.choice([x[i] if i < len(x) else 2, g.randint(1, 5), 0 if g.random() < 0.1 else 1]) for i in range(rank)]
        dim = g.randint(-len(x), len(x) - 1)
        case = {"x": x, "index": index, "dim": dim}
        try:
            out = torch.gather(torch.randn(tuple(x)), dim, torch.zeros(tuple(index), dtype=torch.long))
            gathers.append({**case, "out": list(out.shape)})
        except RuntimeError as err:
            gathers.append({**case, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # x.expand(*sizes) on random shapes and sizes (kept sizes, sizes of 1 expanded, -1, new leading axes, too few
    # sizes), from a stream of their own: SL119's and SL118's expandClash.
    g = random.Random(SEED + 11)
    expand_sizes = []
    for _ in range(CASES_PER_PRODUCT * 4):
        source = [g.choice([1, g.randint(1, 4)]) for _ in range(g.randint(1, 3))]
        sizes = [g.choice([d, d, -1, g.randint(1, 4)]) for d in source]
        if g.random() < 0.4:
            sizes = [g.choice([g.randint(1, 3), -1]) if g.random() < 0.2 else g.randint(1, 3) for _ in range(g.randint(1, 2))] + sizes
        if g.random() < 0.15 and len(sizes) > 1:
            sizes = sizes[g.randint(1, len(sizes) - 1):]
        try:
            torch.randn(tuple(source)).expand(*sizes)
            expand_sizes.append({"source": source, "sizes": sizes, "ok": True})
        except RuntimeError as err:
            expand_sizes.append({"source": source, "sizes": sizes, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # torch.cat/stack of tensors whose ranks may differ, from a stream of their own: SL142's catClash on ranks.
    r = random.Random(SEED + 12)
    cat_ranks = []
    for _ in range(CASES_PER_PRODUCT * 2):
        base = [r.randint(1, 3) for _ in range(r.randint(1, 3))]
        shapes = []
        for _ in range(r.randint(2, 3)):
            roll = r.random()
            shape = base + [r.randint(1, 3)] if roll < 0.25 else base[:-1] if roll < 0.4 and len(base) > 1 else [0] if roll < 0.5 else list(base)
            shapes.append(shape)
        op = r.choice(["cat", "stack"])
        dim = r.randint(-len(base), len(base) - 1)
        case = {"op": op, "shapes": shapes, "dim": dim}
        try:
            (torch.cat if op == "cat" else torch.stack)([torch.randn(tuple(s)) for s in shapes], dim=dim)
            cat_ranks.append({**case, "ok": True})
        except (RuntimeError, IndexError) as err:
            cat_ranks.append({**case, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # nn.Conv1d / nn.Conv2d with random kernels, padding, dilation and stride over random (mostly short) inputs, batched
    # or not, from a stream of their own: SL150's kernel-longer-than-input (test/unit/analysis/conv-kernel-longer-than-input.test.ts).
    g = random.Random(SEED + 13)
    convs = []
    for _ in range(CASES_PER_PRODUCT * 4):
        kind = g.choice(["Conv1d", "Conv2d"])
        spatial = 1 if kind == "Conv1d" else 2
        sizes = [g.randint(1, 7) for _ in range(spatial)]
        batched = g.random() < 0.8
        shape = ([g.randint(1, 3)] if batched else []) + [2] + sizes
        kernel = [g.randint(1, 6) for _ in range(spatial)]
        padding = g.choice([0, 0, 1, 2, "same", "valid"])
        dilation = [g.choice([1, 1, 2]) for _ in range(spatial)]
        stride = g.choice([1, 1, 2]) if padding != "same" else 1
        case = {"kind": kind, "shape": shape, "kernel": kernel, "padding": padding, "dilation": dilation, "stride": stride}
        layer = getattr(torch.nn, kind)(2, 3, tuple(kernel), stride=stride, padding=padding, dilation=tuple(dilation))
        try:
            out = layer(torch.randn(tuple(shape)))
            convs.append({**case, "out": list(out.shape)})
        except RuntimeError as err:
            convs.append({**case, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # torch.einsum on operands of random sizes, each subscript's sizes mostly agreeing, sometimes a 1 or another size,
    # from a stream of their own: SL121's einsumClash (test/unit/analysis/einsum-size-mismatch.test.ts).
    e = random.Random(SEED + 14)
    einsums = []
    for _ in range(CASES_PER_PRODUCT * 4):
        equation = e.choice(EINSUM_EQUATIONS)
        terms = equation.split("->")[0].replace(" ", "").split(",")
        size = {c: e.randint(2, 5) for c in sorted(set("".join(terms)))}
        shapes = [[e.choice([size[c]] * 6 + [1, e.randint(1, 5)]) for c in term] for term in terms]
        case = {"equation": equation, "shapes": shapes}
        try:
            out = torch.einsum(equation, *[torch.randn(tuple(s)) for s in shapes])
            einsums.append({**case, "shape": list(out.shape)})
        except RuntimeError as err:
            einsums.append({**case, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    # Layers built with one argument a float of integer value (the same layer with ints builds): which arguments make the
    # constructor raise, whatever the float's value. SL158's table of sizes (test/unit/analysis/layer-float-size.test.ts).
    layer_floats = []
    for kind, args in LAYER_ARGS:
        for name, value in args.items():
            if isinstance(value, bool) or not isinstance(value, int):
                continue
            built = {**args, name: float(value)}
            case = {"kind": kind, "args": built, "float": name}
            try:
                getattr(torch.nn, kind)(**built)
                layer_floats.append({**case, "ok": True})
            except Exception as err:  # noqa: BLE001 - which error PyTorch gives is the golden's to say
                layer_floats.append({**case, "raises": type(err).__name__ + ": " + str(err).split("\n")[0]})
    return {"torch": torch.__version__.split("+")[0], "cases": cases, "views": views, "axes": axes, "indices": indices, "packs": packs, "softmaxes": softmaxes, "losses": losses, "stores": stores, "cats": cats, "expands": expands, "joins": joins, "gathers": gathers, "expand_sizes": expand_sizes, "cat_ranks": cat_ranks, "convs": convs, "layer_floats": layer_floats, "einsums": einsums}


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
        print(f"product-errors: wrote {len(data['cases'])} cases")
        return
    with open(GOLDEN) as f:
        golden = json.load(f)
    if golden != data:
        diff = [c for c, g in zip(data["cases"] + data["views"] + data["axes"] + data["indices"] + data["packs"] + data["softmaxes"] + data["losses"] + data["stores"] + data["cats"] + data["expands"] + data["joins"] + data["gathers"] + data["expand_sizes"] + data["cat_ranks"] + data["convs"] + data["layer_floats"] + data["einsums"], golden["cases"] + golden.get("views", []) + golden.get("axes", []) + golden.get("indices", []) + golden.get("packs", []) + golden.get("softmaxes", []) + golden.get("losses", []) + golden.get("stores", []) + golden.get("cats", []) + golden.get("expands", []) + golden.get("joins", []) + golden.get("gathers", []) + golden.get("expand_sizes", []) + golden.get("cat_ranks", []) + golden.get("convs", []) + golden.get("layer_floats", []) + golden.get("einsums", [])) if c != g]
        print(f"product-errors: {len(diff) or 'the number of'} cases differ from PyTorch {data['torch']}; run with --update after checking")
        sys.exit(1)
    raised = sum(1 for c in data["cases"] if "raises" in c)
    refused = sum(1 for c in data["views"] if "raises" in c)
    out_of_range = sum(1 for c in data["axes"] if "raises" in c)
    past = sum(1 for c in data["indices"] if "raises" in c)
    unpacked = sum(1 for c in data["packs"] if "raises" in c)
    print(f"product-errors: {len(data['cases'])} products ({raised} raise), {len(data['views'])} views ({refused} raise), {len(data['axes'])} axis arguments ({out_of_range} raise), {len(data['indices'])} indices ({past} raise), {len(data['packs'])} packed batches ({unpacked} raise) {len(data['softmaxes'])} softmaxes ({sum(1 for c in data['softmaxes'] if c['all_ones'])} all ones) {len(data['losses'])} cross-entropies ({sum(1 for c in data['losses'] if 'raises' in c)} raise) {len(data['stores'])} stores ({sum(1 for c in data['stores'] if 'raises' in c)} raise), {len(data['cats'])} joins ({sum(1 for c in data['cats'] if 'raises' in c)} raise) {len(data['expands'])} expand_as ({sum(1 for c in data['expands'] if 'raises' in c)} raise), {len(data['joins'])} joins of several ranks ({sum(1 for c in data['joins'] if 'raises' in c)} raise), {len(data['gathers'])} gathers ({sum(1 for c in data['gathers'] if 'raises' in c)} raise), {len(data['expand_sizes'])} expands ({sum(1 for c in data['expand_sizes'] if 'raises' in c)} raise) {len(data['cat_ranks'])} joins of mixed ranks ({sum(1 for c in data['cat_ranks'] if 'raises' in c)} raise) {len(data['convs'])} convolutions ({sum(1 for c in data['convs'] if 'raises' in c)} raise) {len(data['layer_floats'])} layers built with a float ({sum(1 for c in data['layer_floats'] if 'raises' in c)} raise) and {len(data['einsums'])} einsums ({sum(1 for c in data['einsums'] if 'raises' in c)} raise) agree with PyTorch {data['torch']}")


if __name__ == "__main__":
    main()
