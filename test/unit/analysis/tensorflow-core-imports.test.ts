// TensorFlow 2.0 and 2.1 installed their code as the package `tensorflow_core`, which `tensorflow` re-exported:
// `from tensorflow_core.python.keras.layers import LSTM` is tf.keras's LSTM, and is read as such.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

async function codes(body: string): Promise<string[]> {
  return (await run(body)).findings.map((f) => f.code).sort();
}

const conv = (imports: string) =>
  [
    imports,
    'model = Sequential()',
    'model.add(layers.Embedding(1000, 16, input_length=4))',
    'model.add(layers.Conv1D(8, 7))',
    'model.add(layers.GlobalMaxPooling1D())',
    'model.add(layers.Dense(1))',
  ].join('\n');

describe('imports from tensorflow_core (TensorFlow 2.0/2.1)', () => {
  it('reads Keras layers and models imported from tensorflow_core.python.keras as tf.keras ones', async () => {
    const viaKeras = await codes(conv('from tensorflow.keras.models import Sequential\nfrom tensorflow.keras import layers'));
    assert.ok(viaKeras.includes('SL217'), JSON.stringify(viaKeras));
    assert.deepEqual(await codes(conv('from tensorflow_core.python.keras.models import Sequential\nfrom tensorflow_core.python.keras import layers')), viaKeras);
    assert.deepEqual(await codes(conv('import tensorflow_core as tf\nSequential = tf.keras.Sequential\nlayers = tf.keras.layers')), viaKeras);
    assert.deepEqual(await codes(conv('from tensorflow.keras.models import Sequential\nfrom tensorflow.keras import layers').replace('Conv1D(8, 7)', 'Conv1D(8, 3)')), []);
  });

  it('takes a Model subclass from tensorflow_core.python.keras.models for a Keras model, its call() followed', async () => {
    const src = [
      'import tensorflow as tf',
      'from tensorflow.keras.layers import LSTM, Dense, Embedding',
      'from tensorflow_core.python.keras.models import Model',
      'class Next(Model):',
      '    def __init__(self):',
      '        super(Next, self).__init__()',
      '        self.emb = Embedding(500, 32)',
      '        self.lstm = LSTM(24)',
      '        self.out = Dense(500, activation="softmax")',
      '    def call(self, x):',
      '        e = self.emb(x)',
      '        h = self.lstm(e)',
      '        return self.out(h)',
    ].join('\n');
    const result = await run(src);
    assert.deepEqual(result.findings.map((f) => f.code), []);
    const viaKeras = await run(src.replace('tensorflow_core.python.keras.models', 'tensorflow.keras.models'));
    assert.deepEqual(result.coverage?.keras, viaKeras.coverage?.keras);
    assert.ok((result.coverage?.keras?.names ?? 0) > 0, JSON.stringify(result.coverage));
  });
});
