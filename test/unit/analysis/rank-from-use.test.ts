// Ranks a function's own code proves for parameters of unknown rank (ops/rank-from-use): only what PyTorch enforces,
// only on statements every run executes, and nothing when the facts disagree.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { moduleProgram, run, shapeOf } from './helpers';

const MODEL = (init: string, forward: string, params = 'x'): string => moduleProgram(init, forward, { params, functional: true });

describe('ranks proven by use', () => {
  it('proves token ids 2-D from an LSTM output indexed out[:, -1, :] after an Embedding (LSTM: 2 or 3 axes; the index: at least 3)', async () => {
    const body = MODEL('self.emb = nn.Embedding(100, 8)\nself.lstm = nn.LSTM(8, 16, batch_first=True)\nself.fc = nn.Linear(16, 5)', 'e = self.emb(x)\nout, _ = self.lstm(e)\nlast = out[:, -1, :]\ny = self.fc(last)\nreturn y');
    assert.equal(await shapeOf(body, 'e'), '(x.size(0), x.size(1), 8)');
    assert.equal(await shapeOf(body, 'y'), '(B, 5)');
  });

  it('leaves ids unknown when only the LSTM constrains them (2-D and 3-D input both run)', async () => {
    const body = MODEL('self.emb = nn.Embedding(100, 8)\nself.lstm = nn.LSTM(8, 16)', 'e = self.emb(x)\nout, _ = self.lstm(e)\nreturn out');
    assert.equal(await shapeOf(body, 'e'), '(…, 8)');
  });

  it('proves a rank from permute, which lists every axis, reaching back through a Linear and an activation', async () => {
    const body = MODEL('self.fc = nn.Linear(8, 16)', 'h = F.relu(self.fc(x))\nz = h.permute(1, 0, 2)\nreturn z');
    assert.equal(await shapeOf(body, 'h'), '(x.size(0), x.size(1), 16)');
    assert.equal(await shapeOf(body, 'z'), '(x.size(1), x.size(0), 16)');
  });

  it('proves nothing from F.adaptive_avg_pool2d to (1, 1), a mean PyTorch runs on any rank from 2; a size other than 1 demands 3 or 4 axes', async () => {
    const body = (size: string): string => MODEL('pass', `z = x.float()\n(a, b) = x.size()\ny = F.adaptive_avg_pool2d(x, ${size})\nreturn y`);
    assert.equal(await shapeOf(body('1'), 'z'), '(x.size(0), x.size(1))');
    assert.equal(await shapeOf(body('(1, 1)'), 'z'), '(x.size(0), x.size(1))');
    // 2 axes unpacked, and a pooling to (2, 1) that refuses them: the facts disagree, so nothing is proven.
    assert.equal(await shapeOf(body('(2, 1)'), 'z'), undefined);
  });

  it('proves both arguments of torch.bmm 3-D', async () => {
    const body = MODEL('pass', 'scores = torch.bmm(q, k.transpose(1, 2))\nw = F.softmax(scores, dim=-1)\nreturn w', 'q, k');
    assert.equal(await shapeOf(body, 'scores'), '(q.size(0), q.size(1), k.size(1))');
  });

  it('proves the parameter from the first line on, when its size is unpacked later in the body', async () => {
    const body = MODEL('pass', 'before = x.transpose(1, 2)\nb, t, d = x.size()\nreturn before');
    assert.equal(await shapeOf(body, 'before'), '(x.size(0), x.size(2), x.size(1))');
  });

  it('proves the parameter from a copy of its size unpacked: list(x.size()) and tuple(x.shape) have as many items as x has axes', async () => {
    const body = MODEL('pass', 'before = x.transpose(1, 2)\nb, t, d = list(x.size())\nn, m = tuple(y.shape)\nafter = y.t()\nreturn before, after', 'x, y');
    assert.equal(await shapeOf(body, 'before'), '(x.size(0), x.size(2), x.size(1))');
    assert.equal(await shapeOf(body, 'after'), '(y.size(1), y.size(0))');
  });

  it('proves nothing from list(x.size()) once list is rebound, locally or in the module', async () => {
    const local = MODEL('pass', 'list = lambda s: [1, 2, 3]\nbefore = x.transpose(1, 2)\nb, t, d = list(x.size())\nafter = x.transpose(1, 2)\nreturn before, after');
    assert.equal(await shapeOf(local, 'before'), undefined);
    assert.equal(await shapeOf(local, 'after'), undefined);
    const global = `def list(s):\n    return [1, 2, 3]\n${MODEL('pass', 'before = x.transpose(1, 2)\nb, t, d = list(x.size())\nafter = x.transpose(1, 2)\nreturn before, after')}`;
    assert.equal(await shapeOf(global, 'before'), undefined);
    assert.equal(await shapeOf(global, 'after'), undefined);
  });

  it('knows the rank inside a branch that compares it: x.dim() == 3, len(y.shape) == 2, and after `if z.ndim != 2: raise`', async () => {
    const body = MODEL('pass', 'if x.dim() == 3:\n    a = x.transpose(1, 2)\nelse:\n    a = x\nif 2 == len(y.shape):\n    b = y.t()\nif z.ndim != 2:\n    raise ValueError(z.ndim)\nc = z.t()\nd = x.transpose(0, 1)\nreturn a, b, c, d', 'x, y, z');
    assert.equal(await shapeOf(body, 'a'), '(x.size(0), x.size(2), x.size(1))');
    assert.equal(await shapeOf(body, 'b'), '(y.size(1), y.size(0))');
    assert.equal(await shapeOf(body, 'c'), '(z.size(1), z.size(0))');
    // After the branch, where x may have any rank, its rank is not known.
    assert.equal(await shapeOf(body, 'd'), undefined);
  });

  it('knows nothing from a rank compared through a rebound len, or from a comparison that is not == or !=', async () => {
    const body = MODEL('pass', 'len = lambda s: 2\nif len(x.shape) == 2:\n    a = x.t()\nif y.dim() >= 2:\n    b = y.transpose(0, 1)\nreturn a, b', 'x, y');
    assert.equal(await shapeOf(body, 'a'), undefined);
    assert.equal(await shapeOf(body, 'b'), undefined);
  });

  it('proves nothing inside a branch that may not run', async () => {
    const body = MODEL('pass', 'if x.dim() == 3:\n    x = x.permute(1, 0, 2)\ny = x.transpose(0, 1)\nreturn y');
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('proves nothing after a branch that may return early', async () => {
    const body = MODEL('self.fc = nn.Linear(8, 4)', 'z = x.float()\nif x.dim() == 2:\n    return self.fc(x)\ny = x.permute(1, 0, 2)\nreturn y');
    assert.equal(await shapeOf(body, 'z'), undefined);
  });

  it('proves nothing when two uses disagree', async () => {
    const body = MODEL('pass', 'a = x.permute(1, 0)\nb = x.permute(1, 0, 2)\nc = x.float()\nreturn c');
    assert.equal(await shapeOf(body, 'c'), undefined);
  });

  it('proves nothing of a value read with one index (a tuple of tensors reads the same way)', async () => {
    const body = MODEL('pass', 'src = x[0]\ny = src.permute(1, 0, 2)\nz = x.float()\nreturn y, z');
    assert.equal(await shapeOf(body, 'z'), undefined);
  });

  it('proves nothing of x from the rank of x.view(...) (view gives its result\'s rank, not its input\'s)', async () => {
    const body = MODEL('pass', 'flat = x.view(-1, 8)\ny = x.float()\nreturn flat, y');
    assert.equal(await shapeOf(body, 'flat'), '(?, 8)');
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('follows an index that drops an axis: h[:, -1] of a proven 3-D tensor is 2-D, and unsqueeze adds one', async () => {
    const body = MODEL('pass', 'y = x.permute(0, 2, 1)\nlast = x[:, -1]\nu = last.unsqueeze(1)\nreturn u');
    assert.equal(await shapeOf(body, 'last'), '(x.size(0), x.size(2))');
    assert.equal(await shapeOf(body, 'u'), '(x.size(0), 1, x.size(2))');
  });

  it('proves a rank both branches of an if/else prove, and a conditional expression whose branches keep the rank', async () => {
    const body = MODEL('self.linear = nn.Linear(4, 4)', 'Wy = self.linear(y) if self.linear is not None else y\nif self.training:\n    s = x.bmm(Wy.unsqueeze(2))\nelse:\n    s = torch.bmm(x, Wy.unsqueeze(2))\nz = x.float()\nw = y.float()\nreturn s', 'x, y');
    assert.equal(await shapeOf(body, 'z'), '(x.size(0), x.size(1), x.size(2))');
    assert.equal(await shapeOf(body, 'w'), '(y.size(0), y.size(1))');
  });

  it('proves nothing from a conditional expression\'s branch, which may not run', async () => {
    const body = MODEL('pass', 'y = x.permute(1, 0, 2) if x.dim() == 3 else x\nz = x.float()\nreturn y, z');
    assert.equal(await shapeOf(body, 'z'), undefined);
  });

  it('proves a rank from an axis read: out.size(2) of an LSTM output (2 or 3 axes) makes it 3-D', async () => {
    const body = MODEL('self.lstm = nn.LSTM(4, 8)', 'out, _ = self.lstm(x)\nn = out.size(2)\nz = x.float()\nreturn out', 'x');
    assert.equal(await shapeOf(body, 'z'), '(x.size(0), x.size(1), x.size(2))');
  });

  it('proves an argument\'s rank from what the called helper method and submodule prove of their parameters', async () => {
    const body = 'import torch\nimport torch.nn as nn\nclass Enc(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.lstm = nn.LSTM(8, 16, batch_first=True)\n    def forward(self, e):\n        out, _ = self.lstm(e)\n        return out[:, -1, :]\nclass M(nn.Module):\n    def __init__(self):\n        super().__init__()\n        self.emb = nn.Embedding(50, 8)\n        self.enc = Enc()\n    def scale(self, q):\n        return q.permute(1, 0)\n    def forward(self, x, y):\n        z = x.float()\n        w = y.float()\n        h = self.enc(self.emb(x))\n        t = self.scale(y)\n        return h, t\n';
    assert.equal(await shapeOf(body, 'z'), '(x.size(0), x.size(1))');
    assert.equal(await shapeOf(body, 'w'), '(y.size(0), y.size(1))');
  });

  it('proves the rank of a tensor bound in the body from its later use, from that assignment on', async () => {
    const body = MODEL('pass', 'a = x.squeeze()\nc = a.float()\nb = a.permute(1, 0)\nd = x.float()\nreturn b, c, d');
    assert.equal(await shapeOf(body, 'c'), '(?, ?)');
    assert.equal(await shapeOf(body, 'd'), undefined);
  });

  it('proves nothing of a name rebound in a loop, whose uses may see another binding', async () => {
    const body = MODEL('pass', 'a = x.squeeze()\nc = a.float()\nfor i in range(3):\n    a = a.sum(0)\nb = a.permute(1, 0)\nreturn b, c');
    assert.equal(await shapeOf(body, 'c'), undefined);
  });

  it('proves a name bound in a loop step from what the rest of that step does with it', async () => {
    const body = MODEL('self.emb = nn.Embedding(100, 8)', 'for t in range(x.size(0)):\n    e = self.emb(x[t])\n    z = e.permute(1, 0, 2)\nreturn z');
    assert.equal(await shapeOf(body, 'e'), '(?, ?, 8)');
  });

  it('proves nothing in a loop of a value bound before it, nor of a name read before the step binds it', async () => {
    const before = MODEL('self.emb = nn.Embedding(100, 8)', 'e = self.emb(x)\nfor t in range(3):\n    z = e.permute(1, 0, 2)\nreturn e');
    assert.equal(await shapeOf(before, 'e'), '(…, 8)');
    const carried = MODEL('pass', 'h = x.squeeze()\nfor t in range(3):\n    z = h.permute(1, 0)\n    h = x.squeeze()\nreturn z');
    assert.equal(await shapeOf(carried, 'h'), undefined);
  });

  it('proves the padded tensor of a PackedSequence run by an LSTM 3-D (its packed data is 2-D)', async () => {
    const body = MODEL('self.emb = nn.Embedding(100, 8)\nself.lstm = nn.LSTM(8, 16, batch_first=True)', 'e = self.emb(x)\npacked = nn.utils.rnn.pack_padded_sequence(e, lengths, batch_first=True)\nout, _ = self.lstm(packed)\nreturn out', 'x, lengths');
    assert.equal(await shapeOf(body, 'e'), '(x.size(0), x.size(1), 8)');
  });

  it('proves a rank through a layer built as one of several on different paths (an LSTM or a GRU as cfg says)', async () => {
    const init = 'self.emb = nn.Embedding(100, 8)\nif cfg.gru:\n    self.rnn = nn.GRU(8, 16, batch_first=True)\nelse:\n    self.rnn = nn.LSTM(8, 16, batch_first=True)';
    const body = moduleProgram(init, 'e = self.emb(x)\nout, _ = self.rnn(e)\nlast = out[:, -1, :]\nreturn last', { cfg: true });
    assert.equal(await shapeOf(body, 'e'), '(x.size(0), x.size(1), 8)');
  });

  it('proves a rank one of the alternative layers accepts, and nothing through alternatives that shift it differently', async () => {
    // Conv1d takes 2 or 3 axes, Conv2d 3 or 4: with the later index needing 4, only 4 is left.
    const union = moduleProgram('if cfg.wide:\n    self.conv = nn.Conv1d(4, 4, 1)\nelse:\n    self.conv = nn.Conv2d(4, 4, 1)', 'z = x.float()\nh = self.conv(z)\nlast = h[:, :, :, -1]\nreturn last', { cfg: true });
    assert.equal(await shapeOf(union, 'z'), '(x.size(0), x.size(1), x.size(2), x.size(3))');
    // An Embedding adds an axis, a Linear keeps the rank: the output's rank says nothing of the input's.
    const mixed = moduleProgram('if cfg.ids:\n    self.inp = nn.Embedding(10, 4)\nelse:\n    self.inp = nn.Linear(4, 4)', 'a = x.float()\nh = self.inp(a)\nz = h.permute(1, 0, 2)\nreturn z', { cfg: true });
    assert.equal(await shapeOf(mixed, 'a'), undefined);
  });

  it('reports nothing on a correct model whose input rank only its use proves', async () => {
    const body = MODEL('self.emb = nn.Embedding(100, 8)\nself.lstm = nn.LSTM(8, 16, num_layers=2, batch_first=True, bidirectional=True)\nself.fc = nn.Linear(32, 5)', 'e = self.emb(x)\nout, (h, c) = self.lstm(e)\nlast = out[:, -1, :]\nreturn F.log_softmax(self.fc(last), dim=1)');
    const result = await run(body);
    // SL152's information (the reverse half of the last step) is about the modelling, not an error or warning.
    assert.deepEqual(result.findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => f.code), []);
    assert.ok(result.tensors.some((t) => t.name === 'last' && t.shape === '(B, 32)'));
  });

  it('finds the bug its use-proven rank exposes: a Linear sized for one direction after a bidirectional LSTM', async () => {
    const body = MODEL('self.emb = nn.Embedding(100, 8)\nself.lstm = nn.LSTM(8, 16, batch_first=True, bidirectional=True)\nself.fc = nn.Linear(16, 5)', 'e = self.emb(x)\nout, _ = self.lstm(e)\nlast = out[:, -1, :]\nreturn self.fc(last)');
    const result = await run(body);
    assert.ok(result.findings.some((f) => f.severity === 'error'), result.findings.map((f) => `${f.code} ${f.message}`).join('\n'));
  });
});

interface RankDemandCase { layer: string | null; expr: string; dtype: string; accepts: number[]; shift: number | null }
const demands: Record<string, RankDemandCase> = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'oracle', 'op-shapes.json'), 'utf8')).rankDemands;

/** A model whose forward first reads x (`z`), then runs `lines`; the op's layer, if any, is `self.m`. */
function probe(c: RankDemandCase, lines: string[]): string {
  const layer = c.layer ? c.layer.replace(/\{\w+\}/g, '3').replace(/\.eval\(\)$/, '') : 'None';
  const expr = c.expr.replace(/\bm\(/g, 'self.m(');
  return MODEL(`self.m = ${layer}`, ['z = x.float()', ...lines.map((l) => l.replace('EXPR', expr))].join('\n'));
}

function names(prefix: string, count: number): string {
  return Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(', ') + (count === 1 ? ',' : '');
}

describe('ranks proven by use against PyTorch 1.13 (rankDemands of test/oracle/op-shapes.json)', () => {
  for (const [name, c] of Object.entries(demands)) {
    const output = c.shift === null ? 'a number' : `${c.shift >= 0 ? '+' : ''}${c.shift} axes`;
    it(`${name}: ${c.expr} runs on ranks ${c.accepts.join(', ')} of 1..6, giving ${output}`, async () => {
      for (let rank = 1; rank <= 6; rank++) {
        // x's size unpacked into `rank` names, then the op: x's rank is proven only when the op accepts it.
        const shape = await shapeOf(probe(c, [`(${names('d', rank)}) = x.size()`, 'y = EXPR']), 'z');
        assert.equal(shape !== undefined && !shape.startsWith('(…'), c.accepts.includes(rank), `rank ${rank}: z ${shape}`);
      }
      if (c.shift === null) return;
      // The output's rank unpacked: x's rank follows through the op's shift.
      const shift = c.shift;
      const rank = c.accepts.find((r) => r >= 1 && r + shift >= 1);
      // An op whose output has no axes to unpack (dot: 1-D to 0-D) is checked by its demand alone.
      if (rank === undefined) return;
      const shape = await shapeOf(probe(c, ['y = EXPR', `(${names('e', rank + shift)}) = y.size()`]), 'z');
      assert.equal(shape?.replace(/^\(|\)$/g, '').split(',').filter((s) => s.trim()).length, rank, `z ${shape}`);
    });
  }
});
