// A number set in a class body (`class Config: batch_size = 64`) and read as an attribute (`config.batch_size`,
// `Config.batch_size`) is named by the attribute, as a variable of that name would be: its name tells a dimension's
// role (Ligouhai-bigone/Sentiment-Analysis-Chinese-pytorch#1, test/fixtures/attention-reported/q16-sentiment-chinese-1-*:
// batch-first reviews built from config.batch_size reach a sequence-first LSTM). PyTorch 1.13 runs these silently.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const program = (names: string, read: string) => `import torch
import torch.nn as nn


class Config():
    ${names.split(', ')[0]} = 64
    ${names.split(', ')[1]} = 65


config = Config()
lstm = nn.LSTM(50, 20)
x = torch.randn(${read}, 50)
out, _ = lstm(x)
`;

const found = async (source: string) => (await run(source)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);

describe('numbers named by the class attribute they are read from', () => {
  it('reads batch_size and seq_len of a config instance or class as the batch and time axes (SL102)', async () => {
    assert.deepEqual(await found(program('batch_size, seq_len', 'config.batch_size, config.seq_len')), ['SL102@13']);
    assert.deepEqual(await found(program('batch_size, max_len', 'Config.batch_size, Config.max_len')), ['SL102@13']);
  });

  it('gives no role to attribute names that tell none', async () => {
    assert.deepEqual(await found(program('rows, cols', 'config.rows, config.cols')), []);
  });
});
