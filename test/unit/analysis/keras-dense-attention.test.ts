// keras.layers.Attention and AdditiveAttention (src/analysis/layers/keras/attention.ts) beyond the basic
// [query, value] call of keras.test.ts: a key of other features than the value, the context feeding the layers after
// it, and what stays unknown. As Keras' base_dense_attention.py computes them: the output takes the query's steps
// and the value's features, the scores are (batch, Tq, Tv), Tv the steps the key and the value share.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'from tensorflow import keras\nfrom tensorflow.keras import layers\n';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(HEADER + body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

describe('Keras Attention and AdditiveAttention', () => {
  it('[query, value, key]: the value gives the features, the key the attended steps', async () => {
    const s = await shapes(`q = keras.Input(shape=(4, 8))\nv = keras.Input(shape=(7, 3))\nk = keras.Input(shape=(7, 8))\nout, w = layers.Attention(use_scale=True)([q, v, k], return_attention_scores=True)\n`);
    assert.equal(s.get('out'), '(None, 4, 3)');
    assert.equal(s.get('w'), '(None, 4, 7)');
  });

  it('a Bahdanau decoder: the context after it feeds a Dense per step', async () => {
    const s = await shapes(`enc = keras.Input(shape=(20, 64))\ndec = keras.Input(shape=(12, 64))\nctx = layers.AdditiveAttention()([dec, enc])\nmerged = layers.Concatenate()([dec, ctx])\nout = layers.Dense(30, activation="softmax")(merged)\n`);
    assert.equal(s.get('ctx'), '(None, 12, 64)');
    assert.equal(s.get('out'), '(None, 12, 30)');
  });

  it('inputs that are not 3-D, or a flag not known, leave the output unknown', async () => {
    const s = await shapes(`flag = bool(input())\nq = keras.Input(shape=(16,))\nv = keras.Input(shape=(9, 16))\na = layers.Attention()([q, v])\nq3 = keras.Input(shape=(5, 16))\nb = layers.Attention()([q3, v], return_attention_scores=flag)\n`);
    assert.equal(s.get('a'), undefined);
    assert.equal(s.get('b'), undefined);
  });
});
