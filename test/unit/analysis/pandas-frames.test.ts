// pandas frames as data reaches a model (src/analysis/ops/pandas.ts): a DataFrame is (rows, columns), a Series (rows,),
// and `.values`, `.to_numpy()` and `np.array(frame)` are NumPy arrays of that shape. What is not modelled is unknown.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEADER = 'import numpy as np\nimport pandas as pd\n';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(HEADER + body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

describe('pandas frames', () => {
  it('gives a frame read from a file rows and columns not known, and its columns taken by name and position', async () => {
    const s = await shapes(`df = pd.read_csv('prices.csv')
a = df.values
b = df[['open', 'close', 'volume']].values
c = df['close'].values
d = df.iloc[:, 1:2].to_numpy()
e = np.array(df.iloc[:, 0])
f = df.dropna().fillna(0).values
g = pd.read_csv('x.csv', usecols=['a', 'b']).values
`);
    assert.equal(s.get('a'), '(?, ?)');
    assert.equal(s.get('b'), '(?, 3)');
    assert.equal(s.get('c'), '(?,)');
    assert.equal(s.get('d'), '(?, ?)');
    assert.equal(s.get('e'), '(?,)');
    assert.equal(s.get('f'), '(?, ?)');
    assert.equal(s.get('g'), '(?, 2)');
  });

  it('follows a frame built from an array or a dict: its shape, len, columns and positional slices', async () => {
    const s = await shapes(`frame = pd.DataFrame(np.random.rand(119, 80))
x = frame.values
n = len(frame.columns)
w = np.zeros((len(frame), n))
first = frame.iloc[:, :10].values
row = frame.iloc[3].values
d = pd.DataFrame({'a': [1, 2, 3], 'b': [4, 5, 6]})
both = d.values
kept = d.drop(['a'], axis=1).values
`);
    assert.equal(s.get('x'), '(119, 80)');
    assert.equal(s.get('w'), '(119, 80)');
    assert.equal(s.get('first'), '(119, 10)');
    assert.equal(s.get('row'), '(80,)');
    assert.equal(s.get('both'), '(3, 2)');
    assert.equal(s.get('kept'), '(3, 1)');
  });

  it('leaves what it does not model unknown: other methods, label indexing, in-place calls, a column the frame lacks', async () => {
    const s = await shapes(`df = pd.DataFrame(np.random.rand(10, 4), columns=['a', 'b', 'c', 'd'])
m = df.mean().values
t = df.T.values
l = df.loc[3].values
r = df.fillna(0, inplace=True)
z = df['missing'].values
`);
    for (const name of ['m', 't', 'l', 'r', 'z']) assert.equal(s.get(name), undefined, name);
  });

  it('gives Keras fit a frame as its values: 2-D rows into a recurrent layer are reported, rows with a time axis are not', async () => {
    const model = (data: string) => `${HEADER}from keras.models import Sequential\nfrom keras.layers import SimpleRNN\nframe = pd.DataFrame(np.random.rand(119, 80))\nX = ${data}\nmodel = Sequential()\nmodel.add(SimpleRNN(1, input_dim=len(frame.columns)))\nmodel.compile(loss='mse', optimizer='sgd')\nmodel.fit(X, np.random.rand(119))\n`;
    const bug = await run(model('frame'));
    assert.deepEqual(bug.findings.filter((f) => f.severity === 'error').map((f) => f.code), ['SL211']);
    const fixed = await run(model('frame.values.reshape(119, 1, 80)'));
    assert.deepEqual(fixed.findings.filter((f) => f.severity === 'error' || f.severity === 'warning'), []);
  });

  it("does not read a NumPy array's dot, or an item of an array of objects, by PyTorch's rules", async () => {
    const result = await run(`${HEADER}X = np.random.randn(5, 3)\nw = np.zeros(3)\nv = X.dot(w)\nu = X.T.dot(v)\ndf = pd.read_csv('boxes.csv')\nwidths = [x[0] for x in df['shape'].values]\nfirst = df.values[1][0][4]\n`);
    assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning'), []);
  });
});
