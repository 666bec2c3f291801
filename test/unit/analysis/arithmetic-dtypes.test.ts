// The dtype of element-wise arithmetic on tensors and arrays, as PyTorch 1.13 and NumPy give it: true division of
// integers gives floats, floor division keeps them, and a mix with a dtype not known stays not known.
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const HEAD = 'import numpy as np\nimport torch\nimport torch.nn as nn\n';

async function dtypeOf(body: string, name: string): Promise<string | undefined> {
  const sites = (await run(`${HEAD}${body}`)).tensors.filter((t) => t.name === name);
  const first = sites[sites.length - 1]?.markdown.split('\n')[0] ?? '';
  return / · (\w+)$/.exec(first)?.[1] ?? 'unknown';
}

describe('dtypes through arithmetic', () => {
  it('true division of integer tensors and arrays gives floats; floor division keeps integers', async () => {
    assert.equal(await dtypeOf('ids = torch.arange(10).view(2, 5)\nh = ids / 2\n', 'h'), 'float32');
    assert.equal(await dtypeOf('ids = torch.arange(10).view(2, 5)\nh = ids / ids\n', 'h'), 'float32');
    assert.equal(await dtypeOf('ids = torch.arange(10).view(2, 5)\nh = ids // 2\n', 'h'), 'int64');
    assert.equal(await dtypeOf('a = np.arange(10).reshape(2, 5)\nb = a / 2\n', 'b'), 'float32');
    assert.equal(await dtypeOf('a = np.arange(10).reshape(2, 5)\nb = a // 2\n', 'b'), 'int64');
  });

  it('an integer tensor mixed with one of a dtype not known is not taken for a float', async () => {
    const body = 'import sys\nids = torch.arange(10).view(2, 5)\nw = torch.load(sys.argv[1])\nh = ids + w\n';
    assert.equal(await dtypeOf(body, 'h'), 'unknown');
    assert.equal(await dtypeOf('ids = torch.arange(10).view(2, 5)\nm = ids > 3\nh = ids + m\n', 'h'), 'int64');
  });

  it('ids halved with / reach an Embedding as floats (PyTorch raises), with // as ids', async () => {
    const emb = 'emb = nn.Embedding(10, 4)\nids = torch.arange(10).view(2, 5)\n';
    assert.deepEqual(await codes(`${HEAD}${emb}out = emb(ids / 2)\n`), ['SL110']);
    assert.deepEqual(await codes(`${HEAD}${emb}out = emb(ids // 2)\n`), []);
  });
});
