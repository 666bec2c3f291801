// len() of a value the analysis does not follow is still an int (Python refuses any other result): the tensors sized
// by it have a known rank, their size stays unknown, and nothing is checked against that unknown size.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('len() of a value not followed', () => {
  it('sizes a 1-D tensor: torch.zeros(len(s)).long(), as char-level helpers build their id tensors', async () => {
    const body = 'import torch\nimport json\ndata = json.load(open("d.json"))\ndef char_tensor(s):\n    t = torch.zeros(len(s)).long()\n    return t\nids = char_tensor(data["text"])\n';
    assert.equal(await shapeOf(body, 'ids'), '(?,)');
  });

  it('gives a size, not a shape, for a tensor of unknown rank, and no error from an Embedding sized by it', async () => {
    const body = 'import torch\nimport torch.nn as nn\nimport json\nvocab = json.load(open("v.json"))\nemb = nn.Embedding(len(vocab), 8)\nx = torch.tensor([[1, 2, 3]])\ny = emb(x)\n';
    assert.deepEqual(await codes(body), []);
    assert.equal(await shapeOf(body, 'y'), '(1, 3, 8)');
  });

  it('leaves len() of a dict comprehension unknown, never 0', async () => {
    const body = 'import torch\nimport torch.nn as nn\nimport json\nwords = json.load(open("w.json"))\nword_dict = {w: i for i, w in enumerate(words)}\nemb = nn.Embedding(len(word_dict), 8)\nx = torch.tensor([[1, 2]])\ny = emb(x)\n';
    assert.deepEqual(await codes(body), []);
  });
});
