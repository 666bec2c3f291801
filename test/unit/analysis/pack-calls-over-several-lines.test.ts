// A pack_padded_sequence call (or a layer reading its pack) written over several lines: PyTorch 1.13's traceback names
// the line the call starts on, so the finding about one argument lands there, and on the argument itself when the two
// share a line. Each program below was run in 1.13 and raised at the call's first line (pytext#658,
// test/fixtures/torch-reported/q38-pytext-658-*: a 0-d tensor of lengths on the line after the call's).
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEAD = 'import torch\nimport torch.nn as nn\nfrom torch.nn.utils.rnn import pack_padded_sequence\n';
const found = async (source: string, code: string) =>
  (await run(source)).findings.filter((f) => f.code === code).map((f) => `${f.range.start.line + 1}:${f.range.start.column}`);

describe('pack_padded_sequence findings on a call written over several lines', () => {
  it('SL159 lands on the line the call starts on', async () => {
    const x = 'x = torch.randn(1, 7, 3)\n';
    assert.deepEqual(await found(`${HEAD}${x}packed = pack_padded_sequence(\n    x, torch.tensor([[5]]).sum(1).squeeze(), batch_first=True\n)\n`, 'SL159'), ['5:9']);
    assert.deepEqual(await found(`${HEAD}${x}packed = pack_padded_sequence(x, torch.tensor(5), batch_first=True)\n`, 'SL159'), ['5:33']);
  });

  it('SL112 lands on the line the call starts on', async () => {
    const x = 'x = torch.randn(7, 3, 4)\n';
    assert.deepEqual(await found(`${HEAD}${x}packed = pack_padded_sequence(\n    x,\n    [3, 7, 5],\n)\n`, 'SL112'), ['5:9']);
    assert.deepEqual(await found(`${HEAD}${x}packed = pack_padded_sequence(x, [3, 7, 5])\n`, 'SL112'), ['5:33']);
  });

  it('SL155 lands on the line the layer call starts on', async () => {
    const packed = 'rnn = nn.GRU(8, 4)\nx = torch.randn(5, 1, 8)\npacked = pack_padded_sequence(x, [18])\n';
    assert.deepEqual(await found(`${HEAD}${packed}out, h = rnn(\n    packed\n)\n`, 'SL155'), ['7:9']);
    assert.deepEqual(await found(`${HEAD}${packed}out, h = rnn(packed)\n`, 'SL155'), ['7:13']);
  });
});
