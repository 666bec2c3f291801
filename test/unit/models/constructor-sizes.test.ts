// Constructor arguments without defaults, taken from the weights' shapes (or --init): the models
// in test/fixtures/models/torch/sizes were built and saved by PyTorch 1.13 (test/oracle/torch_pt.py),
// and SeqLens, given only the class and the .pt, must give PyTorch's outputs.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEval } from '../../../src/cli/eval';
import { readNpyFile } from '../../../src/evaluation/datasets/npy';
import { InputError } from '../../../src/evaluation/errors';
import { loadModel } from '../../../src/evaluation/models';
import { encodeSafetensors } from '../../../src/evaluation/models/safetensors';
import { parseInitValues } from '../../../src/evaluation/models/torch/constructor-sizes';
import { loadTorchModel } from '../../../src/evaluation/models/torch/model';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { verifyShapes } from '../../../src/evaluation/models/verify-shapes';
import { readStateDict } from '../../../src/evaluation/models/weights';
import { maxAbsDifference, sharedAnalyzer, tempFile, TORCH_FIXTURES } from './helpers';

const SIZES = join(TORCH_FIXTURES, 'sizes');

async function outputsMatch(name: string, init?: Record<string, number | boolean>): Promise<string[]> {
  await useBackend('cpu');
  const base = join(SIZES, name);
  const model = await loadModel(`${base}.py`, { weightsPath: `${base}.pt`, analyzer: await sharedAnalyzer(), init });
  const tf = tfjs();
  const inputs = readNpyFile(`${base}.inputs.npy`);
  const expected = readNpyFile(`${base}.outputs.npy`);
  const x = inputs.kind === 'int' ? tf.tensor(inputs.data, inputs.shape, 'int32') : tf.tensor(inputs.data, inputs.shape, 'float32');
  const y = model.predictRaw(x);
  try {
    assert.deepEqual(y.shape, expected.shape);
    const worst = maxAbsDifference(y.dataSync(), expected.data as Float32Array);
    assert.ok(worst <= 1e-4, `${name}: max abs difference ${worst}`);
    return model.summary.notes;
  } finally {
    tf.dispose([x, y]);
    model.dispose();
  }
}

describe('constructor sizes from the weights', () => {
  it('BiLSTMTagger(vocab_size, embed_dim, hidden_dim, num_classes, dropout): Embedding(vocab_size + 1, …) and Linear(hidden_dim * 2, …) solved, outputs equal PyTorch\'s', async () => {
    const notes = await outputsMatch('bilstm_vocab_plus_one');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'));
    assert.ok(sizes, notes.join('\n'));
    assert.match(sizes, /vocab_size=20 \(embedding\.weight \(21, 6\) gives embedding's num_embeddings=21\)/);
    assert.match(sizes, /embed_dim=6/);
    assert.match(sizes, /hidden_dim=7/);
    assert.match(sizes, /num_classes=3/);
    // Dropout's rate shapes no weight: it stays open, and eval() needs none.
    assert.doesNotMatch(sizes, /dropout=/);
  });

  it('StackedGRU(input_size, hidden_size, num_layers, n_classes): the layer count comes from the tensors present', async () => {
    const notes = await outputsMatch('gru_layers_from_weights');
    assert.ok(notes.some((n) => /num_layers=2 \(gru\.weight_ih_l0…l1 gives gru's num_layers=2\)/.test(n)), notes.join('\n'));
  });

  it('PooledRNN(vocab_size, num_classes, embed_dim=8, hidden=10): only the arguments without defaults are inferred', async () => {
    const notes = await outputsMatch('rnn_some_defaults');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'))!;
    assert.match(sizes, /vocab_size=30/);
    assert.match(sizes, /num_classes=5 \(head\.2\.weight \(5, 5\)/);
    assert.doesNotMatch(sizes, /embed_dim|hidden=/);
  });

  it('--init gives an argument explicitly and wins over the weights; a wrong one is caught by the weights\' shapes', async () => {
    await outputsMatch('gru_layers_from_weights', { n_classes: 4 });
    await assert.rejects(outputsMatch('gru_layers_from_weights', { hidden_size: 8 }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /tensor 'gru\.weight_ih_l0' is \(27, 5\) but the model's constructor arguments need \(24, 5\)/);
      return true;
    });
  });

  it('--init with a name the constructor does not have is refused with its parameters', async () => {
    await assert.rejects(outputsMatch('gru_layers_from_weights', { hidden: 9 }), /--init hidden: StackedGRU's constructor has no parameter hidden \(its parameters: input_size, hidden_size, num_layers, n_classes\)/);
  });

  it('weights that tie one argument to two different values are an error naming both tensors', async () => {
    const source = [
      'import torch.nn as nn',
      '',
      'class TiedLM(nn.Module):',
      '    def __init__(self, vocab, dim):',
      '        super().__init__()',
      '        self.embedding = nn.Embedding(vocab, dim)',
      '        self.gru = nn.GRU(dim, dim, batch_first=True)',
      '        self.out = nn.Linear(dim, vocab)',
      '',
      '    def forward(self, x):',
      '        out, h = self.gru(self.embedding(x))',
      '        return self.out(h[-1])',
    ].join('\n');
    const f = (shape: number[]) => new Float32Array(shape.reduce((a, b) => a * b, 1));
    const tensors = [
      { name: 'embedding.weight', shape: [12, 4] }, { name: 'gru.weight_ih_l0', shape: [12, 4] }, { name: 'gru.weight_hh_l0', shape: [12, 4] },
      { name: 'gru.bias_ih_l0', shape: [12] }, { name: 'gru.bias_hh_l0', shape: [12] }, { name: 'out.weight', shape: [13, 4] }, { name: 'out.bias', shape: [13] },
    ].map((t) => ({ ...t, values: f(t.shape) }));
    const py = tempFile('tied.py', source);
    const weights = await readStateDict(tempFile('tied.safetensors', encodeSafetensors(tensors)));
    const analyzer = await sharedAnalyzer();
    assert.throws(() => loadTorchModel({ path: py, source, analyzer, weights }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /the weights disagree on TiedLM's vocab: embedding\.weight \(12, 4\) gives embedding's num_embeddings=12 \(vocab=12\), but out\.weight \(13, 4\) gives out's out_features=13 \(vocab=13\); give it with --init vocab=N/);
      return true;
    });
  });

  it('without weights, an argument with no default is named with --init in the error; Verify Shapes runs with --init', async () => {
    const path = join(SIZES, 'gru_layers_from_weights.py');
    const source = readFileSync(path, 'utf8');
    const analyzer = await sharedAnalyzer();
    await useBackend('cpu');
    assert.throws(() => verifyShapes({ path, source, analyzer }), /StackedGRU's input_size, hidden_size, num_layers, n_classes have no default: give them with --init input_size=N,hidden_size=N,num_layers=N,n_classes=N/);
    const check = verifyShapes({ path, source, analyzer, init: { input_size: 5, hidden_size: 9, num_layers: 2, n_classes: 4 } });
    assert.equal(check.mismatches, 0);
    assert.deepEqual(check.rows.at(-1)!.realShape, [3, 4]);
  });

  it('seqlens eval --verify-shapes --weights MODEL.pt takes the sizes from the weights', async () => {
    let out = '';
    let err = '';
    const code = await runEval(['--model', join(SIZES, 'bilstm_vocab_plus_one.py'), '--verify-shapes', '--weights', join(SIZES, 'bilstm_vocab_plus_one.pt'), '--backend', 'cpu'], { out: (t) => { out += t; }, err: (t) => { err += t; } });
    assert.equal(err, '');
    assert.equal(code, 0);
    assert.match(out, /one forward pass with the weights of .*bilstm_vocab_plus_one\.pt/);
    assert.match(out, /Note: constructor arguments from the weights: vocab_size=20/);
  });

  it('--init parses integers and True/False, and refuses anything else', () => {
    assert.deepEqual(parseInitValues('vocab_size=5000, hidden=128,bidirectional=True'), { vocab_size: 5000, hidden: 128, bidirectional: true });
    assert.match(parseInitValues('hidden=1.5') as string, /must be an integer, True or False/);
    assert.match(parseInitValues('=3') as string, /is not name=value/);
  });
});
