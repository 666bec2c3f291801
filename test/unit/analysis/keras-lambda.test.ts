// keras.layers.Lambda: the output is what the function returns for the layer's input (src/analysis/layers/keras/lambda.ts).
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(HEADER + body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

describe('Keras Lambda layer', () => {
  it('a function the program defines gives the output, with arguments= as its keyword arguments', async () => {
    const s = await shapes(`from keras import backend as K\ndef last(x):\n    return x[:, -1, :]\ndef pool(x, axis=1):\n    return K.sum(x, axis=axis)\ndef sampling(args):\n    mean, log_var = args\n    eps = K.random_normal(shape=K.shape(mean))\n    return mean + K.exp(0.5 * log_var) * eps\nseq = keras.Input(shape=(12, 32))\na = layers.Lambda(last)(seq)\nb = layers.Lambda(pool, arguments={"axis": 2})(seq)\nm = layers.Dense(8)(a)\nv = layers.Dense(8)(a)\nz = layers.Lambda(sampling, output_shape=(8,))([m, v])\n`);
    assert.equal(s.get('a'), '(None, 32)');
    assert.equal(s.get('b'), '(None, 12)');
    // K.random_normal is not modelled: the sum with an unknown tensor broadcasts to an unknown shape.
    assert.equal(s.get('z'), undefined);
  });

  it('a lambda expression is the function it makes: its body gives the output, its defaults its keyword arguments', async () => {
    const s = await shapes(`from keras import backend as K\nseq = keras.Input(shape=(12, 32))\na = layers.Lambda(lambda t: t[:, -1, :])(seq)\nb = layers.Lambda(lambda t, k=3: t[:, -k:, :])(seq)\nc = layers.Lambda(lambda t, axis: K.sum(t, axis=axis), arguments={'axis': 2})(seq)\nd = layers.Lambda(lambda ts: K.concatenate(ts, axis=-1))([a, a])\n`);
    assert.equal(s.get('a'), '(None, 32)');
    assert.equal(s.get('b'), '(None, 3, 32)');
    assert.equal(s.get('c'), '(None, 12)');
    assert.equal(s.get('d'), '(None, 64)');
  });

  it('arguments the analysis cannot read, or a lambda whose body it cannot follow, leave the output unknown', async () => {
    const s = await shapes(`import numpy as np\ndef pool(x, axis=1):\n    return x\nopts = dict(zip(input(), input()))\nseq = keras.Input(shape=(12, 32))\nb = layers.Lambda(pool, arguments=opts)(seq)\ne = layers.Lambda(lambda t: np.frobnicate(t))(seq)\n`);
    assert.equal(s.get('b'), undefined);
    assert.equal(s.get('e'), undefined);
  });
});
