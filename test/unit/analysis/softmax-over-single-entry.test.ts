// SL127: a softmax over an axis with one entry gives 1 everywhere. The golden is PyTorch 1.13's own output on random
// shapes and axes (the `softmaxes` of test/oracle/product-errors.json: whether every weight came out as 1).
import { strict as assert } from 'node:assert';
import { UNKNOWN_DIM, intDim } from '../../../src/analysis/shapes/dim';
import { shapeOf } from '../../../src/analysis/shapes/shape';
import type { TensorValue } from '../../../src/analysis/values/value';
import { softmaxAxis } from '../../../src/analysis/rules/torch/sl127-softmax-over-single-entry';
import { codes, productErrorCases } from './helpers';

interface SoftmaxCase {
  x: number[];
  dim: number;
  all_ones: boolean;
}

const softmaxes = productErrorCases<SoftmaxCase>('softmaxes');

function tensor(dims: ReturnType<typeof intDim>[]): TensorValue {
  return { kind: 'tensor', dtype: 'float', shape: shapeOf(dims) } as TensorValue;
}

describe('SL127 softmax-over-single-entry', () => {
  it(`reports exactly the softmaxes PyTorch gave as 1 everywhere (${softmaxes.length} cases)`, () => {
    assert.ok(softmaxes.filter((c) => c.all_ones).length >= 30);
    assert.ok(softmaxes.filter((c) => !c.all_ones).length >= 30);
    for (const c of softmaxes) {
      const found = softmaxAxis(tensor(c.x.map((n) => intDim(n))), { kind: 'int', value: c.dim });
      assert.equal(found?.single, c.all_ones, `torch.softmax(randn(${c.x}), dim=${c.dim})`);
      // With that axis's size hidden, the data decides: not one entry on this run.
      const hidden = softmaxAxis(tensor(c.x.map((n, k) => (k === found!.axis ? UNKNOWN_DIM : intDim(n)))), { kind: 'int', value: c.dim });
      assert.deepEqual(hidden, { single: false, axis: found!.axis });
    }
  });

  it('reads the function, method and module forms, and stays silent without a known axis or size', async () => {
    const head = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nscores = nn.Linear(8, 1)(torch.randn(4, 9, 8))\n';
    assert.deepEqual(await codes(`${head}w = F.softmax(scores, dim=-1)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = scores.log_softmax(2)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = nn.Softmax(dim=2)(scores)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = torch.softmax(scores, 1)\n`), []);
    // torch.softmax and the method also take the axis as axis= (F.softmax raises a TypeError on it).
    assert.deepEqual(await codes(`${head}w = torch.softmax(scores, axis=2)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = scores.softmax(axis=-1)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = F.softmax(scores, axis=2)\n`), ['SL162']);
    assert.deepEqual(await codes(`${head}w = F.softmax(scores)\n`), []);
    assert.deepEqual(await codes(`${head}def f(d):\n    return F.softmax(scores, dim=d)\n`), []);
    assert.deepEqual(await codes('import torch\nimport torch.nn.functional as F\ndef f(x):\n    return F.softmax(x, dim=-1)\n'), []);
  });

  it('judges a site over all its runs: a generation loop whose context grows from one position is not reported', async () => {
    // A causal self-attention head run by a generation loop from a (1, 1) context: its first iteration softmaxes over
    // one key, the later ones over 2, 3, ... keys (PyTorch 1.13 runs it to a (1, 21) result). Whether the second pass
    // starts exactly from the first iteration's state (a known count) or from the join (an unknown one), the site is
    // seen with more than one entry and is not reported.
    const head = (steps: string) =>
      'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n' +
      'class Head(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.q = nn.Linear(16, 16)\n' +
      '    def forward(self, x):\n        q = self.q(x)\n        wei = q @ q.transpose(-2, -1)\n        wei = F.softmax(wei, dim=-1)\n        return wei @ q\n' +
      'class LM(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.emb = nn.Embedding(65, 16)\n        self.head = Head()\n        self.out = nn.Linear(16, 65)\n' +
      '    def forward(self, idx):\n        return self.out(self.head(self.emb(idx)))\n' +
      '    def generate(self, idx, n):\n        for _ in range(n):\n            logits = self(idx)[:, -1, :]\n' +
      '            nxt = torch.multinomial(F.softmax(logits, dim=-1), num_samples=1)\n            idx = torch.cat((idx, nxt), dim=1)\n        return idx\n' +
      `m = LM()\nout = m.generate(torch.zeros((1, 1), dtype=torch.long), ${steps})\n`;
    assert.deepEqual(await codes(head('20')), []);
    assert.deepEqual(await codes(head('int(input())')), []);
    // One step only: the single position is every run there is.
    assert.deepEqual(await codes(head('1')), ['SL127']);
    // A softmax over an axis the program sets to one stays reported when the site also runs on other data.
    const fixed = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\nattn = nn.Linear(8, 1)\n' +
      'def weights(x):\n    return F.softmax(attn(x), dim=-1)\n' +
      'a = weights(torch.randn(4, 9, 8))\nb = weights(torch.randn(2, 5, 8))\nfor step in range(int(input())):\n    c = weights(torch.randn(1, step + 1, 8))\n';
    assert.deepEqual(await codes(fixed), ['SL127']);
  });

  it('leaves the weights of a configured number of components set to one, and still reports a unit output or a literal (1,)', async () => {
    // A mixture of softmaxes built with COMPONENTS = 1: its component logits are a (1,) vector whose one weight is 1, the
    // right weight for one component, and the mixture's output still sums to 1 over the vocabulary (PyTorch 1.13).
    const head = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';
    const mixture =
      head +
      'class Mixture(nn.Module):\n    def __init__(self, hidden, vocab, components):\n        super().__init__()\n' +
      '        self.logits = nn.Parameter(torch.zeros(components))\n        self.heads = nn.Linear(hidden, vocab * components)\n' +
      '        self.components = components\n        self.vocab = vocab\n' +
      '    def forward(self, h):\n        probs = F.softmax(self.heads(h).view(-1, self.components, self.vocab), dim=-1)\n' +
      '        weights = F.softmax(self.logits, dim=0)\n        return (weights.view(1, -1, 1) * probs).sum(1)\n' +
      'COMPONENTS = 1\nmodel = Mixture(16, 50, COMPONENTS)\nout = model(torch.randn(4, 16))\n';
    assert.deepEqual(await codes(mixture), []);
    // A Linear's one output unit over a single sample: log_softmax gives 0 (PyTorch 1.13 prints tensor([0.])).
    assert.deepEqual(await codes(`${head}n_classes = 1\nfc = nn.Linear(16, n_classes)\nx = F.log_softmax(fc(torch.randn(16)), dim=0)\n`), ['SL127']);
    assert.deepEqual(await codes(`${head}w = nn.Parameter(torch.randn((1,)))\nx = F.softmax(w, dim=-1)\n`), ['SL127']);
  });
  it('leaves a one-unit output whose size is the default of a class nothing builds, and reports it once the class is built so', async () => {
    // `def __init__(self, dim=512, n_tags=1)` is a placeholder a caller overrides: with 17 tags the log_softmax varies
    // (PyTorch 1.13); built with its defaults, every score is 0, as reported.
    const cls =
      'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n' +
      'class Tagger(nn.Module):\n    def __init__(self, dim=512, n_tags=1):\n        super().__init__()\n' +
      '        self.rnn = nn.LSTM(dim, 128, batch_first=True)\n        self.linear = nn.Linear(128, n_tags)\n' +
      '    def forward(self, x):\n        out, _ = self.rnn(x)\n        scores = self.linear(out)\n        return F.log_softmax(scores, dim=2)\n';
    assert.deepEqual(await codes(cls), []);
    assert.deepEqual(await codes(`${cls}y = Tagger()(torch.randn(2, 5, 512))\n`), ['SL127']);
    assert.deepEqual(await codes(cls.replace('nn.Linear(128, n_tags)', 'nn.Linear(128, 1)')), ['SL127']);
  });
});
