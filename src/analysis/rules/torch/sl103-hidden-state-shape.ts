import type { Fix } from '../../findings';
import { isRecurrent, inputAxes, recurrentConfig } from '../../layers/torch/recurrent';
import { Dim, conflicting, formatDim, intDim, UNKNOWN_DIM } from '../../shapes/dim';
import type { TensorValue, Value } from '../../values/value';
import { LayerCallEvent, RuleContext } from '../../interpret/events';
import { fix, replace, splitTopLevel } from '../edits';
import type { Rule } from '../rule';
import { layerName } from './describe';
import { hiddenStateShowsLayout } from './sl102-batch-first-mismatch';

function stateValue(event: LayerCallEvent): Value | undefined {
  return event.args[1] ?? event.kwargs.get('hx');
}

/** h_0 as passed (for an LSTM, the first of the pair). */
export function hiddenStateArg(event: LayerCallEvent): TensorValue | undefined {
  const hx = stateValue(event);
  if (hx?.kind === 'tensor') return hx;
  if (hx?.kind === 'tuple' && hx.items[0]?.kind === 'tensor') return hx.items[0];
  return undefined;
}

function expectedState(event: LayerCallEvent, cell: boolean): Dim[] | undefined {
  const input = event.args[0];
  const config = recurrentConfig(event.layer);
  const shape = input?.kind === 'tensor' ? input.shape : input?.kind === 'packed' ? input.padded.shape : undefined;
  if (!shape || !shape.rankKnown) return undefined;
  const axes = inputAxes(event.layer, shape);
  const size = cell || config.projSize === 0 ? config.hiddenSize : config.projSize;
  const first = config.stateLayers === undefined ? UNKNOWN_DIM : intDim(config.stateLayers);
  const last = size === undefined ? UNKNOWN_DIM : intDim(size);
  if (!axes.batched) return [first, last];
  if (input?.kind === 'packed') return [first, UNKNOWN_DIM, last];
  if (!axes.batch) return undefined;
  return [first, axes.batch, last];
}

function show(dims: Dim[]): string {
  return `(${dims.map(formatDim).join(', ')})`;
}

/** Rewrites `torch.zeros(a, b, c)` with the expected dimensions, reusing the original argument texts where they fit. */
function rebuildFactory(ctx: RuleContext, tensor: TensorValue, want: Dim[]): Fix | undefined {
  if (!tensor.origin) return undefined;
  const text = ctx.text(tensor.origin.range);
  const match = /^([\w.]+)\(([\s\S]*)\)$/.exec(text);
  if (!match || !/\b(zeros|ones|randn|rand|empty)$/.test(match[1])) return undefined;
  const parts = splitTopLevel(match[2]);
  const sizeParts = parts.filter((p) => !/^\w+\s*=/.test(p));
  const rest = parts.filter((p) => /^\w+\s*=/.test(p));
  if (sizeParts.length !== tensor.shape.dims.length) return undefined;
  const used = new Set<number>();
  const out: string[] = [];
  for (const d of want) {
    const k = tensor.shape.dims.findIndex((g, i) => !used.has(i) && g.kind !== 'unknown' && d.kind !== 'unknown' && formatDim(g) === formatDim(d));
    if (k !== -1) {
      used.add(k);
      out.push(sizeParts[k]);
    } else if (d.kind === 'int') out.push(String(d.value));
    else return undefined;
  }
  const rebuilt = `${match[1]}(${[...out, ...rest].join(', ')})`;
  return fix(`Build it as ${rebuilt}`, [replace(tensor.origin.range, rebuilt)], true);
}

export const hiddenStateShape: Rule = {
  code: 'SL103',
  name: 'hidden-state-shape',
  severity: 'error',
  framework: 'torch',
  summary: 'An initial hidden or cell state has the wrong shape: it must be (num_layers × directions, batch, hidden), never batch-first.',
  docs: {
    whatItDoes: 'Checks `h_0` (and `c_0` for an LSTM) passed to a recurrent layer against (num_layers × num_directions, batch, hidden_size), with the batch taken from the input.',
    whyIsThisBad: 'PyTorch raises `RuntimeError: Expected hidden[0] size (1, 5, 20), got [5, 1, 20]`. The hidden state ignores `batch_first`, and bidirectional or stacked layers multiply its first dimension.',
    example: 'lstm = nn.LSTM(10, 20, batch_first=True)\nh0 = torch.zeros(batch, 1, 20)\nc0 = torch.zeros(batch, 1, 20)\nout, _ = lstm(x, (h0, c0))',
    useInstead: 'lstm = nn.LSTM(10, 20, batch_first=True)\nh0 = torch.zeros(1, batch, 20)\nc0 = torch.zeros(1, batch, 20)\nout, _ = lstm(x, (h0, c0))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html'],
  },
  fixTitles: ['Build h0 with the expected shape'],
  hooks: {
    layerCall(event, ctx) {
      if (!isRecurrent(event.layer) || hiddenStateShowsLayout(event)) return;
      const hx = stateValue(event);
      if (!hx || hx.kind === 'none' || hx.kind === 'unknown') return;
      const config = recurrentConfig(event.layer);
      const states: { tensor: TensorValue; cell: boolean; name: string }[] = [];
      if (config.isLstm && hx.kind === 'tuple') {
        hx.items.forEach((v, i) => { if (v.kind === 'tensor' && i < 2) states.push({ tensor: v, cell: i === 1, name: i === 0 ? 'h_0' : 'c_0' }); });
      } else if (!config.isLstm && hx.kind === 'tensor') {
        states.push({ tensor: hx, cell: false, name: 'h_0' });
      }
      const argExpr = event.call.args[1] ?? event.call.keywords.find((k) => k.name === 'hx')?.value;
      for (const { tensor, cell, name } of states) {
        const want = expectedState(event, cell);
        if (!want || !tensor.shape.rankKnown) continue;
        const got = tensor.shape.dims;
        const wrong = got.length !== want.length || want.some((d, i) => conflicting(d, got[i]));
        if (!wrong) continue;
        const batchFirstSwap = got.length === 3 && want.length === 3 && !conflicting(got[0], want[1]) && !conflicting(got[1], want[0]) && conflicting(got[0], want[0]);
        const subject = argExpr?.kind === 'tuple' ? argExpr.items[cell ? 1 : 0] ?? argExpr : argExpr;
        const fixFor = rebuildFactory(ctx, tensor, want);
        ctx.report({
          range: subject?.range ?? event.call.range,
          message: `${layerName(event.layer)} expects ${name} of shape ${show(want)} = (num_layers × directions, batch, ${cell ? 'hidden_size' : config.projSize ? 'proj_size' : 'hidden_size'}) but got ${show(got)}${tensor.origin ? ` (${tensor.origin.text}, line ${tensor.origin.range.start.line + 1})` : ''}${batchFirstSwap ? '; the hidden state is never batch-first, even with batch_first=True' : ''}`,
          related: [{ range: event.layer.call.range, message: `${event.layer.kind} defined here` }, ...(tensor.origin ? [{ range: tensor.origin.range, message: `${name} built here as ${show(got)}` }] : [])],
          fixes: fixFor ? [fixFor] : [],
        });
      }
    },
  },
};
