// SL158: a layer built with a float as one of the sizes it allocates its weights from. Which arguments those are is
// PyTorch 1.13's answer in test/oracle/product-errors.json (`layer_floats`: each int argument of a layer made a float of
// the same value in turn): the rule must fire on every one whose constructor raises a TypeError, and on no other.
import { strict as assert } from 'node:assert';
import { codes, productErrorCases, run } from './helpers';

interface LayerFloatCase {
  kind: string;
  args: Record<string, number | boolean>;
  float: string;
  raises?: string;
}

function python(value: number | boolean, float: boolean): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return float ? value.toFixed(1) : String(value);
}

describe('SL158 layer-float-size', () => {
  it('fires exactly on the arguments whose float makes PyTorch 1.13 raise a TypeError when the layer is built', async () => {
    const cases = productErrorCases<LayerFloatCase>('layer_floats');
    assert.ok(cases.length >= 40 && cases.some((c) => !c.raises) && cases.some((c) => c.raises?.startsWith('TypeError')));
    for (const c of cases) {
      const args = Object.entries(c.args).map(([name, value]) => `${name}=${python(value, name === c.float)}`).join(', ');
      const found = await codes(`layer = nn.${c.kind}(${args})\n`);
      const expected = c.raises?.startsWith('TypeError') ? ['SL158'] : [];
      assert.deepEqual(found.filter((code) => code === 'SL158'), expected, `nn.${c.kind}(${args}): ${c.raises ?? 'builds'}`);
    }
  });

  it('reads / between ints as a float whatever their values, and names the floor division', async () => {
    const source = `import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, N_word, N_h, N_depth):
        super().__init__()
        self.lstm = nn.LSTM(input_size=N_word, hidden_size=N_h / 2, num_layers=N_depth, bidirectional=True)
        self.out = nn.Linear(N_h, 1)
`;
    const result = await run(source);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL158']);
    assert.match(result.findings[0].message, /LSTM \(line 7\) is given a float \(N_h \/ 2\) as hidden_size; sizes must be ints, so PyTorch raises a TypeError/);
    assert.deepEqual(result.findings[0].fixes?.map((f) => f.title), ['Use floor division (//)']);
    assert.equal(result.findings[0].fixes?.[0].edits[0].newText, 'N_h // 2');
    assert.deepEqual(await codes('hidden = 256\nlayer = nn.Linear(hidden, hidden / 4)\n'), ['SL158']);
    assert.deepEqual(await codes('import math\nimport torch.nn as nn\nd = 64\nlayer = nn.Linear(d, math.sqrt(d))\n'), ['SL158']);
  });

  it('stays silent where a caller may pass an int, and on ints', async () => {
    // A float default of a model this file never builds: a caller may pass an int, and so may it for a factor.
    const defaults = `import torch.nn as nn


class Head(nn.Module):
    def __init__(self, hidden=128, scale=2.0, ratio=0.5):
        super().__init__()
        self.a = nn.Linear(hidden, scale)
        self.b = nn.Linear(hidden, hidden * ratio)
        self.c = nn.Linear(hidden, hidden // 2)
        self.d = nn.Linear(hidden, int(hidden * scale))
        self.bn = nn.BatchNorm1d(hidden / 2, affine=False, track_running_stats=False)
        self.attn = nn.MultiheadAttention(hidden, hidden / 64)
`;
    assert.deepEqual(await codes(defaults), []);
    // Built with the defaults, the model raises: the defaults are then what it is given. PyTorch raises at scale, the
    // first, and never reaches hidden * ratio on the next line.
    const built = await run(`${defaults}\n\nhead = Head()\n`);
    assert.deepEqual(built.findings.map((f) => `${f.code}@${f.range.start.line + 1}`), ['SL158@7']);
  });
});
