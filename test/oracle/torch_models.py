#!/usr/bin/python3
"""Real-PyTorch oracle for the SeqLens model runner.

Builds small sequence classifiers in real PyTorch (Debian's python3-torch):
GRU, LSTM and RNN, one and two layers, bidirectional, batch_first on and off,
with an Embedding or on feature sequences, each read out the way its forward
method says. For each model it writes to test/fixtures/models/torch/:

    NAME.py            the class, exactly the source PyTorch ran (SeqLens analyses it)
    NAME.safetensors   the state dict, float32 (the format written here by hand:
                       the `safetensors` package is not installed)
    NAME.inputs.npy    the input batch (int64 token ids, or float32 features)
    NAME.outputs.npy   what forward returned (float32)
    NAME.labels.npy    the argmax class of each output row (int64)

Usage (torch is only importable from the system interpreter):

    /usr/bin/python3 test/oracle/torch_models.py [--check | --update]

--update regenerates every file. --check (the default) loads the committed
weights into freshly built models, runs PyTorch on the committed inputs and
compares with the committed outputs, and checks that each NAME.py still holds
the source below; it prints `N passed, M failed` and exits 1 on any failure.
"""

import json
import os
import struct
import sys

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "models", "torch")
TOLERANCE = 1e-6

HEADER = "import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n\n\n"

# name -> (source of the class, class name, input kind, (batch, time[, features]), vocabulary)
MODELS = {
    "gru_last_step": ("""
class GRULastStep(nn.Module):
    def __init__(self, vocab_size=50, embed_dim=8, hidden_size=12, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.gru = nn.GRU(embed_dim, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        embedded = self.embedding(x)
        out, h_n = self.gru(embedded)
        return self.fc(out[:, -1, :])
""", "GRULastStep", "ids", (16, 9), 50),
    "gru_bidirectional_two_layers": ("""
class BiGRU(nn.Module):
    def __init__(self, vocab_size=60, embed_dim=8, hidden_size=10, num_classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.gru = nn.GRU(embed_dim, hidden_size, num_layers=2, batch_first=True, bidirectional=True, dropout=0.3)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(hidden_size * 2, num_classes)

    def forward(self, x):
        out, h = self.gru(self.embedding(x))
        hidden = torch.cat((h[-2], h[-1]), dim=1)
        return self.fc(self.dropout(hidden))
""", "BiGRU", "ids", (16, 11), 60),
    "gru_time_major": ("""
class TimeMajorGRU(nn.Module):
    def __init__(self, vocab_size=40, embed_dim=6, hidden_size=9, num_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.gru = nn.GRU(embed_dim, hidden_size, num_layers=2)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, tokens):
        x = self.embedding(tokens).permute(1, 0, 2)
        output, hidden = self.gru(x)
        return F.softmax(self.fc(hidden[-1]), dim=1)
""", "TimeMajorGRU", "ids", (16, 8), 40),
    "lstm_final_state": ("""
class LSTMClassifier(nn.Module):
    def __init__(self, vocab_size=50, embed_dim=8, hidden_size=12, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        x = self.embedding(x)
        out, (h_n, c_n) = self.lstm(x)
        return self.fc(h_n[-1])
""", "LSTMClassifier", "ids", (16, 10), 50),
    "lstm_bidirectional_mean_pool": ("""
class BiLSTMMean(nn.Module):
    def __init__(self, vocab_size=70, embed_dim=8, hidden_size=10, num_classes=5):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_size, num_layers=2, batch_first=True, bidirectional=True)
        self.classifier = nn.Sequential(nn.Linear(2 * hidden_size, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, num_classes))

    def forward(self, x):
        out, _ = self.lstm(self.embedding(x))
        pooled = out.mean(dim=1)
        return self.classifier(pooled)
""", "BiLSTMMean", "ids", (16, 12), 70),
    "lstm_time_major_bidirectional": ("""
class TimeMajorBiLSTM(nn.Module):
    def __init__(self, vocab_size=30, embed_dim=6, hidden_size=8, num_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden_size, bidirectional=True)
        self.fc = nn.Linear(hidden_size * 2, num_classes)

    def forward(self, x):
        out, (h, c) = self.lstm(self.embedding(x))
        return self.fc(out[-1])
""", "TimeMajorBiLSTM", "ids_time_major", (16, 7), 30),
    "rnn_relu_max_pool": ("""
class ReluRNN(nn.Module):
    def __init__(self, vocab_size=40, embed_dim=8, hidden_size=12):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.rnn = nn.RNN(embed_dim, hidden_size, num_layers=2, nonlinearity='relu', batch_first=True)
        self.out = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, h = self.rnn(self.embedding(x))
        pooled = torch.max(out, dim=1).values
        return self.out(pooled)
""", "ReluRNN", "ids", (16, 9), 40),
    "rnn_tanh_features": ("""
class FeatureRNN(nn.Module):
    def __init__(self, n_features=5, hidden_size=10, num_classes=3):
        super().__init__()
        self.rnn = nn.RNN(n_features, hidden_size, batch_first=True, bidirectional=True)
        self.head = nn.Linear(2 * hidden_size, num_classes)

    def forward(self, x):
        out, h_n = self.rnn(x)
        return self.head(torch.cat([h_n[-2, :, :], h_n[-1, :, :]], dim=1))
""", "FeatureRNN", "features", (16, 8, 5), None),
    "gru_features_two_layers": ("""
class FeatureGRU(nn.Module):
    def __init__(self, n_features=4, hidden_size=12, num_classes=3):
        super().__init__()
        self.gru = nn.GRU(n_features, hidden_size, num_layers=2, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out, h = self.gru(x)
        last = out[:, -1]
        return torch.log_softmax(self.fc(last), dim=-1)
""", "FeatureGRU", "features", (16, 10, 4), None),
}

# The benchmark's classifiers, at the size the throughput comparison uses (no fixtures written).
BENCH_SOURCE = """
class BenchClassifier(nn.Module):
    def __init__(self, cell='GRU', vocab_size=5000, embed_dim=64, hidden_size=128, num_classes=4):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.rnn = nn.GRU(embed_dim, hidden_size, batch_first=True) if cell == 'GRU' else nn.LSTM(embed_dim, hidden_size, batch_first=True)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        out, _ = self.rnn(self.embedding(x))
        return self.fc(out[:, -1, :])
"""

# The benchmark's model with a Python loop over time steps, as char-RNN and seq2seq code steps a
# cell itself: LSTMCell (or GRUCell) over the embedded steps, every step's state kept, then mean-pooled.
BENCH_LOOP_SOURCE = """
class BenchLoopClassifier(nn.Module):
    def __init__(self, cell='LSTMCell', vocab_size=5000, embed_dim=64, hidden_size=128, num_classes=4):
        super().__init__()
        self.hidden_size = hidden_size
        self.is_lstm = cell == 'LSTMCell'
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.cell = nn.LSTMCell(embed_dim, hidden_size) if self.is_lstm else nn.GRUCell(embed_dim, hidden_size)
        self.fc = nn.Linear(hidden_size, num_classes)

    def forward(self, x):
        embedded = self.embedding(x)
        h = torch.zeros(x.size(0), self.hidden_size)
        c = torch.zeros(x.size(0), self.hidden_size)
        outputs = []
        for t in range(x.size(1)):
            if self.is_lstm:
                h, c = self.cell(embedded[:, t, :], (h, c))
            else:
                h = self.cell(embedded[:, t, :], h)
            outputs.append(h)
        return self.fc(torch.stack(outputs, dim=1).mean(dim=1))
"""


def build(name):
    source, class_name, _, _, _ = MODELS[name]
    scope = {}
    exec(HEADER + source.lstrip("\n"), scope)
    return scope[class_name]()


def fixture_source(name):
    return HEADER + MODELS[name][0].lstrip("\n")


def make_inputs(name, rng):
    _, _, kind, shape, vocabulary = MODELS[name]
    if kind.startswith("ids"):
        ids = rng.integers(0, vocabulary, size=shape).astype(np.int64)
        ids[:4, :3] = 0  # some padding at the front, as pre-padded data has
        return ids
    return rng.standard_normal(shape).astype(np.float32)


def torch_input(name, inputs):
    kind = MODELS[name][2]
    x = torch.from_numpy(inputs)
    # The dataset is batch-major; a model whose forward feeds a batch_first=False layer directly
    # receives it time-major, as its training loop would have given it.
    return x.t().contiguous() if kind == "ids_time_major" else x


def write_safetensors(path, state):
    header, blobs, offset = {}, [], 0
    for key, tensor in state.items():
        data = tensor.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[key] = {"dtype": "F32", "shape": list(tensor.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":"))
    text += " " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text.encode("utf-8"))
        for blob in blobs:
            f.write(blob)


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    out = {}
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        array = np.frombuffer(data[8 + length + begin:8 + length + end], dtype="<f4").reshape(entry["shape"])
        out[key] = torch.from_numpy(array.copy())
    return out


def run(model, name, inputs):
    model.eval()
    with torch.no_grad():
        return model(torch_input(name, inputs)).numpy().astype(np.float32)


def predicted_classes(outputs):
    """argmax over classes; a single output unit is a binary logit (class 1 when positive)."""
    if outputs.shape[1] == 1:
        return (outputs[:, 0] > 0).astype(np.int64)
    return outputs.argmax(axis=1).astype(np.int64)


def paths(name):
    base = os.path.join(OUT, name)
    return {k: f"{base}{suffix}" for k, suffix in [
        ("py", ".py"), ("weights", ".safetensors"), ("inputs", ".inputs.npy"), ("outputs", ".outputs.npy"), ("labels", ".labels.npy")]}


def update():
    os.makedirs(OUT, exist_ok=True)
    for i, name in enumerate(sorted(MODELS)):
        torch.manual_seed(1000 + i)
        model = build(name)
        # Biases drawn wider than PyTorch's default so that b_ih + b_hh and b_hn all matter.
        with torch.no_grad():
            for key, p in model.named_parameters():
                if "bias" in key:
                    p.uniform_(-0.5, 0.5)
        rng = np.random.default_rng(2000 + i)
        inputs = make_inputs(name, rng)
        outputs = run(model, name, inputs)
        p = paths(name)
        with open(p["py"], "w") as f:
            f.write(fixture_source(name))
        write_safetensors(p["weights"], model.state_dict())
        np.save(p["inputs"], inputs)
        np.save(p["outputs"], outputs)
        np.save(p["labels"], predicted_classes(outputs))
        print(f"wrote {name}: outputs {outputs.shape}")


def check():
    passed = failed = 0
    for name in sorted(MODELS):
        p = paths(name)
        problems = []
        try:
            with open(p["py"]) as f:
                if f.read() != fixture_source(name):
                    problems.append(f"{p['py']} differs from the source in this oracle (run --update)")
            model = build(name)
            model.load_state_dict(read_safetensors(p["weights"]))
            inputs = np.load(p["inputs"])
            expected = np.load(p["outputs"])
            actual = run(model, name, inputs)
            diff = float(np.max(np.abs(actual - expected)))
            if actual.shape != expected.shape or diff > TOLERANCE:
                problems.append(f"outputs differ from the committed ones by {diff:.3g}")
            if not np.array_equal(np.load(p["labels"]), predicted_classes(expected)):
                problems.append("labels are not the classes the outputs predict")
        except Exception as exc:  # a missing or unreadable fixture is a failure, not a crash
            problems.append(f"{type(exc).__name__}: {exc}")
        if problems:
            failed += 1
            print(f"FAIL {name}: " + "; ".join(problems))
        else:
            passed += 1
            print(f"ok   {name}")
    print(f"{passed} passed, {failed} failed")
    return failed == 0


def bench(cell, batch, steps, threads, repeats, out_dir):
    """Sequences per second of a benchmark classifier in PyTorch on CPU (used by test/bench/models.bench.mjs):
    BenchClassifier for cell GRU or LSTM, BenchLoopClassifier (a Python loop over time) for LSTMCell or GRUCell.

    Also writes the model's source and weights to OUT_DIR, so that SeqLens runs the same model."""
    import time
    torch.set_num_threads(threads)
    looped = cell.endswith("Cell")
    template, class_name, default = (BENCH_LOOP_SOURCE, "BenchLoopClassifier", "LSTMCell") if looped else (BENCH_SOURCE, "BenchClassifier", "GRU")
    source = HEADER + template.lstrip("\n").replace(f"cell='{default}'", f"cell='{cell}'")
    scope = {}
    exec(source, scope)
    torch.manual_seed(0)
    model = scope[class_name]().eval()
    with open(os.path.join(out_dir, f"bench_{cell}.py"), "w") as f:
        f.write(source)
    write_safetensors(os.path.join(out_dir, f"bench_{cell}.safetensors"), model.state_dict())
    x = torch.randint(0, 5000, (batch, steps))
    with torch.no_grad():
        for _ in range(2):
            model(x)
        best = float("inf")
        for _ in range(repeats):
            t = time.perf_counter()
            model(x)
            best = min(best, time.perf_counter() - t)
    print(json.dumps({"cell": cell, "seconds": best, "sequencesPerSecond": batch / best, "threads": torch.get_num_threads()}))


if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:1] == ["--bench"]:
        bench(args[1], int(args[2]), int(args[3]), int(args[4]), int(args[5]), args[6])
    elif "--update" in args:
        update()
    else:
        sys.exit(0 if check() else 1)
