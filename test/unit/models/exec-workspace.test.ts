// A model file that imports from its project: base classes, submodules and constants defined in
// other files are read there, resolved as the analyser resolves imports.
import { strict as assert } from 'node:assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/evaluation/errors';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { loadTorchModel } from '../../../src/evaluation/models/torch/model';
import { Workspaces } from '../../../src/workspace/disk-provider';
import { sharedAnalyzer, tempDir } from './helpers';

const BASE = `import torch.nn as nn
from .constants import PAD_idx


class BaseRNN(nn.Module):
    KINDS = {'gru': nn.GRU, 'lstm': nn.LSTM}

    def __init__(self, vocab_size, hidden_size, rnn_cell):
        super(BaseRNN, self).__init__()
        self.hidden_size = hidden_size
        self.rnn_cell = self.KINDS[rnn_cell.lower()]
        self.embedding = nn.Embedding(vocab_size, hidden_size, padding_idx=PAD_idx)
`;

const MODEL = `import torch
import torch.nn as nn
from .base import BaseRNN
from . import dropout
import models.constants as C


class Encoder(BaseRNN):
    def __init__(self, vocab_size=20, hidden_size=6, n_classes=C.N_CLASSES):
        super(Encoder, self).__init__(vocab_size, hidden_size, 'GRU')
        self.rnn = self.rnn_cell(hidden_size, hidden_size, batch_first=True)
        self.drop = dropout.LockedDropout()
        self.fc = nn.Linear(hidden_size, n_classes)

    def forward(self, x):
        out, h = self.rnn(self.drop(self.embedding(x)))
        return self.fc(h[-1])
`;

function project(): string {
  const root = tempDir();
  const models = join(root, 'models');
  mkdirSync(models);
  writeFileSync(join(models, '__init__.py'), '');
  writeFileSync(join(models, 'constants.py'), 'PAD_idx = 0\nN_CLASSES = 4\n');
  writeFileSync(join(models, 'base.py'), BASE);
  writeFileSync(join(models, 'dropout.py'), 'import torch.nn as nn\n\n\nclass LockedDropout(nn.Module):\n    def forward(self, x, p=0.5):\n        if not self.training:\n            return x\n        return x * 0\n');
  writeFileSync(join(models, 'encoder.py'), MODEL);
  return root;
}

describe('a PyTorch model importing from its project', () => {
  before(async () => {
    await useBackend('cpu');
  });

  it('runs with a base class, a submodule and constants from other files', async () => {
    const root = project();
    const path = join(root, 'models', 'encoder.py');
    const model = loadTorchModel({ path, source: MODEL, analyzer: await sharedAnalyzer(), workspace: new Workspaces().for(root) });
    try {
      assert.equal(model.summary.name, 'Encoder');
      assert.deepEqual(model.summary.layers.map((l) => [l.name, l.kind]), [['embedding', 'Embedding'], ['rnn', 'GRU'], ['fc', 'Linear']]);
      const tf = tfjs();
      const x = tf.tensor2d([[1, 2, 3], [4, 5, 0]], [2, 3], 'int32');
      const y = model.predictRaw(x);
      assert.deepEqual(y.shape, [2, 4]);
      tf.dispose([x, y]);
    } finally {
      model.dispose();
    }
  });

  it('without its project, the file alone has no nn.Module class to run', async () => {
    const root = project();
    await assert.rejects(async () => loadTorchModel({ path: join(root, 'models', 'encoder.py'), source: MODEL, analyzer: await sharedAnalyzer() }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /no nn\.Module class with layers/);
      return true;
    });
  });

  it('names the other file and its line when code there is refused', async () => {
    const root = project();
    writeFileSync(join(root, 'models', 'dropout.py'), 'import torch.nn as nn\n\n\nclass LockedDropout(nn.Module):\n    def forward(self, x):\n        return x.some_method_nobody_has()\n');
    const path = join(root, 'models', 'encoder.py');
    await assert.rejects(async () => loadTorchModel({ path, source: MODEL, analyzer: await sharedAnalyzer(), workspace: new Workspaces().for(root) }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /dropout\.py:6: the attribute \.some_method_nobody_has of a tensor is not something SeqLens runs/);
      return true;
    });
  });
});
