// keras.layers.RNN over LSTMCell / GRUCell / SimpleRNNCell (one or stacked), and Keras 2's CuDNNLSTM / CuDNNGRU, as
// Keras documents them: RNN(LSTMCell(u)) is LSTM(u); stacked cells give the last cell's units and every cell's states.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(HEADER + body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

describe('Keras RNN cells and the CuDNN layers', () => {
  it('RNN(cell): the last step or every step, with the cell\'s units', async () => {
    const s = await shapes(`x = keras.Input(shape=(10, 8))\na = layers.RNN(layers.LSTMCell(16))(x)\nb = layers.RNN(layers.GRUCell(12), return_sequences=True)(x)\nc = layers.Bidirectional(layers.RNN(layers.SimpleRNNCell(4)))(x)\n`);
    assert.equal(s.get('a'), '(None, 16)');
    assert.equal(s.get('b'), '(None, 10, 12)');
    assert.equal(s.get('c'), '(None, 8)');
  });

  it('stacked cells: the last cell\'s units, and with return_state every cell\'s states in order', async () => {
    const s = await shapes(`x = keras.Input(shape=(10, 8))\nout, h1, c1, h2 = layers.RNN([layers.LSTMCell(16), layers.GRUCell(6)], return_state=True)(x)\n`);
    assert.equal(s.get('out'), '(None, 6)');
    assert.equal(s.get('h1'), '(None, 16)');
    assert.equal(s.get('c1'), '(None, 16)');
    assert.equal(s.get('h2'), '(None, 6)');
  });

  it('CuDNNLSTM is an LSTM to the rules: stacked without return_sequences is reported, with it is not', async () => {
    const bad = await run(`${HEADER}from keras.layers import CuDNNLSTM\nm = keras.Sequential([CuDNNLSTM(32, input_shape=(10, 8)), CuDNNLSTM(16)])\n`);
    assert.deepEqual(bad.findings.map((f) => f.code), ['SL202']);
    const good = await run(`${HEADER}from keras.layers import CuDNNLSTM\nm = keras.Sequential([CuDNNLSTM(32, input_shape=(10, 8), return_sequences=True), CuDNNLSTM(16)])\n`);
    assert.deepEqual(good.findings.map((f) => f.code), []);
  });

  it('a cell that is not known, or a cell called on its own, gives no shape', async () => {
    const s = await shapes(`x = keras.Input(shape=(10, 8))\ncell = make_cell()\na = layers.RNN(cell)(x)\nh = keras.Input(shape=(8,))\nb = layers.LSTMCell(4)(h, [h, h])\n`);
    assert.equal(s.get('a'), undefined);
    assert.equal(s.get('b'), undefined);
  });

  it('a return_sequences or return_state the analysis cannot read is not taken for False: no SL202 on the layer after it', async () => {
    const body = `import sys\nflag = sys.argv[1] == "x"\nm = keras.Sequential()\nm.add(layers.LSTM(32, input_shape=(10, 8), return_sequences=flag))\nm.add(layers.LSTM(16))\ninp = keras.Input(shape=(10, 8))\na = layers.LSTM(32, return_sequences=flag)(inp)\nb = layers.LSTM(16)(a)\nc = layers.GRU(8, return_state=flag)(inp)\n`;
    const result = await run(HEADER + body);
    assert.deepEqual(result.findings.map((f) => f.code), []);
    const s = new Map(result.tensors.map((t) => [t.name, t.shape]));
    assert.equal(s.get('a'), undefined);
    assert.equal(s.get('c'), undefined);
    // Known flags still give their shapes and the stacked-layer finding.
    const known = await run(`${HEADER}inp = keras.Input(shape=(10, 8))\na = layers.LSTM(32, return_sequences=False)(inp)\nb = layers.LSTM(16)(a)\n`);
    assert.deepEqual(known.findings.map((f) => f.code), ['SL202']);
  });
});

describe('Keras global 1-D pooling with a keepdims not known', () => {
  it('leaves the output unknown rather than taking keepdims for False', async () => {
    const result = await run(`${HEADER}import sys\nk = sys.argv[1] == "1"\nx = keras.Input(shape=(10, 8))\na = layers.GlobalAveragePooling1D(keepdims=k)(x)\nb = layers.GlobalAveragePooling1D(keepdims=True)(x)\n`);
    const s = new Map(result.tensors.map((t) => [t.name, t.shape]));
    assert.equal(s.get('a'), undefined);
    assert.equal(s.get('b'), '(None, 1, 8)');
  });
});
