// ord() is a character's code point, an int: a list of them made into a LongTensor is 1-D (character-level models
// build their id tensors so), and one element of it is 0-D, which CrossEntropyLoss refuses as the target of a batch
// of one (the reported pytorchzerotoall-46, run in PyTorch 1.13).
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('ord()', () => {
  it('makes ids of a string a 1-D LongTensor, known or not, whose element is 0-D', async () => {
    assert.equal(await shapeOf('import torch\nids = torch.LongTensor([ord(c) for c in "hello"])\n', 'ids'), '(5,)');
    assert.equal(await shapeOf('import torch\nimport json\ns = json.load(open("t.json"))\nids = torch.LongTensor([ord(c) for c in s])\n', 'ids'), '(?,)');
    const body = 'import torch\nimport torch.nn as nn\ndef str2tensor(string):\n    return torch.LongTensor([ord(c) for c in string])\nout = torch.randn(1, 128)\ntarget = str2tensor("abc")\nloss = nn.CrossEntropyLoss()(out, target[1])\n';
    assert.deepEqual(await codes(body), ['SL115']);
    assert.deepEqual(await codes(body.replace('target[1])', 'target[1:2])')), []);
  });

  it('is known for a one-character string, and bounded by the code points otherwise', async () => {
    assert.deepEqual(await codes('import torch\nimport torch.nn as nn\nemb = nn.Embedding(128, 8)\ny = emb(torch.tensor([ord("a")]))\n'), []);
    assert.deepEqual(await codes('import torch\nimport torch.nn as nn\nemb = nn.Embedding(64, 8)\ny = emb(torch.tensor([ord("a")]))\n'), ['SL108']);
  });
});
