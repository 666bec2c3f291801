// An nn.ModuleDict's modules are attributes too: nn.Module.__getattr__ finds `self.transformer.wte` among the
// registered modules, as `self.transformer['wte']` does (the GPT idiom). Checked in PyTorch 1.13: the attribute is the
// module of that key; a key may not be the name of a method (add_module raises KeyError "attribute 'keys' already
// exists"); ModuleDict(d) copies d, so a key added to d later is not in it; a name that is no key raises AttributeError.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const gpt = (extra = '', use = 'x = self.transformer.ln_f(tok + pos)') =>
  'class GPT(nn.Module):\n' +
  '    def __init__(self, vocab, block, d):\n' +
  '        super().__init__()\n' +
  '        self.transformer = nn.ModuleDict(dict(\n' +
  '            wte=nn.Embedding(vocab, d),\n' +
  '            wpe=nn.Embedding(block, d),\n' +
  '            ln_f=nn.LayerNorm(d),\n' +
  '        ))\n' +
  extra +
  '        self.lm_head = nn.Linear(d, vocab)\n\n' +
  '    def forward(self, idx):\n' +
  '        b, t = idx.size()\n' +
  '        pos = torch.arange(0, t, dtype=torch.long).unsqueeze(0)\n' +
  '        tok = self.transformer.wte(idx)\n' +
  '        pos = self.transformer.wpe(pos)\n' +
  `        ${use}\n` +
  '        return self.lm_head(x)\n\n\n' +
  'model = GPT(65, 16, 32)\n' +
  'logits = model(torch.randint(0, 65, (4, 8)))\n';

describe("an nn.ModuleDict's modules read as attributes", () => {
  it('self.transformer.wte(idx) is the Embedding of that key: (4, 8) ids give (4, 8, 32), and the head (4, 8, 65)', async () => {
    assert.equal(await shapeOf(gpt(), 'tok'), '(4, 8, 32)');
    assert.equal(await shapeOf(gpt(), 'x'), '(4, 8, 32)');
    assert.equal(await shapeOf(gpt(), 'logits'), '(4, 8, 65)');
  });

  it('the module read as an attribute is checked as the item would be: a LayerNorm(64) given 32 features is SL161', async () => {
    // PyTorch 1.13: "Given normalized_shape=[64], expected input with shape [*, 64], but got input of size[4, 8, 32]".
    const wrong = gpt('        self.norms = nn.ModuleDict({"out": nn.LayerNorm(64)})\n', 'x = self.norms.out(tok + pos)');
    const item = gpt('        self.norms = nn.ModuleDict({"out": nn.LayerNorm(64)})\n', 'x = self.norms["out"](tok + pos)');
    assert.deepEqual(await codes(wrong), ['SL161']);
    assert.deepEqual(await codes(item), ['SL161']);
  });

  it('a plain dict has no such attributes, and a name that is no key of the ModuleDict stays unknown', async () => {
    const plain = 'd = dict(wte=nn.Embedding(10, 4))\nx = d.wte(torch.randint(0, 10, (2, 3)))\n';
    assert.equal(await shapeOf(plain, 'x'), undefined);
    const missing = 'd = nn.ModuleDict(dict(wte=nn.Embedding(10, 4)))\nx = d.wpe(torch.randint(0, 10, (2, 3)))\n';
    assert.equal(await shapeOf(missing, 'x'), undefined);
  });

  it('ModuleDict(d) holds the modules d had then: a key added to d afterwards is not one of its attributes', async () => {
    const body = 'd = dict(a=nn.Linear(3, 4))\nm = nn.ModuleDict(d)\nd["b"] = nn.Linear(3, 5)\nx = torch.randn(2, 3)\ny = m.a(x)\nz = m.b(x)\n';
    assert.equal(await shapeOf(body, 'y'), '(2, 4)');
    assert.equal(await shapeOf(body, 'z'), undefined);
  });
});
