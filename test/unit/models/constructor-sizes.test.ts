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

async function outputsMatch(name: string, init?: Record<string, number | boolean | string>): Promise<string[]> {
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
    // What PyTorch's parameters() holds (test/oracle/torch_pt.py writes it): a tied weight counts once.
    const counts = JSON.parse(readFileSync(join(SIZES, 'parameters.json'), 'utf8')) as Record<string, number>;
    assert.equal(model.summary.totalParams, counts[name], `${name}: parameter count`);
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
    assert.match(sizes, /vocab_size=20 \(embedding\.weight \(21, 6\), axis 0\)/);
    assert.match(sizes, /embed_dim=6/);
    assert.match(sizes, /hidden_dim=7/);
    assert.match(sizes, /num_classes=3/);
    // Dropout's rate shapes no weight: it stays open, and eval() needs none.
    assert.doesNotMatch(sizes, /dropout=/);
  });

  it('StackedGRU(input_size, hidden_size, num_layers, n_classes): the layer count comes from the tensors present', async () => {
    const notes = await outputsMatch('gru_layers_from_weights');
    assert.ok(notes.some((n) => /num_layers=2 \(the tensors present\)/.test(n)), notes.join('\n'));
  });

  it('LayerStack(input_size, hidden, n_layers): a ModuleList left empty by a trial layer count does not pass for the layers the weights hold', async () => {
    // Either the count is found and the outputs equal PyTorch's, or the model is refused naming the tensors not built:
    // never a run with the stacked GRUs missing.
    try {
      const notes = await outputsMatch('modulelist_layer_count');
      assert.ok(notes.some((n) => /n_layers=3/.test(n)), notes.join('\n'));
    } catch (error) {
      assert.ok(error instanceof InputError, String(error));
      assert.match(error.message, /layers\.0\.weight_ih_l0 is in the weights and not built|layers\.\d\.\w+ is in the weights and not built/);
    }
  });

  it('PooledRNN(vocab_size, num_classes, embed_dim=8, hidden=10): only the arguments without defaults are inferred', async () => {
    const notes = await outputsMatch('rnn_some_defaults');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'))!;
    assert.match(sizes, /vocab_size=30/);
    assert.match(sizes, /num_classes=5 \(head\.2\.weight \(5, 5\)/);
    assert.doesNotMatch(sizes, /embed_dim|hidden=/);
  });

  it('TiedLM (awd-lstm-lm): a decoder whose weight is tied to the Embedding reads its width; the tie, against the file\'s default, and the sizes come from the weights', async () => {
    // wdrop wraps each layer in a class the file never defines: a trial size for it builds nothing, and the others are still solved.
    const notes = await outputsMatch('tied_weights_lm');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'));
    assert.ok(sizes, notes.join('\n'));
    assert.match(sizes, /ntoken=17 \(encoder\.weight \(17, 6\), axis 0\)/);
    assert.match(sizes, /ninp=6/);
    assert.match(sizes, /nhid=9/);
    assert.match(sizes, /nlayers=2 \(the tensors present\)/);
    assert.match(sizes, /tie_weights=True \(the tensors present, not the False the file gives\)/);
  });

  it('LSTMModel(…, cell, use_cuda): the cell chosen by `cell == "LSTM"` in the base class, the layer count from the tensors, the gpu flag left open as it changes no output', async () => {
    const notes = await outputsMatch('string_compare_choice');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'));
    assert.ok(sizes, notes.join('\n'));
    assert.match(sizes, /cell=LSTM \(the tensors present\)/);
    assert.match(sizes, /hiddenNum=8/);
    assert.match(sizes, /layerNum=2 \(the tensors present\)/);
    assert.ok(notes.some((n) => /^use_cuda=0: the weights leave this open, and the model gives the same outputs with use_cuda=1$/.test(n)), notes.join('\n'));
  });

  it('StateEncoder(config): a field that only sizes the initial state is the one value of 1 to 8 forward runs with; a flag passed as bidirectional= is True, not a trial size', async () => {
    const notes = await outputsMatch('open_state_count');
    assert.ok(notes.some((n) => n === 'config.n_cells=4: the weights hold no size of it, and forward runs with no other value of 1 to 8'), notes.join('\n'));
    assert.ok(notes.some((n) => /config\.birnn=True \(the tensors present\)/.test(n)), notes.join('\n'));
    assert.ok(!notes.some((n) => /n_cells=0/.test(n)), notes.join('\n'));
  });

  it('random numbers in forward are refused by name alone: no --init of the values the weights leave open would change that', async () => {
    const source = ['import torch', 'import torch.nn as nn', '', 'class Noisy(nn.Module):', '    def __init__(self, vocab, dim, dropout):', '        super().__init__()', '        self.emb = nn.Embedding(vocab, dim)', '        self.drop = nn.Dropout(dropout)', '        self.fc = nn.Linear(dim, 2)', '',
      '    def forward(self, x):', '        e = self.drop(self.emb(x)).mean(1)', '        return self.fc(e + torch.randn(e.size(0), e.size(1)))'].join('\n');
    const f = (shape: number[]) => new Float32Array(shape.reduce((a, b) => a * b, 1));
    const tensors = [{ name: 'emb.weight', shape: [9, 4] }, { name: 'fc.weight', shape: [2, 4] }, { name: 'fc.bias', shape: [2] }].map((t) => ({ ...t, values: f(t.shape) }));
    const py = tempFile('noisy.py', source);
    const weights = await readStateDict(tempFile('noisy.safetensors', encodeSafetensors(tensors)));
    const analyzer = await sharedAnalyzer();
    assert.throws(() => loadTorchModel({ path: py, source, analyzer, weights }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /noisy\.py:13: Noisy: random numbers in forward .* is not something SeqLens runs/);
      assert.doesNotMatch(error.message, /--init|no value/);
      return true;
    });
  });

  it('num_layers=False builds no recurrent layer, as PyTorch raises', async () => {
    const source = ['import torch.nn as nn', '', 'class Enc(nn.Module):', '    def __init__(self):', '        super().__init__()', '        self.rnn = nn.GRU(4, 5, num_layers=False, batch_first=True)', '', '    def forward(self, x):', '        return self.rnn(x)[1][-1]'].join('\n');
    await assert.rejects(async () => loadTorchModel({ path: 'enc.py', source, analyzer: await sharedAnalyzer() }), /num_layers=False; PyTorch 1\.13 raises for fewer than one layer/);
  });

  it('a plain tensor set as a layer\'s parameter in __init__ is PyTorch\'s TypeError, on its line', async () => {
    const source = [
      'import torch',
      'import torch.nn as nn',
      '',
      'class Head(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        self.fc = nn.Linear(4, 3)',
      '        self.fc.weight = torch.zeros(3, 4)',
      '',
      '    def forward(self, x):',
      '        return self.fc(x)',
    ].join('\n');
    await assert.rejects(async () => loadTorchModel({ path: 'head.py', source, analyzer: await sharedAnalyzer() }), /head\.py:8: .*cannot assign a tensor as parameter 'weight' \(torch\.nn\.Parameter or None expected\)/);
  });

  it('--init gives an argument explicitly and wins over the weights; a wrong one is caught by the weights\' shapes', async () => {
    await outputsMatch('gru_layers_from_weights', { n_classes: 4 });
    await assert.rejects(outputsMatch('gru_layers_from_weights', { hidden_size: 8 }), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /StackedGRU: no values of input_size, num_layers, n_classes build the saved tensors with the values --init gives: gru\.weight_ih_l0 is \(27, 5\) in the weights, \(24, 5\) built/);
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
      assert.match(error.message, /TiedLM: no values of vocab, dim build the saved tensors: the weights disagree on vocab: embedding\.weight \(12, 4\), axis 0 gives vocab=12, but out\.weight \(13, 4\) does not fit it; give it with --init vocab=N/);
      return true;
    });
  });

  it('without weights, an argument with no default is named with --init in the error; Verify Shapes runs with --init', async () => {
    const path = join(SIZES, 'gru_layers_from_weights.py');
    const source = readFileSync(path, 'utf8');
    const analyzer = await sharedAnalyzer();
    await useBackend('cpu');
    assert.throws(() => verifyShapes({ path, source, analyzer }), /StackedGRU's input_size, hidden_size, num_layers, n_classes have no value in the file: give them with --init input_size=N,hidden_size=N,num_layers=N,n_classes=N/);
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

  it('ConfigTagger(args): a config object\'s fields are solved like arguments, a flag (args.bidirectional) from the tensors present', async () => {
    const notes = await outputsMatch('config_fields');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'))!;
    assert.match(sizes, /args\.embed_num=17 \(embed\.weight \(17, 6\), axis 0\)/);
    assert.match(sizes, /args\.hidden_dim=5/);
    assert.match(sizes, /args\.num_layers=2 \(the tensors present\)/);
    assert.match(sizes, /args\.bidirectional=True \(the tensors present\)/);
    assert.match(sizes, /args\.class_num=3/);
    // The dropout rate builds no tensor: run with 0 and with 1, it changes no output.
    assert.ok(notes.some((n) => /args\.dropout=0: the weights leave this open, and the model gives the same outputs with args\.dropout=1/.test(n)), notes.join('\n'));
  });

  it('TextLSTM(): names the file sets only in its script part (n_class, n_hidden) are solved from the weights', async () => {
    const notes = await outputsMatch('script_globals');
    assert.ok(notes.some((n) => /^names the file reads but does not define .*n_class=5 .*n_hidden=8/.test(n)), notes.join('\n'));
  });

  it('RNNModel(rnn_type, …, nlayers=1): the string the code compares rnn_type with that builds the saved tensors, and a default the weights contradict', async () => {
    const notes = await outputsMatch('rnn_type_choice');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'))!;
    assert.match(sizes, /rnn_type=GRU \(the tensors present\)/);
    assert.match(sizes, /nlayers=2 \(the tensors present, not the 1 the file gives\)/);
  });

  it('two strings that build the same tensors but give different outputs are refused with the --init that settles them, and run with it', async () => {
    await assert.rejects(outputsMatch('rnn_type_ambiguous'), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.match(error.message, /RNNModel: the weights do not settle rnn_type: rnn_type=RNN_TANH and rnn_type=RNN_RELU both build the saved tensors, but they give different outputs; give it with --init rnn_type=VALUE/);
      return true;
    });
    await outputsMatch('rnn_type_ambiguous', { rnn_type: 'RNN_RELU' });
  });

  it('LSTMClassifier(batch_size, …, weights): a pretrained table set as the Embedding\'s weight is the saved one, and batch_size is each batch\'s size', async () => {
    const notes = await outputsMatch('pretrained_batch');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'))!;
    assert.match(sizes, /weights=the saved word_embeddings\.weight \(it only initialises word_embeddings\.weight, which the weights replace\)/);
    assert.match(sizes, /batch_size=the batch size of each input/);
    // The table replaced by the pretrained one has its rows, whatever vocab_size built the Embedding: the weights leave
    // vocab_size open, and it changes no output.
    assert.doesNotMatch(sizes, /vocab_size/);
    assert.ok(notes.some((n) => /^vocab_size=0: the weights leave this open, and the model gives the same outputs with vocab_size=1$/.test(n)), notes.join('\n'));
  });

  it('a batch_size bound to each batch runs a smaller last batch too', async () => {
    await useBackend('cpu');
    const base = join(SIZES, 'pretrained_batch');
    const model = await loadModel(`${base}.py`, { weightsPath: `${base}.pt`, analyzer: await sharedAnalyzer() });
    const tf = tfjs();
    const inputs = readNpyFile(`${base}.inputs.npy`);
    const expected = readNpyFile(`${base}.outputs.npy`);
    const x = tf.tensor(inputs.data, inputs.shape, 'int32').slice([0, 0], [3, -1]);
    const y = model.predictRaw(x);
    try {
      assert.deepEqual(y.shape, [3, expected.shape[1]]);
      assert.ok(maxAbsDifference(y.dataSync(), (expected.data as Float32Array).slice(0, 3 * expected.shape[1])) <= 1e-4);
    } finally {
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('CharBiLSTM(…, hidden_dim, …) with LSTM(…, hidden_dim // 2): any hidden_dim that builds the tensors, checked to give the same outputs', async () => {
    const notes = await outputsMatch('half_hidden');
    const sizes = notes.find((n) => n.startsWith('constructor arguments from the weights'))!;
    assert.match(sizes, /hidden_dim=10 \(lstm\.weight_ih_l0 \(20, 4\), axis 0; 10, 11 all build these tensors\)/);
  });

  it('--init sets a config field and a name the file never defines', async () => {
    await outputsMatch('config_fields', { 'args.class_num': 3 });
    await outputsMatch('script_globals', { n_hidden: 8 });
    await assert.rejects(outputsMatch('script_globals', { n_hidden: 9 }), /no values of n_class build the saved tensors with the values --init gives/);
  });

  it('--init parses numbers, True/False, strings and config fields, and refuses anything else', () => {
    assert.deepEqual(parseInitValues('vocab_size=5000, hidden=128,bidirectional=True'), { vocab_size: 5000, hidden: 128, bidirectional: true });
    assert.deepEqual(parseInitValues("dropout=0.5,rnn_type=LSTM,cell='GRU',args.hidden_dim=64,args.max_norm=None"), { dropout: 0.5, rnn_type: 'LSTM', cell: 'GRU', 'args.hidden_dim': 64, 'args.max_norm': null });
    assert.match(parseInitValues('hidden=1+2') as string, /must be a number, True, False, None or a string/);
    assert.match(parseInitValues('=3') as string, /is not name=value/);
  });
  describe('counts, flags and None defaults in the structure step', () => {
    /** Weights with deterministic, unequal values (not zeros): outputs that tell layer counts apart. */
    const filled = (list: { name: string; shape: number[] }[]) => list.map((t, k) => {
      const n = t.shape.reduce((a, b) => a * b, 1);
      return { ...t, values: Float32Array.from({ length: n }, (_, i) => Math.sin(1 + 7 * k + 0.37 * i) * 0.5) };
    });
    const gru = (prefix: string, layers: number, input: number, hidden: number) => Array.from({ length: layers }, (_, l) => [
      { name: `${prefix}.weight_ih_l${l}`, shape: [3 * hidden, l === 0 ? input : hidden] }, { name: `${prefix}.weight_hh_l${l}`, shape: [3 * hidden, hidden] },
      { name: `${prefix}.bias_ih_l${l}`, shape: [3 * hidden] }, { name: `${prefix}.bias_hh_l${l}`, shape: [3 * hidden] },
    ]).flat();
    async function load(name: string, source: string, tensors: { name: string; shape: number[] }[], init?: Record<string, number | boolean>) {
      const py = tempFile(`${name}.py`, source);
      const weights = await readStateDict(tempFile(`${name}.safetensors`, encodeSafetensors(filled(tensors))));
      await useBackend('cpu');
      return loadTorchModel({ path: py, source, analyzer: await sharedAnalyzer(), weights, init });
    }
    function outputsOf(model: { predictRaw(x: unknown): { dataSync(): ArrayLike<number>; shape: number[] } }, x: number[][][]): { data: number[]; shape: number[] } {
      const tf = tfjs();
      const input = tf.tensor(x);
      const y = model.predictRaw(input);
      try {
        return { data: Array.from(y.dataSync()), shape: y.shape };
      } finally {
        tf.dispose([input, y as never]);
      }
    }
    const x = [[[0.1, -0.2, 0.3], [0.5, 0.4, -0.1], [-0.3, 0.2, 0.6], [0.0, 0.9, -0.4]], [[0.7, -0.5, 0.2], [0.1, 0.1, 0.1], [-0.6, 0.3, 0.0], [0.2, -0.8, 0.5]]];

    it('a layer count the code passes to torch.zeros is the count 1, not True, when the weights hold one layer', async () => {
      const source = ['import torch', 'import torch.nn as nn', '', 'class Stacked(nn.Module):', '    def __init__(self, input_size, hidden, n_layers):', '        super().__init__()',
        '        self.hidden = hidden', '        self.n_layers = n_layers', '        self.rnn = nn.GRU(input_size, hidden, n_layers, batch_first=True)', '',
        '    def forward(self, x):', '        h0 = torch.zeros(self.n_layers, x.size(0), self.hidden)', '        out, h = self.rnn(x, h0)', '        return h[-1]'].join('\n');
      const tensors = gru('rnn', 1, 3, 5);
      const solved = await load('stacked_one', source, tensors);
      const given = await load('stacked_one_given', source, tensors, { input_size: 3, hidden: 5, n_layers: 1 });
      try {
        assert.ok(solved.summary.notes.some((n) => /n_layers=1 \(the tensors present\)/.test(n)), solved.summary.notes.join('\n'));
        const [a, b] = [outputsOf(solved, x), outputsOf(given, x)];
        assert.deepEqual(a.shape, [2, 5]);
        assert.ok(maxAbsDifference(Float32Array.from(a.data), Float32Array.from(b.data)) <= 1e-6);
      } finally {
        solved.dispose();
        given.dispose();
      }
    });

    it('a name passed to a layer\'s bool keyword (bidirectional=bidir) is a flag: True, not the count 1', async () => {
      const source = ['import torch.nn as nn', '', 'class Enc(nn.Module):', '    def __init__(self, input_size, hidden, bidir):', '        super().__init__()',
        '        self.rnn = nn.GRU(input_size, hidden, batch_first=True, bidirectional=bidir)', '',
        '    def forward(self, x):', '        out, h = self.rnn(x)', '        return out[:, -1]'].join('\n');
      const tensors = [...gru('rnn', 1, 3, 4), ...gru('rnn', 1, 3, 4).map((t) => ({ ...t, name: `${t.name}_reverse` }))];
      const model = await load('bidir_flag', source, tensors);
      try {
        assert.ok(model.summary.notes.some((n) => /bidir=True \(the tensors present\)/.test(n)), model.summary.notes.join('\n'));
        assert.deepEqual(outputsOf(model, x).shape, [2, 8]);
      } finally {
        model.dispose();
      }
    });

    it('a None default the model needs as a size (its own raise guards it) is solved from the weights; a None default the weights leave open stays None', async () => {
      const source = ['import torch.nn as nn', '', 'class Tagger(nn.Module):', '    def __init__(self, hidden, vocab_size=None, pad=None, pretrained=None):', '        super().__init__()',
        '        self.emb = self._embedding(vocab_size, hidden, pad)', '        if pretrained is not None:', '            self.emb.weight.data.copy_(pretrained.float())',
        '        self.fc = nn.Linear(hidden, 3)', '',
        '    def _embedding(self, vocab_size, hidden, pad):', '        if vocab_size is None:', '            raise ValueError("vocab size cannot be empty")',
        '        return nn.Embedding(vocab_size, hidden, padding_idx=pad)', '',
        '    def forward(self, x):', '        return self.fc(self.emb(x)).mean(1)'].join('\n');
      const tensors = [{ name: 'emb.weight', shape: [11, 4] }, { name: 'fc.weight', shape: [3, 4] }, { name: 'fc.bias', shape: [3] }];
      const model = await load('none_vocab', source, tensors);
      try {
        const sizes = model.summary.notes.find((n) => n.startsWith('constructor arguments from the weights'));
        assert.ok(sizes, model.summary.notes.join('\n'));
        assert.match(sizes, /vocab_size=11 \(emb\.weight \(11, 4\), axis 0, not the None the file gives\)/);
        assert.match(sizes, /hidden=4/);
        assert.doesNotMatch(sizes, /pad=|pretrained=/);
        const tf = tfjs();
        const ids = tf.tensor([[1, 2, 10], [0, 5, 7]], [2, 3], 'int32');
        const y = model.predictRaw(ids);
        assert.deepEqual(y.shape, [2, 3]);
        tf.dispose([ids, y]);
      } finally {
        model.dispose();
      }
    });
  });
});
