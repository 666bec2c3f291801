// The op table against PyTorch 1.13: every case of test/oracle/op-shapes.json (random valid shapes, run in
// real PyTorch by test/oracle/op_shapes.py) goes through the analyzer. Two properties:
// - sound for every op: a rank or a dimension the analyzer claims is PyTorch's, and so is a dtype it names;
// - complete for the modelled ops: their result is fully known, shape and dtype.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Analyzer } from '../../../src/analysis';
import { analyzer } from './helpers';

interface Result { shape: number[]; dtype: 'float' | 'long' | 'bool' | 'complex' }
interface Case { op: string; code: string; results: Record<string, Result> }
interface Golden { torch: string; prelude: string; cases: Case[] }

const golden: Golden = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'oracle', 'op-shapes.json'), 'utf8'));

/** Ops whose every case must come out fully known. An op not listed here need only be sound. */
const MODELLED = new Set([
  'view', 'reshape', 'permute', 'transpose', 't', 'contiguous', 'squeeze', 'unsqueeze', 'expand', 'expand_as', 'repeat', 'flatten', 'index',
  'cat', 'cat-comprehension', 'stack', 'chunk', 'split', 'index_select', 'gather',
  'sum', 'mean', 'max', 'min', 'argmax', 'argmin', 'softmax', 'log_softmax', 'topk', 'sort', 'multinomial', 'one_hot',
  'matmul', 'bmm', 'mm', 'broadcast', 'masked_fill',
  'factories', 'arange', 'like', 'new', 'legacy', 'tensor', 'casts', 'elementwise',
  'activation-modules', 'LayerNorm', 'BatchNorm1d', 'Linear', 'F.linear', 'Embedding', 'RNN', 'GRU', 'LSTM', 'RNNCell', 'GRUCell', 'LSTMCell',
  'pad_sequence', 'dot', 'pool1d', 'TensorDataset', 'comparison', 'shape-keeping-writes',
  'Conv1d', 'MaxPool1d', 'AvgPool1d', 'AdaptiveMaxPool1d', 'AdaptivePool2d3d', 'Conv2d', 'pool2d', 'BatchNorm2d', 'Conv3d', 'pool3d', 'BatchNorm3d', 'stack-cat-loop', 'rows',
  'MultiheadAttention', 'TransformerEncoderLayer', 'TransformerEncoder', 'TransformerDecoderLayer', 'Transformer', 'generate_square_subsequent_mask',
  'np-array', 'sklearn-scaler', 'np-random-choice', 'pool2d-functional', 'eye', 'index-int-list', 'loss-reduction',
  'glu', 'einsum', 'np-triangle', 'addmm', 'functional-loss', 'F.pad', 'padding-modules', 'F.conv1d', 'in-place-blends', 'blends', 'baddbmm',
  'loss-module-reduction', 'loss-module-per-sample', 'functional-loss-reduction', 'functional-loss-per-sample',
  'std-var', 'norm', 'reductions-more', 'repeat_interleave', 'cosine_similarity', 'pairwise_distance', 'masked_fill-broadcast',
  'scale-of-unknown-value', 'scale-of-unknown-size', 'np-join', 'np-axes', 'diag', 'np-join-comprehension', 'loader-batch-of-one', 'nn.init', 'np-factory-dtype',
  'fft', 'fft-nd', 'np-fft', 'stft', 'view_as_real', 'torchaudio-transforms', 'kaldi-features',
]);

/** Ops given sizes the analyzer cannot read (an int from a tensor's item): every result must still have its rank. */
const RANK_KNOWN = new Set(['opaque-sizes', 'opaque-join', 'pool2d-opaque', 'legacy-alike-rows', 'window-over-symbol', 'repeat_interleave-counts', 'unpacked-sizes', 'opaque-axis', 'index-bool-mask', 'Subset-random_split']);

interface Inferred { rankKnown: boolean; dims: (number | undefined)[]; dtype?: string }

/** Reads the analyzer's shape label back: `(2, 3)`, `(3,)`, `(…, 5)`, `(B, ?, 4)`; symbols count as not known numbers. */
function parseShape(label: string, markdown: string): Inferred {
  const inner = label.replace(/^\(|\)$/g, '').split(',').map((s) => s.trim()).filter((s) => s.length);
  const rankKnown = inner[0] !== '…';
  const dims = (rankKnown ? inner : inner.slice(1)).map((s) => (/^\d+$/.test(s) ? Number(s) : undefined));
  const dtype = /· (int64|float32|bool)/.exec(markdown)?.[1];
  return { rankKnown, dims, dtype: dtype === 'int64' ? 'long' : dtype === 'float32' ? 'float' : dtype };
}

function infer(a: Analyzer, c: Case): Map<string, Inferred | undefined> {
  const result = a.analyze(golden.prelude + c.code + '\n', `${c.op}.py`);
  const out = new Map<string, Inferred | undefined>();
  for (const name of Object.keys(c.results)) {
    const sites = result.tensors.filter((t) => t.name === name);
    const site = sites[sites.length - 1];
    out.set(name, site ? parseShape(site.shape, site.markdown) : undefined);
  }
  return out;
}

/** What the analyzer claims that PyTorch contradicts; empty when sound. */
function contradictions(inferred: Inferred | undefined, real: Result): string[] {
  if (!inferred) return [];
  const wrong: string[] = [];
  if (inferred.rankKnown && inferred.dims.length !== real.shape.length) wrong.push(`rank ${inferred.dims.length}, torch ${real.shape.length}`);
  else if (!inferred.rankKnown && inferred.dims.length > real.shape.length) wrong.push(`${inferred.dims.length} trailing dims of a rank-${real.shape.length} tensor`);
  else {
    const offset = real.shape.length - inferred.dims.length;
    inferred.dims.forEach((d, i) => {
      if (d !== undefined && d !== real.shape[offset + i]) wrong.push(`dim ${offset + i} is ${d}, torch ${real.shape[offset + i]}`);
    });
  }
  if (inferred.dtype && inferred.dtype !== real.dtype) wrong.push(`dtype ${inferred.dtype}, torch ${real.dtype}`);
  return wrong;
}

function fullyKnown(inferred: Inferred | undefined, real: Result): boolean {
  return !!inferred && inferred.rankKnown && inferred.dims.length === real.shape.length && inferred.dims.every((d, i) => d === real.shape[i]) && (inferred.dtype === real.dtype || (real.dtype === 'complex' && !inferred.dtype));
}

const byOp = new Map<string, Case[]>();
for (const c of golden.cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);

describe(`op table against PyTorch ${golden.torch} (test/oracle/op-shapes.json)`, () => {
  let a: Analyzer;
  before(async () => {
    a = await analyzer();
  });

  it('holds at least 20 real-PyTorch cases for every modelled op', () => {
    for (const op of MODELLED) assert.ok((byOp.get(op)?.length ?? 0) >= 20, `${op}: ${byOp.get(op)?.length ?? 0} cases`);
  });

  for (const [op, cases] of byOp) {
    it(`${op}: never claims a shape or dtype PyTorch contradicts${MODELLED.has(op) ? ', and knows every result' : RANK_KNOWN.has(op) ? ", and knows every result's rank" : ''}`, () => {
      const unsound: string[] = [];
      const unknown: string[] = [];
      for (const c of cases) {
        const inferred = infer(a, c);
        for (const [name, real] of Object.entries(c.results)) {
          const got = inferred.get(name);
          const wrong = contradictions(got, real);
          if (wrong.length) unsound.push(`${c.code.replace(/\n/g, '; ')} → ${name}: ${wrong.join(', ')}`);
          else if (RANK_KNOWN.has(op) && !got?.rankKnown) unknown.push(`${c.code.replace(/\n/g, '; ')} → ${name}: rank ${real.shape.length}, inferred ${got ? 'no rank' : 'nothing'}`);
          else if (MODELLED.has(op) && !fullyKnown(got, real)) unknown.push(`${c.code.replace(/\n/g, '; ')} → ${name}: (${real.shape.join(', ')}) ${real.dtype}, inferred ${got ? `${got.rankKnown ? '' : '…'}(${got.dims.map((d) => d ?? '?').join(', ')}) ${got.dtype ?? '?'}` : 'nothing'}`);
        }
      }
      assert.deepEqual(unsound, [], `claims PyTorch contradicts:\n  ${unsound.join('\n  ')}`);
      assert.deepEqual(unknown, [], `left unknown:\n  ${unknown.join('\n  ')}`);
    });
  }
});
