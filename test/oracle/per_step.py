#!/usr/bin/python3
"""Reference for SeqLens' per-step evaluation of PyTorch language models (src/evaluation/models/per-step.ts).

Each case is a small language model (forward returns next-token logits over its own vocabulary), its
weights (PyTorch 1.13, fixed seed) and a JSON Lines dataset of token-id sequences. The reference runs the
model in PyTorch on the batch padded as SeqLens pads it (Keras' pad_sequences: pad id before the
tokens), and computes with NumPy, in float64, the log-probability of every token from the outputs at
the step before it (the input shifted by one), leaving out targets equal to the pad id when the model
has one (padding_idx, or the pad id the test passes). Written to test/fixtures/per-step/:
NAME.py, NAME.safetensors, NAME.jsonl, NAME.expected.json (tokens, cross-entropy in nats, perplexity).

Usage:  /usr/bin/python3 test/oracle/per_step.py [--check | --update]
"""

import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_models import read_safetensors, write_safetensors  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "per-step")
TOLERANCE = 1e-9

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"

# name -> (source, class, time_major_input, pad id (None: unknown), layout of the data: ragged or equal lengths)
CASES = {
    "lm_padded": ("""
class PaddedLM(nn.Module):
    def __init__(self, vocab_size=23, embed_dim=8, hidden=12, pad_idx=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=pad_idx)
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, x):
        h, _ = self.lstm(self.embedding(x))
        return self.out(h)
""", "PaddedLM", False, 0, "ragged"),
    "lm_time_major_flat": ("""
class WordLM(nn.Module):
    def __init__(self, ntoken=19, ninp=6, nhid=10, nlayers=2):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnn = nn.GRU(ninp, nhid, nlayers)
        self.decoder = nn.Linear(nhid, ntoken)
        self.ntoken = ntoken

    def forward(self, input):
        output, hidden = self.rnn(self.encoder(input))
        decoded = self.decoder(output)
        decoded = decoded.view(-1, self.ntoken)
        return F.log_softmax(decoded, dim=1)
""", "WordLM", True, None, "equal"),
    "lm_attention_no_pad": ("""
class CausalLM(nn.Module):
    def __init__(self, vocab_size=17, d_model=8):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.attn = nn.MultiheadAttention(d_model, 2, batch_first=True)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, x):
        e = self.embedding(x)
        mask = nn.Transformer.generate_square_subsequent_mask(x.size(1))
        h, _ = self.attn(e, e, e, attn_mask=mask)
        return F.softmax(self.head(h + e), dim=-1)
""", "CausalLM", False, None, "ragged"),
}
# The pad id the test passes with --pad-id for a model that has none (lm_attention_no_pad): 0.
GIVEN_PAD = {"lm_attention_no_pad": 0}


def paths(name):
    base = os.path.join(OUT, name)
    return base + ".py", base + ".safetensors", base + ".jsonl", base + ".expected.json"


def build(name):
    scope = {}
    exec(HEADER + CASES[name][0].lstrip("\n"), scope)
    return scope[CASES[name][1]]()


def sequences(name, vocabulary, rng):
    ragged = CASES[name][4] == "ragged"
    out = []
    for _ in range(14):
        length = int(rng.integers(2, 10)) if ragged else 8
        out.append([int(v) for v in rng.integers(1, vocabulary, size=length)])
    out[3] = out[3][:1]  # one sequence with nothing to predict
    if not ragged:
        out[3] = [int(v) for v in rng.integers(1, vocabulary, size=8)]
    return out


def reference(name, model, seqs):
    _, _, time_major, pad, _ = CASES[name]
    pad = GIVEN_PAD.get(name, pad)
    longest = max(len(s) for s in seqs)
    fill = 0 if pad is None else pad
    x = np.array([[fill] * (longest - len(s)) + s for s in seqs], dtype=np.int64)
    model.eval()
    with torch.no_grad():
        out = model(torch.from_numpy(x.T.copy() if time_major else x)).numpy().astype(np.float64)
    batch, steps = x.shape
    if out.ndim == 2:
        out = out.reshape(steps, batch, -1).transpose(1, 0, 2) if time_major else out.reshape(batch, steps, -1)
    elif time_major:
        out = out.transpose(1, 0, 2)
    if np.all(out >= 0) and np.allclose(out.sum(-1), 1, atol=1e-4):
        log = np.log(out)
    else:
        shifted = out - out.max(-1, keepdims=True)
        log = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    total = 0.0
    count = 0
    for b in range(batch):
        for t in range(1, steps):
            token = x[b, t]
            if pad is not None and token == pad:
                continue
            total -= log[b, t - 1, token]
            count += 1
    return {"tokens": count, "crossEntropy": total / count, "perplexity": math.exp(total / count)}


def update():
    os.makedirs(OUT, exist_ok=True)
    for i, name in enumerate(sorted(CASES)):
        torch.manual_seed(300 + i)
        rng = np.random.default_rng(400 + i)
        model = build(name)
        with torch.no_grad():
            for p in model.parameters():
                if not p.any():
                    p.normal_(0, 0.3)
        vocabulary = next(m for m in model.modules() if isinstance(m, nn.Embedding)).num_embeddings
        seqs = sequences(name, vocabulary, rng)
        py, weights, data, expected = paths(name)
        with open(py, "w") as f:
            f.write(HEADER + CASES[name][0].lstrip("\n"))
        write_safetensors(weights, dict(model.state_dict()))
        with open(data, "w") as f:
            for s in seqs:
                f.write(json.dumps({"ids": s}) + "\n")
        with open(expected, "w") as f:
            json.dump(reference(name, model, seqs), f, indent=1)
            f.write("\n")


def check():
    failures = []
    for name in sorted(CASES):
        py, weights, data, expected = paths(name)
        model = build(name)
        model.load_state_dict(read_safetensors(weights))
        with open(data) as f:
            seqs = [json.loads(line)["ids"] for line in f if line.strip()]
        got = reference(name, model, seqs)
        with open(expected) as f:
            want = json.load(f)
        if got["tokens"] != want["tokens"] or abs(got["crossEntropy"] - want["crossEntropy"]) > TOLERANCE:
            failures.append(name)
    return len(CASES), failures


def main():
    if "--update" in sys.argv:
        update()
    n, failures = check()
    print("{} passed, {} failed{}".format(n - len(failures), len(failures), ": " + ", ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
