// SL150: an nn.Conv1d / nn.Conv2d kernel (times its dilation) longer than the padded input. The reported cases below
// raise "Kernel size can't be greater than actual input size" in PyTorch 1.13 and the silent ones run (checked: k5
// over 4 steps raises, with padding=1 or padding='same' it runs, a dilated k3 spans 5, stride does not matter, an
// unbatched (C, L) input raises too). test/fixtures/torch/SL150_* and the reported shawn1993-cnn-text-17 hold runs.
import { strict as assert } from 'node:assert';
import { codes, productErrorCases, run } from './helpers';

interface ConvCase {
  kind: 'Conv1d' | 'Conv2d';
  shape: number[];
  kernel: number[];
  padding: number | 'same' | 'valid';
  dilation: number[];
  stride: number;
  raises?: string;
}

describe('SL150 conv-kernel-longer-than-input', () => {
  it('reports Conv1d and Conv2d kernels longer than the padded input, with PyTorch\'s message', async () => {
    const result = await run('conv = nn.Conv2d(1, 100, (5, 128))\ny = conv(torch.randn(64, 1, 4, 128))\n');
    assert.deepEqual(result.findings.map((f) => f.code), ['SL150']);
    assert.match(result.findings[0].message, /Calculated padded input size per channel: \(4 x 128\)\. Kernel size: \(5 x 128\)/);
    assert.deepEqual(await codes('y = nn.Conv1d(2, 3, 5)(torch.randn(1, 2, 4))\n'), ['SL150']);
    assert.deepEqual(await codes('y = nn.Conv1d(2, 3, 3, dilation=2)(torch.randn(1, 2, 4))\n'), ['SL150']);
    assert.deepEqual(await codes("y = nn.Conv1d(2, 3, 5, padding='valid')(torch.randn(1, 2, 4))\n"), ['SL150']);
    assert.deepEqual(await codes('y = nn.Conv1d(2, 3, 5, stride=2)(torch.randn(2, 4))\n'), ['SL150']);
    assert.deepEqual(await codes('y = nn.Conv2d(1, 3, 3)(torch.randn(2, 1, 8, 2))\n'), ['SL150']);
  });

  it('stays silent where the kernel fits, with padding, and where a size is not known', async () => {
    assert.deepEqual(await codes('a = nn.Conv1d(2, 3, 5)(torch.randn(1, 2, 5))\nb = nn.Conv1d(2, 3, 5, padding=1)(torch.randn(1, 2, 4))\n'), []);
    assert.deepEqual(await codes("a = nn.Conv1d(2, 3, 5, padding='same')(torch.randn(1, 2, 4))\nb = nn.Conv1d(2, 3, 3, dilation=2)(torch.randn(1, 2, 5))\n"), []);
    assert.deepEqual(await codes('conv = nn.Conv2d(1, 100, (5, 128))\ndef f(x):\n    return conv(x)\n'), []);
    assert.deepEqual(await codes('def f(n):\n    return nn.Conv1d(2, 3, 5)(torch.randn(1, 2, n))\n'), []);
  });

  it('reports exactly the convolutions PyTorch 1.13 rejects among 160 random ones (test/oracle/product_errors.py)', async () => {
    const cases = productErrorCases<ConvCase>('convs');
    assert.ok(cases.length >= 100 && cases.some((c) => c.raises) && cases.some((c) => !c.raises));
    for (const c of cases) {
      const padding = typeof c.padding === 'string' ? `'${c.padding}'` : String(c.padding);
      const found = await codes(`y = nn.${c.kind}(2, 3, (${c.kernel.join(', ')},), stride=${c.stride}, padding=${padding}, dilation=(${c.dilation.join(', ')},))(torch.randn(${c.shape.join(', ')}))\n`);
      assert.equal(found.includes('SL150'), !!c.raises && /Kernel size can't be greater/.test(c.raises), JSON.stringify(c));
    }
  });
});
