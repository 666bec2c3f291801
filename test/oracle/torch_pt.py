#!/usr/bin/python3
"""Real-PyTorch oracle for SeqLens' .pt reader (src/evaluation/models/torch/pt).

Writes small files with PyTorch 1.13's own torch.save into test/fixtures/models/torch/pt/:

    NAME.pt              what torch.save wrote
    NAME.expected.json   what torch.load gives back: for each state-dict entry its dtype,
                         shape and values (as float64), the key of the state dict inside a
                         checkpoint, and whether torch.load(weights_only=True) accepts the file
                         (and if not, its error)

It also writes models whose constructors have arguments without defaults, into
test/fixtures/models/torch/sizes/: NAME.py (the class, exactly the source PyTorch ran), NAME.pt
(its state dict, built with the sizes in SIZED_MODELS), NAME.inputs.npy and NAME.outputs.npy
(what forward returned, float32). SeqLens must take the sizes from the weights and give the
same outputs. --check rebuilds each model, loads NAME.pt and reruns it on the inputs.

gru_last_step.pt is the models oracle's fixture of that name (torch_models.py) with the same
weights, saved by torch.save: the model must give the same outputs from either file.

Usage (torch is only importable from the system interpreter):

    /usr/bin/python3 test/oracle/torch_pt.py [--check | --update]

--update rewrites every file. --check (the default) loads the committed .pt files with the
installed PyTorch and compares with the committed expectations; it prints `N passed, M failed`
and exits 1 on any failure.
"""

import collections
import json
import os
import sys
import types

import numpy as np
import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "models", "torch", "pt")
SIZED_OUT = os.path.join(ROOT, "test", "fixtures", "models", "torch", "sizes")
SIZED_TOLERANCE = 1e-6

SIZED_HEADER = "import torch\nimport torch.nn as nn\n\n\n"

# name -> (source, class name, constructor arguments the weights are made with, input kind, input shape, vocabulary)
SIZED_MODELS = {
    "bilstm_vocab_plus_one": ("""
class BiLSTMTagger(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden_dim, num_classes, dropout):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.embedding = nn.Embedding(vocab_size + 1, embed_dim, padding_idx=0)
        self.lstm = nn.LSTM(embed_dim, hidden_dim, batch_first=True, bidirectional=True)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(hidden_dim * 2, num_classes)

    def forward(self, x):
        out, (h, c) = self.lstm(self.embedding(x))
        return self.fc(self.dropout(out[:, -1, :]))
""", "BiLSTMTagger", {"vocab_size": 20, "embed_dim": 6, "hidden_dim": 7, "num_classes": 3, "dropout": 0.2}, "ids", (8, 9), 21),
    "gru_layers_from_weights": ("""
class StackedGRU(nn.Module):
    def __init__(self, input_size, hidden_size, num_layers, n_classes):
        super().__init__()
        self.gru = nn.GRU(input_size, hidden_size, num_layers=num_layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, x):
        out, h = self.gru(x)
        return self.fc(h[-1])
""", "StackedGRU", {"input_size": 5, "hidden_size": 9, "num_layers": 2, "n_classes": 4}, "features", (8, 7, 5), None),
    "rnn_some_defaults": ("""
class PooledRNN(nn.Module):
    def __init__(self, vocab_size, num_classes, embed_dim=8, hidden=10):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.rnn = nn.RNN(embed_dim, hidden, batch_first=True)
        self.head = nn.Sequential(nn.Linear(hidden, hidden // 2), nn.ReLU(), nn.Linear(hidden // 2, num_classes))

    def forward(self, x):
        out, h = self.rnn(self.embedding(x))
        return self.head(out.mean(dim=1))
""", "PooledRNN", {"vocab_size": 30, "num_classes": 5}, "ids", (8, 6), 30),
    # A config object: every size is a field of args, bidirectional a flag that also doubles the head's input.
    "config_fields": ("""
class ConfigTagger(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.embed = nn.Embedding(args.embed_num, args.embed_dim)
        self.lstm = nn.LSTM(args.embed_dim, args.hidden_dim, num_layers=args.num_layers,
                            dropout=args.dropout, bidirectional=args.bidirectional, batch_first=True)
        directions = 2 if args.bidirectional else 1
        self.fc = nn.Linear(args.hidden_dim * directions, args.class_num)

    def forward(self, x):
        out, _ = self.lstm(self.embed(x))
        return self.fc(out[:, -1, :])
""", "ConfigTagger", {"args": types.SimpleNamespace(embed_num=17, embed_dim=6, hidden_dim=5, num_layers=2, dropout=0.3, bidirectional=True, class_num=3)}, "ids", (8, 6), 17),
    # Names set only by the script part (as in tutorials): the class reads them as globals.
    "script_globals": ("""
class TextLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(input_size=n_class, hidden_size=n_hidden, batch_first=True)
        self.W = nn.Linear(n_hidden, n_class, bias=False)
        self.b = nn.Parameter(torch.ones([n_class]))

    def forward(self, X):
        h0 = torch.zeros(1, len(X), n_hidden)
        c0 = torch.zeros(1, len(X), n_hidden)
        out, _ = self.lstm(X, (h0, c0))
        return self.W(out[:, -1]) + self.b


if __name__ == '__main__':
    n_class, n_hidden = 5, 8
""", "TextLSTM", {}, "features", (8, 4, 5), None),
    # The recurrent type chosen by a string, and a layer count whose default (1) the weights contradict.
    "rnn_type_choice": ("""
class RNNModel(nn.Module):
    def __init__(self, rnn_type, ntoken, ninp, nhid, nlayers=1, dropout=0.5):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        if rnn_type in ['LSTM', 'GRU']:
            self.rnn = getattr(nn, rnn_type)(ninp, nhid, nlayers, dropout=dropout, batch_first=True)
        else:
            nonlinearity = {'RNN_TANH': 'tanh', 'RNN_RELU': 'relu'}[rnn_type]
            self.rnn = nn.RNN(ninp, nhid, nlayers, nonlinearity=nonlinearity, dropout=dropout, batch_first=True)
        self.decoder = nn.Linear(nhid, ntoken)

    def forward(self, x):
        out, _ = self.rnn(self.encoder(x))
        return self.decoder(out[:, -1])
""", "RNNModel", {"rnn_type": "GRU", "ntoken": 19, "ninp": 6, "nhid": 7, "nlayers": 2}, "ids", (8, 5), 19),
    # Two choices build the same tensors (tanh and relu) and give different outputs: refused without --init.
    "rnn_type_ambiguous": ("rnn_type_choice", "RNNModel", {"rnn_type": "RNN_RELU", "ntoken": 19, "ninp": 6, "nhid": 7}, "ids", (8, 5), 19),
    # A pretrained table only copied into the Embedding, and a batch size that only sizes the initial state.
    "pretrained_batch": ("""
class LSTMClassifier(nn.Module):
    def __init__(self, batch_size, output_size, hidden_size, vocab_size, embedding_length, weights):
        super().__init__()
        self.batch_size = batch_size
        self.hidden_size = hidden_size
        self.word_embeddings = nn.Embedding(vocab_size, embedding_length)
        self.word_embeddings.weight = nn.Parameter(weights, requires_grad=False)
        self.lstm = nn.LSTM(embedding_length, hidden_size)
        self.label = nn.Linear(hidden_size, output_size)

    def forward(self, input_sentence):
        x = self.word_embeddings(input_sentence).permute(1, 0, 2)
        h_0 = torch.zeros(1, self.batch_size, self.hidden_size)
        c_0 = torch.zeros(1, self.batch_size, self.hidden_size)
        output, (h, c) = self.lstm(x, (h_0, c_0))
        return self.label(h[-1])
""", "LSTMClassifier", {"batch_size": 8, "output_size": 4, "hidden_size": 7, "vocab_size": 23, "embedding_length": 6, "weights": lambda: torch.randn(23, 6)}, "ids", (8, 6), 23),
    # hidden_dim // 2: 10 and 11 build the same tensors and give the same outputs.
    "half_hidden": ("""
class CharBiLSTM(nn.Module):
    def __init__(self, alphabet_size, embedding_dim, hidden_dim, dropout):
        super().__init__()
        self.hidden_dim = hidden_dim
        self.emb = nn.Embedding(alphabet_size, embedding_dim)
        self.lstm = nn.LSTM(embedding_dim, hidden_dim // 2, batch_first=True, bidirectional=True)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        out, _ = self.lstm(self.drop(self.emb(x)))
        return out[:, -1, :]
""", "CharBiLSTM", {"alphabet_size": 13, "embedding_dim": 4, "hidden_dim": 10, "dropout": 0.5}, "ids", (8, 6), 13),
    # The layer count is a loop count: no trial value may pass with an empty ModuleList whose layers the weights hold.
    "modulelist_layer_count": ("""
class LayerStack(nn.Module):
    def __init__(self, input_size, hidden, n_layers):
        super().__init__()
        self.layers = nn.ModuleList([nn.GRU(input_size if i == 0 else hidden, hidden, batch_first=True) for i in range(n_layers)])
        self.head = nn.Linear(hidden, 3)

    def forward(self, x):
        for layer in self.layers:
            x, _ = layer(x)
        return self.head(x[:, -1])
""", "LayerStack", {"input_size": 4, "hidden": 6, "n_layers": 3}, "features", (5, 7, 4), None),
    # Tied weights (awd-lstm-lm): the decoder's weight is the Embedding's, so it reads ninp features, not the nhid
    # it was built with; the last layer narrows to ninp only when tied, and the file's default says not tied.
    "tied_weights_lm": ("""
class TiedLM(nn.Module):
    def __init__(self, ntoken, ninp, nhid, nlayers, wdrop=0, tie_weights=False):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        self.rnns = [nn.LSTM(ninp if l == 0 else nhid, nhid if l != nlayers - 1 else (ninp if tie_weights else nhid), batch_first=True) for l in range(nlayers)]
        if wdrop:
            self.rnns = [WeightDropped(rnn, wdrop) for rnn in self.rnns]
        self.rnns = nn.ModuleList(self.rnns)
        self.decoder = nn.Linear(nhid, ntoken)
        if tie_weights:
            self.decoder.weight = self.encoder.weight
        self.init_weights()

    def init_weights(self):
        self.encoder.weight.data.uniform_(-0.1, 0.1)
        self.decoder.bias.data.fill_(0)
        self.decoder.weight.data.uniform_(-0.1, 0.1)

    def forward(self, x):
        out = self.encoder(x)
        for rnn in self.rnns:
            out, _ = rnn(out)
        return self.decoder(out[:, -1])
""", "TiedLM", {"ntoken": 17, "ninp": 6, "nhid": 9, "nlayers": 2, "tie_weights": True}, "ids", (8, 5), 17),
    # The cell chosen by `cell == "…"` in a base class the model passes its arguments to (time-series forecasters);
    # a gpu flag only read in forward, which the weights leave open and which changes no output.
    "string_compare_choice": ("""
class BaseModel(nn.Module):
    def __init__(self, inputDim, hiddenNum, outputDim, layerNum, cell, use_cuda=False):
        super(BaseModel, self).__init__()
        self.hiddenNum = hiddenNum
        self.layerNum = layerNum
        self.use_cuda = use_cuda
        if cell == "RNN":
            self.cell = nn.RNN(input_size=inputDim, hidden_size=hiddenNum, num_layers=layerNum, batch_first=True)
        if cell == "LSTM":
            self.cell = nn.LSTM(input_size=inputDim, hidden_size=hiddenNum, num_layers=layerNum, batch_first=True)
        if "GRU" == cell:
            self.cell = nn.GRU(input_size=inputDim, hidden_size=hiddenNum, num_layers=layerNum, batch_first=True)
        self.fc = nn.Linear(hiddenNum, outputDim)


class LSTMModel(BaseModel):
    def __init__(self, inputDim, hiddenNum, outputDim, layerNum, cell, use_cuda):
        super(LSTMModel, self).__init__(inputDim, hiddenNum, outputDim, layerNum, cell, use_cuda)

    def forward(self, x):
        h0 = torch.zeros(self.layerNum, x.size(0), self.hiddenNum)
        c0 = torch.zeros(self.layerNum, x.size(0), self.hiddenNum)
        if self.use_cuda:
            h0 = h0.cuda()
            c0 = c0.cuda()
        out, (hn, cn) = self.cell(x, (h0, c0))
        return self.fc(hn[-1])
""", "LSTMModel", {"inputDim": 3, "hiddenNum": 8, "outputDim": 2, "layerNum": 2, "cell": "LSTM", "use_cuda": False}, "features", (6, 5, 3), None),
    # A config field that only sizes the initial state forward builds (snli's n_cells): no tensor holds it, and
    # forward runs only with the layers × directions the LSTM checks the state against.
    "open_state_count": ("""
class StateEncoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.rnn = nn.LSTM(input_size=config.d_embed, hidden_size=config.d_hidden, num_layers=config.n_layers,
                           bidirectional=config.birnn, batch_first=True)

    def forward(self, inputs):
        batch_size = inputs.size()[0]
        state_shape = self.config.n_cells, batch_size, self.config.d_hidden
        h0 = c0 = inputs.new_zeros(state_shape)
        outputs, (ht, ct) = self.rnn(inputs, (h0, c0))
        return ht[-2:].transpose(0, 1).contiguous().view(batch_size, -1)
""", "StateEncoder", {"config": types.SimpleNamespace(d_embed=5, d_hidden=6, n_layers=2, birnn=True, n_cells=4)}, "features", (6, 7, 5), None),
}


class Tagger(nn.Module):
    def __init__(self, vocab_size, embed_dim, hidden, tags):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.lstm = nn.LSTM(embed_dim, hidden, batch_first=True)
        self.out = nn.Linear(hidden, tags)


def tagger():
    torch.manual_seed(14)
    return Tagger(11, 4, 5, 3)


def state_dict():
    return tagger().state_dict()


def dtypes():
    torch.manual_seed(3)
    base = torch.randn(2, 3) * 4
    return collections.OrderedDict([
        ("f32", base),
        ("f64", base.double() / 3),
        ("f16", base.half()),
        ("bf16", base.bfloat16()),
        ("i8", torch.tensor([[-128, -1, 0], [1, 2, 127]], dtype=torch.int8)),
        ("u8", torch.tensor([0, 1, 200, 255], dtype=torch.uint8)),
        ("i16", torch.tensor([-32768, 7, 32767], dtype=torch.int16)),
        ("i32", torch.tensor([-2**31, 5, 2**31 - 1], dtype=torch.int32)),
        ("i64", torch.tensor([-(2**40), 0, 2**40 + 3], dtype=torch.int64)),
        ("bool", torch.tensor([True, False, True])),
        ("scalar", torch.tensor(2.5)),
        ("empty", torch.zeros(0, 4)),
    ])


def views():
    torch.manual_seed(5)
    table = torch.randn(4, 6)
    tied = nn.Linear(6, 4)
    return collections.OrderedDict([
        ("table", table),
        ("transposed", table.t()),             # stride (1, 6), same storage
        ("column", table[:, 2]),               # offset 2, stride (6,)
        ("block", table[1:3, 1:5]),            # offset 7, stride (6, 1)
        ("every_other", table[::2, ::3]),      # stride (12, 3)
        ("expanded", torch.arange(3.0).expand(2, 3)),  # stride (0, 1)
        ("tied.weight", tied.weight),
        ("tied_again.weight", tied.weight),    # the same storage, written once
        ("permuted", torch.randn(2, 3, 4).permute(2, 0, 1)),
    ])


def checkpoint():
    model = tagger()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    sum((p * p).sum() for p in model.parameters()).backward()
    optimizer.step()
    return {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": 3, "loss": 0.25}


def two_state_dicts():
    torch.manual_seed(2)
    return {"encoder": nn.GRU(3, 4).state_dict(), "decoder": nn.Linear(4, 2).state_dict(), "epoch": 1}


def parameters():
    torch.manual_seed(8)
    return {"weight": nn.Parameter(torch.randn(3, 2)), "bias": nn.Parameter(torch.randn(3), requires_grad=False)}


def gru_last_step():
    """The models oracle's GRULastStep with its committed weights, saved the way users save them."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import torch_models  # noqa: E402 - the sibling oracle, importable once its folder is on the path

    model = torch_models.build("gru_last_step")
    model.load_state_dict(torch_models.read_safetensors(os.path.join(torch_models.OUT, "gru_last_step.safetensors")))
    return model.state_dict()


# name -> (object to save, save options, the state dict's key in a checkpoint or None)
FIXTURES = {
    "state_dict": (state_dict, {}, None),
    "dtypes": (dtypes, {}, None),
    "views": (views, {}, None),
    "checkpoint": (checkpoint, {}, "model"),
    "two_state_dicts": (two_state_dicts, {}, "encoder"),
    "parameters": (parameters, {}, None),
    "whole_model": (tagger, {}, None),
    "legacy": (state_dict, {"_use_new_zipfile_serialization": False}, None),
    "gru_last_step": (gru_last_step, {}, None),
}


def paths(name):
    return os.path.join(OUT, f"{name}.pt"), os.path.join(OUT, f"{name}.expected.json")


def find(obj, key):
    for part in key.split(".") if key else []:
        obj = obj[part]
    return obj


def expectation(path, key):
    try:
        torch.load(path, map_location="cpu", weights_only=True)
        weights_only = {"accepted": True}
    except Exception as error:  # noqa: BLE001 - the error text is the expectation
        weights_only = {"accepted": False, "error": str(error).split("WeightsUnpickler error: ")[-1]}
    loaded = torch.load(path, map_location="cpu")
    out = {"weights_only": weights_only, "key": key}
    if isinstance(loaded, nn.Module):
        out["object"] = type(loaded).__name__
        return out
    tensors = {}
    for name, tensor in find(loaded, key).items():
        tensors[name] = {
            "dtype": str(tensor.dtype).replace("torch.", ""),
            "shape": list(tensor.shape),
            "values": [float(v) for v in tensor.detach().double().flatten().tolist()],
        }
    out["tensors"] = tensors
    return out


def sized_source(name):
    source = SIZED_MODELS[name][0]
    # A fixture may reuse another's source (same class, other weights).
    if source in SIZED_MODELS:
        source = SIZED_MODELS[source][0]
    return SIZED_HEADER + source.lstrip("\n")


def build_sized(name):
    _, class_name, kwargs, _, _, _ = SIZED_MODELS[name]
    scope = {}
    exec(sized_source(name), scope)
    # Names the script part sets (script_globals): the values the weights are made with.
    scope.update(SIZED_GLOBALS.get(name, {}))
    return scope[class_name](**{k: v() if callable(v) else v for k, v in kwargs.items()})


# Module-level names a fixture's class reads that its file sets only under `if __name__ == '__main__':`.
SIZED_GLOBALS = {"script_globals": {"n_class": 5, "n_hidden": 8}}


def sized_paths(name):
    return {kind: os.path.join(SIZED_OUT, f"{name}{suffix}") for kind, suffix in [
        ("py", ".py"), ("weights", ".pt"), ("inputs", ".inputs.npy"), ("outputs", ".outputs.npy")]}


def run_sized(model, inputs):
    model.eval()
    with torch.no_grad():
        return model(torch.from_numpy(inputs)).numpy().astype(np.float32)


def update_sized():
    os.makedirs(SIZED_OUT, exist_ok=True)
    rng = np.random.default_rng(14)
    for name, (_, _, _, kind, shape, vocabulary) in SIZED_MODELS.items():
        torch.manual_seed(14)
        model = build_sized(name)
        inputs = rng.integers(0, vocabulary, size=shape).astype(np.int64) if kind == "ids" else rng.standard_normal(shape).astype(np.float32)
        p = sized_paths(name)
        with open(p["py"], "w") as f:
            f.write(sized_source(name))
        torch.save(model.state_dict(), p["weights"])
        np.save(p["inputs"], inputs)
        np.save(p["outputs"], run_sized(model, inputs))
        print(f"wrote sizes/{name}")
    write_parameter_counts()


def parameter_counts():
    """What `parameters()` holds for each model: a tied weight is one parameter, though the state dict names it twice."""
    return {name: sum(p.numel() for p in build_sized(name).parameters()) for name in SIZED_MODELS}


def write_parameter_counts():
    with open(os.path.join(SIZED_OUT, "parameters.json"), "w") as f:
        json.dump(parameter_counts(), f, indent=1, sort_keys=True)
        f.write("\n")


def check_sized():
    passed = failed = 0
    for name in SIZED_MODELS:
        p = sized_paths(name)
        model = build_sized(name)
        model.load_state_dict(torch.load(p["weights"], map_location="cpu", weights_only=True))
        with open(p["py"]) as f:
            same_source = f.read() == sized_source(name)
        worst = float(np.max(np.abs(run_sized(model, np.load(p["inputs"])) - np.load(p["outputs"]))))
        if same_source and worst <= SIZED_TOLERANCE:
            passed += 1
        else:
            failed += 1
            print(f"FAIL sizes/{name}: {'source differs' if not same_source else f'max abs difference {worst}'}")
    with open(os.path.join(SIZED_OUT, "parameters.json")) as f:
        if json.load(f) == parameter_counts():
            passed += 1
        else:
            failed += 1
            print("FAIL sizes/parameters.json: the parameter counts differ from the models' parameters()")
    return passed, failed


def update():
    update_sized()
    os.makedirs(OUT, exist_ok=True)
    for name, (make, options, key) in FIXTURES.items():
        pt, expected = paths(name)
        torch.save(make(), pt, **options)
        with open(expected, "w") as f:
            json.dump(expectation(pt, key), f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote {name}")


def check():
    passed, failed = check_sized()
    for name, (_, _, key) in FIXTURES.items():
        pt, expected = paths(name)
        with open(expected) as f:
            want = json.load(f)
        got = expectation(pt, key)
        if got == want:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}: torch.load gives something other than {os.path.relpath(expected, ROOT)}")
    print(f"{passed} passed, {failed} failed")
    return failed == 0


if __name__ == "__main__":
    if "--update" in sys.argv[1:]:
        update()
    else:
        sys.exit(0 if check() else 1)
