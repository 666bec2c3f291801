// SL108 and a table size that is a constructor parameter's default in a class nothing builds with known arguments
// (`def __init__(self, n_words=0, emb_dim=0, pad=1)`): the caller gives the vocabulary's size, so the default is a
// placeholder. PyTorch 1.13 builds `nn.Embedding(5000, 100, padding_idx=1)` as a real vocabulary gives it, and raises
// "Padding_idx must be within num_embeddings" only for `nn.Embedding(0, 0, padding_idx=1)`, the defaults themselves.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const head = 'import torch\nimport torch.nn as nn\n';
const encoder =
  head +
  'class Encoder(nn.Module):\n    def __init__(self, n_words=0, emb_dim=0, pad=1):\n        super().__init__()\n' +
  '        self.embedding = nn.Embedding(n_words, emb_dim, padding_idx=pad)\n' +
  '    def forward(self, ids):\n        return self.embedding(ids)\n';

describe('SL108 with a table size left at a default nothing passes', () => {
  it('says nothing of a padding_idx or ids against a placeholder table size', async () => {
    assert.deepEqual(await codes(encoder), []);
    const ids = encoder.replace('return self.embedding(ids)', 'return self.embedding(torch.tensor([[1, 2, 3]]))');
    assert.deepEqual(await codes(ids), []);
  });

  it('still reports the class built with those defaults, and a table size the code writes', async () => {
    assert.deepEqual(await codes(`${encoder}enc = Encoder()\n`), ['SL108']);
    assert.deepEqual(await codes(encoder.replace('nn.Embedding(n_words, emb_dim', 'nn.Embedding(1, emb_dim')), ['SL108']);
    assert.deepEqual(await codes(`${head}emb = nn.Embedding(10, 4, padding_idx=10)\n`), ['SL108']);
  });
});
