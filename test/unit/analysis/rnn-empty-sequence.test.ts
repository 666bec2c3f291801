// SL171: a recurrent layer given a sequence of no steps. PyTorch 1.13 raises "Expected sequence length to be larger
// than 0 in RNN"; a batch of no sequences runs.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

describe('SL171 rnn-empty-sequence', () => {
  it('reports a batch-first, a sequence-first and an unbatched input of no steps', async () => {
    const found = (await run('gru = nn.GRU(8, 4, batch_first=True)\nout, h = gru(torch.zeros(2, 0, 8))\n')).findings;
    assert.deepEqual(found.map((f) => f.code), ['SL171']);
    assert.match(found[0].message, /^GRU \(line 3\) receives torch\.zeros\(2, 0, 8\) \(2, 0, 8\).*batch-first.*axis 1 holds 0 steps.*Expected sequence length to be larger than 0 in RNN/);
    assert.deepEqual(await codes('lstm = nn.LSTM(8, 4)\nx = torch.randn(200, 3, 8)\nout, _ = lstm(x[-12:-12])\n'), ['SL171']);
    assert.deepEqual(await codes('rnn = nn.RNN(8, 4)\nout, _ = rnn(torch.zeros(0, 8))\n'), ['SL171']);
  });

  it('stays quiet on a batch of no sequences, features of another size, and an unknown layout', async () => {
    assert.deepEqual(await codes('gru = nn.GRU(8, 4, batch_first=True)\nout, h = gru(torch.zeros(0, 5, 8))\n'), []);
    assert.deepEqual(await codes('gru = nn.GRU(8, 4)\nout, h = gru(torch.zeros(5, 0, 8))\n'), []);
    assert.deepEqual(await codes('gru = nn.GRU(8, 4, batch_first=True)\nout, h = gru(torch.zeros(2, 0, 6))\n').then((c) => c.filter((x) => x === 'SL171')), []);
    // A batch not known beside the empty sequence: the view that made it holds only for an empty batch (and raises
    // otherwise), so the layer is not where PyTorch stops.
    assert.deepEqual(await codes('gru = nn.GRU(32, 4)\ndef f(x, b):\n    c = x.view(-1, 32, 18)\n    s = c.view(b, 32, 0, 24).permute(2, 0, 3, 1).reshape(0, b * 24, 32)\n    return gru(s)\n'), []);
    assert.deepEqual(await codes('def f(bf):\n    gru = nn.GRU(8, 4, batch_first=bf)\n    return gru(torch.zeros(2, 0, 8))\n'), []);
  });

  it('stays quiet where a loop flushes the list it fills, empty only on its first pass', async () => {
    // Tokens grouped into sentences: a sentence is run when the next one starts, never before the first token.
    const flush = (test: string, loop: string) => `emb = nn.Embedding(10, 8)
lstm = nn.LSTM(8, 4, batch_first=True)
sent = []
for ${loop}:
    if ${test}:
        x = torch.LongTensor(sent)
        out, _ = lstm(emb(x))
        sent = []
    sent.append(tok)
`;
    assert.deepEqual(await codes(flush('i > 0 and tag == 1', 'i, (tok, tag) in rows.iterrows()')), []);
    assert.deepEqual(await codes(flush('tag == 1 and sent', 'tok, tag in data')), []);
    // Empty every time the call runs: still reported.
    assert.deepEqual(await codes('gru = nn.GRU(8, 4)\nfor step in steps:\n    if step:\n        out, h = gru(torch.zeros(0, 3, 8))\n'), ['SL171']);
  });
});

describe('torch.arange with an end on the wrong side of its start', () => {
  it('is unknown in PyTorch, which raises, and empty in NumPy, as range() is', async () => {
    const body = 'import torch\nimport numpy as np\n';
    assert.equal(await shapeOf(`${body}a = torch.arange(0, -9, 50)\n`, 'a'), '(?,)');
    assert.equal(await shapeOf(`${body}a = torch.arange(5, 0)\n`, 'a'), '(?,)');
    assert.equal(await shapeOf(`${body}a = np.arange(0, -9, 50)\n`, 'a'), '(0,)');
    assert.equal(await shapeOf(`${body}a = torch.arange(11, 11, 11)\n`, 'a'), '(0,)');
    assert.equal(await shapeOf(`${body}a = torch.arange(5, 0, -1)\n`, 'a'), '(5,)');
  });
});
