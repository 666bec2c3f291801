// sort()/torch.sort of listed lengths keeps their values in the order asked for, so SL112 sees lengths sorted the wrong
// way round. PyTorch 1.13: lengths.sort(descending=False) given to pack_padded_sequence raises "`lengths` array must be
// sorted in decreasing order when `enforce_sorted` is True"; descending=True packs.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const PACK = (sort: string) => `import torch\nimport torch.nn as nn\nx = torch.randn(6, 12, 8)\nlengths = torch.tensor([12, 3, 9, 5, 7, 11])\nsorted_len, idx = ${sort}\npacked = nn.utils.rnn.pack_padded_sequence(x[idx], sorted_len, batch_first=True)\n`;

describe('lengths sorted before packing', () => {
  it('reports lengths sorted in increasing order, by the method or torch.sort, the order given by keyword or position', async () => {
    const result = await run(PACK('lengths.sort()'));
    assert.deepEqual(result.findings.map((f) => f.code), ['SL112']);
    assert.match(result.findings[0].message, /\[3, 5, 7, 9, 11, 12\] are not sorted in decreasing order/);
    assert.deepEqual(await codes(PACK('lengths.sort(descending=False)')), ['SL112']);
    assert.deepEqual(await codes(PACK('torch.sort(lengths, 0, False)')), ['SL112']);
  });

  it('stays silent on lengths sorted in decreasing order, and on an order not known', async () => {
    assert.deepEqual(await codes(PACK('lengths.sort(descending=True)')), []);
    assert.deepEqual(await codes(PACK('torch.sort(lengths, descending=True)')), []);
    assert.deepEqual(await codes(PACK('lengths.sort(0, True)')), []);
    assert.deepEqual(await codes(PACK('lengths.sort(descending=flag)')), []);
  });
});
