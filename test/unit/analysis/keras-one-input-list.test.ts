// A functional model given its one input as a list, Model(inputs=[x], ...), takes a single array for it: Keras
// flattens the inputs and the data alike, so the array is compared with that input (SL211) as for Model(inputs=x).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const model = (inputs: string) => `import numpy as np
from keras.layers import Input, GRU
from keras.models import Model
seq = Input(shape=(None, 16))
out = GRU(8, return_sequences=True)(seq)
model = Model(inputs=${inputs}, outputs=out)
model.compile(loss='mse', optimizer='adam')
`;

describe('a Keras model whose one input is given as a list', () => {
  it('compares a single array with that input (SL211)', async () => {
    const result = await run(`${model('[seq]')}model.fit(np.random.rand(9, 16), np.random.rand(1, 9, 8))\n`);
    const found = result.findings.filter((f) => f.code === 'SL211');
    assert.equal(found.length, 1);
    assert.deepEqual(await codes(`${model('seq')}model.predict(np.random.rand(9, 16))\n`), ['SL211']);
  });

  it('accepts the array with its batch axis, alone or in a list', async () => {
    assert.deepEqual(await codes(`${model('[seq]')}model.fit(np.random.rand(1, 9, 16), np.random.rand(1, 9, 8))\n`), []);
    assert.deepEqual(await codes(`${model('[seq]')}model.fit([np.random.rand(1, 9, 16)], np.random.rand(1, 9, 8))\n`), []);
  });

  it('leaves two inputs given one array to the count of arrays, not to a shape', async () => {
    const two = `import numpy as np
from keras.layers import Input, GRU, concatenate
from keras.models import Model
a = Input(shape=(None, 16))
b = Input(shape=(None, 16))
out = GRU(8)(concatenate([a, b]))
model = Model(inputs=[a, b], outputs=out)
model.compile(loss='mse', optimizer='adam')
model.predict(np.random.rand(9, 16))
`;
    assert.deepEqual((await codes(two)).filter((c) => c === 'SL211'), []);
  });
});
