// SL154: one column of a recurrent output laid out as (batch, steps × features) by out.view(-1, hidden) and a second
// view(batch, -1): a single hidden unit of one step (ai-agent-kr/Modern-AI-Agents#1, a GRU sentiment model whose
// Linear is never called; test/fixtures/torch-reported/q15-modern-ai-agents-1-*). Each variant's shapes were run in
// PyTorch 1.13: nothing raises either way.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const model = (head: string, index = '[:, -1]', rnn = 'nn.GRU(8, 32, batch_first=True)') => `import torch
import torch.nn as nn


class Sentiment(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(50, 8)
        self.rnn = ${rnn}
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(32, 1)
        self.sig = nn.Sigmoid()

    def forward(self, x):
        batch_size = x.size(0)
        out, _ = self.rnn(self.embedding(x))
        out = out.contiguous().view(-1, 32)
        out = ${head}
        out = out.view(batch_size, -1)
        return out${index}


model = Sentiment()
y = model(torch.randint(0, 50, (4, 10)))
`;

describe('SL154 one column of a flattened recurrent output', () => {
  it('flags [:, -1] when the rows reach the second view with their 32 features, through dropout and a sigmoid', async () => {
    const result = await run(model('self.sig(self.dropout(out))'));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL154@20']);
    assert.match(result.findings[0].message, /10 steps × 32 features.*unit 31 of the last step/);
  });

  it('flags any single column, and an LSTM output alike', async () => {
    assert.deepEqual(await codes(model('torch.relu(out)', '[:, 0]')), ['SL154']);
    assert.deepEqual(await codes(model('self.dropout(out)', '[:, -1]', 'nn.LSTM(8, 32, batch_first=True)')), ['SL154']);
  });

  it('is silent once a layer maps each step to one value (the (batch, steps) of the usual model), and on a slice of columns', async () => {
    assert.deepEqual(await codes(model('self.sig(self.fc(self.dropout(out)))')), []);
    assert.deepEqual(await codes(model('self.sig(self.dropout(out))', '[:, -32:]')), []);
    assert.deepEqual(await codes(model('self.sig(self.dropout(out))', '[0]')), []);
  });

  it('is silent on a tensor of the same shapes that no recurrent layer made', async () => {
    assert.deepEqual(await codes('x = torch.randn(4, 10, 32)\nrows = x.contiguous().view(-1, 32)\ny = torch.sigmoid(rows).view(4, -1)[:, -1]\n'), []);
  });
});
