// The semantics the fifty-ninth round of reported bugs asked for: an augmented assignment on a tensor is the binary
// operation it performs (and must not grow its target), `*x.shape` in a tuple written without brackets, and map().
import { strict as assert } from 'node:assert';
import { run } from './helpers';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

const errors = async (body: string) => (await run(body)).findings.filter((f) => f.severity === 'error').map((f) => `${f.code}:${f.range.start.line + 1}`);

describe('augmented assignment on tensors', () => {
  it('is checked as the element-wise operation it performs', async () => {
    const body = (keys: number) => `import torch
scores = torch.randn(64, 512, ${keys})
mask = torch.zeros(1, 512, 512)
scores += mask
weights = torch.randn(64, 512, ${keys})
weights -= mask
`;
    assert.deepEqual(await errors(body(128)), ['SL119:4', 'SL119:6']);
    assert.deepEqual(await errors(body(512)), []);
  });

  it('must keep the shape of what it writes into, as PyTorch checks', async () => {
    assert.deepEqual(
      await errors(`import torch
a = torch.zeros(3)
a += torch.zeros(4, 3)
b = torch.zeros(1, 3)
b *= torch.ones(4, 3)
c = torch.zeros(4, 3)
c += torch.ones(3)
c *= torch.ones(1, 3)
c /= torch.ones(4, 1)
d = torch.zeros(3)
d.add_(torch.ones(4, 3))
c.mul_(torch.ones(3))
`),
      ['SL119:3', 'SL119:5', 'SL119:11'],
    );
  });

  it("says NumPy's words for an array", async () => {
    const message = (await run('import numpy as np\nx = np.zeros(3)\nx *= np.ones((2, 3))\n')).findings.find((f) => f.code === 'SL119')?.message ?? '';
    assert.match(message, /NumPy raises "non-broadcastable output operand with shape \(3,\) doesn't match the broadcast shape \(2,3\)"; an out-of-place `\*` gives a new array/);
  });

  it('leaves the target unknown after PyTorch raised, and leaves ints alone', async () => {
    const s = await shapes(`import torch
n = 3
n += 4
x = torch.zeros(n)
y = torch.zeros(2, 5)
y += torch.zeros(3, 5)
z = y + torch.zeros(7, 7)
`);
    assert.equal(s.get('x'), '(7,)');
    assert.equal(s.get('z'), undefined);
  });
});

describe('a starred item in a tuple without brackets', () => {
  it('spreads an attribute, a call or a subscript, as Python reads *x.shape', async () => {
    const s = await shapes(`import torch
x = torch.randn(4, 10, 32)
b, n, _, h = *x.shape, 8
q = torch.zeros(b, h, n)
d0, d1, d2 = *x.size()[:2], 5
r = torch.zeros(d0, d1, d2)
`);
    assert.equal(s.get('q'), '(4, 8, 10)');
    assert.equal(s.get('r'), '(4, 10, 5)');
  });
});

describe('map()', () => {
  it('applies a lambda or a function to each listed item, and to the item a summary stands for', async () => {
    const s = await shapes(`import torch
qkv = torch.randn(4, 10, 96).chunk(3, dim=-1)
q, k, v = map(lambda t: t.view(4, 10, 8, -1).transpose(1, 2), qkv)
def double(t, u):
    return torch.cat([t, u], dim=-1)
pairs = list(map(double, [q, k], [v, v]))
first = pairs[0]
rows = [torch.zeros(5, 3) for _ in range(100)]
tall = list(map(lambda t: t.unsqueeze(0), rows))
one = tall[17]
`);
    assert.equal(s.get('q'), '(4, 8, 10, 4)');
    assert.equal(s.get('v'), '(4, 8, 10, 4)');
    assert.equal(s.get('first'), '(4, 8, 10, 8)');
    assert.equal(s.get('one'), '(1, 5, 3)');
  });

  it('is not followed over what the analysis cannot walk', async () => {
    const s = await shapes(`import torch
import pickle
things = pickle.load(open("x.pkl", "rb"))
a, b = map(torch.as_tensor, things)
`);
    assert.equal(s.get('a'), undefined);
  });
});

describe('max() and min() by a key', () => {
  it('give the item the key picks when every key is known, else what the items share', async () => {
    const s = await shapes(`import torch
clips = [(torch.randn(161, t), t) for t in [27, 31, 22]]
longest = max(clips, key=lambda c: c[0].size(1))[0]
shortest = min(clips, key=lambda c: c[1])[0]
alike = [torch.zeros(4, 8) for _ in range(100)]
one = max(alike, key=lambda t: t.sum().item())
def width(c):
    return c[0].size(0)
first = max(clips, key=width)[0]
`);
    assert.equal(s.get('longest'), '(161, 31)');
    assert.equal(s.get('shortest'), '(161, 22)');
    assert.equal(s.get('one'), '(4, 8)');
    assert.equal(s.get('first'), '(161, 27)');
  });
});

describe('SL168 shape-assertion-fails', () => {
  const sl168 = async (body: string) => (await run(body)).findings.filter((f) => f.code === 'SL168').map((f) => f.range.start.line + 1);

  it('reports an assert on sizes the shapes make false, and stops the path there', async () => {
    const result = await run(`import torch
x = torch.randn(4, 3, 17)
b, c, w = x.size()
assert c == 1, "one channel"
y = x.squeeze(1).permute(2, 0, 1, 3)
`);
    assert.deepEqual(result.findings.map((f) => `${f.code}:${f.range.start.line + 1}`), ['SL168:4']);
    assert.deepEqual(await sl168('import torch\nx = torch.randn(4, 300)\nassert x.shape[1] == 256\n'), [3]);
    assert.deepEqual(await sl168('import torch\nx = torch.randn(4, 3, 5)\nassert x.dim() == 2, "2-D"\n'), [3]);
    const message = (await run('import torch\nwidth = 256\nx = torch.randn(4, 300)\nassert x.size(-1) == width\n')).findings.find((f) => f.code === 'SL168')?.message;
    assert.match(message ?? '', /x\.size\(-1\) is 300, width is 256/);
  });

  it('says nothing of an assert that holds, reads no sizes, or whose values are not known', async () => {
    assert.deepEqual(await sl168('import torch\nx = torch.randn(4, 256)\nassert x.shape[1] == 256\n'), []);
    assert.deepEqual(await sl168('import torch\nd_model, heads = 300, 8\nassert d_model % heads == 0\n'), []);
    assert.deepEqual(await sl168('import torch\nassert False, "unreachable"\n'), []);
    assert.deepEqual(
      await sl168(`import torch
def f(x):
    assert x.size(1) == 256
    return x
`),
      [],
    );
  });
});
