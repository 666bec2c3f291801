// A class extending a torch layer (`class LayerNorm(nn.LayerNorm)`, `class TokenEmbedding(nn.Embedding)`) is that layer
// with methods of its own: super().__init__(…) builds the layer, super().forward(…) applies it, and without a forward
// of its own calling the module applies the layer. Shapes and the error are what PyTorch 1.13 gives.
import { strict as assert } from 'node:assert';
import { codes, run, shapeOf } from './helpers';

describe('a class extending a torch layer', () => {
  it('applies the layer through super().forward()', async () => {
    const body = [
      'class LayerNorm(nn.LayerNorm):',
      '    def forward(self, x):',
      '        orig_type = x.dtype',
      '        ret = super().forward(x.type(torch.float32))',
      '        return ret.type(orig_type)',
      'a = LayerNorm(8)(torch.randn(3, 4, 8))',
      '',
    ].join('\n');
    assert.equal(await shapeOf(body, 'a'), '(3, 4, 8)');
  });

  it('builds the layer from super().__init__() and applies it when the class has no forward', async () => {
    const body = [
      'class TokenEmbedding(nn.Embedding):',
      '    def __init__(self, vocab_size, embed_size=512):',
      '        super().__init__(vocab_size, embed_size, padding_idx=0)',
      'emb = TokenEmbedding(100, 16)',
      'b = emb(torch.randint(0, 100, (2, 7)))',
      'd = torch.zeros(emb.embedding_dim)',
      '',
    ].join('\n');
    assert.equal(await shapeOf(body, 'b'), '(2, 7, 16)');
    assert.equal(await shapeOf(body, 'd'), '(16,)');
  });

  it('finds the layer after a mixin, as Python\'s method order does', async () => {
    const body = [
      'class Bottle(nn.Module):',
      '    def forward(self, input):',
      '        if len(input.size()) <= 2:',
      '            return super(Bottle, self).forward(input)',
      '        size = input.size()[:2]',
      '        out = super(Bottle, self).forward(input.view(size[0] * size[1], -1))',
      '        return out.view(size[0], size[1], -1)',
      'class Linear(Bottle, nn.Linear):',
      '    pass',
      'c = Linear(8, 5)(torch.randn(3, 4, 8))',
      '',
    ].join('\n');
    assert.equal(await shapeOf(body, 'c'), '(3, 4, 5)');
  });

  it('checks the input against the layer it built', async () => {
    const body = [
      'class Scaled(nn.Linear):',
      '    def __init__(self, n_in, n_out, scale):',
      '        super(Scaled, self).__init__(n_in, n_out)',
      '        self.scale = scale',
      '    def forward(self, x):',
      '        return super(Scaled, self).forward(x) * self.scale',
      's = Scaled(8, 3, 2.0)',
      'y = s(torch.randn(4, 8))',
      'bad = s(torch.randn(4, 6))',
      '',
    ].join('\n');
    assert.equal(await shapeOf(body, 'y'), '(4, 3)');
    const findings = (await run(body)).findings;
    assert.deepEqual(findings.map((f) => [f.code, f.range.start.line + 1]), [['SL106', 8]]);
  });

  it('stays unknown when the class is called with arguments the analysis cannot see', async () => {
    const body = ['class LayerNorm(nn.LayerNorm):', '    pass', 'ln = LayerNorm(*make_dims())', 'a = ln(torch.randn(3, 4, 8))', ''].join('\n');
    assert.equal(await shapeOf(body, 'a'), undefined);
    assert.deepEqual(await codes(body), []);
    // Unpacked from a list the analysis sees, the arguments are all there.
    const listed = ['class Linear(nn.Linear):', '    pass', 'config = [8, 5]', 'c = Linear(*config)(torch.randn(3, 8))', ''].join('\n');
    assert.equal(await shapeOf(listed, 'c'), '(3, 5)');
  });

  it('passes on the *args and **kwargs of __init__ when the call shows every argument, and stays unknown when it hides some', async () => {
    const body = (call: string) => [
      'import sys',
      'import torch',
      'import torch.nn as nn',
      'class LSTM(nn.LSTM):',
      '    def __init__(self, *args, dropouti=0.0, **kwargs):',
      '        super().__init__(*args, **kwargs)',
      '        self.dropouti = dropouti',
      `out, _ = ${call}(torch.randn(2, 5, 8))`,
      '',
    ].join('\n');
    // PyTorch 1.13: (2, 5, 16).
    assert.equal(await shapeOf(body('LSTM(8, 16, batch_first=True)'), 'out'), '(2, 5, 16)');
    assert.equal(await shapeOf(body('LSTM(*sys.argv[1:], batch_first=True)'), 'out'), undefined);
    assert.deepEqual(await codes(body('LSTM(*sys.argv[1:], batch_first=True)')), []);
  });
});
