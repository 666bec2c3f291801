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

  it('keeps the length unknown where the window may run past the end or start before 0', async () => {
    assert.equal(await shapeOf(`${series}w = torch.stack([series[i:i + k] for i in range(102)])\n`, 'w'), '(102, ?)');
    assert.equal(await shapeOf(`${series}w = torch.stack([series[i:i + k] for i in range(-1, 99)])\n`, 'w'), '(100, ?)');
    assert.equal(await shapeOf(`${series}for j in range(90):\n    j = j * 2\n    s = series[j:j + k]\n`, 's'), '(?,)');
    assert.equal(await shapeOf(`${series}for j in range(90):\n    s = series[j:j + k:2]\n`, 's'), '(?,)');
  });
});
