// Which class of a file is the model (the outermost, else the one the file builds, else the user
// chooses from a list), and the constructor arguments its instantiation site gives.
import { strict as assert } from 'node:assert';
import { runEval } from '../../../src/cli/eval';
import { InputError } from '../../../src/evaluation/errors';
import type { NamedTensor } from '../../../src/evaluation/models/safetensors';
import { loadTorchModel } from '../../../src/evaluation/models/torch/model';
import { chooseModelClass } from '../../../src/evaluation/models/torch/pick-class';
import { useBackend } from '../../../src/evaluation/models/tf';
import { sharedAnalyzer, tempFile } from './helpers';

const NESTED = `import torch
import torch.nn as nn

class Attention(nn.Module):
    def __init__(self, hidden):
        super().__init__()
        self.score = nn.Linear(hidden, 1)

    def forward(self, outputs):
        weights = torch.softmax(self.score(outputs), dim=1)
        return (weights * outputs).sum(dim=1)

class Encoder(nn.Module):
    def __init__(self, vocab_size, hidden):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)

    def forward(self, ids):
        outputs, _ = self.gru(self.embedding(ids))
        return outputs

class Classifier(nn.Module):
    def __init__(self, vocab_size, hidden, n_classes):
        super().__init__()
        self.encoder = Encoder(vocab_size, hidden)
        self.attention = Attention(hidden)
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, ids):
        return self.out(self.attention(self.encoder(ids)))
`;

const TWO_MODELS = `import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self, vocab_size, hidden, n_tags):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 8)
        self.lstm = nn.LSTM(8, hidden, batch_first=True)
        self.out = nn.Linear(hidden, n_tags)

    def forward(self, ids):
        outputs, _ = self.lstm(self.embedding(ids))
        return self.out(outputs)

class Classifier(nn.Module):
    def __init__(self, vocab_size, hidden, n_classes):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 8)
        self.gru = nn.GRU(8, hidden, batch_first=True)
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, ids):
        outputs, _ = self.gru(self.embedding(ids))
        return self.out(outputs[:, -1, :])
`;

const BUILT = `${TWO_MODELS}
def main(vocab):
    model = Classifier(len(vocab), 12, 5)
    return model
`;

const SITE = `import torch.nn as nn

class Classifier(nn.Module):
    def __init__(self, vocab_size, hidden, cell='lstm', n_classes=5):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, 8)
        if cell == 'gru':
            self.rnn = nn.GRU(8, hidden, batch_first=True)
        else:
            self.rnn = nn.LSTM(8, hidden, batch_first=True)
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, ids):
        outputs, _ = self.rnn(self.embedding(ids))
        return self.out(outputs[:, -1, :])

vocab = open('vocab.txt').read().split()
model = Classifier(len(vocab), 12, cell='gru')
`;

async function modelsOf(source: string) {
  return (await sharedAnalyzer()).describeModels(source, 'model.py');
}

async function cli(args: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await runEval(args, { out: () => undefined, err: (t) => { err += t; } });
  return { code, err };
}

function tensor(name: string, shape: number[]): [string, NamedTensor] {
  const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < values.length; i++) values[i] = Math.sin(i + shape.length) / 4;
  return [name, { name, dtype: 'F32', shape, values }];
}

describe('choosing the model class', () => {
  it('the analyser says which classes hold which: Classifier holds Encoder and Attention', async () => {
    const models = await modelsOf(NESTED);
    const by = (name: string) => models.find((m) => m.className === name)!;
    assert.deepEqual(by('Encoder').ownedBy, ['Classifier']);
    assert.deepEqual(by('Attention').ownedBy, ['Classifier']);
    assert.deepEqual(by('Classifier').ownedBy, []);
    assert.deepEqual(by('Classifier').instantiatedAt, []);
  });

  it('picks the outermost class when one class holds the others', async () => {
    const choice = chooseModelClass(await modelsOf(NESTED), undefined, 'model.py');
    assert.equal(choice.model.className, 'Classifier');
    assert.equal(choice.reason, 'outermost');
  });

  it('picks the class the file builds when several are outermost', async () => {
    const models = await modelsOf(BUILT);
    assert.deepEqual(models.find((m) => m.className === 'Classifier')!.instantiatedAt, [26]);
    const choice = chooseModelClass(models, undefined, 'model.py');
    assert.equal(choice.model.className, 'Classifier');
    assert.equal(choice.reason, 'instantiated');
  });

  it('lists the candidates, with their lines, when the file does not say', async () => {
    const models = await modelsOf(TWO_MODELS);
    assert.throws(() => chooseModelClass(models, undefined, 'model.py'), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /several models and does not say which one to run: Tagger \(line 3\), Classifier \(line 14\); choose one with --class Tagger or --class Classifier/);
      return true;
    });
  });

  it('--class names the class, whatever the file builds', async () => {
    const choice = chooseModelClass(await modelsOf(BUILT), 'Tagger', 'model.py');
    assert.equal(choice.model.className, 'Tagger');
    assert.equal(choice.reason, 'named');
  });

  it('seqlens eval exits 2 with the list of candidates', async () => {
    const path = tempFile('two_models.py', TWO_MODELS);
    const { code, err } = await cli(['--model', path, '--verify-shapes', '--init', 'vocab_size=20,hidden=6,n_tags=3', '--backend', 'cpu']);
    assert.equal(code, 2);
    assert.match(err, /two_models\.py: the file defines several models .*--class Tagger or --class Classifier/);
  });
});

describe('constructor arguments from the instantiation site', () => {
  before(async () => {
    await useBackend('cpu');
  });

  it('keeps what the site gives (Classifier(len(vocab), 12, cell=\'gru\')) and leaves len(vocab) unknown', async () => {
    const [model] = await modelsOf(SITE);
    assert.deepEqual(model.constructorArgs, { hidden: 12, cell: 'gru', n_classes: 5 });
    assert.deepEqual(model.instantiatedAt, [18]);
  });

  it('builds the class the site chose (a GRU) and takes only the vocabulary from the weights', async () => {
    const tensors = new Map([
      tensor('embedding.weight', [30, 8]),
      tensor('rnn.weight_ih_l0', [36, 8]), tensor('rnn.weight_hh_l0', [36, 12]), tensor('rnn.bias_ih_l0', [36]), tensor('rnn.bias_hh_l0', [36]),
      tensor('out.weight', [5, 12]), tensor('out.bias', [5]),
    ]);
    const model = loadTorchModel({ path: 'model.py', source: SITE, analyzer: await sharedAnalyzer(), weights: { path: 'model.pt', tensors, key: null } });
    try {
      assert.deepEqual(model.summary.layers.filter((l) => l.kind === 'GRU' || l.kind === 'LSTM').map((l) => l.kind), ['GRU']);
      const sizes = model.summary.notes.find((n) => n.startsWith('constructor arguments from the weights'));
      assert.ok(sizes);
      assert.match(sizes, /vocab_size=30/);
      assert.doesNotMatch(sizes, /hidden=/);
      assert.equal(model.summary.input.vocabulary, 30);
    } finally {
      model.dispose();
    }
  });

  it('--init overrides the site', async () => {
    const tensors = new Map([
      tensor('embedding.weight', [30, 8]),
      tensor('rnn.weight_ih_l0', [30, 8]), tensor('rnn.weight_hh_l0', [30, 10]), tensor('rnn.bias_ih_l0', [30]), tensor('rnn.bias_hh_l0', [30]),
      tensor('out.weight', [5, 10]), tensor('out.bias', [5]),
    ]);
    const model = loadTorchModel({ path: 'model.py', source: SITE, analyzer: await sharedAnalyzer(), weights: { path: 'model.pt', tensors, key: null }, init: { hidden: 10 } });
    try {
      assert.deepEqual(model.summary.layers.filter((l) => l.kind === 'GRU').map((l) => l.outputShape), ['(None, None, 10)']);
    } finally {
      model.dispose();
    }
  });

  it('without the site, the weights choose the GRU over the default cell (an LSTM), and the notes say the default was not kept', async () => {
    const tensors = new Map([
      tensor('embedding.weight', [30, 8]),
      tensor('rnn.weight_ih_l0', [36, 8]), tensor('rnn.weight_hh_l0', [36, 12]), tensor('rnn.bias_ih_l0', [36]), tensor('rnn.bias_hh_l0', [36]),
      tensor('out.weight', [5, 12]), tensor('out.bias', [5]),
    ]);
    const withoutSite = SITE.split('\nvocab =')[0];
    const analyzer = await sharedAnalyzer();
    const model = loadTorchModel({ path: 'model.py', source: withoutSite, analyzer, weights: { path: 'model.pt', tensors, key: null } });
    try {
      assert.deepEqual(model.summary.layers.filter((l) => l.kind === 'GRU' || l.kind === 'LSTM').map((l) => l.kind), ['GRU']);
      assert.ok(model.summary.notes.some((n) => /cell=gru \(the tensors present, not the lstm the file gives\)/.test(n)), model.summary.notes.join('\n'));
    } finally {
      model.dispose();
    }
  });
});
