// Semantics the forty-ninth round of held-out reported bugs (Keras) needed: the integer column labels of a pandas
// frame built from an array, the values an array stacked by np.array keeps, scikit-learn's cross-validation folds,
// and SL207 leaving the labels of data the model's input refuses to SL211. Programs of our own.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';
const loudFindings = async (body: string) => (await run(body)).findings.filter(loud).map((f) => `${f.code}@${f.range.start.line + 1}`);

describe('integer column labels of a pandas frame', () => {
  const table = 'import numpy as np\nimport pandas as pd\nt = pd.DataFrame(np.random.rand(50, 12))\n';

  it('a frame built from an array without names picks columns by their positions as labels', async () => {
    assert.equal(await shapeOf(`${table}v = t[[0, 1, 2]].values\n`, 'v'), '(50, 3)');
    assert.equal(await shapeOf(`${table}v = t[[4, 9]].values\n`, 'v'), '(50, 2)');
    assert.equal(await shapeOf(`${table}v = t[3].values\n`, 'v'), '(50,)');
  });

  it('a list of labels built from a range picks one column per label, listed or not', async () => {
    assert.equal(await shapeOf(`${table}v = t[[i for i in range(0, 5)]].values\n`, 'v'), '(50, 5)');
    assert.equal(await shapeOf(`${table}big = pd.DataFrame(np.zeros((8, 40)))\nv = big[[c for c in range(3, 30)]].values\n`, 'v'), '(8, 27)');
    assert.equal(await shapeOf(`${table}v = t[list(range(2, 12))].values\n`, 'v'), '(50, 10)');
  });

  it('a label past the last column, or a frame whose columns have names, is not followed', async () => {
    assert.equal(await shapeOf(`${table}v = t[[11, 12]].values\n`, 'v'), undefined);
    assert.equal(await shapeOf(`${table}v = t[-1].values\n`, 'v'), undefined);
    assert.equal(await shapeOf(`${table}n = pd.DataFrame(np.zeros((5, 2)), columns=['a', 'b'])\nv = n[[0, 1]].values\n`, 'v'), undefined);
    assert.equal(await shapeOf(`${table}r = pd.read_csv('f.csv')\nv = r[[0, 1]].values\n`, 'v'), undefined);
  });

  it('a file read without a header has integer labels; with index_col the labels start elsewhere', async () => {
    assert.equal(await shapeOf(`${table}r = pd.read_csv('f.csv', header=None)\nv = r[[0, 1, 2]].values\n`, 'v'), '(?, 3)');
    assert.equal(await shapeOf(`${table}r = pd.read_csv('f.csv', header=None, index_col=0)\nv = r[[0, 1, 2]].values\n`, 'v'), undefined);
  });

  it('a column added by name ends the integer labelling', async () => {
    assert.equal(await shapeOf(`${table}t['y'] = 0\nv = t[[0, 1]].values\n`, 'v'), undefined);
  });
});

describe('values of an array stacked by np.array', () => {
  const model = `import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense
model = Sequential()
model.add(Embedding(20, 8))
model.add(LSTM(4))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
`;

  it('rows appended in a loop keep the range of the array they came from', async () => {
    const body = `${model}ids = np.random.randint(1, 50, (300, 6))
rows = []
for a, b in zip(ids, ids[1:]):
    rows.append(a)
model.fit(np.array(rows), np.zeros((299, 1)))
`;
    assert.deepEqual(await loudFindings(body), ['SL203@13']);
  });

  it('np.array of an array keeps its values; ids below the table draw nothing', async () => {
    assert.deepEqual(await loudFindings(`${model}ids = np.random.randint(1, 50, (300, 6))\nmodel.fit(np.array(ids), np.zeros((300, 1)))\n`), ['SL203@10']);
    assert.deepEqual(await loudFindings(`${model}ids = np.random.randint(1, 20, (300, 6))\nrows = [r for r in ids]\nmodel.fit(np.array(rows), np.zeros((300, 1)))\n`), []);
  });

  it('a list of literal rows gives its largest value as held, not only as a bound', async () => {
    const r = await run(`${model}model.fit(np.array([np.array([1, 2]), np.array([3, 40])]), np.zeros((2, 1)))\n`);
    const messages = r.findings.filter((f) => f.code === 'SL203').map((f) => f.message);
    assert.equal(messages.length, 1);
    assert.match(messages[0], /the data holds ids up to 40/);
  });
});

describe('cross-validation folds of scikit-learn', () => {
  const data = `import numpy as np
from sklearn.model_selection import StratifiedKFold, KFold
X = np.random.rand(200, 30, 1)
y = np.random.randint(0, 3, size=200)
`;

  it('split gives per fold two 1-D index arrays, which select rows', async () => {
    const body = `${data}for i, (tr, te) in enumerate(StratifiedKFold(n_splits=5, shuffle=True).split(X, y)):
    a = X[tr]
    b = y[te]
`;
    assert.equal(await shapeOf(body, 'a'), '(?, 30, 1)');
    assert.equal(await shapeOf(body, 'b'), '(?,)');
  });

  it('labels of a fold are compared with the model it trains', async () => {
    const body = `${data}from keras.models import Sequential
from keras.layers import LSTM, Dense
kf = KFold(n_splits=4)
for tr, te in kf.split(X):
    model = Sequential()
    model.add(LSTM(8, input_shape=(30, 1)))
    model.add(Dense(3, activation='softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adam')
    model.fit(X[tr], y[tr], validation_data=(X[te], y[te]))
`;
    assert.deepEqual(await loudFindings(body), ['SL210@13']);
  });
});

describe('SL207 and data the input refuses', () => {
  const model = `import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense, TimeDistributed
model = Sequential()
model.add(LSTM(5, return_sequences=True, input_shape=(30, 8)))
model.add(TimeDistributed(Dense(4)))
model.compile(loss='mse', optimizer='adam')
`;

  it('rows without a step axis are SL211 alone: their labels are one per row, not one per sample', async () => {
    assert.deepEqual(await loudFindings(`${model}model.fit(np.zeros((600, 8)), np.zeros((600, 4)))\n`), ['SL211@8']);
  });

  it('sequences the input takes with one label row each are still SL207', async () => {
    assert.deepEqual(await loudFindings(`${model}model.fit(np.zeros((20, 30, 8)), np.zeros((20, 4)))\n`), ['SL207@5']);
  });
});
