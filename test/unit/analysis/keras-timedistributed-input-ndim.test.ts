// SL222: a Keras TimeDistributed layer given fewer than 3 axes: a recurrent output without return_sequences=True, or a
// Python number when the layer instance is called as if it were being built again. A number given to a Keras layer
// is a 0-D input, which Dense refuses too (min_ndim=2): what follows such a call is not computed.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const HEADER = 'import numpy as np\nfrom tensorflow.keras.layers import Input, LSTM, Dense, TimeDistributed, Embedding\nfrom tensorflow.keras.models import Model\n';
const lines = async (body: string) => (await run(HEADER + body)).findings.filter((f) => f.code === 'SL222').map((f) => f.range.start.line + 1);

describe('SL222 keras-timedistributed-input-ndim', () => {
  const decoder = (sequences: boolean) => `inp = Input(shape=(20,))\nemb = Embedding(500, 32)(inp)\nh = LSTM(64${sequences ? ', return_sequences=True' : ''})(emb)\n`;

  it('reports a recurrent output without its steps, and nothing when return_sequences=True keeps them', async () => {
    assert.deepEqual(await lines(decoder(false) + 'out = TimeDistributed(Dense(500, activation="softmax"))(h)\n'), [7]);
    assert.deepEqual(await lines(decoder(true) + 'out = TimeDistributed(Dense(500, activation="softmax"))(h)\n'), []);
    assert.equal(await shapeOf(HEADER + decoder(true) + 'out = TimeDistributed(Dense(500, activation="softmax"))(h)\n', 'out'), '(None, 20, 500)');
  });

  it('reports the layer instance called on a number, naming the call and where the layer was built', async () => {
    const body = decoder(true) + 'dense = TimeDistributed(Dense(500, activation="softmax"))\nout = dense(500, activation="softmax")(h)\n';
    assert.deepEqual(await lines(body), [8]);
    const finding = (await run(HEADER + body)).findings.find((f) => f.code === 'SL222');
    assert.match(finding!.message, /receives a number, 500 \(a layer instance is called on its input; the layer was built on line 7\)/);
  });

  it('makes no claim on an input of unknown rank, and a Dense given a number gives no shape', async () => {
    assert.deepEqual(await lines('def build(x):\n    return TimeDistributed(Dense(3))(x)\n'), []);
    assert.equal(await shapeOf(HEADER + 'y = Dense(4)(5)\n', 'y'), undefined);
  });
});
