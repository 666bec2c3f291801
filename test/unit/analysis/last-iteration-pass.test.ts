// A loop run a known number of times whose passes each grow what it carries by the same step (a generate loop's
// `idx = torch.cat((idx, nxt), dim=1)`) gets one more pass: its last, from the sizes the first two passes extrapolate
// to. A position table of 64 rows meets `torch.arange(T)` of up to 102 positions there; PyTorch 1.13 raises
// "IndexError: index out of range in self" once T passes 64 (the program below, run as written).
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

const lm = (loop: string, steps = 100) => `import torch
import torch.nn as nn

block_size = 64

class LM(nn.Module):
    def __init__(self, vocab):
        super().__init__()
        self.tok = nn.Embedding(vocab, 16)
        self.pos = nn.Embedding(block_size, 16)
        self.head = nn.Linear(16, vocab)

    def forward(self, idx):
        B, T = idx.shape
        x = self.tok(idx) + self.pos(torch.arange(T))
        return self.head(x)

    def generate(self, idx, max_new_tokens):
${loop}
        return idx

m = LM(20)
out = m.generate(torch.zeros((1, 3), dtype=torch.long), ${steps})
`;

const uncropped = `        for _ in range(max_new_tokens):
            logits = self(idx)
            probs = torch.softmax(logits[:, -1, :], dim=-1)
            nxt = torch.multinomial(probs, num_samples=1)
            idx = torch.cat((idx, nxt), dim=1)`;

describe("a counted loop's last pass, from sizes that grow by the same step each pass", () => {
  it('reports what fails only on the last passes, saying how the loop grew the sequence', async () => {
    const result = await run(lm(uncropped));
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL108@15']);
    assert.match(result.findings[0].message, /ids up to 101 .*on the last of the 100 passes of the loop at line 19, which grows idx from \(1, 3\) before the loop to \(1, 102\) entering the last pass/);
  });

  it('stays silent when the context is cropped to the table, and when the loop stays within it', async () => {
    assert.deepEqual(await codes(lm(uncropped.replace('self(idx)', 'self(idx[:, -block_size:])'))), []);
    assert.deepEqual(await codes(lm(uncropped, 61)), []);
    // 62 new tokens: the last pass reads 3 + 61 = 64 positions, the most the table holds.
    assert.deepEqual(await codes(lm(uncropped, 62)), []);
    assert.deepEqual(await codes(lm(uncropped, 63)), ['SL108']);
  });

  it('does not extrapolate a loop that reads its variable, grows under a condition, or may stop early', async () => {
    assert.deepEqual(await codes(lm(uncropped.replace('for _ in', 'for t in').replace('dim=1)', 'dim=1)[:, :t + 4]'))), []);
    assert.deepEqual(await codes(lm(uncropped.replace('            idx = torch.cat', '            if probs.max() > 0.5:\n                idx = idx[:, :1]\n            idx = torch.cat'))), []);
    assert.deepEqual(await codes(lm(uncropped.replace('            idx = torch.cat', '            if nxt.item() == 0:\n                break\n            idx = torch.cat'))), []);
  });

  it('extrapolates an int counter', async () => {
    const program = `import torch
import torch.nn as nn

pos = nn.Embedding(50, 8)
t = 0
for _ in range(60):
    e = pos(torch.tensor([t]))
    t += 1
`;
    const result = await run(program);
    assert.deepEqual(result.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL108@7']);
    assert.match(result.findings[0].message, /grows t from 0 before the loop to 59 entering the last pass/);
    assert.deepEqual(await codes(program.replace('range(60)', 'range(50)')), []);
  });

  it('keeps the first passes in hovers', async () => {
    assert.equal(await shapeOf(lm(uncropped), 'logits'), '(1, 3, 20)');
    assert.equal(await shapeOf(lm(uncropped.replace('self(idx)', 'self(idx[:, -block_size:])')), 'probs'), '(1, 20)');
  });
});
