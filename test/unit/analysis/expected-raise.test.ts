// Code written to raise: the body of `with pytest.raises(...)` or a test case's `with self.assertRaises(...)` fails on
// purpose, so what PyTorch raises there is what its author expects and is not reported. Code after the block is
// checked as usual.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

const HEAD = 'import pytest\nimport unittest\nimport torch\nimport torch.nn as nn\n\n';

describe('code written to raise', () => {
  it('reports a call that raises outside any expecting block', async () => {
    assert.deepEqual(await codes(`${HEAD}def test_width():\n    lstm = nn.LSTM(10, 20)\n    lstm(torch.randn(5, 3, 12))\n`), ['SL101']);
  });

  it('does not report it under pytest.raises', async () => {
    assert.deepEqual(await codes(`${HEAD}def test_width():\n    lstm = nn.LSTM(10, 20)\n    with pytest.raises(RuntimeError):\n        lstm(torch.randn(5, 3, 12))\n`), []);
    const imported = `import torch\nimport torch.nn as nn\nfrom pytest import raises\n\ndef test_width():\n    lstm = nn.LSTM(10, 20)\n    with raises(RuntimeError, match='input.size'):\n        lstm(torch.randn(5, 3, 12))\n`;
    assert.deepEqual(await codes(imported), []);
  });

  it("does not report it under a test case's assertRaises", async () => {
    const body = `${HEAD}class T(unittest.TestCase):\n    def test_width(self):\n        lstm = nn.LSTM(10, 20)\n        with self.assertRaises(RuntimeError):\n            lstm(torch.randn(5, 3, 12))\n`;
    assert.deepEqual(await codes(body), []);
  });

  it('still reports the same call after the block, and under another context manager', async () => {
    const after = `${HEAD}def test_width():\n    lstm = nn.LSTM(10, 20)\n    with pytest.raises(RuntimeError):\n        lstm(torch.randn(5, 3, 12))\n    lstm(torch.randn(5, 3, 12))\n`;
    assert.deepEqual(await codes(after), ['SL101']);
    const other = `${HEAD}def test_width():\n    lstm = nn.LSTM(10, 20)\n    with torch.no_grad():\n        lstm(torch.randn(5, 3, 12))\n`;
    assert.deepEqual(await codes(other), ['SL101']);
  });
});
