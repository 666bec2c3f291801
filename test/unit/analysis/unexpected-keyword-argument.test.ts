// SL162: a keyword argument no PyTorch release takes. PyTorch 1.13 raises "TypeError: RNNBase.__init__() got an
// unexpected keyword argument 'batch_frist'" (Python callees) or "sum() received an invalid combination of arguments"
// (C callees); test/oracle/keyword_args.py checks the table these tests rely on against PyTorch 1.13.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';
import { KEYWORD_TABLE } from '../../../src/analysis/ops/keyword-arguments';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n';

async function sl162(body: string) {
  return (await run(`${HEAD}${body}`)).findings.filter((f) => f.code === 'SL162');
}

describe('SL162 unexpected-keyword-argument', () => {
  it('reports a misspelt recurrent-layer keyword on the keyword, with the near one as the fix', async () => {
    const [finding, ...rest] = await sl162('lstm = nn.LSTM(10, 20, batch_frist=True)\n');
    assert.equal(rest.length, 0);
    assert.equal(finding.severity, 'error');
    assert.deepEqual(finding.range.start, { line: 3, column: 23 });
    assert.match(finding.message, /nn\.LSTM has no keyword argument batch_frist= \(did you mean batch_first=\?\): it takes batch_first, /);
    assert.match(finding.message, /TypeError here \(1\.13: "got an unexpected keyword argument 'batch_frist'"\), and no PyTorch release takes batch_frist=/);
    assert.deepEqual(finding.fixes.map((f) => f.edits.map((e) => e.newText)), [['batch_first']]);
  });

  it('suggests the keyword a longer name holds (GRU dropout_rate=) and the one of another spelling (Embedding padding_index=)', async () => {
    assert.match((await sl162('g = nn.GRU(10, 20, num_layers=2, dropout_rate=0.2)\n'))[0].message, /did you mean dropout=\?/);
    assert.match((await sl162('e = nn.Embedding(1000, 64, padding_index=0)\n'))[0].message, /nn\.Embedding has no keyword argument padding_index= \(did you mean padding_idx=\?\)/);
  });

  it('reads Linear and Conv1d', async () => {
    assert.match((await sl162('fc = nn.Linear(20, 5, use_bias=False)\n'))[0].message, /did you mean bias=\?/);
    assert.match((await sl162('conv = nn.Conv1d(10, 20, kernal_size=3)\n'))[0].message, /did you mean kernel_size=\?/);
    // A convolution's names for a Linear's sizes: PyTorch stops at the first.
    assert.match((await sl162('fc = nn.Linear(in_channels=64, out_channels=8)\n'))[0].message, /nn\.Linear has no keyword argument in_channels= \(did you mean in_features=\?\)/);
  });

  it('reports a functional op given a keyword it does not take, listing what it takes', async () => {
    const [relu] = await sl162('x = torch.randn(4, 8)\ny = F.relu(x, dim=1)\n');
    assert.match(relu.message, /F\.relu has no keyword argument dim=: it takes input, inplace\./);
    assert.deepEqual(relu.fixes, []);
    const [softmax] = await sl162('x = torch.randn(4, 8)\ny = F.softmax(x, axis=1)\n');
    assert.match(softmax.message, /F\.softmax has no keyword argument axis= \(did you mean dim=\?\)/);
  });

  it('a softmax given axis= on a 3-D tensor is SL162 alone: PyTorch raises before it would choose a dim (SL148)', async () => {
    assert.deepEqual(await codes(`${HEAD}x = torch.randn(4, 5, 8)\ny = F.softmax(x, axis=2)\n`), ['SL162']);
    assert.deepEqual(await codes(`${HEAD}x = torch.randn(4, 5, 8)\ny = F.softmax(x)\n`), ['SL148']);
  });

  it('reports a tensor method given a misspelt keyword, in the words of the argument parser', async () => {
    const [finding] = await sl162('x = torch.randn(4, 8)\ns = x.sum(dim=1, keep_dim=True)\n');
    assert.match(finding.message, /Tensor\.sum has no keyword argument keep_dim= \(did you mean keepdim=\?\)/);
    assert.match(finding.message, /"sum\(\) received an invalid combination of arguments"/);
  });

  it('stays silent on keywords a later PyTorch added (LayerNorm bias= of 2.1, Embedding _freeze=)', async () => {
    assert.deepEqual(await sl162('n = nn.LayerNorm(20, bias=False)\ne = nn.Embedding(10, 4, _freeze=True)\n'), []);
  });

  it('stays silent on the NumPy names PyTorch takes (torch.sum(axis=), keepdims=)', async () => {
    assert.deepEqual(await sl162('x = torch.randn(4, 8)\na = torch.sum(x, axis=1)\nb = x.max(dim=1, keepdims=True)\nc = torch.cat([x, x], axis=0)\n'), []);
  });

  it('stays silent on a call that spreads **kwargs', async () => {
    assert.deepEqual(await sl162('opts = {"batch_first": True}\nlstm = nn.LSTM(10, 20, bidirectionl=True, **opts)\n'), []);
  });

  it('stays silent on a class of the program named like a layer, and on a subclass own __init__', async () => {
    const own = 'class LSTM(nn.Module):\n    def __init__(self, a, b, batch_frist=False):\n        super().__init__()\n        self.rnn = nn.LSTM(a, b)\n\nm = LSTM(3, 4, batch_frist=True)\n';
    assert.deepEqual(await sl162(own), []);
    const sub = 'class MyLSTM(nn.LSTM):\n    def __init__(self, n, extra=1):\n        super().__init__(n, n, batch_first=True)\n\nm = MyLSTM(3, extra=2)\n';
    assert.deepEqual(await sl162(sub), []);
  });

  it('stays silent on a callee reached through a value the analysis does not know', async () => {
    assert.deepEqual(await sl162('def build(cell):\n    return cell(10, 20, batch_frist=True)\n'), []);
  });

  it('stays silent on a NumPy array method', async () => {
    assert.deepEqual(await sl162('import numpy as np\na = np.ones((3, 4))\ns = a.sum(axis=1, where=a > 0)\n'), []);
  });

  it('reads torch.nn under another name', async () => {
    assert.deepEqual(await codes('import torch\nimport torch.nn as tnn\nlstm = tnn.LSTM(10, 20, batch_frist=True)\n'), ['SL162']);
  });

  it('takes every keyword its table lists for a callee', async () => {
    const lstm = KEYWORD_TABLE['torch.nn.LSTM'].v113.filter((k) => k !== 'input_size' && k !== 'hidden_size').map((k) => `${k}=None`).join(', ');
    assert.deepEqual(await sl162(`lstm = nn.LSTM(10, 20, ${lstm})\n`), []);
  });
});
