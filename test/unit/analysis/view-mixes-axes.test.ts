// SL120's reading of a reshape, checked by laying elements out as PyTorch does (row-major, memory order kept):
// every axis it names as mixed really takes its steps across other input axes.
import { strict as assert } from 'node:assert';
import { intDim, symDim } from '../../../src/analysis/shapes/dim';
import { mixedAxes } from '../../../src/analysis/rules/torch/sl120-view-mixes-axes';
import { moduleProgram, run } from './helpers';

/** The input coordinates of the element at `index` of a reshape of `input` to `output`. */
function sourceOf(input: number[], output: number[], index: number[]): number[] {
  let flat = 0;
  for (let a = 0; a < output.length; a++) flat = flat * output[a] + index[a];
  const coords = new Array(input.length).fill(0);
  for (let a = input.length - 1; a >= 0; a--) {
    coords[a] = flat % input[a];
    flat = Math.floor(flat / input[a]);
  }
  return coords;
}

/** Whether one step along output axis `axis` (from the origin) moves only input axis `kept`. */
function carries(input: number[], output: number[], axis: number, kept: number): boolean {
  const origin = new Array(output.length).fill(0);
  for (let k = 1; k < output[axis]; k++) {
    const at = [...origin];
    at[axis] = k;
    const coords = sourceOf(input, output, at);
    if (coords.some((c, a) => (a === kept ? c !== k : c !== 0))) return false;
  }
  return true;
}

function randomShape(next: () => number): number[] {
  const rank = 2 + Math.floor(next() * 3);
  return Array.from({ length: rank }, () => 1 + Math.floor(next() * 6));
}

function permutations(xs: number[]): number[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

describe('SL120 view-mixes-axes: the axes a reshape regroups', () => {
  it('names the classic moves: (B, T, F) viewed as (T, B, F), heads merged before the transpose, a feature map read as steps', () => {
    const dims = (xs: number[]) => xs.map((x) => intDim(x));
    assert.deepEqual(mixedAxes(dims([4, 12, 10]), dims([12, 4, 10])), { size: 12, inputAxis: 1, outputAxis: 0, from: 0, to: 1 });
    assert.equal(mixedAxes(dims([2, 4, 7, 8]), dims([2, 7, 32]))?.outputAxis, 1);
    assert.equal(mixedAxes(dims([2, 8, 298, 257]), dims([2, -1, 298, 1]))?.size, 298);
    // Merges, splits and a flatten keep every axis they do not join.
    assert.equal(mixedAxes(dims([4, 12, 10]), dims([4, 120])), undefined);
    assert.equal(mixedAxes(dims([4, 12, 10]), dims([-1, 10])), undefined);
    assert.equal(mixedAxes(dims([6, 4, 32]), dims([6, 4, 2, 16])), undefined);
    assert.equal(mixedAxes(dims([2, 7, 4, 8]), dims([2, 7, 32])), undefined);
    // A 2 is as often a split in halves: left alone.
    assert.equal(mixedAxes(dims([5, 2, 4]), dims([2, 20])), undefined);
  });

  it('reads unknown leading and trailing sizes only where both shapes share them', () => {
    const batch = symDim('batch');
    assert.equal(mixedAxes([batch, intDim(12), intDim(10)], [batch, intDim(10), intDim(12)])?.outputAxis, 1);
    assert.equal(mixedAxes([batch, intDim(12), intDim(10)], [intDim(12), batch, intDim(10)]), undefined);
    assert.equal(mixedAxes([{ kind: 'unknown' }, intDim(12), intDim(10)], [intDim(-1), intDim(10), intDim(12)]), undefined);
  });

  it('agrees with the element layout on random shapes and every reordering of their sizes', () => {
    let seed = 7;
    const next = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let flagged = 0;
    let passed = 0;
    for (let n = 0; n < 150; n++) {
      const input = randomShape(next);
      for (const output of permutations(input)) {
        const found = mixedAxes(input.map((x) => intDim(x)), output.map((x) => intDim(x)));
        if (found) {
          flagged++;
          assert.ok(!carries(input, output, found.outputAxis, found.inputAxis), `(${input}) -> (${output}): axis ${found.outputAxis} does carry axis ${found.inputAxis}`);
          assert.equal(output[found.outputAxis], input[found.inputAxis]);
        } else passed++;
      }
    }
    assert.ok(flagged > 50 && passed > 50, `flagged ${flagged}, passed ${passed}`);
  });
});

/** The lines SL120 reports on. */
async function sl120Lines(body: string): Promise<number[]> {
  return (await run(body)).findings.filter((f) => f.code === 'SL120').map((f) => f.range.start.line + 1 - 2);
}

// Each case's data was checked with PyTorch 1.13 (torch.equal against the intended transpose or the input itself).
describe('SL120 view-mixes-axes: the regrouped elements travel with the value', () => {
  it('is reported where a layer reads it through a second, identity view in a called function', async () => {
    const body = 'x = torch.randn(80, 20)\nv = x.view(20, -1, 1)\nlstm = nn.LSTM(1, 8)\ndef f(inp):\n    return lstm(inp.view(len(inp), 80, -1))\nf(v)\n';
    assert.deepEqual(await sl120Lines(body), [2]);
  });

  it('is reported through a list, cat along the regrouped axes, squeeze and transpose', async () => {
    const body = 'a = torch.randn(2, 8, 30, 16)\nm = a.view(2, -1, 30, 1)\nparts = [m]\nparts.append(torch.randn(2, 4, 30, 1))\nc = torch.cat(parts, dim=1).squeeze(3)\nc = torch.transpose(c, 1, 2)\nlstm = nn.LSTM(132, 8, batch_first=True)\nout, _ = lstm(torch.relu(c))\n';
    assert.deepEqual(await sl120Lines(body), [2]);
  });

  it('is reported where torch.bmm, .bmm() or @ reads it, and stays silent where only a loss does', async () => {
    assert.deepEqual(await sl120Lines('h = torch.randn(2, 6, 5)\nq = h.view(6, -1, 1)\ns = torch.bmm(torch.randn(6, 3, 10), q)\n'), [2]);
    assert.deepEqual(await sl120Lines('h = torch.randn(2, 6, 5)\nq = h.view(6, -1, 1)\ns = torch.randn(6, 3, 10).bmm(q * 2)\n'), [2]);
    assert.deepEqual(await sl120Lines('h = torch.randn(2, 6, 5)\nq = h.view(6, -1, 1)\ns = torch.randn(6, 3, 10) @ q.contiguous()\n'), [2]);
    const loss = 'out = torch.randn(4, 12, 10)\ntgt = torch.randn(4, 12, 10)\nl = nn.MSELoss()(out.view(12, 4, 10).relu(), tgt.view(12, 4, 10))\n';
    assert.deepEqual(await sl120Lines(loss), []);
  });

  it('is undone by a reshape back to a layout of the view\'s input, and not by a transpose', async () => {
    const back = 'x = torch.randn(4, 12, 10)\nv = x.view(12, 4, 10)\nlstm = nn.LSTM(10, 8, batch_first=True)\nout, _ = lstm(v.unsqueeze(0).view(4, 12, 10))\ny = nn.Linear(10, 3)(v.reshape(-1, 10))\n';
    assert.deepEqual(await sl120Lines(back), []);
    const moved = 'x = torch.randn(4, 12, 10)\nv = x.view(12, 4, 10)\nlstm = nn.LSTM(10, 8, batch_first=True)\nout, _ = lstm(v.transpose(0, 1))\n';
    assert.deepEqual(await sl120Lines(moved), [2]);
  });

  it('is not carried by ops that compute across elements (a reduction) nor by a layer\'s output', async () => {
    const body = 'x = torch.randn(4, 12, 10)\nv = x.view(12, 4, 10)\nlin = nn.Linear(10, 10)\ns = lin(v.sum(0))\n';
    assert.deepEqual(await sl120Lines(body), []);
  });
  describe('rows a view merged from the batch and the steps, split again in the other order', () => {
    // Checked in PyTorch 1.13: with the view (-1, batch, 1) and [0], sample 1's output does not change when only
    // sample 1's tokens do; with the view (batch, -1) and [:, -1], or the seq-first rows viewed (steps, batch, 1), it does.
    const sl120AbsoluteLines = async (source: string): Promise<number[]> => (await run(source)).findings.filter((f) => f.code === 'SL120').map((f) => f.range.start.line + 1);
    const program = (batchFirst: boolean, last: string): string =>
      moduleProgram(
        `self.emb = nn.Embedding(100, 16)\nself.lstm = nn.LSTM(16, 32, batch_first=${batchFirst ? 'True' : 'False'})\nself.fc = nn.Linear(32, 1)`,
        `out, _ = self.lstm(self.emb(x))\nout = torch.sigmoid(self.fc(out.contiguous().view(-1, 32)))\n${last}`,
      ) + `m = M()\ny = m(torch.randint(0, 100, ${batchFirst ? '(8, 5)' : '(5, 8)'}))\n`;

    it('is reported where an integer index keeps one slice of the view: its entries are not one per sample', async () => {
      const found = (await run(program(true, 'return out.view(-1, x.size(0), 1)[0].squeeze(1)'))).findings.filter((f) => f.code === 'SL120');
      assert.deepEqual(found.map((f) => f.range.start.line + 1), [12]);
      assert.match(found[0].message, /whose axis 0 holds \(8, 5\) merged in that order by a view \(line 11\)/);
      assert.match(found[0].message, /keeps one slice of axis 0/);
    });

    it('is reported where a layer reads the split rows', async () => {
      const body = program(true, 'seq = out.view(5, 8, 1)\nreturn self.gru(seq)').replace('self.fc = nn.Linear(32, 1)', 'self.fc = nn.Linear(32, 1)\n        self.gru = nn.GRU(1, 4)');
      assert.deepEqual(await sl120AbsoluteLines(body), [13]);
    });

    it('stays silent when the rows are split in the order they were merged', async () => {
      assert.deepEqual(await sl120AbsoluteLines(program(true, 'return out.view(x.size(0), -1)[:, -1]')), []);
      assert.deepEqual(await sl120AbsoluteLines(program(false, 'return out.view(x.size(0), x.size(1), 1)[-1].squeeze(1)')), []);
    });

    it('does not report an index on a regrouping that leaves the batch alone', async () => {
      assert.deepEqual(await sl120Lines('x = torch.randn(4, 12, 10)\nv = x.view(12, 4, 10)\nw = v[0]\n'), []);
    });
  });

  describe('an axis a repeat tiled: its copies come one after another, (copies, entries) in memory', () => {
    // Checked in PyTorch 1.13: h.repeat(3, 1).view(4, 3, 8)[0] is h[:3], three rows, where view(3, 4, 8)[1] is h.
    const sl120Found = async (source: string) => (await run(source)).findings.filter((f) => f.code === 'SL120');

    it('is reported where a layer reads the copies split as (entries, copies)', async () => {
      const found = await sl120Found('h = torch.randn(4, 8)\nrows = h.repeat(3, 1).view(4, 3, 8)\ny = nn.Linear(8, 2)(rows)\n');
      assert.deepEqual(found.map((f) => f.range.start.line + 1), [4]);
      assert.match(found[0].message, /holds \(3, 4\) tiled in that order by a repeat/);
    });

    it('stays silent when the copies are split in the order they were tiled', async () => {
      assert.deepEqual(await sl120Found('h = torch.randn(4, 8)\nok = h.repeat(3, 1).view(3, 4, 8)\ny = nn.Linear(8, 2)(ok)\n'), []);
    });

    it('stays silent on per-head projections of an input repeated n_head times, whose sizes happen to swap', async () => {
      // (6, 2, 32) repeated twice is (12, 2, 32), viewed (2, 12, 32): 2 copies of the 6 x 2 rows; after the bmm with
      // (2, 32, 16) weights, (2, 12, 16) viewed (-1, 2, 16) is (12, 2, 16), copy-major again. Both views keep the
      // order of the rows; only the sizes 12 and 2 trade places.
      const body = moduleProgram(
        'self.n_head = 2\nself.d_k = 16\nself.w_qs = nn.Parameter(torch.randn(2, 32, 16))',
        'mb_size, len_q, d_model = q.size()\nq_s = q.repeat(self.n_head, 1, 1).view(self.n_head, -1, d_model)\nq_s = torch.bmm(q_s, self.w_qs).view(-1, len_q, self.d_k)\nreturn torch.bmm(q_s, q_s.transpose(1, 2))',
        { params: 'q' },
      ) + 'm = M()\nout = m(torch.randn(6, 2, 32))\n';
      assert.deepEqual(await sl120Found(body), []);
    });
  });
});
