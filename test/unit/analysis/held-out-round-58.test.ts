// The semantics the fifty-eighth round of reported Keras bugs asked for: np.random.choice, scikit-learn's
// LabelEncoder and OneHotEncoder, a DataFrame's .loc, sparse labels whose steps differ from the output's, and a
// KerasTuner search, which fits the model its hypermodel builds.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

const linesOf = (code: string) => async (body: string) => (await run(body)).findings.filter((f) => f.code === code).map((f) => f.range.start.line + 1);

describe('np.random.choice', () => {
  it('gives an array of the size asked, from an int, a list of ints or of strings', async () => {
    const s = await shapes(`import numpy as np
a = np.random.choice(10, size=(4, 3))
b = np.random.choice([2, 5, 7], 20)
c = np.random.choice(['cat', 'dog'], size=(6,))
rng = np.random.default_rng(0)
d = rng.choice(5, size=8)
e = np.random.choice(np.arange(30), size=(2, 5), replace=False)
`);
    assert.equal(s.get('a'), '(4, 3)');
    assert.equal(s.get('b'), '(20,)');
    assert.equal(s.get('c'), '(6,)');
    assert.equal(s.get('d'), '(8,)');
    assert.equal(s.get('e'), '(2, 5)');
  });

  it('is not an array without a size, nor when more items are drawn without replacement than there are', async () => {
    const s = await shapes(`import numpy as np
a = np.random.choice(['cat', 'dog'])
b = np.random.choice(3, size=5, replace=False)
c = np.random.choice(np.zeros((3, 4)), size=2)
`);
    assert.equal(s.get('a'), undefined);
    assert.equal(s.get('b'), undefined);
    assert.equal(s.get('c'), undefined);
  });

  it('keeps the ids of range(n) below n, for an Embedding of n rows', async () => {
    const sl203 = linesOf('SL203');
    const body = (rows: number) => `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
m = keras.Sequential([layers.Embedding(${rows}, 8, input_length=12), layers.LSTM(4), layers.Dense(1)])
m.compile(loss='mse', optimizer='adam')
m.fit(np.random.choice(50, size=(30, 12)), np.zeros((30, 1)))
`;
    assert.deepEqual(await sl203(body(50)), []);
  });
});

describe('LabelEncoder and OneHotEncoder', () => {
  it('gives one id per label, and a dense one-hot table of one row per sample', async () => {
    const s = await shapes(`import numpy as np
from sklearn.preprocessing import LabelEncoder, OneHotEncoder
labels = np.random.choice(['a', 'b', 'c'], size=(500,))
ids = LabelEncoder().fit_transform(labels)
column = ids.reshape(-1, 1)
table = OneHotEncoder(sparse=False).fit_transform(column)
enc = OneHotEncoder(sparse_output=False)
enc.fit(column)
again = enc.transform(column)
per_step = table.reshape(5, 100, 3)
`);
    assert.equal(s.get('ids'), '(500,)');
    assert.equal(s.get('column'), '(500, 1)');
    assert.equal(s.get('table'), '(500, ?)');
    assert.equal(s.get('again'), '(500, ?)');
    assert.equal(s.get('per_step'), '(5, 100, 3)');
  });

  it('leaves the sparse matrix OneHotEncoder gives by default, and a 1-D X it refuses, unknown', async () => {
    const s = await shapes(`import numpy as np
from sklearn.preprocessing import OneHotEncoder
x = np.random.randint(0, 4, size=(50, 1))
sparse = OneHotEncoder().fit_transform(x)
flat = OneHotEncoder(sparse=False).fit_transform(np.zeros(50))
`);
    assert.equal(s.get('sparse'), undefined);
    assert.equal(s.get('flat'), undefined);
  });
});

describe('DataFrame.loc', () => {
  it('takes every row and the columns named, or one column as a Series', async () => {
    const s = await shapes(`import numpy as np
import pandas as pd
df = pd.read_csv('wells.csv')
x = np.array(df.loc[:, ['lat', 'lon', 'depth']])
y = df.loc[:, 'liquids'].values
`);
    assert.equal(s.get('x'), '(?, 3)');
    assert.equal(s.get('y'), '(?,)');
  });

  it('forgets the columns and rows of a frame written through .loc or .at, which may add either', async () => {
    const s = await shapes(`import numpy as np
import pandas as pd
df = pd.DataFrame(np.zeros((10, 3)), columns=['a', 'b', 'c'])
before = df.values
df.loc[:, 'd'] = 1.0
after = df.values
`);
    assert.equal(s.get('before'), '(10, 3)');
    assert.equal(s.get('after'), '(?, ?)');
  });
});

describe('SL210 on sparse labels whose steps differ from the output', () => {
  const sl210 = linesOf('SL210');
  const body = (padding: string, labels: string) => `import numpy as np
from tensorflow import keras
from tensorflow.keras import layers
m = keras.Sequential([layers.Conv1D(16, 3, padding='${padding}', input_shape=(40, 1)), layers.LSTM(8, return_sequences=True), layers.Dense(4, activation='softmax')])
m.compile(loss='sparse_categorical_crossentropy', optimizer='adam')
m.fit(np.zeros((10, 40, 1)), ${labels})
`;

  it('flags one-hot or one-id-per-row labels of 40 steps against 38 output steps', async () => {
    assert.deepEqual(await sl210(body('valid', 'np.zeros((10, 40, 4))')), [6]);
    assert.deepEqual(await sl210(body('valid', 'np.zeros((10, 40, 1))')), [6]);
  });

  it('is clean when the steps agree, and leaves one-hot labels of the right steps to SL208', async () => {
    assert.deepEqual(await sl210(body('same', 'np.zeros((10, 40, 1))')), []);
    assert.deepEqual(await sl210(body('same', 'np.zeros((10, 40, 4))')), []);
  });

  it('claims nothing when the labels flatten to as many ids as the output has rows', async () => {
    // (10, 19, 2) one-hot labels flatten to 38 ids per sample, the output's 38 rows: tf.keras 2.x does not raise.
    assert.deepEqual(await sl210(body('valid', 'np.zeros((10, 19, 2))').replace('Dense(4', 'Dense(2')), []);
  });
});

describe('KerasTuner search', () => {
  const sl211 = linesOf('SL211');
  const body = (data: string, search: string) => `import numpy as np
import keras_tuner as kt
from tensorflow import keras
from tensorflow.keras import layers
x = ${data}
y = np.zeros((200, 1))


def build_model(hp):
    model = keras.Sequential()
    model.add(layers.LSTM(hp.Int('units', min_value=16, max_value=64, step=16), input_shape=(1, 6)))
    model.add(layers.Dense(1))
    model.compile(optimizer='adam', loss='mse')
    return model


tuner = ${search}
tuner.search(x, y, epochs=3, validation_split=0.2)
`;

  it('fits the model the hypermodel builds on the data search is given', async () => {
    assert.deepEqual(await sl211(body('np.zeros((200, 6))', "kt.RandomSearch(build_model, objective='val_loss', max_trials=3)")), [18]);
    assert.deepEqual(await sl211(body('np.zeros((200, 6))', "kt.Hyperband(hypermodel=build_model, objective='val_loss', max_epochs=5)")), [18]);
  });

  it('is clean for data of the declared shape', async () => {
    assert.deepEqual(await sl211(body('np.zeros((200, 1, 6))', "kt.RandomSearch(build_model, objective='val_loss', max_trials=3)")), []);
  });

  it('reads a HyperModel instance through its build method', async () => {
    const code = `import numpy as np
import keras_tuner as kt
from tensorflow import keras
from tensorflow.keras import layers


class Regressor(kt.HyperModel):
    def build(self, hp):
        model = keras.Sequential([layers.GRU(hp.Choice('units', [8, 16]), input_shape=(5, 3)), layers.Dense(1)])
        model.compile(optimizer='adam', loss='mse')
        return model


tuner = kt.BayesianOptimization(Regressor(), objective='loss', max_trials=2)
tuner.search(np.zeros((40, 3)), np.zeros((40, 1)), epochs=2)
`;
    assert.deepEqual(await sl211(code), [15]);
  });
});
