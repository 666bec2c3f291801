// Semantics the forty-second round of held-out reported bugs (code outside NLP) needed: pandas frames changed in place,
// the index a DataLoader gives a dataset's __getitem__ and windows between shifts of it, `x == None` of Python's own
// values, comparisons of torch.__version__, np.prod of a shape, int() of a tensor, reversed(), remove_weight_norm, and
// SL164 (a convolution given input of the wrong number of axes). Programs of our own.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';
const loudCodes = async (body: string) => (await run(body)).findings.filter(loud).map((f) => f.code);

describe('pandas frames changed in place', () => {
  const frame = "import numpy as np\nimport pandas as pd\ndf = pd.DataFrame(np.zeros((10, 3)), columns=['a', 'b', 'c'])\n";

  it('insert adds a column at its position, so columns[1:] drops the inserted one', async () => {
    const body = `${frame}df.insert(0, 'date', np.arange(10))\nv = df[df.columns[1:]].values\nw = df.values\n`;
    assert.equal(await shapeOf(body, 'w'), '(10, 4)');
  });

  it('a new column set by name is added; one the frame has is replaced', async () => {
    assert.equal(await shapeOf(`${frame}df['d'] = 1.0\nw = df.values\n`, 'w'), '(10, 4)');
    assert.equal(await shapeOf(`${frame}df['a'] = 1.0\nw = df.values\n`, 'w'), '(10, 3)');
  });

  it('del and pop remove a column; a key not known leaves the width unknown', async () => {
    assert.equal(await shapeOf(`${frame}del df['a']\nw = df.values\n`, 'w'), '(10, 2)');
    assert.equal(await shapeOf(`${frame}s = df.pop('b')\nw = df.values\n`, 'w'), '(10, 2)');
    assert.equal(await shapeOf(`${frame}import random\ndf[random.choice(['a', 'z'])] = 0\nw = df.values\n`, 'w'), '(10, ?)');
  });

  it('a change in a branch the analysis cannot decide leaves the width unknown', async () => {
    const body = `${frame}import sys\nif len(sys.argv) > 1:\n    df['d'] = 1.0\nw = df.values\n`;
    assert.equal(await shapeOf(body, 'w'), '(10, ?)');
  });

  it('a method given inplace=True changes the frame as its result would', async () => {
    assert.equal(await shapeOf(`${frame}df.drop(columns=['c'], inplace=True)\nw = df.values\n`, 'w'), '(10, 2)');
    assert.equal(await shapeOf(`${frame}df.dropna(inplace=True)\nw = df.values\n`, 'w'), '(?, 3)');
  });

  it('a Conv1d sized for the columns after the date no longer sees one too few', async () => {
    const body =
      "import numpy as np\nimport pandas as pd\nimport torch\nimport torch.nn as nn\n" +
      "df = pd.DataFrame(np.zeros((50, 7)))\ndf.insert(0, 'date', np.arange(50))\n" +
      'x = torch.tensor(df[df.columns[1:]].values[:16]).float().unsqueeze(0)\nconv = nn.Conv1d(7, 8, 3)\ny = conv(x.permute(0, 2, 1))\n';
    assert.deepEqual(await loudCodes(body), []);
  });
});

describe("the index a DataLoader gives a dataset's __getitem__", () => {
  const dataset = (size: string) =>
    'import numpy as np\nimport torch\nfrom torch.utils.data import DataLoader, Dataset\n' +
    'class Windows(Dataset):\n    def __init__(self, size=None):\n        if size == None:\n            size = [40, 20, 10]\n' +
    '        self.seq_len, self.label_len, self.pred_len = size[0], size[1], size[2]\n' +
    '        self.data = np.zeros((300, 5))\n        self.marks = np.zeros((300, 4))\n' +
    '    def __getitem__(self, index):\n        s_end = index + self.seq_len\n        r_begin = s_end - self.label_len\n' +
    '        r_end = r_begin + self.label_len + self.pred_len\n' +
    '        return self.data[index:s_end], self.marks[r_begin:r_end]\n' +
    '    def __len__(self):\n        return len(self.data) - self.seq_len - self.pred_len + 1\n' +
    `loader = DataLoader(Windows(${size}), batch_size=8, shuffle=True, drop_last=True)\nfor x, m in loader:\n    pass\n`;

  it('is an int within [0, len - 1]: windows between shifts of it have the length of their difference', async () => {
    assert.equal(await shapeOf(dataset('[24, 12, 6]'), 'x'), '(B, 24, 5)');
    assert.equal(await shapeOf(dataset('[24, 12, 6]'), 'm'), '(B, 18, 4)');
  });

  it('reads `size == None` of a list as False and of None as True', async () => {
    assert.equal(await shapeOf(dataset(''), 'x'), '(B, 40, 5)');
    assert.equal(await shapeOf(dataset(''), 'm'), '(B, 30, 4)');
  });

  it('is not claimed under a sampler of the caller, which may yield other keys', async () => {
    const body = dataset('[24, 12, 6]').replace('shuffle=True, drop_last=True', 'sampler=list(range(3)), drop_last=True');
    assert.notEqual(await shapeOf(body, 'x'), '(B, 24, 5)');
  });

  it('does not take a window whose start may fall below 0 for one of the data', async () => {
    const body = dataset('[24, 12, 6]').replace('return self.data[index:s_end]', 'return self.data[index - 3:s_end]');
    assert.equal(await shapeOf(body, 'x'), '(B, ?, 5)');
  });
});

describe('comparisons Python decides', () => {
  it('`x == None` holds only for None among Python values; a tensor compared with None is not decided', async () => {
    assert.equal(await shapeOf('a = [1]\ny = torch.zeros(2) if a == None else torch.zeros(3)\n', 'y'), '(3,)');
    assert.equal(await shapeOf('a = None\ny = torch.zeros(2) if a != None else torch.zeros(3)\n', 'y'), '(3,)');
    const tensor = await shapeOf('a = torch.ones(1)\ny = torch.zeros(2) if a == None else torch.zeros(3)\n', 'y');
    assert.notEqual(tensor, '(3,)');
  });

  it('torch.__version__ against a release before 1.13 is decided as every release since compares it', async () => {
    assert.equal(await shapeOf("p = 1 if torch.__version__ >= '1.5.0' else 2\ny = torch.zeros(p)\n", 'y'), '(1,)');
    assert.equal(await shapeOf("p = 1 if '1.5.0' > torch.__version__ else 2\ny = torch.zeros(p)\n", 'y'), '(2,)');
  });

  it('leaves a threshold past 1.13 undecided', async () => {
    const shape = await shapeOf("p = 1 if torch.__version__ >= '2.0' else 2\ny = torch.zeros(p)\n", 'y');
    assert.ok(shape !== '(1,)' && shape !== '(2,)');
  });
});

describe('ints from shapes and tensors, reversed sequences, weight norm removed', () => {
  it('np.prod and math.prod of a shape written out are ints: a Linear sized with them is checked', async () => {
    const body =
      'import math\nimport numpy as np\nimport torch\nimport torch.nn as nn\nstate_shape, action_shape = (3,), (2,)\n' +
      'fc = nn.Linear(16 + int(np.prod(action_shape)), 1)\nh = torch.zeros(4, 16)\ny = fc(h)\n';
    assert.deepEqual(await loudCodes(body), ['SL106']);
    assert.deepEqual(await loudCodes(body.replace('(2,)\n', '(0,)\n')), []);
    assert.equal(await shapeOf('import math\nimport torch\nn = math.prod([2, 3, 4])\ny = torch.zeros(n)\n', 'y'), '(24,)');
  });

  it('int() of a tensor is an int: a list of them makes a 1-D LongTensor', async () => {
    assert.equal(await shapeOf('ids = [int(p) for p in torch.randint(0, 9, (11,))]\nt = torch.LongTensor(ids)\n', 't'), '(11,)');
  });

  it('reversed() of a range walks the same ints, so a ModuleList indexed by them is followed', async () => {
    const body =
      'class M(nn.Module):\n    def __init__(self):\n        super().__init__()\n' +
      '        self.blocks = nn.ModuleList([nn.Linear(8, 8) for _ in range(3)])\n' +
      '    def forward(self, x):\n        for k in reversed(range(3)):\n            x = self.blocks[k](x)\n        return x\n' +
      'y = M()(torch.zeros(2, 8))\n';
    assert.equal(await shapeOf(body, 'y'), '(2, 8)');
  });

  it('remove_weight_norm gives back the module it is given', async () => {
    const body = 'conv = nn.utils.weight_norm(nn.Conv1d(4, 6, 1))\nconv = nn.utils.remove_weight_norm(conv)\ny = conv(torch.zeros(2, 4, 9))\n';
    assert.equal(await shapeOf(body, 'y'), '(2, 6, 9)');
  });
});

describe('SL164: a convolution given input of the wrong number of axes', () => {
  it('reports a Conv1d given a 4-D input (a batch axis added twice), with the error PyTorch raises', async () => {
    const result = await run('mel = torch.randn(1, 80, 50)\nconv = nn.Conv1d(80, 16, 1)\ny = conv(mel.unsqueeze(0))\n');
    const found = result.findings.filter(loud);
    assert.deepEqual(found.map((f) => f.code), ['SL164']);
    assert.match(found[0].message, /Expected 2D \(unbatched\) or 3D \(batched\) input to conv1d, but got input of size: \[1, 1, 80, 50\]/);
  });

  it('reports a Conv2d given 5-D input and a Conv3d given 3-D input', async () => {
    assert.deepEqual(await loudCodes('conv = nn.Conv2d(3, 4, 3)\ny = conv(torch.zeros(1, 2, 3, 9, 9))\n'), ['SL164']);
    assert.deepEqual(await loudCodes('conv = nn.Conv3d(3, 4, 3)\ny = conv(torch.zeros(3, 9, 9))\n'), ['SL164']);
  });

  it('names the padding as what raises under a padding_mode other than zeros', async () => {
    const found = (await run("conv = nn.Conv1d(3, 4, 3, padding=1, padding_mode='circular')\ny = conv(torch.zeros(1, 1, 3, 9))\n")).findings.filter(loud);
    assert.match(found[0].message, /circular padding raises "Only 2D, 3D, 4D, 5D padding/);
  });

  it('accepts batched and unbatched inputs, and says nothing of a rank not known', async () => {
    assert.deepEqual(await loudCodes('conv = nn.Conv1d(3, 4, 3)\na = conv(torch.zeros(2, 3, 9))\nb = conv(torch.zeros(3, 9))\n'), []);
    assert.deepEqual(await loudCodes('conv = nn.Conv2d(3, 4, 3)\na = conv(torch.zeros(2, 3, 9, 9))\nb = conv(torch.zeros(3, 9, 9))\n'), []);
    assert.deepEqual(await loudCodes('def f(x):\n    return nn.Conv1d(3, 4, 3)(x)\n'), []);
  });
});
