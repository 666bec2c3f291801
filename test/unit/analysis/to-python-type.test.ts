// `.to(bool)`, `.to(int)` and `.to(float)`: PyTorch reads Python's scalar types as torch.bool, torch.int64 and
// torch.float64 (PyTorch 1.13), so a mask built with .to(bool) is a bool mask and ids built with .to(int) are integers.
import { strict as assert } from 'node:assert';
import { codes } from './helpers';

describe('.to() given a Python scalar type', () => {
  it('makes a bool mask of .to(bool): a MultiheadAttention mask built so is no float 0/1 mask', async () => {
    const body = [
      'mha = nn.MultiheadAttention(8, 2)',
      'x = torch.randn(3, 2, 8)',
      'mask = torch.ones(3, 3).to(bool)',
      'out, _ = mha(x, x, x, attn_mask=mask)',
      '',
    ].join('\n');
    assert.deepEqual((await codes(body)).filter((c) => c === 'SL135'), []);
  });

  it('still flags the float 0/1 mask that .to(torch.float) makes', async () => {
    const body = [
      'mha = nn.MultiheadAttention(8, 2)',
      'x = torch.randn(3, 2, 8)',
      'mask = torch.ones(3, 3).to(torch.float)',
      'out, _ = mha(x, x, x, attn_mask=mask)',
      '',
    ].join('\n');
    assert.ok((await codes(body)).includes('SL135'));
  });

  it('makes integer ids of .to(int): an Embedding given them sees no float input', async () => {
    const body = [
      'emb = nn.Embedding(10, 4)',
      'ids = (torch.rand(2, 5) * 9).to(int)',
      'e = emb(ids)',
      '',
    ].join('\n');
    assert.deepEqual((await codes(body)).filter((c) => c === 'SL110'), []);
  });

  it('keeps the dtype for .to(device)', async () => {
    const body = [
      "device = torch.device('cpu')",
      'emb = nn.Embedding(10, 4)',
      'e = emb(torch.rand(2, 5).to(device))',
      '',
    ].join('\n');
    assert.ok((await codes(body)).includes('SL110'));
  });
});
