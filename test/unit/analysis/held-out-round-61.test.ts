// The semantics the sixty-first round of reported Keras bugs asked for: LabelEncoder's ids are 1-D whatever labels
// it is given, since scikit-learn refuses any other y.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

describe('LabelEncoder on labels of unknown shape', () => {
  it('gives (?,) ids, which to_categorical turns into (?, classes)', async () => {
    const s = await shapes(`import numpy as np
from sklearn.preprocessing import LabelEncoder
from tensorflow.keras.utils import to_categorical
names = np.loadtxt('labels.txt', dtype=str)
encoder = LabelEncoder()
encoder.fit(names)
ids = encoder.transform(names)
again = LabelEncoder().fit_transform(names)
onehot = to_categorical(ids, 12)
`);
    assert.equal(s.get('ids'), '(?,)');
    assert.equal(s.get('again'), '(?,)');
    assert.equal(s.get('onehot'), '(?, 12)');
  });

  it('still leaves labels it would refuse, 2-D of more than one column, unknown', async () => {
    const s = await shapes(`import numpy as np
from sklearn.preprocessing import LabelEncoder
ids = LabelEncoder().fit_transform(np.zeros((40, 3)))
`);
    assert.equal(s.get('ids'), undefined);
  });

  it('lets SL208 see one-hot labels of unknown length under a sparse loss', async () => {
    const result = await run(`import numpy as np
from sklearn.preprocessing import LabelEncoder
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Dense
from tensorflow.keras.utils import to_categorical
names = np.loadtxt('labels.txt', dtype=str)
y = to_categorical(LabelEncoder().fit_transform(names), 6)
x = np.random.rand(100, 8)
model = Sequential([Dense(16, input_shape=(8,), activation='relu'), Dense(6, activation='softmax')])
model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')
model.fit(x, y)
`);
    assert.deepEqual(result.findings.filter((f) => f.code === 'SL208').map((f) => f.range.start.line + 1), [10]);
  });
});
