// Semantics the twenty-fifth round of held-out reported bugs needed: Python's truth value of a list, a tuple or a
// string whose length is known (`if input_lengths:` around pack_padded_sequence), so that only the branch Python runs
// is followed instead of a join of both.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';

const loud = (f: { severity: string }) => f.severity === 'error' || f.severity === 'warning';

describe('the truth value of a list, tuple or string of known length', () => {
  // An encoder that packs only when it is given lengths; the padded output is the LSTM's output either way.
  const encoder = (lengths: string) =>
    'class Enc(nn.Module):\n    def __init__(self):\n        super().__init__()\n' +
    '        self.emb = nn.Embedding(50, 16)\n        self.rnn = nn.LSTM(16, 16)\n' +
    '    def forward(self, x, lengths):\n        e = self.emb(x)\n' +
    '        if lengths:\n            e = nn.utils.rnn.pack_padded_sequence(e, lengths)\n' +
    '        out, _ = self.rnn(e)\n        if lengths:\n            out, _ = nn.utils.rnn.pad_packed_sequence(out)\n' +
    `        return out\n\nenc = Enc()\nx = torch.randint(0, 50, (7, 2))\nout = enc(x, ${lengths})\n`;

  it('takes the branch Python takes for a non-empty list: the packed path gives back (time, batch, hidden)', async () => {
    assert.equal(await shapeOf(encoder('[7, 5]'), 'out'), '(7, 2, 16)');
    assert.equal(await shapeOf(encoder('[7] * 2'), 'out'), '(7, 2, 16)');
  });

  it('takes the other branch for an empty tuple and for None', async () => {
    assert.equal(await shapeOf(encoder('()'), 'out'), '(7, 2, 16)');
    assert.equal(await shapeOf(encoder('None'), 'out'), '(7, 2, 16)');
  });

  it('leaves an empty list undecided (it may be filled where the analysis cannot see)', async () => {
    const body = 'xs = []\nif xs:\n    y = torch.zeros(2, 3)\nelse:\n    y = torch.zeros(4)\nz = y + 1\n';
    assert.notEqual(await shapeOf(body, 'z'), '(4,)');
    assert.notEqual(await shapeOf(body, 'z'), '(2, 3)');
  });

  it('reads `not`, `and`/`or` and a conditional expression with the same truth values', async () => {
    assert.equal(await shapeOf("y = torch.zeros(3) if 'name' else torch.zeros(2, 2)\n", 'y'), '(3,)');
    assert.equal(await shapeOf("y = torch.zeros(3) if not (1, 2) else torch.zeros(2, 2)\n", 'y'), '(2, 2)');
    assert.equal(await shapeOf("y = torch.zeros(3) if ('' or [4]) else torch.zeros(2, 2)\n", 'y'), '(3,)');
  });

  it("reports a squeeze that drops a batch of one before torch.cat, once the packed encoder's shape is known", async () => {
    const body =
      `${encoder('[7]').replace('(7, 2)', '(7, 1)')}` +
      'word = torch.randn(1, 16)\nweights = torch.softmax(torch.randn(1, 1, 7), dim=2)\n' +
      'context = weights.bmm(out.transpose(0, 1))\njoined = torch.cat((word, context.squeeze()), 1)\n';
    const catLine = body.split('\n').findIndex((l) => l.startsWith('joined')) + 3; // after the two import lines
    assert.deepEqual((await run(body)).findings.filter(loud).map((f) => `${f.code}@${f.range.start.line + 1}`), [`SL142@${catLine}`]);
    const fixed = body.replace('context.squeeze()', 'context.squeeze(1)');
    assert.deepEqual((await run(fixed)).findings.filter(loud), []);
  });
});
