// SL155: a PackedSequence whose lengths run past the padded steps it was packed from reaches a recurrent layer
// (spro/practical-pytorch#95: a sentence's length in characters packs its five word ids; test/fixtures/torch-reported/
// q16-practical-pytorch-95-*). PyTorch 1.13 packs without a word and the layer raises "start (5) + length (1) exceeds
// dimension size (5)"; each program below was run in 1.13.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const program = (shape: string, lengths: string, options = '', rnn = 'nn.GRU(8, 4)') => `import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence

rnn = ${rnn}
x = torch.randn${shape}
packed = pack_padded_sequence(x, ${lengths}${options})
out, h = rnn(packed)
`;

const found = async (source: string) => (await run(source)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);

describe('SL155 packed lengths longer than the padded steps', () => {
  it('flags the layer reading a pack whose longest length exceeds the steps (sequence-first, one sequence)', async () => {
    const result = await run(program('(5, 1, 8)', '[18]'));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL155@8']);
    assert.match(result.findings[0].message, /length of 18 from 5 padded steps/);
  });

  it('reads the steps on axis 1 with batch_first=True, and the longest of unsorted lengths', async () => {
    assert.deepEqual(await found(program('(2, 5, 8)', '[9, 2]', ', batch_first=True', 'nn.LSTM(8, 4, batch_first=True)')), ['SL155@8']);
    assert.deepEqual(await found(program('(5, 2, 8)', '[2, 6]', ', enforce_sorted=False')), ['SL155@8']);
    assert.deepEqual(await found(program('(5, 2, 8)', 'torch.tensor([7, 3])')), ['SL155@8']);
  });

  it('stays silent when every length fits the steps, or the lengths or steps are not known', async () => {
    assert.deepEqual(await found(program('(5, 2, 8)', '[5, 3]')), []);
    assert.deepEqual(await found(program('(5, 2, 8)', '[int(input()), 3]')), []);
    assert.deepEqual(await found(program('(int(input()), 2, 8)', '[7, 3]')), []);
  });
});
