// Slices whose bounds are not known but whose length is: `x[i:i + k]` with i a loop index over a range of known bounds.
// Each expectation was checked with PyTorch 1.13 (the shapes below; range(102) makes torch.stack raise, the last
// windows being shorter).
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

describe('slice windows', () => {
  const series = 'series = torch.arange(120, dtype=torch.float)\nk = 20\n';

  it('gives x[i:i + k] the length k where the range keeps i + k within the axis', async () => {
    assert.equal(await shapeOf(`${series}w = torch.stack([series[i:i + k] for i in range(100)])\n`, 'w'), '(100, 20)');
    assert.equal(await shapeOf(`${series}w = torch.stack([series[i:k + i] for i in range(len(series) - k)])\n`, 'w'), '(100, 20)');
    assert.equal(await shapeOf(`${series}for j in range(len(series) - 30):\n    s = series[j:j + 30]\n`, 's'), '(30,)');
  });

  it('gives x[i:last] the length k where last = i + k was computed before, as the windows of a time-series loop are', async () => {
    assert.equal(await shapeOf(`${series}for j in range(len(series) - k - 1):\n    last = j + k\n    s = series[j:last]\n`, 's'), '(20,)');
    assert.equal(await shapeOf(`${series}xs = []\nfor j in range(len(series) - k):\n    end = k + j\n    xs.append(series[j:end])\nw = torch.stack(xs)\n`, 'w'), '(100, 20)');
    // Past the end, shifted down, or from another index: not a window of known length.
    assert.equal(await shapeOf(`${series}for j in range(len(series)):\n    last = j + k\n    s = series[j:last]\n`, 's'), '(?,)');
    assert.equal(await shapeOf(`${series}for j in range(k, 100):\n    first = j - k\n    s = series[j:first]\n`, 's'), '(?,)');
    assert.equal(await shapeOf(`${series}for j in range(50):\n    for m in range(50):\n        last = m + k\n        s = series[j:last]\n`, 's'), '(?,)');
  });

  it('keeps the length unknown where the window may run past the end or start before 0', async () => {
    assert.equal(await shapeOf(`${series}w = torch.stack([series[i:i + k] for i in range(102)])\n`, 'w'), '(102, ?)');
    assert.equal(await shapeOf(`${series}w = torch.stack([series[i:i + k] for i in range(-1, 99)])\n`, 'w'), '(100, ?)');
    assert.equal(await shapeOf(`${series}for j in range(90):\n    j = j * 2\n    s = series[j:j + k]\n`, 's'), '(?,)');
    assert.equal(await shapeOf(`${series}for j in range(90):\n    s = series[j:j + k:2]\n`, 's'), '(?,)');
  });

  it('slices a list too long to keep item by item to the length Python gives, never to the whole list', async () => {
    // Python: ids[10:20], ids[:3], ids[-5:] and ids[995:2000] of 1,000 ids have 10, 3, 5 and 5 items.
    const ids = 'ids = [i % 7 for i in range(1000)]\n';
    assert.equal(await shapeOf(`${ids}a = torch.tensor(ids[10:20])\n`, 'a'), '(10,)');
    assert.equal(await shapeOf(`${ids}a = torch.tensor(ids[:3])\n`, 'a'), '(3,)');
    assert.equal(await shapeOf(`${ids}a = torch.tensor(ids[-5:])\n`, 'a'), '(5,)');
    assert.equal(await shapeOf(`${ids}a = torch.tensor(ids[995:2000])\n`, 'a'), '(5,)');
    assert.equal(await shapeOf(`${ids}for n in range(len(ids) - 101):\n    a = torch.tensor(ids[n:n + 100])\n`, 'a'), '(100,)');
    // A start not known, or a step, leaves the length unknown.
    assert.equal(await shapeOf(`${ids}n = int(input())\na = torch.tensor(ids[n:n + 5])\n`, 'a'), '(?,)');
    assert.equal(await shapeOf(`${ids}a = torch.tensor(ids[::2])\n`, 'a'), '(?,)');
  });
});
