// A layer given another's weight (`self.decoder.weight = self.encoder.weight`) computes with that weight's sizes:
// an nn.Linear's weight is (out_features, in_features), an nn.Embedding's (num_embeddings, embedding_dim).
import { strict as assert } from 'node:assert';
import { codes, moduleProgram, shapeOf } from './helpers';

describe('weight tying', () => {
  it('reads a Linear weight as (out_features, in_features)', async () => {
    assert.equal(await shapeOf('fc = nn.Linear(3, 5)\nw = fc.weight.data\n', 'w'), '(5, 3)');
  });

  it('keeps the language model tie silent: the decoder takes the embedding table (vocab, emsize) as its weight', async () => {
    const init = 'self.encoder = nn.Embedding(100, 32)\nself.rnn = nn.LSTM(32, 32, batch_first=True)\nself.decoder = nn.Linear(32, 100)\nself.decoder.weight = self.encoder.weight';
    const forward = 'out, _ = self.rnn(self.encoder(x))\nreturn self.decoder(out)';
    const program = `${moduleProgram(init, forward)}y = M()(torch.randint(0, 100, (4, 7)))\n`;
    assert.deepEqual(await codes(program), []);
    assert.equal(await shapeOf(program, 'y'), '(4, 7, 100)');
  });

  it("flags a Linear tied to another Linear's weight, whose sizes are the other way round", async () => {
    const init = 'self.encoder = nn.Linear(2, 32)\nself.decoder = nn.Linear(32, 2)\nself.decoder.weight = self.encoder.weight';
    const program = `${moduleProgram(init, 'return self.decoder(torch.tanh(self.encoder(x)))')}y = M()(torch.randn(8, 2))\n`;
    assert.deepEqual(await codes(program), ['SL106']);
  });

  it('follows nn.Parameter(tensor) assigned to an embedding: its table is the new one', async () => {
    const program = 'emb = nn.Embedding(10, 4)\nemb.weight = nn.Parameter(torch.randn(50, 8))\ny = emb(torch.randint(0, 50, (3, 6)))\n';
    assert.equal(await shapeOf(program, 'y'), '(3, 6, 8)');
    assert.deepEqual(await codes(program), []);
  });

  it('knows neither size after a tie under a condition it cannot decide, or of a weight it cannot see', async () => {
    const undecided = 'import sys\nimport torch\nimport torch.nn as nn\nenc = nn.Linear(2, 32)\ndec = nn.Linear(32, 2)\nif len(sys.argv) > 1:\n    dec.weight = enc.weight\ny = dec(torch.randn(4, 32))\n';
    assert.deepEqual(await codes(undecided), []);
    const unseen = 'import json\nimport torch\nimport torch.nn as nn\ndec = nn.Linear(32, 2)\ndec.weight = nn.Parameter(torch.tensor(json.load(open("w.json"))))\ny = dec(torch.randn(4, 7))\n';
    assert.deepEqual(await codes(unseen), []);
  });
});
