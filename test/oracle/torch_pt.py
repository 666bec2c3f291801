#!/usr/bin/python3
"""Real-PyTorch oracle for SeqLens' .pt reader (src/evaluation/models/torch/pt).

Writes small files with PyTorch 1.13's own torch.save into test/fixtures/models/torch/pt/:

    NAME.pt              what torch.save wrote
    NAME.expected.json   what torch.load gives back: for each state-dict entry its dtype,
                         shape and values (as float64), the key of the state dict inside a
                         checkpoint, and whether torch.load(weights_only=True) accepts the file
                         (and if not, its error)

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

import torch
import torch.nn as nn

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "test", "fixtures", "models", "torch", "pt")


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


def update():
    os.makedirs(OUT, exist_ok=True)
    for name, (make, options, key) in FIXTURES.items():
        pt, expected = paths(name)
        torch.save(make(), pt, **options)
        with open(expected, "w") as f:
            json.dump(expectation(pt, key), f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote {name}")


def check():
    passed = failed = 0
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
