// Keras' TextVectorization, StringLookup and IntegerLookup (src/analysis/layers/keras/text-vectorization.ts), by the
// shapes Keras documents for them: one row of ids per text, the lookups one id per element.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(HEADER + body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

describe('Keras text preprocessing layers', () => {
  it('TextVectorization: (batch, 1) or (batch,) texts give (batch, output_sequence_length) ids that feed an Embedding and an LSTM', async () => {
    const s = await shapes(`vec = layers.TextVectorization(max_tokens=20000, output_mode="int", output_sequence_length=250)\ntext = keras.Input(shape=(1,), dtype=tf.string)\nflat = keras.Input(shape=(), dtype=tf.string)\nids = vec(text)\nids2 = vec(flat)\nemb = layers.Embedding(20001, 64)(ids)\nh = layers.LSTM(32)(emb)\n`);
    assert.equal(s.get('ids'), '(None, 250)');
    assert.equal(s.get('ids2'), '(None, 250)');
    assert.equal(s.get('emb'), '(None, 250, 64)');
    assert.equal(s.get('h'), '(None, 32)');
  });

  it('without output_sequence_length the steps are None; multi_hot with pad_to_max_tokens is (batch, max_tokens); without it the width is unknown', async () => {
    const s = await shapes(`text = keras.Input(shape=(1,), dtype=tf.string)\na = layers.TextVectorization(max_tokens=100)(text)\nb = layers.TextVectorization(max_tokens=100, output_mode="multi_hot", pad_to_max_tokens=True)(text)\nc = layers.TextVectorization(max_tokens=100, output_mode="tf_idf")(text)\n`);
    assert.equal(s.get('a'), '(None, None)');
    assert.equal(s.get('b'), '(None, 100)');
    assert.equal(s.get('c'), '(None, ?)');
  });

  it('StringLookup and IntegerLookup keep the shape in int mode; texts of two axes or more are not read', async () => {
    const s = await shapes(`words = keras.Input(shape=(7,), dtype=tf.string)\nids = layers.StringLookup(vocabulary=["a", "b"])(words)\nnums = layers.IntegerLookup()(keras.Input(shape=(3, 4), dtype="int64"))\nhot = layers.StringLookup(output_mode="one_hot")(words)\ngrid = layers.TextVectorization(output_sequence_length=5)(keras.Input(shape=(3, 4), dtype=tf.string))\n`);
    assert.equal(s.get('ids'), '(None, 7)');
    assert.equal(s.get('nums'), '(None, 3, 4)');
    assert.equal(s.get('hot'), undefined);
    assert.equal(s.get('grid'), undefined);
  });
});
