#!/usr/bin/python3
"""Reference for SeqLens' per-step evaluation of PyTorch language models and taggers (src/evaluation/models/per-step.ts).

Each case is a small language model (forward returns next-token logits over its own vocabulary), its
weights (PyTorch 1.13, fixed seed) and a JSON Lines dataset of token-id sequences. The reference runs the
model in PyTorch on the batch padded as SeqLens pads it (Keras' pad_sequences: pad id before the
tokens), and computes with NumPy, in float64, the log-probability of every token from the outputs at
the step before it (the input shifted by one), leaving out targets equal to the pad id when the model
has one (padding_idx, or the pad id the test passes). Written to test/fixtures/per-step/:
NAME.py, NAME.safetensors, NAME.jsonl, NAME.expected.json (tokens, cross-entropy in nats, perplexity).

Taggers (TAGGERS below: forward returns one label distribution per token over its own classes) are run
by PyTorch on the batch padded as SeqLens pads it (pre by default, post for --padding post), each
token's predicted class is the argmax of its output, and scikit-learn 1.2 scores the tokens that are
neither padding (a token equal to the known pad id) nor labelled to ignore (-100): accuracy_score and
precision_recall_fscore_support per class, on the tags as strings (sorted as SeqLens sorts them).
Written beside the language models: NAME.py, NAME.safetensors and NAME.pt (the same state dict as
torch.save writes it), the data (NAME.jsonl with "ids" and "tags", or NAME.ids.npy and NAME.labels.npy
(N, T)), NAME.expected.json (tokens, the per-token predicted tags in order, accuracy, per-tag scores).

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
# The models run in float32: PyTorch's kernels differ between CPUs in the last bits of a float32 (an AMD EPYC here gave
# a cross-entropy 4.4e-9 away from the golden written on another machine), so the rerun is held to float32's precision.
TOLERANCE = 1e-6

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

IOB_TAGS = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG"]
# name -> (source, class, time-major input, data format, padding side, pad id the test passes
# (None: the model's padding_idx), tag names (None: the class indices))
TAGGERS = {
    "tagger_bilstm": ("""
class BiLSTMTagger(nn.Module):
    def __init__(self, vocab_size=29, embedding_dim=8, hidden_dim=10, tagset_size=7, pad_idx=0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=pad_idx)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.hidden2tag = nn.Linear(2 * hidden_dim, tagset_size)

    def forward(self, sentence):
        lstm_out, _ = self.lstm(self.embedding(sentence))
        return self.hidden2tag(lstm_out)
""", "BiLSTMTagger", False, "jsonl", "post", None, IOB_TAGS),
    "tagger_time_major": ("""
class POSTagger(nn.Module):
    def __init__(self, vocab_size=31, embed_dim=6, hidden=9, n_tags=5):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.rnn = nn.GRU(embed_dim, hidden, bidirectional=True)
        self.fc = nn.Linear(2 * hidden, n_tags)
        self.n_tags = n_tags

    def forward(self, x):
        out, _ = self.rnn(self.embed(x))
        logits = self.fc(out)
        return F.log_softmax(logits.view(-1, self.n_tags), dim=1)
""", "POSTagger", True, "npy", "post", 0, None),
}


def tagger_paths(name):
    base = os.path.join(OUT, name)
    data = base + (".jsonl" if TAGGERS[name][3] == "jsonl" else ".ids.npy")
    return base + ".py", base + ".safetensors", data, base + ".labels.npy", base + ".expected.json"


def build_tagger(name):
    scope = {}
    exec(HEADER + TAGGERS[name][0].lstrip("\n"), scope)
    return scope[TAGGERS[name][1]]()


def tagger_reference(name, model, seqs, tags):
    """seqs, tags: lists of per-sequence token ids and integer labels (-100: not scored)."""
    from sklearn.metrics import accuracy_score, precision_recall_fscore_support
    _, _, time_major, _, side, given_pad, names = TAGGERS[name]
    embedding = next(m for m in model.modules() if isinstance(m, nn.Embedding))
    pad = given_pad if given_pad is not None else embedding.padding_idx
    longest = max(len(s) for s in seqs)
    fill = 0 if pad is None else pad

    def padded(row, value):
        extra = [value] * (longest - len(row))
        return row + extra if side == "post" else extra + row
    x = np.array([padded(s, fill) for s in seqs], dtype=np.int64)
    y = np.array([padded(t, -100) for t in tags], dtype=np.int64)
    model.eval()
    with torch.no_grad():
        out = model(torch.from_numpy(x.T.copy() if time_major else x)).numpy()
    batch, steps = x.shape
    if out.ndim == 2:
        out = out.reshape(steps, batch, -1).transpose(1, 0, 2) if time_major else out.reshape(batch, steps, -1)
    elif time_major:
        out = out.transpose(1, 0, 2)
    predicted = out.argmax(-1)
    keep = (y >= 0) if pad is None else (y >= 0) & (x != pad)
    name_of = (lambda k: names[k]) if names else str
    gold = [name_of(int(v)) for v in y[keep]]
    pred = [name_of(int(v)) for v in predicted[keep]]
    labels = sorted(set(gold) | set(pred))
    p, r, f, support = precision_recall_fscore_support(gold, pred, labels=labels, average=None, zero_division=0)
    return {
        "tokens": len(gold),
        "predictions": pred,
        "accuracy": accuracy_score(gold, pred),
        "perTag": [{"tag": t, "precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]), "support": int(support[i])} for i, t in enumerate(labels)],
    }


def tagger_data(name, vocabulary, classes, rng):
    seqs, tags = [], []
    for i in range(15):
        length = int(rng.integers(2, 11))
        seqs.append([int(v) for v in rng.integers(1, vocabulary, size=length)])
        row = [int(v) for v in rng.integers(0, classes, size=length)]
        if i % 4 == 1:
            row[0] = -100  # a label to ignore inside a sentence (a sub-word's continuation)
        tags.append(row)
    return seqs, tags


def write_tagger_data(name, seqs, tags):
    _, _, _, fmt, _, _, names = TAGGERS[name]
    _, _, data, labels, _ = tagger_paths(name)
    if fmt == "jsonl":
        with open(data, "w") as f:
            for s, t in zip(seqs, tags):
                f.write(json.dumps({"ids": s, "tags": [names[v] if v >= 0 else v for v in t] if names else t}) + "\n")
        return
    # Pre-padded arrays, as a tagger's training code keeps them: ids padded with 0, labels with -100.
    longest = max(len(s) for s in seqs)
    np.save(data, np.array([s + [0] * (longest - len(s)) for s in seqs], dtype=np.int64))
    np.save(labels, np.array([t + [-100] * (longest - len(t)) for t in tags], dtype=np.int64))


def read_tagger_data(name):
    _, _, _, fmt, _, _, names = TAGGERS[name]
    _, _, data, labels, _ = tagger_paths(name)
    if fmt == "jsonl":
        seqs, tags = [], []
        with open(data) as f:
            for line in f:
                if line.strip():
                    record = json.loads(line)
                    seqs.append(record["ids"])
                    tags.append([names.index(v) if isinstance(v, str) else v for v in record["tags"]])
        return seqs, tags
    # The arrays are scored as they are: their zeros are the padding the pad id leaves out.
    return np.load(data).tolist(), np.load(labels).tolist()


def update_taggers():
    for i, name in enumerate(sorted(TAGGERS)):
        torch.manual_seed(500 + i)
        rng = np.random.default_rng(600 + i)
        model = build_tagger(name)
        vocabulary = next(m for m in model.modules() if isinstance(m, nn.Embedding)).num_embeddings
        head = next(m for m in reversed(list(model.modules())) if isinstance(m, nn.Linear))
        with torch.no_grad():
            head.weight.mul_(6)  # outputs far enough apart that the argmax varies from token to token
        classes = head.out_features
        seqs, tags = tagger_data(name, vocabulary, classes, rng)
        py, weights, _, _, expected = tagger_paths(name)
        with open(py, "w") as f:
            f.write(HEADER + TAGGERS[name][0].lstrip("\n"))
        write_safetensors(weights, dict(model.state_dict()))
        torch.save(model.state_dict(), os.path.splitext(weights)[0] + ".pt")
        write_tagger_data(name, seqs, tags)
        seqs, tags = read_tagger_data(name)
        with open(expected, "w") as f:
            json.dump(tagger_reference(name, model, seqs, tags), f, indent=1)
            f.write("\n")


def check_taggers():
    failures = []
    for name in sorted(TAGGERS):
        py, weights, _, _, expected = tagger_paths(name)
        model = build_tagger(name)
        model.load_state_dict(read_safetensors(weights))
        saved = torch.load(os.path.splitext(weights)[0] + ".pt", weights_only=True)
        same_pt = all(torch.equal(saved[k], v) for k, v in model.state_dict().items())
        seqs, tags = read_tagger_data(name)
        got = tagger_reference(name, model, seqs, tags)
        with open(expected) as f:
            want = json.load(f)
        if not same_pt or got["tokens"] != want["tokens"] or got["predictions"] != want["predictions"] or abs(got["accuracy"] - want["accuracy"]) > TOLERANCE:
            failures.append(name)
    return len(TAGGERS), failures


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
        update_taggers()
    n, failures = check()
    tagger_count, tagger_failures = check_taggers()
    n += tagger_count
    failures += tagger_failures
    print("{} passed, {} failed{}".format(n - len(failures), len(failures), ": " + ", ".join(failures) if failures else ""))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
