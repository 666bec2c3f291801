// Which forward methods SeqLens runs, and the refusals, each naming the line and the pattern.
import { strict as assert } from 'node:assert';
import { InputError } from '../../../src/evaluation/errors';
import { encodeSafetensors } from '../../../src/evaluation/models/safetensors';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { loadTorchModel } from '../../../src/evaluation/models/torch/model';
import { Executor } from '../../../src/evaluation/models/torch/exec/interpreter';
import { forwardParamUses } from '../../../src/evaluation/models/torch/exec/forward-inputs';
import type { Instance } from '../../../src/evaluation/models/torch/exec/values';
import { sharedAnalyzer, tempFile } from './helpers';

const HEAD = `import torch
import torch.nn as nn
import torch.nn.functional as F

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 4)
        self.gru = nn.GRU(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x, lengths=None):
`;

async function load(forwardBody: string, weightsPath?: string) {
  const source = HEAD + forwardBody.split('\n').map((l) => (l ? `        ${l}` : l)).join('\n') + '\n';
  return loadTorchModel({ path: 'model.py', source, analyzer: await sharedAnalyzer(), weightsPath });
}

async function refuses(forwardBody: string, pattern: RegExp): Promise<void> {
  await assert.rejects(load(forwardBody), (error: unknown) => {
    assert.ok(error instanceof InputError, String(error));
    assert.match(error.message, pattern);
    return true;
  });
}

async function outputShape(forwardBody: string): Promise<number[]> {
  const tf = tfjs();
  const model = await load(forwardBody);
  const x = tf.tensor2d([[1, 2, 3, 4, 5], [6, 7, 8, 9, 0]], [2, 5], 'int32');
  const y = model.predictRaw(x);
  const shape = y.shape.slice();
  tf.dispose([x, y]);
  model.dispose();
  return shape;
}

describe('PyTorch forward methods', () => {
  before(async () => {
    await useBackend('cpu');
  });

  describe('runs', () => {
    it('a branch on an input SeqLens sets to None', async () => {
      assert.deepEqual(await outputShape('out, h = self.gru(self.embedding(x))\nif lengths is None:\n    return self.fc(out[:, -1, :])\nreturn self.fc(h[-1])'), [2, 3]);
    });

    it('torch.max(out, 1)[0], activations and arithmetic', async () => {
      assert.deepEqual(await outputShape('out, _ = self.gru(self.embedding(x))\npooled = torch.max(out, 1)[0] + out.mean(dim=1) * 0.5\nreturn F.softmax(self.fc(F.relu(pooled)), dim=-1)'), [2, 3]);
    });

    it('h_n.squeeze(0), view and contiguous', async () => {
      assert.deepEqual(await outputShape('_, h_n = self.gru(self.embedding(x))\nlast = h_n.squeeze(0).contiguous().view(x.size(0), -1)\nreturn self.fc(last)'), [2, 3]);
    });

    it('names the final activation in the summary', async () => {
      const model = await load('out, h = self.gru(self.embedding(x))\nreturn torch.sigmoid(self.fc(out.sum(dim=1)))');
      assert.equal(model.summary.outputActivation, 'sigmoid');
      model.dispose();
    });

    it('a loop over time steps', async () => {
      assert.deepEqual(await outputShape('e = self.embedding(x)\nfor i in range(2):\n    e = e * 2\nout, h = self.gru(e)\nreturn self.fc(h[-1])'), [2, 3]);
    });

    it('one output per token over classes that are not its vocabulary: a tagger, scored against per-token labels', async () => {
      const model = await load('out, h = self.gru(self.embedding(x))\nreturn self.fc(out)');
      assert.deepEqual(model.summary.perStep, { task: 'tagging', layout: 'BTC', padId: null, classes: 3 });
      model.dispose();
    });

    it('an initial hidden state', async () => {
      assert.deepEqual(await outputShape('h0 = torch.zeros(1, x.size(0), 6)\nout, h = self.gru(self.embedding(x), h0)\nreturn self.fc(h[-1])'), [2, 3]);
    });
  });

  describe('extra inputs', () => {
    const source = (init: string) => `import torch
import torch.nn as nn

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 4)
        self.gru = nn.GRU(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)
${init}
    def forward(self, x, hidden):
        out, hidden = self.gru(self.embedding(x), hidden)
        return self.fc(hidden[-1]), hidden
`;

    it("a required hidden state is what the model's init_hidden(batch) makes", async () => {
      const model = loadTorchModel({ path: 'model.py', source: source('\n    def init_hidden(self, batch_size):\n        return torch.ones(1, batch_size, 6)\n'), analyzer: await sharedAnalyzer() });
      assert.ok(model.summary.notes.some((n) => /forward's hidden \(it goes into a recurrent layer's state\): init_hidden\(batch size\)/.test(n)), model.summary.notes.join('; '));
      const tf = tfjs();
      const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
      const y = model.predictRaw(x);
      assert.deepEqual(y.shape, [2, 3]);
      tf.dispose([x, y]);
      model.dispose();
    });

    it('the dummy batch a model is probed with holds no pad id: lengths counted from the padding are whole, in the decreasing order pack_padded_sequence requires', async () => {
      const model = loadTorchModel({ path: 'model.py', analyzer: await sharedAnalyzer(), source: `import torch
import torch.nn as nn

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(3, 4, padding_idx=0)
        self.gru = nn.GRU(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)

    def forward(self, x, x_lens):
        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(x), x_lens, batch_first=True)
        out, h = self.gru(packed)
        return self.fc(h[-1])
` });
      const tf = tfjs();
      const x = tf.tensor2d([[1, 2, 1, 2], [2, 1, 0, 0]], [2, 4], 'int32');
      const y = model.predictRaw(x);
      assert.deepEqual(y.shape, [2, 3]);
      tf.dispose([x, y]);
      model.dispose();
    });

    it('without init_hidden, a required hidden state is None: zeros, as PyTorch starts from', async () => {
      const model = loadTorchModel({ path: 'model.py', source: source(''), analyzer: await sharedAnalyzer() });
      assert.equal(model.summary.outputUnits, 3);
      model.dispose();
    });
  });

  describe('state forward stores on the model', () => {
    it('lives for one batch: the next batch starts from what __init__ left', async () => {
      const source = `import torch
import torch.nn as nn

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 4)
        self.gru = nn.GRU(4, 6, batch_first=True)
        self.fc = nn.Linear(6, 3)
        self.hidden = None

    def forward(self, x):
        out, self.hidden = self.gru(self.embedding(x), self.hidden)
        return self.fc(self.hidden[-1])
`;
      const model = loadTorchModel({ path: 'model.py', source, analyzer: await sharedAnalyzer() });
      const tf = tfjs();
      const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32');
      const first = model.predictRaw(x);
      const second = model.predictRaw(x);
      assert.deepEqual(Array.from(second.dataSync()), Array.from(first.dataSync()));
      tf.dispose([x, first, second]);
      model.dispose();
    });
  });

  describe('refuses, naming the line and the pattern', () => {
    it('packed lengths that are not sorted, in PyTorch\'s words', async () => {
      await refuses('lengths = torch.tensor([2, 5])\npacked = nn.utils.rnn.pack_padded_sequence(self.embedding(x), lengths, batch_first=True)\nout, h = self.gru(packed)\nreturn self.fc(h[-1])', /model\.py:14: .*`lengths` array must be sorted in decreasing order when `enforce_sorted` is True/);
    });

    it('a per-step output through a sigmoid', async () => {
      await refuses('out, h = self.gru(self.embedding(x))\nreturn torch.sigmoid(self.fc(out))', /forward returns \(B, T, 3\), one output per time step through a sigmoid/);
    });

    it('an initial hidden state of the wrong size, in PyTorch\'s words', async () => {
      await refuses('h0 = torch.zeros(2, x.size(0), 6)\nout, h = self.gru(self.embedding(x), h0)\nreturn self.fc(h[-1])', /model\.py:14: .*Expected hidden size \(1, 2, 6\), got \[2, 2, 6\]/);
    });

    it('a readout over the wrong dimension, in PyTorch\'s words', async () => {
      await refuses('out, h = self.gru(self.embedding(x))\nreturn self.fc(out[:, :, -1])', /model\.py:14: .*mat1 and mat2 shapes cannot be multiplied \(2x7 and 6x3\)/);
    });

    it('a layer that does not exist', async () => {
      await refuses('return self.classifier(x)', /model\.py:13: .*'Model' object has no attribute 'classifier'/);
    });

    it('an op the table lacks, by name', async () => {
      await refuses('out, h = self.gru(self.embedding(x))\nreturn torch.fft.rfft(out)', /model\.py:14: .*torch\.rfft .*not something SeqLens runs/);
    });
  });

  describe('weights', () => {
    function weights(skip: string[], override: Record<string, number[]> = {}): string {
      const shapes: Record<string, number[]> = {
        'embedding.weight': [20, 4], 'gru.weight_ih_l0': [18, 4], 'gru.weight_hh_l0': [18, 6], 'gru.bias_ih_l0': [18], 'gru.bias_hh_l0': [18], 'fc.weight': [3, 6], 'fc.bias': [3], ...override,
      };
      const tensors = Object.entries(shapes).filter(([name]) => !skip.includes(name)).map(([name, shape]) => ({ name, shape, values: new Float32Array(shape.reduce((a, b) => a * b, 1)) }));
      return tempFile('w.safetensors', encodeSafetensors(tensors));
    }

    it('loads a state dict with every tensor', async () => {
      const model = await load('out, h = self.gru(self.embedding(x))\nreturn self.fc(h[-1])', weights([]));
      assert.equal(model.summary.totalParams, 80 + 72 + 108 + 36 + 18 + 3);
      model.dispose();
    });

    it('names a missing tensor and what the file holds under that layer', async () => {
      await assert.rejects(load('out, h = self.gru(self.embedding(x))\nreturn self.fc(h[-1])', weights(['gru.weight_hh_l0'])), /the weights have no tensor 'gru\.weight_hh_l0' \(18, 6\) \(tensors under 'gru': gru\.weight_ih_l0, gru\.bias_ih_l0, gru\.bias_hh_l0\)/);
    });

    it('names a tensor whose shape does not fit the constructor arguments', async () => {
      await assert.rejects(load('out, h = self.gru(self.embedding(x))\nreturn self.fc(h[-1])', weights([], { 'fc.weight': [4, 6] })), /tensor 'fc\.weight' is \(4, 6\) but the model's constructor arguments need \(3, 6\)/);
    });

    it('loads a state dict with a tensor set on a layer by attribute, which the layer never reads (`self.embedding.weights = nn.Parameter(…)`)', async () => {
      const model = await load('out, h = self.gru(self.embedding(x))\nreturn self.fc(h[-1])', weights([], { 'embedding.weights': [20, 4] }));
      assert.equal(model.summary.totalParams, 80 + 72 + 108 + 36 + 18 + 3);
      model.dispose();
    });

    it('refuses tensors the model has no place for, as load_state_dict does (a second GRU layer for a model built with one)', async () => {
      const twoLayers = weights([], { 'gru.weight_ih_l1': [18, 6], 'gru.weight_hh_l1': [18, 6], 'gru.bias_ih_l1': [18], 'gru.bias_hh_l1': [18] });
      await assert.rejects(load('out, h = self.gru(self.embedding(x))\nreturn self.fc(h[-1])', twoLayers), (error: unknown) => {
        assert.ok(error instanceof InputError, String(error));
        assert.match(error.message, /no place for: 'gru\.weight_ih_l1', 'gru\.weight_hh_l1', 'gru\.bias_ih_l1', 'gru\.bias_hh_l1'; PyTorch's load_state_dict refuses them too/);
        assert.match(error.message, /--init NAME=VALUE/);
        return true;
      });
    });
  });
});

describe("forward's parameters, told by where their values go", () => {
  const model = (body: string) => `import torch
import torch.nn as nn

class Inner(nn.Module):
    def __init__(self):
        super().__init__()
        self.cell = nn.GRUCell(4, 6)

    def forward(self, x, h):
        return self.cell(x, h)

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 4)
        self.gru = nn.GRU(4, 6, batch_first=True)
        self.inner = Inner()
        self.fc = nn.Linear(6, 3)

${body}
`;
  before(async () => {
    await useBackend('cpu');
  });

  async function plan(body: string): Promise<Map<string, Set<string>>> {
    const source = model(body);
    const description = (await sharedAnalyzer()).describeModels(source, 'model.py').find((d) => d.className === 'Model')!;
    const executor = new Executor(description.module, source);
    const made = executor.instantiate(executor.classes.get('Model')!, [], new Map(), { line: 1, text: 'Model()' });
    assert.equal(made.kind, 'object');
    const forward = executor.findMethod(executor.classes.get('Model')!, 'forward')!;
    return forwardParamUses(executor, forward.def, (made as { obj: Instance }).obj) as Map<string, Set<string>>;
  }
  const uses = (m: Map<string, Set<string>>, name: string) => [...(m.get(name) ?? [])].sort();

  it('a state slot makes the state and a data slot the sequences, whatever their order and names', async () => {
    const m = await plan('    def forward(self, carry, seq):\n        out, carry = self.gru(self.embedding(seq), carry)\n        return self.fc(out[:, -1])');
    assert.deepEqual(uses(m, 'carry'), ['state']);
    assert.deepEqual(uses(m, 'seq'), ['data']);
  });

  it('an input that shapes a state fed back in a loop does not become that state', async () => {
    const m = await plan('    def forward(self, x, h):\n        e = self.embedding(x)\n        for t in range(e.size(1)):\n            h = self.inner(e[:, t], h)\n        return self.fc(h)');
    assert.deepEqual(uses(m, 'x'), ['data']);
    assert.deepEqual(uses(m, 'h'), ['state']);
  });

  it("lengths into pack_padded_sequence, a mask into masked_fill (== 0: 1 at real tokens), through a helper method", async () => {
    const m = await plan('    def score(self, out, keep):\n        return out.sum(-1).masked_fill(keep == 0, -1e9)\n\n    def forward(self, x, n, keep):\n        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(x), n.cpu(), batch_first=True, enforce_sorted=False)\n        out, h = self.gru(packed)\n        return self.score(self.fc(h[-1]), keep)');
    assert.deepEqual(uses(m, 'n'), ['lengths']);
    assert.deepEqual(uses(m, 'keep'), ['keep-mask']);
  });

  it('a mask whose zeros (or ones) are counted into the lengths is that mask, not the lengths; an inverted mask kept in a name stays inverted', async () => {
    const m = await plan('    def forward(self, x, pad, keep, real):\n        n = pad.data.eq(0).long().sum(1)\n        k = torch.sum(keep, dim=1)\n        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(x), n + k, batch_first=True, enforce_sorted=False)\n        out, h = self.gru(packed)\n        gone = real == 0\n        return self.fc(h[-1]).masked_fill(gone, 0.0)');
    assert.deepEqual(uses(m, 'x'), ['data']);
    assert.deepEqual(uses(m, 'pad'), ['counted-fill-mask']);
    assert.deepEqual(uses(m, 'keep'), ['counted-keep-mask']);
    assert.deepEqual(uses(m, 'real'), ['keep-mask']);
  });

  it("sizes read from a parameter (x.size(0)) are not its values", async () => {
    const m = await plan('    def forward(self, x, h):\n        h0 = torch.zeros(1, x.size(0), 6)\n        out, h = self.gru(self.embedding(x), h0 + h)\n        return self.fc(h[-1])');
    assert.deepEqual(uses(m, 'x'), ['data']);
    assert.deepEqual(uses(m, 'h'), ['state']);
  });

  it('lengths with no known pad id are every sequence\'s full length, and the summary says so plainly', async () => {
    const source = model('    def forward(self, x, n):\n        packed = nn.utils.rnn.pack_padded_sequence(self.embedding(x), n, batch_first=True)\n        out, h = self.gru(packed)\n        return self.fc(h[-1])');
    const m = loadTorchModel({ path: 'model.py', source, analyzer: await sharedAnalyzer() });
    assert.ok(m.summary.notes.some((n) => /forward's n \(it goes into pack_padded_sequence's lengths\): no pad id is known .*no token is known to be padding and every sequence is taken at its full length/.test(n)), m.summary.notes.join('; '));
    m.dispose();
  });

  it('a second sequence input is refused by name', async () => {
    const source = model('    def forward(self, src, trg):\n        _, h = self.gru(self.embedding(src))\n        out, _ = self.gru(self.embedding(trg), h)\n        return self.fc(out)');
    const analyzer = await sharedAnalyzer();
    assert.throws(() => loadTorchModel({ path: 'model.py', source, analyzer }), /model\.py:\d+: Model\.forward takes a second sequence input 'trg'/);
  });
});

describe('initial states of models that are not fed (B, T) batches', () => {
  before(async () => {
    await useBackend('cpu');
  });

  it("a state a user cell concatenates with the input (into a Linear) is the state, told by its name, not a second sequence input", async () => {
    const source = `import torch
import torch.nn as nn

class Cell(nn.Module):
    def __init__(self, size):
        super().__init__()
        self.w = nn.Linear(2 * size, size)

    def forward(self, x, prev):
        return torch.tanh(self.w(torch.cat((x, prev), dim=2)))

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(20, 4)
        self.cell = Cell(4)

    def forward(self, token, hidden_state):
        h = self.cell(self.embedding(token).view(1, 1, -1), hidden_state)
        return h, h

    def init_hidden(self):
        return torch.zeros(1, 1, 4)
`;
    const tf = tfjs();
    const x = tf.tensor1d([3], 'int32');
    const m = loadTorchModel({ path: 'model.py', source, analyzer: await sharedAnalyzer(), example: { batch: x, path: 'x.npy' }, anyOutput: true });
    assert.ok(m.summary.notes.some((n) => /forward's hidden_state .*init_hidden\(\)/.test(n)), m.summary.notes.join('; '));
    m.dispose();
    x.dispose();
  });

  it("a 1-D batch of tokens: init_hidden(batch) gets its one axis, as forward's input.size(0) reads it", async () => {
    const source = `import torch
import torch.nn as nn

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Embedding(20, 4)
        self.rnn = nn.GRU(4, 6)
        self.decoder = nn.Linear(6, 3)

    def forward(self, input, hidden):
        batch_size = input.size(0)
        output, hidden = self.rnn(self.encoder(input).view(1, batch_size, -1), hidden)
        return self.decoder(output.view(batch_size, -1)), hidden

    def init_hidden(self, batch_size):
        return torch.zeros(1, batch_size, 6)
`;
    const tf = tfjs();
    const x = tf.tensor1d([3, 4, 5], 'int32');
    const m = loadTorchModel({ path: 'model.py', source, analyzer: await sharedAnalyzer(), example: { batch: x, path: 'x.npy' }, anyOutput: true });
    const y = m.predictRaw(x);
    assert.deepEqual(y.shape, [3, 3]);
    tf.dispose([x, y]);
    m.dispose();
  });
});
