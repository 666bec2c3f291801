#!/usr/bin/python3
"""Real-PyTorch oracle for SeqLens' model executor (src/evaluation/models/torch/exec).

Two sets of fixtures, both written by PyTorch 1.13 (Debian's python3-torch):

  test/fixtures/exec/ops.json      op kernels: each case is a Python expression (or a short
                                   method body) over random inputs, with PyTorch's result. The
                                   unit test runs the same text through the executor.
  test/fixtures/exec/models/       small models that need the executor's general constructs
                                   (user submodules, ModuleList, cell loops over time steps,
                                   init_hidden, buffers, Conv1d/BatchNorm1d/LayerNorm):
                                   NAME.py, NAME.safetensors, NAME.inputs.npy, NAME.outputs.npy.

Usage:  /usr/bin/python3 test/oracle/torch_exec.py [--check | --update]

--update regenerates everything. --check (the default) re-runs PyTorch on the committed inputs
and weights and compares with the committed outputs; it prints `N passed, M failed` and exits 1
on any failure.
"""

import json
import math
import os
import sys
import zlib

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import read_safetensors, write_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "exec")
TOLERANCE = 1e-6

# name -> (body or expression, {input: (kind, shape)})
#   kind: f = standard normal float32, p = positive float32, i<N> = int64 ids below N,
#         b = bool (about half True), b0 = bool with each last-axis row's first item False, l<N> = int64 lengths in 1..N
OPS = [
    ("relu", "F.relu(x)", {"x": ("f", [3, 4, 5])}),
    ("tanh", "torch.tanh(x)", {"x": ("f", [3, 4, 5])}),
    ("sigmoid", "x.sigmoid()", {"x": ("f", [3, 4, 5])}),
    ("gelu", "F.gelu(x)", {"x": ("f", [3, 4, 5])}),
    ("elu", "F.elu(x, alpha=0.7)", {"x": ("f", [3, 4])}),
    ("leaky_relu", "F.leaky_relu(x, 0.2)", {"x": ("f", [3, 4])}),
    ("softplus", "F.softplus(x, beta=2)", {"x": ("f", [3, 4])}),
    ("exp_log_sqrt", "torch.exp(x) + torch.log(p) + p.sqrt() - x.abs()", {"x": ("f", [3, 4]), "p": ("p", [3, 4])}),
    ("clamp", "x.clamp(min=-0.5, max=0.5) + torch.clamp(x, max=0.1)", {"x": ("f", [3, 4])}),
    ("softmax_dims", "torch.cat([F.softmax(x, dim=0), F.softmax(x, dim=1), x.softmax(-1)], dim=0)", {"x": ("f", [3, 4, 5])}),
    ("log_softmax", "F.log_softmax(x, dim=1) + torch.log_softmax(x, -1)", {"x": ("f", [3, 4, 5])}),
    ("arith_broadcast", "(x + y) * 2.5 - x / (y.abs() + 1) + x ** 2", {"x": ("f", [3, 4, 5]), "y": ("f", [4, 1])}),
    ("int_arith", "ids * 3 + ids // 2 - ids % 3", {"ids": ("i50", [3, 6])}),
    ("compare_float", "(x > 0).float() + (x <= y).float() * 2 + (x == x).float()", {"x": ("f", [3, 4]), "y": ("f", [3, 4])}),
    ("sum_mean", "x.sum(dim=1) + x.mean(dim=1) + torch.sum(x, 1, keepdim=True).squeeze(1)", {"x": ("f", [3, 4, 5])}),
    ("mean_tuple_dims", "x.mean(dim=(0, 2))", {"x": ("f", [3, 4, 5])}),
    ("max_values_indices", "torch.max(x, 1)[0] + torch.max(x, dim=1).indices.float()", {"x": ("f", [3, 4, 5])}),
    ("max_keepdim", "x.max(dim=-1, keepdim=True)[0] - x.min(-1, keepdim=True).values", {"x": ("f", [3, 4, 5])}),
    ("max_all", "x.max() + torch.min(x) + x.sum()", {"x": ("f", [3, 4])}),
    ("argmax", "x.argmax(-1).float() + torch.argmin(x, dim=0).float().sum()", {"x": ("f", [3, 4])}),
    ("var_std", "x.var(1) + x.std(dim=0, unbiased=False).sum() + x.std()", {"x": ("f", [3, 4])}),
    ("logsumexp_norm", "torch.logsumexp(x, 1) + x.norm(dim=-1) + x.norm(p=1, dim=1)", {"x": ("f", [3, 4])}),
    ("view_reshape", "x.view(3, -1) + x.reshape(3, 20) + x.view(x.size(0), -1)", {"x": ("f", [3, 4, 5])}),
    ("permute_transpose", "x.permute(2, 0, 1).contiguous().view(5, 12) + x.transpose(0, 2).reshape(5, -1)", {"x": ("f", [3, 4, 5])}),
    ("squeeze_unsqueeze", "x.unsqueeze(1).squeeze() + x[:, :1].squeeze(1).unsqueeze(-1)", {"x": ("f", [3, 4])}),
    ("flatten", "torch.flatten(x, 1) + x.flatten(start_dim=1)", {"x": ("f", [3, 4, 5])}),
    ("expand_repeat", "x.unsqueeze(1).expand(3, 4, 5) + x.unsqueeze(1).repeat(1, 4, 1) + x.unsqueeze(1).expand(-1, 4, -1)", {"x": ("f", [3, 5])}),
    ("flip_narrow", "torch.flip(x, [1]) + x.narrow(1, 0, 4).flip(1)", {"x": ("f", [3, 4])}),
    ("t_T", "x.t() + x.T", {"x": ("f", [3, 4])}),
    ("cat_stack", "torch.cat((x, y), dim=1).sum(1) + torch.stack([x, y], dim=2).mean(2).sum(1)", {"x": ("f", [3, 4]), "y": ("f", [3, 4])}),
    ("split_chunk", "torch.cat([a * (i + 1) for i, a in enumerate(x.split(2, dim=1))], 1) + torch.cat(x.chunk(3, dim=1)[::-1][::-1], 1)", {"x": ("f", [3, 5])}),
    ("unbind", "sum(x.unbind(1))", {"x": ("f", [3, 4, 5])}),
    ("index_basic", "x[:, -1, :] + x[:, 0] + x[1:, 2, 1:].sum() + x[..., 0].sum()", {"x": ("f", [3, 4, 5])}),
    ("index_step_none", "x[:, 1:4:2].sum(1) + x[:, None, 0].squeeze(1)", {"x": ("f", [3, 5])}),
    ("index_tensor", "x[ids]", {"x": ("f", [6, 4]), "ids": ("i6", [3, 2])}),
    ("index_gather_last", "x[torch.arange(x.size(0)), lengths - 1]", {"x": ("f", [4, 6, 3]), "lengths": ("l6", [4])}),
    ("index_mask", "x[x > 0].sum() + x[mask].sum()", {"x": ("f", [3, 4]), "mask": ("b", [3, 4])}),
    ("setitem", "out = torch.zeros(3, 4, 5)\nout[:, 1] = x\nout[0] = 1.5\nout[:, 2:4, 1:3] = y\nreturn out", {"x": ("f", [3, 5]), "y": ("f", [2, 2])}),
    ("matmul", "torch.matmul(x, w) + (x @ w)", {"x": ("f", [3, 4, 5]), "w": ("f", [5, 2])}),
    ("matmul_batched_broadcast", "torch.matmul(x, y)", {"x": ("f", [2, 3, 4, 5]), "y": ("f", [3, 5, 2])}),
    ("matmul_vector", "torch.matmul(x, v) + torch.matmul(v2, y).sum()", {"x": ("f", [3, 4, 5]), "v": ("f", [5]), "v2": ("f", [5]), "y": ("f", [5, 2])}),
    ("bmm", "torch.bmm(x, y.transpose(1, 2))", {"x": ("f", [3, 4, 5]), "y": ("f", [3, 6, 5])}),
    ("mm_linear", "torch.mm(a, b) + F.linear(a, b.t(), bias)", {"a": ("f", [3, 4]), "b": ("f", [4, 5]), "bias": ("f", [5])}),
    ("masked_fill", "x.masked_fill(mask, -1e9).softmax(-1) + x.masked_fill(ids == 0, 0.0)", {"x": ("f", [3, 6]), "mask": ("b", [3, 6]), "ids": ("i3", [3, 6])}),
    ("masked_fill_broadcast", "x.masked_fill(mask.unsqueeze(1), float('-inf')).max(-1)[0]", {"x": ("f", [3, 4, 6]), "mask": ("b", [3, 6])}),
    ("where", "torch.where(x > 0, x, y * 2)", {"x": ("f", [3, 4]), "y": ("f", [3, 4])}),
    ("triu_tril", "torch.triu(x) + x.tril(-1) * 2 + torch.triu(x, diagonal=1)", {"x": ("f", [2, 4, 4])}),
    ("max_pool1d", "F.max_pool1d(x, 3) + F.max_pool1d(x, kernel_size=2, stride=3)", {"x": ("f", [2, 3, 9])}),
    ("max_pool1d_pad_ceil", "F.max_pool1d(x, 3, stride=2, padding=1, ceil_mode=True)", {"x": ("f", [2, 3, 8])}),
    ("avg_pool1d", "F.avg_pool1d(x, 3, stride=2, padding=1) + F.avg_pool1d(x, 3, 2, 1, count_include_pad=False)", {"x": ("f", [2, 3, 8])}),
    ("avg_pool1d_ceil", "F.avg_pool1d(x, 3, stride=2, ceil_mode=True)", {"x": ("f", [2, 3, 8])}),
    ("max_pool1d_over_time", "F.max_pool1d(x, x.size(2)).squeeze(2)", {"x": ("f", [2, 3, 7])}),
    ("adaptive_pools", "F.adaptive_max_pool1d(x, 3) + F.adaptive_avg_pool1d(x, 3)", {"x": ("f", [2, 3, 7])}),
    ("layer_norm", "F.layer_norm(x, (5,)) + F.layer_norm(x, [4, 5], eps=1e-3)[:, :, :]", {"x": ("f", [3, 4, 5])}),
    ("embedding", "F.embedding(ids, w)", {"ids": ("i7", [3, 4]), "w": ("f", [7, 5])}),
    ("factories", "torch.zeros(3, 4) + torch.ones((3, 4)) * 2 + torch.full((3, 4), 0.5) + torch.zeros_like(x) + torch.ones_like(x) + x.new_zeros(3, 4) + torch.arange(4).float() + torch.arange(1, 7, 2).float().sum()", {"x": ("f", [3, 4])}),
    ("casts", "x.long().float() + x.int().float() + (x > 0).long().float() + x.to(torch.long).float()", {"x": ("f", [3, 4])}),
    ("tensor_literal", "x + torch.tensor([1.0, 2.0, 3.0, 4.0]) + torch.tensor(2.0)", {"x": ("f", [3, 4])}),
    ("size_shape", "x.view(x.shape[0] * x.size(1), x.size(-1)) * len(x) + x.dim() + x.numel()", {"x": ("f", [3, 4, 5])}),
    ("python_loop", "out = x[:, 0]\nfor t in range(1, x.size(1)):\n    out = torch.tanh(out + x[:, t])\nreturn out", {"x": ("f", [3, 6, 4])}),
    ("list_append_stack", "outs = []\nfor t in range(x.size(1)):\n    outs.append(x[:, t] * t)\nreturn torch.stack(outs, dim=1)", {"x": ("f", [3, 6, 4])}),
    ("inplace_methods", "y = x.clone()\ny.add_(1.0)\ny = y.mul(2).sub(x).div(3)\nreturn y", {"x": ("f", [3, 4])}),
    ("attention_by_hand", "scores = torch.matmul(q, k.transpose(-2, -1)) / math.sqrt(q.size(-1))\nmask = torch.tril(torch.ones(q.size(2), q.size(2))).view(1, 1, q.size(2), q.size(2))\nscores = scores.masked_fill(mask == 0, float('-inf'))\nreturn torch.matmul(F.softmax(scores, dim=-1), v)", {"q": ("f", [2, 3, 5, 4]), "k": ("f", [2, 3, 5, 4]), "v": ("f", [2, 3, 5, 4])}),
    ("attention_heads_split", "B, T, C = x.size()\nh = x.view(B, T, 2, C // 2).transpose(1, 2)\natt = (h @ h.transpose(-2, -1)) * (1.0 / math.sqrt(h.size(-1)))\natt = att.masked_fill(pad.view(B, 1, 1, T), -1e9).softmax(dim=-1)\nreturn (att @ h).transpose(1, 2).contiguous().view(B, T, C)", {"x": ("f", [3, 5, 6]), "pad": ("b", [3, 5])}),
    ("causal_mask_float", "mask = (torch.triu(torch.ones(x.size(0), x.size(0))) == 1).transpose(0, 1)\nmask = mask.float().masked_fill(mask == 0, float('-inf')).masked_fill(mask == 1, float(0.0))\nreturn torch.softmax(x + mask, dim=-1)", {"x": ("f", [5, 5])}),
    ("square_subsequent_mask", "return torch.softmax(x + nn.Transformer.generate_square_subsequent_mask(x.size(0)), -1)", {"x": ("f", [6, 6])}),
    ("bmm_attention_weights", "w = torch.bmm(q, k.transpose(1, 2)).masked_fill(pad.unsqueeze(1), float('-inf'))\nreturn torch.bmm(F.softmax(w, dim=2), k)", {"q": ("f", [3, 2, 4]), "k": ("f", [3, 5, 4]), "pad": ("b0", [3, 5])}),
    ("baddbmm", "torch.baddbmm(m, a, b) + torch.baddbmm(m, a, b, beta=0.5, alpha=2.0)", {"m": ("f", [3, 4, 6]), "a": ("f", [3, 4, 5]), "b": ("f", [3, 5, 6])}),
    ("einsum", "torch.einsum('bhqd,bhkd->bhqk', q, k).sum(-1) + torch.einsum('ij,jk', a, b).sum() + torch.einsum('bij->bji', q[0]).sum(-1)[0, 0]", {"q": ("f", [2, 3, 4, 5]), "k": ("f", [2, 3, 6, 5]), "a": ("f", [3, 4]), "b": ("f", [4, 2])}),
    ("all_any", "(x > -1).all(1).float() + (x > 1).any(dim=1).float() * 2 + torch.all(x > -9).float() + mask.any(-1, keepdim=True).float().sum(1) + torch.any(mask).float()", {"x": ("f", [3, 4]), "mask": ("b", [3, 4])}),
    ("comprehension_if", "torch.cat([a * (i + 1) for i, a in enumerate(x.split(1, dim=1)) if i % 2 == 0 and i != 2], 1)", {"x": ("f", [3, 7])}),
    ("comprehension_nested_if", "torch.stack([x[:, i] * j for i in range(x.size(1)) if i > 0 for j in range(3) if j != i], 1)", {"x": ("f", [2, 4])}),
    ("dict_comprehension", "d = {i % 3: a for i, a in enumerate(x.unbind(1)) if i != 1}\nreturn d[0] - 2 * d[2] + len(d)", {"x": ("f", [3, 6])}),
    ("sort_values_indices", "v, i = torch.sort(x, dim=1, descending=True)\nw, j = x.sort(0)\nreturn v.sum(1) + i.float().sum(1) + w.sum(0)[:3] * j[0, :3].float()", {"x": ("f", [3, 5])}),
    ("sort_ties_lengths", "sorted_lengths, order = lengths.sort(0, descending=True)\nup, order_up = torch.sort(lengths)\nreturn torch.stack([sorted_lengths, order, up, order_up, lengths.argsort(descending=True), ids.argsort(dim=1)[:, 0]], 1).float()", {"lengths": ("l3", [8]), "ids": ("i3", [8, 6])}),
    ("sort_unsort_batch", "_, order = lengths.sort(0, descending=True)\n_, back = order.sort(0)\nreturn x[order][back] - x + x[order].sum(1, keepdim=True)", {"x": ("f", [6, 4]), "lengths": ("l4", [6])}),
    ("topk", "v, i = x.topk(2, dim=-1)\nw, j = torch.topk(x, 3, dim=0, largest=False)\nreturn v.sum() + i.float().sum(0) + w.sum(1)[:2] + j.float().sum(0)[:2]", {"x": ("f", [4, 5])}),
    ("numpy_tolist", "packed = nn.utils.rnn.pack_padded_sequence(x, lengths.cpu().numpy(), batch_first=True, enforce_sorted=False)\nout, _ = nn.utils.rnn.pad_packed_sequence(packed, batch_first=True, total_length=x.size(1))\nreturn out.sum(1) + torch.tensor(lengths.tolist()).float().unsqueeze(1) + len(x.detach().numpy().tolist())", {"x": ("f", [4, 5, 3]), "lengths": ("l5", [4])}),
    ("embedding_max_norm", "F.embedding(ids, w.clone() * 3, max_norm=1.5) + F.embedding(ids, w.clone() * 3, max_norm=2.0, norm_type=1.0) + F.embedding(ids, w.clone(), max_norm=100.0)", {"ids": ("i6", [3, 4]), "w": ("f", [6, 5])}),
]


def make_input(kind, shape, rng):
    if kind == "f":
        return rng.standard_normal(shape).astype(np.float32)
    if kind == "p":
        return (rng.random(shape) + 0.1).astype(np.float32)
    if kind == "b":
        return rng.random(shape) > 0.5
    if kind == "b0":
        mask = rng.random(shape) > 0.5
        mask[..., 0] = False
        return mask
    if kind.startswith("i"):
        return rng.integers(0, int(kind[1:]), size=shape).astype(np.int64)
    if kind.startswith("l"):
        return rng.integers(1, int(kind[1:]) + 1, size=shape).astype(np.int64)
    raise ValueError(kind)


def body_of(text):
    return text if "\n" in text or text.startswith("return") else "return " + text


def run_op(text, inputs):
    names = list(inputs)
    source = "def case({}):\n{}\n".format(", ".join(names), "\n".join("    " + line for line in body_of(text).split("\n")))
    scope = {"torch": torch, "F": F, "nn": nn, "math": math}
    exec(source, scope)
    with torch.no_grad():
        out = scope["case"](*[torch.from_numpy(np.array(inputs[n])) for n in names])
    return out


def encode(array):
    array = np.asarray(array)
    dtype = "bool" if array.dtype == np.bool_ else "int" if np.issubdtype(array.dtype, np.integer) else "float"
    values = array.reshape(-1).tolist()
    if dtype == "bool":
        values = [1 if v else 0 for v in values]
    return {"dtype": dtype, "shape": list(array.shape), "values": values}


def decode(entry):
    dtype = {"bool": np.bool_, "int": np.int64, "float": np.float32}[entry["dtype"]]
    return np.array(entry["values"], dtype=dtype).reshape(entry["shape"])


def ops_path():
    return os.path.join(OUT, "ops.json")


def update_ops():
    rng = np.random.default_rng(1913)
    cases = []
    for name, text, spec in OPS:
        inputs = {n: make_input(kind, shape, rng) for n, (kind, shape) in spec.items()}
        out = run_op(text, inputs)
        cases.append({"name": name, "body": body_of(text), "inputs": {n: encode(v) for n, v in inputs.items()}, "output": encode(out.numpy())})
    os.makedirs(OUT, exist_ok=True)
    with open(ops_path(), "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f, separators=(",", ":"))
        f.write("\n")


def check_ops():
    with open(ops_path()) as f:
        cases = json.load(f)["cases"]
    failures = []
    if [c["name"] for c in cases] != [name for name, _, _ in OPS]:
        failures.append("ops.json lists other cases than OPS: run --update")
        return len(cases), failures
    for case in cases:
        out = run_op(case["body"], {n: decode(v) for n, v in case["inputs"].items()}).numpy()
        expected = decode(case["output"])
        if out.shape != expected.shape or np.max(np.abs(out.astype(np.float64) - expected), initial=0) > TOLERANCE:
            failures.append(case["name"])
    return len(cases), failures


HEADER = "import math\n\nimport torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"

# name -> (source, class name, input kind, shape, vocabulary)
MODELS = {
    "attention_gru": ("""
class Attention(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.proj = nn.Linear(hidden, hidden)
        self.score = nn.Linear(hidden, 1, bias=False)

    def forward(self, outputs, mask=None):
        energy = self.score(torch.tanh(self.proj(outputs))).squeeze(-1)
        if mask is not None:
            energy = energy.masked_fill(mask == 0, -1e10)
        weights = F.softmax(energy, dim=1)
        return torch.bmm(weights.unsqueeze(1), outputs).squeeze(1), weights


class AttentionClassifier(nn.Module):
    def __init__(self, vocab_size=40, embed_dim=8, hidden_dim=10, num_classes=3, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.hidden_dim = hidden_dim
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_idx)
        self.gru = nn.GRU(embed_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.attention = Attention(hidden_dim * 2)
        self.fc = nn.Linear(hidden_dim * 2, num_classes)

    def make_mask(self, x):
        return (x != self.pad_idx).long()

    def forward(self, x):
        outputs, hidden = self.gru(self.embedding(x))
        context, _ = self.attention(outputs, self.make_mask(x))
        return self.fc(context)
""", "AttentionClassifier", "ids", (12, 9), 40),
    "lstmcell_loop": ("""
class CellLoop(nn.Module):
    def __init__(self, n_features=4, hidden_size=9, num_classes=3):
        super().__init__()
        self.hidden_size = hidden_size
        self.cell = nn.LSTMCell(n_features, hidden_size)
        self.gru_cell = nn.GRUCell(hidden_size, hidden_size)
        self.out = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        batch = x.size(0)
        h = torch.zeros(batch, self.hidden_size)
        c = torch.zeros(batch, self.hidden_size)
        g = None
        steps = []
        for t in range(x.size(1)):
            h, c = self.cell(x[:, t, :], (h, c))
            g = self.gru_cell(h, g)
            steps.append(g)
        stacked = torch.stack(steps, dim=1)
        return self.out(stacked.mean(1)), (h, c)
""", "CellLoop", "features", (10, 6, 4), None),
    "embedded_cell_loop": ("""
class EmbeddedCellLoop(nn.Module):
    def __init__(self, vocab_size=30, embed_dim=6, hidden_size=7, num_classes=3):
        super().__init__()
        self.hidden_size = hidden_size
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.dropout = nn.Dropout(0.3)
        self.gru_cell = nn.GRUCell(embed_dim, hidden_size)
        self.rnn_cell = nn.RNNCell(embed_dim, hidden_size, nonlinearity='relu')
        self.tanh_cell = nn.RNNCell(embed_dim, hidden_size, bias=False)
        self.out = nn.Linear(3 * hidden_size, num_classes)

    def forward(self, x):
        embedded = self.dropout(self.embedding(x))
        h = torch.zeros(x.size(0), self.hidden_size)
        g = torch.zeros(x.size(0), self.hidden_size)
        k = None
        for t in range(embedded.size(1)):
            h = self.gru_cell(embedded[:, t, :], h)
            g = self.rnn_cell(embedded[:, t], g)
            k = self.tanh_cell(embedded[:, t] * 0.5, k)
        return self.out(torch.cat([h, g, k], dim=1))
""", "EmbeddedCellLoop", "ids", (9, 8), 30),
    "modulelist_residual": ("""
class Block(nn.Module):
    def __init__(self, dim, use_norm):
        super().__init__()
        self.use_norm = use_norm
        self.linear = nn.Linear(dim, dim)
        self.norm = nn.LayerNorm(dim)

    def forward(self, x):
        y = F.relu(self.linear(x))
        if self.use_norm:
            y = self.norm(y)
        return x + y


class Stacked(nn.Module):
    def __init__(self, vocab_size=30, dim=12, num_layers=3, num_classes=4):
        super().__init__()
        self.num_layers = num_layers
        self.embedding = nn.Embedding(vocab_size, dim)
        self.rnn = nn.RNN(dim, dim, batch_first=True)
        self.blocks = nn.ModuleList([Block(dim, i % 2 == 0) for i in range(num_layers)])
        self.head = nn.Sequential(nn.Linear(dim, dim // 2), nn.Tanh(), nn.Dropout(0.3), nn.Linear(dim // 2, num_classes))

    def forward(self, x):
        out, h = self.rnn(self.embedding(x))
        z = h[-1]
        for i, block in enumerate(self.blocks):
            z = block(z)
        for i in range(self.num_layers - 1):
            z = self.blocks[i](z) * 0.5
        return F.log_softmax(self.head(z), dim=-1)
""", "Stacked", "ids", (12, 8), 30),
    "conv_batchnorm": ("""
class ConvText(nn.Module):
    def __init__(self, vocab_size=50, embed_dim=8, filters=6, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, filters, k, padding=k // 2) for k in (2, 3)])
        self.bn = nn.BatchNorm1d(filters * 2)
        self.pool = nn.AdaptiveMaxPool1d(1)
        self.fc = nn.Linear(filters * 2, num_classes)

    def forward(self, x):
        e = self.embedding(x).permute(0, 2, 1)
        feats = [self.pool(F.relu(conv(e))).squeeze(-1) for conv in self.convs]
        z = self.bn(torch.cat(feats, dim=1))
        return self.fc(z)
""", "ConvText", "ids", (12, 11), 50),
    "init_hidden_gru": ("""
class HiddenGRU(nn.Module):
    def __init__(self, vocab_size=35, embed_dim=6, hidden_dim=8, n_layers=2, num_classes=2):
        super().__init__()
        self.n_layers = n_layers
        self.hidden_dim = hidden_dim
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.gru = nn.GRU(embed_dim, hidden_dim, n_layers, batch_first=True)
        self.fc = nn.Linear(hidden_dim, num_classes)

    def init_hidden(self, batch_size):
        weight = next(self.parameters()).data
        return weight.new(self.n_layers, batch_size, self.hidden_dim).zero_()

    def forward(self, x, hidden=None):
        if hidden is None:
            hidden = self.init_hidden(x.size(0))
        out, hidden = self.gru(self.embedding(x), hidden)
        out = out.contiguous().view(-1, self.hidden_dim)
        out = self.fc(out)
        out = out.view(x.size(0), -1, 2)[:, -1]
        return torch.sigmoid(out), hidden
""", "HiddenGRU", "ids", (12, 7), 35),
    "positional_buffer": ("""
class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=50):
        super().__init__()
        pe = torch.zeros(max_len, d_model)
        position = torch.arange(0, max_len, dtype=torch.float).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2).float() * (-math.log(10000.0) / d_model))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer('pe', pe.unsqueeze(0))

    def forward(self, x):
        return x + self.pe[:, :x.size(1)]


class PosLSTM(nn.Module):
    def __init__(self, vocab_size=45, d_model=8, hidden=10, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.pos = PositionalEncoding(d_model)
        self.lstm = nn.LSTM(d_model, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, num_classes)
        self.scale = math.sqrt(d_model)

    def forward(self, x):
        e = self.pos(self.embedding(x) * self.scale)
        h0 = torch.zeros(1, x.size(0), self.lstm.hidden_size)
        out, (h, c) = self.lstm(e, (h0, h0))
        return self.fc(torch.max(out, dim=1)[0])
""", "PosLSTM", "ids", (12, 9), 45),
    "packed_bilstm": ("""
class PackedBiLSTM(nn.Module):
    def __init__(self, vocab_size=40, embed_dim=6, hidden=7, num_classes=3, pad_idx=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_idx)
        self.lstm = nn.LSTM(embed_dim, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.gru = nn.GRU(embed_dim, hidden)
        self.fc = nn.Linear(3 * hidden, num_classes)

    def forward(self, x, lengths):
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(x), lengths.cpu(), batch_first=True, enforce_sorted=False)
        out, (h, c) = self.lstm(packed)
        padded, lens = nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
        last = padded[torch.arange(padded.size(0)), lens - 1]
        time_major = nn.utils.rnn.pack_padded_sequence(self.embedding(x).transpose(0, 1), lengths, enforce_sorted=False)
        _, g = self.gru(time_major)
        return self.fc(torch.cat([h[-1], last[:, :7], g[-1]], dim=1))
""", "PackedBiLSTM", "ids_padded", (12, 9), 40),
    "weight_init": ("""
class Highway(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.H = nn.Linear(size, size)
        self.H.bias.data.zero_()
        self.T = nn.Linear(size, size)
        self.T.bias.data.fill_(-1)

    def forward(self, x):
        t = torch.sigmoid(self.T(x))
        return F.relu(self.H(x)) * t + x * (1.0 - t)


class InitLM(nn.Module):
    def __init__(self, vocab_size=30, embed_dim=6, hidden=8, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.embedding.weight = nn.Parameter(torch.randn(vocab_size, embed_dim))
        self.embedding.weight.requires_grad = False
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True)
        self.highway = Highway(hidden)
        self.norm = nn.LayerNorm(hidden)
        self.decoder = nn.Linear(hidden, num_classes)
        self.init_weights()
        for name, param in self.lstm.named_parameters():
            if 'weight' in name:
                nn.init.orthogonal_(param)
            else:
                nn.init.constant_(param, 0.0)
        self.lstm.bias_ih_l0.data[hidden:2 * hidden].fill_(1.0)
        for p in self.parameters():
            if p.dim() > 1:
                nn.init.xavier_uniform_(p)

    def init_weights(self):
        initrange = 0.1
        self.embedding.weight.data.uniform_(-initrange, initrange)
        self.decoder.bias.data.fill_(0)
        self.decoder.weight.data.uniform_(-initrange, initrange)
        self.norm.weight.data.fill_(1.0)
        self.norm.bias.data.zero_()

    def forward(self, x):
        out, (h, c) = self.lstm(self.embedding(x))
        z = self.highway(h[-1] if self.lstm.bias else c[-1])
        z = self.norm(z)
        return z @ self.decoder.weight.t() + self.decoder.bias
""", "InitLM", "ids", (12, 7), 30),
    "mha_batch_first": ("""
class MHAClassifier(nn.Module):
    def __init__(self, vocab_size=30, d_model=8, num_heads=2, num_classes=3, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.attn = nn.MultiheadAttention(d_model, num_heads, dropout=0.1, batch_first=True)
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, x):
        e = self.embedding(x)
        pad = x == self.pad_idx
        causal = nn.Transformer.generate_square_subsequent_mask(x.size(1))
        out, weights = self.attn(e, e, e, key_padding_mask=pad, attn_mask=causal)
        both, _ = self.attn(e, e, e, pad, need_weights=False)
        return self.fc(out.mean(1) + both[:, 0]) + weights.sum(1)[:, :3]
""", "MHAClassifier", "ids", (12, 9), 30),
    "mha_time_major": ("""
class CrossAttention(nn.Module):
    def __init__(self, vocab_size=30, d_model=8, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.keys = nn.Linear(d_model, 6)
        self.values = nn.Linear(d_model, 5)
        self.self_attn = nn.MultiheadAttention(d_model, 2, add_bias_kv=True, add_zero_attn=True)
        self.cross = nn.MultiheadAttention(d_model, 4, kdim=6, vdim=5, bias=False)
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, x):
        e = self.embedding(x).transpose(0, 1)
        T = e.size(0)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        pad = torch.zeros(x.size(0), T).masked_fill(x == 0, float('-inf'))
        h, w = self.self_attn(e, e, e, attn_mask=causal, average_attn_weights=False)
        c, cw = self.cross(h, self.keys(e), self.values(e), key_padding_mask=pad)
        return self.fc(c[-1] + h.mean(0)) + w.mean(dim=(1, 2))[:, :3] + cw[:, -1, :3]
""", "CrossAttention", "ids", (12, 9), 30),
    "encoder_nested": ("""
class EncoderClassifier(nn.Module):
    def __init__(self, vocab_size=30, d_model=8, nhead=2, num_layers=2, num_classes=3, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=16, activation='gelu', batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, norm=nn.LayerNorm(d_model))
        self.extra = nn.TransformerEncoderLayer(d_model, nhead, 12, batch_first=True)
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, x):
        pad = x == self.pad_idx
        h = self.encoder(self.embedding(x), src_key_padding_mask=pad)
        z = self.extra(h, src_key_padding_mask=pad)
        return self.fc(h.sum(1) + z[:, 0])
""", "EncoderClassifier", "ids", (12, 9), 30),
    "encoder_time_major": ("""
class PositionalEncoding(nn.Module):
    def __init__(self, emb_size, maxlen=40):
        super().__init__()
        den = torch.exp(- torch.arange(0, emb_size, 2).float() * math.log(10000) / emb_size)
        pos = torch.arange(0, maxlen).float().reshape(maxlen, 1)
        pe = torch.zeros((maxlen, emb_size))
        pe[:, 0::2] = torch.sin(pos * den)
        pe[:, 1::2] = torch.cos(pos * den)
        self.register_buffer('pe', pe.unsqueeze(-2))

    def forward(self, x):
        return x + self.pe[:x.size(0), :]


class TimeMajorEncoder(nn.Module):
    def __init__(self, vocab_size=30, emb_size=10, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_size)
        self.pos = PositionalEncoding(emb_size)
        layer = nn.TransformerEncoderLayer(d_model=emb_size, nhead=5, dim_feedforward=10, activation=F.gelu, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2)
        self.fc = nn.Linear(emb_size, num_classes)

    def forward(self, x):
        src = self.pos(self.embedding(x.t()) * math.sqrt(10))
        mask = nn.Transformer.generate_square_subsequent_mask(src.size(0))
        memory = self.encoder(src, mask, x == 0)
        return self.fc(memory[-3] + memory.mean(0))
""", "TimeMajorEncoder", "ids", (12, 9), 30),
    "transformer_full": ("""
class Seq2SeqTransformer(nn.Module):
    def __init__(self, vocab_size=30, d_model=8, num_classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.transformer = nn.Transformer(d_model=d_model, nhead=2, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=16, dropout=0.1)
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, x):
        src = self.embedding(x).transpose(0, 1)
        tgt = src[:-1]
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(0))
        out = self.transformer(src, tgt, tgt_mask=tgt_mask, src_key_padding_mask=x == 0, memory_key_padding_mask=x == 0)
        memory = self.transformer.encoder(src, src_key_padding_mask=x == 0)
        again = self.transformer.decoder(tgt, memory, tgt_mask)
        return self.fc(out[-1] + again[0])
""", "Seq2SeqTransformer", "ids", (12, 9), 30),
    "decoder_batch_first": ("""
class DecoderOnly(nn.Module):
    def __init__(self, vocab_size=30, d_model=8, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        layer = nn.TransformerDecoderLayer(d_model, 4, dim_feedforward=12, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerDecoder(layer, 2, nn.LayerNorm(d_model))
        self.one = nn.TransformerDecoderLayer(d_model, 2, 10, activation='gelu', batch_first=True)
        self.fc = nn.Linear(d_model, num_classes)

    def forward(self, x):
        e = self.embedding(x)
        causal = torch.triu(torch.ones(x.size(1), x.size(1)), diagonal=1).bool()
        out = self.decoder(e, e[:, :4], tgt_mask=causal, tgt_key_padding_mask=x == 0)
        one = self.one(out, e, memory_mask=torch.zeros(x.size(1), x.size(1)), memory_key_padding_mask=x == 0)
        return self.fc(one[:, -1] + out[:, 0])
""", "DecoderOnly", "ids", (12, 9), 30),
    "causal_self_attention": ("""
class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.key = nn.Linear(n_embd, n_embd)
        self.query = nn.Linear(n_embd, n_embd)
        self.value = nn.Linear(n_embd, n_embd)
        self.proj = nn.Linear(n_embd, n_embd)
        self.register_buffer("mask", torch.tril(torch.ones(block_size, block_size)).view(1, 1, block_size, block_size))
        self.n_head = n_head

    def forward(self, x):
        B, T, C = x.size()
        k = self.key(x).view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        q = self.query(x).view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = self.value(x).view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(self.mask[:, :, :T, :T] == 0, float('-inf'))
        att = F.softmax(att, dim=-1)
        y = att @ v
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.proj(y)


class Block(nn.Module):
    def __init__(self, n_embd, n_head, block_size):
        super().__init__()
        self.ln1 = nn.LayerNorm(n_embd)
        self.ln2 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, block_size)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd), nn.Dropout(0.1))

    def forward(self, x):
        x = x + self.attn(self.ln1(x))
        x = x + self.mlp(self.ln2(x))
        return x


class TinyGPT(nn.Module):
    def __init__(self, vocab_size=30, n_embd=8, n_head=2, block_size=16, n_layer=2, num_classes=3):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, n_embd)
        self.pos_emb = nn.Parameter(torch.randn(1, block_size, n_embd) * 0.1)
        self.blocks = nn.Sequential(*[Block(n_embd, n_head, block_size) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.head = nn.Linear(n_embd, num_classes, bias=False)

    def forward(self, idx):
        b, t = idx.size()
        x = self.tok_emb(idx) + self.pos_emb[:, :t, :]
        x = self.ln_f(self.blocks(x))
        return self.head(x[:, -1, :])
""", "TinyGPT", "ids", (12, 9), 30),
    # Models that run only on the sizes they are given: a view to a length fixed in the file, one
    # token at a time, a 1-D sequence, a cell loop over (B, T) values split into steps.
    "view_fixed_length": ("""
STEPS = 6


class FixedLength(nn.Module):
    def __init__(self, features=5, hidden=7, num_classes=4):
        super().__init__()
        self.features = features
        self.rnn = nn.RNN(features, hidden, batch_first=True)
        self.fc = nn.Linear(hidden, num_classes)

    def forward(self, x):
        h0 = torch.zeros(1, x.size(0), self.rnn.hidden_size)
        out, _ = self.rnn(x.view(x.size(0), STEPS, self.features), h0)
        return self.fc(out.reshape(-1, self.rnn.hidden_size))
""", "FixedLength", "features", (2, 6, 5), None),
    "token_step_gru": ("""
class TokenStep(nn.Module):
    def __init__(self, vocab_size=30, hidden=8, n_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.gru = nn.GRU(hidden, hidden, n_layers)
        self.decoder = nn.Linear(hidden, vocab_size)

    def forward(self, token, hidden=None):
        e = self.embedding(token.view(1, -1))
        out, hidden = self.gru(e.view(1, 1, -1), hidden)
        return self.decoder(out.view(1, -1)), hidden
""", "TokenStep", "ids_plain", (1,), 30),
    "sequence_1d_gru": ("""
class OneSequence(nn.Module):
    def __init__(self, vocab_size=25, hidden=6):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.gru = nn.GRU(hidden, hidden)

    def forward(self, word_inputs, hidden=None):
        seq_len = len(word_inputs)
        embedded = self.embedding(word_inputs).view(seq_len, 1, -1)
        output, hidden = self.gru(embedded, hidden)
        return output, hidden
""", "OneSequence", "ids_plain", (7,), 25),
    "split_cell_loop": ("""
class SplitCells(nn.Module):
    def __init__(self, hidden=9):
        super().__init__()
        self.hidden = hidden
        self.lstm1 = nn.LSTMCell(1, hidden)
        self.lstm2 = nn.LSTMCell(hidden, hidden)
        self.linear = nn.Linear(hidden, 1)

    def forward(self, input, future=0):
        outputs = []
        h_t = torch.zeros(input.size(0), self.hidden)
        c_t = torch.zeros(input.size(0), self.hidden)
        h_t2 = torch.zeros(input.size(0), self.hidden)
        c_t2 = torch.zeros(input.size(0), self.hidden)
        for input_t in input.split(1, dim=1):
            h_t, c_t = self.lstm1(input_t, (h_t, c_t))
            h_t2, c_t2 = self.lstm2(h_t, (h_t2, c_t2))
            output = self.linear(h_t2)
            outputs += [output]
        for chunk in input.chunk(2, dim=1):
            output = output + chunk.sum(1, keepdim=True)
        outputs += [output]
        return torch.cat(outputs, dim=1)
""", "SplitCells", "features", (3, 7), None),
    # forward's other parameters, told by where their values go (the 6th item: what PyTorch is given).
    "state_before_input": ("""
class StateFirst(nn.Module):
    def __init__(self, features=5, hidden=6):
        super().__init__()
        self.hidden = hidden
        self.rnn = nn.RNN(features, hidden, batch_first=True)

    def init_hidden(self, batch_size):
        return torch.ones(1, batch_size, self.hidden) * 0.5

    def forward(self, carry, seq):
        seq = seq.view(seq.size(0), -1, 5)
        out, carry = self.rnn(seq, carry)
        return carry, out
""", "StateFirst", "features", (4, 3, 5), None, [("carry", "init_hidden"), ("seq", "input")]),
    "lengths_without_pad": ("""
class PackedNoPad(nn.Module):
    def __init__(self, vocab_size=30, embed_dim=6, hidden=7, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden)
        self.fc = nn.Linear(hidden, num_classes)

    def forward(self, batch, n):
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(batch), n)
        outputs, (ht, ct) = self.lstm(packed)
        return F.log_softmax(self.fc(ht[-1]), dim=1)
""", "PackedNoPad", "ids_plain", (3, 6), 30, [("batch", "input_time_major"), ("n", "full_lengths")]),
    "mask_from_lengths": ("""
class Scorer(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.score = nn.Linear(hidden, 1)

    def forward(self, outputs, keep):
        energy = self.score(outputs).squeeze(-1).masked_fill(keep == 0, -1e9)
        return torch.bmm(F.softmax(energy, dim=1).unsqueeze(1), outputs).squeeze(1)


class MaskedPool(nn.Module):
    def __init__(self, vocab_size=25, hidden=6, num_classes=4, pad_idx=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden, padding_idx=pad_idx)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.attend = Scorer(hidden)
        self.fc = nn.Linear(hidden, num_classes)

    def forward(self, tokens, token_mask):
        out, _ = self.gru(self.embedding(tokens))
        return self.fc(self.attend(out, token_mask))
""", "MaskedPool", "ids", (12, 9), 25, [("tokens", "input"), ("token_mask", "keep_mask")]),
    "decoder_input": ("""
class EncDec(nn.Module):
    def __init__(self, n_class=6, hidden=8):
        super().__init__()
        self.enc_cell = nn.RNN(input_size=n_class, hidden_size=hidden)
        self.dec_cell = nn.RNN(input_size=n_class, hidden_size=hidden)
        self.fc = nn.Linear(hidden, n_class)

    def forward(self, enc_input, enc_hidden, dec_input):
        enc_input = enc_input.transpose(0, 1)
        dec_input = dec_input.transpose(0, 1)
        _, enc_states = self.enc_cell(enc_input, enc_hidden)
        outputs, _ = self.dec_cell(dec_input, enc_states)
        return self.fc(outputs)
""", "EncDec", "features", (3, 5, 6), None, [("enc_input", "input"), ("enc_hidden", "none"), ("dec_input", "input")]),
    # Hidden sizes that are multiples of 8 run as one fused SIMD call per layer on the wasm backend
    # (RecurrentRun); a batch of 13 leaves a row past the 4-row blocks of its matrix product.
    "fused_layers": ("""
class FusedLayers(nn.Module):
    def __init__(self, vocab_size=40, embed_dim=12, hidden=16):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.init = nn.Linear(embed_dim, 8)
        self.gru = nn.GRU(2 * hidden, 8, batch_first=True)
        self.rnn = nn.RNN(8, 8, nonlinearity='relu')
        self.tanh_rnn = nn.RNN(embed_dim, 24, bias=False, batch_first=True)

    def forward(self, x):
        e = self.embedding(x)
        out, (h, c) = self.lstm(e)
        h0 = torch.tanh(self.init(e.mean(1))).unsqueeze(0)
        g, _ = self.gru(out, h0)
        r, _ = self.rnn(g.transpose(0, 1))
        t, _ = self.tanh_rnn(e * 0.5)
        b = x.size(0)
        return torch.cat([out.reshape(b, -1), h.transpose(0, 1).reshape(b, -1), c.transpose(0, 1).reshape(b, -1),
                          r.transpose(0, 1).reshape(b, -1), t.reshape(b, -1)], dim=1)
""", "FusedLayers", "ids", (13, 9), 40),
    "fused_cells": ("""
class FusedCells(nn.Module):
    def __init__(self, vocab_size=40, embed_dim=12, n_features=5, hidden=16):
        super().__init__()
        self.hidden = hidden
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm_cell = nn.LSTMCell(embed_dim, hidden)
        self.gru_cell = nn.GRUCell(hidden, 8)
        self.relu_cell = nn.RNNCell(embed_dim, 8, nonlinearity='relu')
        self.tanh_cell = nn.RNNCell(embed_dim, 8, bias=False)

    def forward(self, x):
        e = self.embedding(x)
        b = x.size(0)
        h = torch.zeros(b, self.hidden)
        c = torch.zeros(b, self.hidden)
        g = None
        r = torch.zeros(b, 8)
        k = None
        steps = []
        for t in range(x.size(1)):
            h, c = self.lstm_cell(e[:, t, :], (h, c))
            g = self.gru_cell(h, g)
            r = self.relu_cell(e[:, t], r)
            k = self.tanh_cell(e[:, t] * 0.5, k)
            steps.append(torch.cat([h, c, g, r, k], dim=1))
        return torch.stack(steps, dim=1).reshape(b, -1)
""", "FusedCells", "ids", (13, 9), 40),
    # NumPy arrays built in __init__ (NCRFpp's random_embedding): the state dict replaces what they fill.
    "numpy_init": ("""
import numpy as np


class NumpyInitTagger(nn.Module):
    def __init__(self, vocab_size=12, dim=5):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, dim)
        self.emb.weight.data.copy_(torch.from_numpy(self.random_embedding(vocab_size, dim)))
        self.extra = np.zeros((2, 3)).shape[1] + np.ones([1, 1]).shape[0] + int(np.random.rand(2).shape[0])
        self.rnn = nn.GRU(dim, 6, batch_first=True)
        self.fc = nn.Linear(6 + self.extra, 3)

    def random_embedding(self, vocab_size, dim):
        emb = np.empty([vocab_size, dim])
        scale = np.sqrt(3.0 / dim)
        for index in range(vocab_size):
            emb[index, :] = np.random.uniform(-scale, scale, [1, dim])
        return emb

    def forward(self, x):
        out, h = self.rnn(self.emb(x))
        return self.fc(torch.cat([h[-1], torch.ones(x.size(0), self.extra)], 1))
""", "NumpyInitTagger", "ids", (4, 6), 12),
    # max_norm renormalises the looked-up rows of the table in place (BiLSTM with args.max_norm).
    "embedding_max_norm": ("""
class MaxNormClassifier(nn.Module):
    def __init__(self, vocab_size=15, dim=6, max_norm=1.2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim, max_norm=max_norm)
        self.lstm = nn.LSTM(dim, 5, batch_first=True)
        self.fc = nn.Linear(5, 2)

    def forward(self, x):
        out, _ = self.lstm(self.embed(x))
        return self.fc(out[:, -1]) + self.embed(x).sum(1).sum(1, keepdim=True)
""", "MaxNormClassifier", "ids", (4, 7), 15),
    # Parameters replaced in __init__: a Linear built for 4 features holding the Embedding's (vocab, dim) table,
    # so it reads dim features, and its bias set to None (the state dict then has no out.bias).
    "replaced_parameters": ("""
class ReplacedHead(nn.Module):
    def __init__(self, vocab_size=12, dim=5):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, dim)
        self.rnn = nn.GRU(dim, dim, batch_first=True)
        self.out = nn.Linear(4, vocab_size)
        self.out.weight = self.emb.weight
        self.out.bias = None
        self.out.weight.data.normal_(0, 0.5)

    def forward(self, x):
        h, _ = self.rnn(self.emb(x))
        return self.out(h[:, -1]) + self.out.weight.sum()
""", "ReplacedHead", "ids", (4, 6), 12),
    # A padding mask whose zeros are counted into the lengths (DrQA's StackedBRNN): the mask, not the lengths.
    "mask_counted_lengths": ("""
class MaskedEncoder(nn.Module):
    def __init__(self, vocab_size=30, dim=6, hidden=7):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.rnn = nn.GRU(dim, hidden, batch_first=True, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, 3)

    def forward(self, x, x_mask):
        if x_mask.data.sum() == 0:
            return self.fc(self.rnn(self.embedding(x))[0][:, -1])
        lengths = x_mask.data.eq(0).long().sum(1)
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(x), lengths, batch_first=True, enforce_sorted=False)
        out, h = self.rnn(packed)
        return self.fc(torch.cat([h[-2], h[-1]], 1))
""", "MaskedEncoder", "ids_padded", (6, 8), 30, [("x", "input"), ("x_mask", "pad_mask")]),
}


def model_paths(name):
    base = os.path.join(OUT, "models", name)
    return base + ".py", base + ".safetensors", base + ".inputs.npy", base + ".outputs.npy"


def build(name):
    source, class_name = MODELS[name][:2]
    scope = {}
    exec(HEADER + source.lstrip("\n"), scope)
    return scope[class_name]()


def forward_arguments(model, x, spec):
    """What forward is given, parameter by parameter: the batch (batch-major, or time-major), the
    model's init_hidden(batch), every sequence's full length, or 1 at real tokens (id 0 is padding)."""
    out = []
    for _, how in spec:
        if how == "input":
            out.append(x)
        elif how == "input_time_major":
            out.append(x.transpose(0, 1).contiguous())
        elif how == "init_hidden":
            out.append(model.init_hidden(x.size(0)))
        elif how == "full_lengths":
            out.append(torch.full((x.size(0),), x.size(1), dtype=torch.int64))
        elif how == "keep_mask":
            out.append((x != 0).long())
        elif how == "pad_mask":
            out.append(x == 0)
        elif how == "none":
            out.append(None)
        else:
            raise ValueError(how)
    return out


def run_model(model, inputs, spec=None):
    model.eval()
    x = torch.from_numpy(inputs)
    with torch.no_grad():
        if spec:
            out = model(*forward_arguments(model, x, spec))
        # A forward that takes lengths gets them from the padding (id 0, at the end), as SeqLens counts them.
        elif "lengths" in model.forward.__code__.co_varnames[:model.forward.__code__.co_argcount]:
            out = model(x, (x != 0).sum(1))
        else:
            out = model(x)
    return (out[0] if isinstance(out, tuple) else out).numpy().astype(np.float32)


def update_models():
    os.makedirs(os.path.join(OUT, "models"), exist_ok=True)
    for name in sorted(MODELS):
        # Seeds follow the name, so adding a model leaves the others' fixtures as they were.
        seed = zlib.crc32(name.encode()) % 100000
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        model = build(name)
        # Parameters PyTorch starts at zero (attention and LayerNorm biases) get values, as a trained model's have.
        with torch.no_grad():
            for p in model.parameters():
                if not p.any():
                    p.normal_(0, 0.3)
        # BatchNorm's running statistics as a trained model has them, not 0 and 1.
        for m in model.modules():
            if isinstance(m, nn.BatchNorm1d):
                m.running_mean.copy_(torch.randn(m.num_features) * 0.3)
                m.running_var.copy_(torch.rand(m.num_features) + 0.5)
        source, _, kind, shape, vocabulary = MODELS[name][:5]
        spec = MODELS[name][5] if len(MODELS[name]) > 5 else None
        inputs = rng.integers(1, vocabulary, size=shape).astype(np.int64) if kind.startswith("ids") else rng.standard_normal(shape).astype(np.float32)
        # ids_plain: no padding (a single token, or one sequence).
        if kind == "ids":
            inputs[:3, -2:] = 0
        if kind == "ids_padded":
            for row, length in enumerate(rng.integers(1, shape[1] + 1, size=shape[0])):
                inputs[row, length:] = 0
        py, weights, inp, outp = model_paths(name)
        with open(py, "w") as f:
            f.write(HEADER + source.lstrip("\n"))
        write_safetensors(weights, {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")})
        np.save(inp, inputs)
        np.save(outp, run_model(model, inputs, spec))
        if spec:
            # What forward's parameters were given, for the unit test (a second "input" is given by name).
            with open(os.path.join(OUT, "models", name + ".args.json"), "w") as f:
                json.dump({"args": [list(a) for a in spec]}, f)
                f.write("\n")


def check_models():
    failures = []
    for name in sorted(MODELS):
        py, weights, inp, outp = model_paths(name)
        with open(py) as f:
            if f.read() != HEADER + MODELS[name][0].lstrip("\n"):
                failures.append(name + " (source differs)")
                continue
        model = build(name)
        state = read_safetensors(weights)
        model.load_state_dict(state, strict=False)
        out = run_model(model, np.load(inp), MODELS[name][5] if len(MODELS[name]) > 5 else None)
        if np.max(np.abs(out - np.load(outp))) > TOLERANCE:
            failures.append(name)
    return len(MODELS), failures


def main():
    if "--update" in sys.argv:
        update_ops()
        update_models()
    n_ops, f_ops = check_ops()
    n_models, f_models = check_models()
    failures = f_ops + f_models
    print("{} passed, {} failed{}".format(n_ops + n_models - len(failures), len(failures), ": " + ", ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
