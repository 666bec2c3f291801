// SL159: pack_padded_sequence's lengths must be one axis. PyTorch 1.13 raises "'lengths' argument should be a 1D CPU
// int64 tensor, but got 2D cpu Long tensor" for a (4, 1) column, a (1, 4) row and [[7], [5], [3], [2]], and "got 0D"
// for a 0-d tensor; a list of ints and a 1-D float tensor pack. test/fixtures/torch/SL159_* hold two runs.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const PACK = (lengths: string) => `import torch\nfrom torch.nn.utils.rnn import pack_padded_sequence\nx = torch.randn(4, 7, 3)\npacked = pack_padded_sequence(x, ${lengths}, batch_first=True)\n`;

describe('SL159 packed-lengths-rank', () => {
  it('reports a column of lengths with a flattening fix, a row, a 0-d tensor and a list of lists', async () => {
    const column = await run(PACK('torch.tensor([[7], [5], [3], [2]])'));
    assert.deepEqual(column.findings.map((f) => f.code), ['SL159']);
    assert.match(column.findings[0].message, /is a 2-D tensor \(4, 1\).*got 2D/);
    assert.deepEqual(column.findings[0].fixes.map((f) => f.edits.map((e) => e.newText)), [['(torch.tensor([[7], [5], [3], [2]])).view(-1)']]);
    assert.deepEqual(await codes(PACK('torch.tensor([[7, 5, 3, 2]])')), ['SL159']);
    assert.deepEqual(await codes(PACK('torch.tensor(7)')), ['SL159']);
    assert.deepEqual(await codes(PACK('[[7], [5], [3], [2]]')), ['SL159']);
  });

  it('stays silent on one axis of lengths, floats included, and on lengths not known', async () => {
    assert.deepEqual(await codes(PACK('[7, 5, 3, 2]')), []);
    assert.deepEqual(await codes(PACK('torch.tensor([7.0, 5.0, 3.0, 2.0])')), []);
    assert.deepEqual(await codes(PACK('[torch.tensor(n) for n in (7, 5, 3, 2)]')), []);
    assert.deepEqual(await codes(PACK('lengths_from_data')), []);
  });
});
