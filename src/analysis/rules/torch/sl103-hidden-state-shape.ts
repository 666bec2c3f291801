import type { TextEdit } from '../../findings';
import { isRecurrent, inputAxes, recurrentConfig } from '../../layers/torch/recurrent';
import { Dim, conflicting, formatDim, intDim, sameDim, UNKNOWN_DIM } from '../../shapes/dim';
import type { TensorValue, Value } from '../../values/value';
import { LayerCallEvent, RuleContext } from '../../interpret/events';
import { fix, replace, splitTopLevel } from '../edits';
import type { Rule } from '../rule';
import { argumentInCall, layerName, keywordExpr } from './describe';
import { hiddenStateShowsLayout } from './sl102-batch-first-mismatch';
import { isRecurrentCell, isRecurrentOrCellKind } from './sl101-rnn-input-size-mismatch';
import { argDim, argInt } from '../../layers/layer';
import { lastBatchSplit } from '../../ops/data-loading';

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

function expectedState(event: LayerCallEvent, cell: boolean, stateRank: number): Dim[] | undefined {
  const input = event.args[0];
  const config = recurrentConfig(event.layer);
  const shape = input?.kind === 'tensor' ? input.shape : input?.kind === 'packed' ? input.padded.shape : undefined;
  const size = cell || config.projSize === 0 ? config.hiddenSize : config.projSize;
  const first = config.stateLayers === undefined ? UNKNOWN_DIM : intDim(config.stateLayers);
  const last = size === undefined ? UNKNOWN_DIM : intDim(size);
  if (!shape || !shape.rankKnown) {
    // The input's rank is unknown, but a packed input is batched, and a 3-D state is only accepted with a batched
    // input: either way the state must be (num_layers × directions, batch, size), whatever the batch is.
    return input?.kind === 'packed' || stateRank === 3 ? [first, UNKNOWN_DIM, last] : undefined;
  }
  const axes = inputAxes(event.layer, shape);
  // A 2-D input with batched 3-D states is rnn-input-rank's (SL116): the input most likely lost its time axis.
  if (!axes.batched) return [first, last];
  if (input?.kind === 'packed') return [first, UNKNOWN_DIM, last];
  if (!axes.batch) return undefined;
  return [first, axes.batch, last];
}

/**
 * A state whose batch is the batch_size of the DataLoader the input comes from, on the pass of the loop over it that
 * runs its last batch, smaller (its dataset's length is not a multiple of batch_size and drop_last is False): the
 * state fits every batch but the last, where PyTorch raises "Expected hidden[0] size (.., last, ..), got [..,
 * batch_size, ..]". A loop that skips that batch (`if x.size(0) != batch_size: continue`) never gets here.
 */
function lastBatchMismatch(want: Dim[], got: Dim[]): string | undefined {
  if (want.length !== 3 || got.length !== 3) return undefined;
  const batch = want[1];
  const held = got[1];
  if (batch.kind !== 'int' || !batch.lastBatch || batch.value !== batch.lastBatch.last || held.kind !== 'int' || held.value !== batch.lastBatch.size) return undefined;
  const { size, loader } = batch.lastBatch;
  return `, built for batches of ${size}: the DataLoader${loader ? ` (line ${loader.range.start.line + 1})` : ''} ${lastBatchSplit(batch.lastBatch)} and the state no longer fits there; build the state from the input's batch (x.size(0) with batch_first=True, else x.size(1)) or pass drop_last=True`;
}

function show(dims: Dim[]): string {
  return `(${dims.map(formatDim).join(', ')})`;
}

/**
 * Rewrites `torch.zeros(a, b, c)` with the expected dimensions, reusing the original argument texts:
 * first those named like the expected dimension (`batch_size`), then those with the expected value.
 */
function rebuildFactory(ctx: RuleContext, tensor: TensorValue, want: Dim[]): TextEdit | undefined {
  if (!tensor.origin) return undefined;
  const text = ctx.text(tensor.origin.range);
  const match = /^([\w.]+)\(([\s\S]*)\)$/.exec(text);
  if (!match || !/\b(zeros|ones|randn|rand|empty)$/.test(match[1])) return undefined;
  const parts = splitTopLevel(match[2]);
  const sizeParts = parts.filter((p) => !/^\w+\s*=/.test(p));
  const rest = parts.filter((p) => /^\w+\s*=/.test(p));
  if (sizeParts.length !== tensor.shape.dims.length) return undefined;
  const used = new Set<number>();
  const chosen: (string | undefined)[] = want.map(() => undefined);
  const labelOf = (d: Dim) => (d.kind === 'unknown' ? undefined : d.label);
  want.forEach((d, i) => {
    const k = sizeParts.findIndex((p, j) => !used.has(j) && labelOf(d) !== undefined && p === labelOf(d));
    if (k !== -1) {
      used.add(k);
      chosen[i] = sizeParts[k];
    }
  });
  const namedElsewhere = (p: string) => want.some((d) => labelOf(d) === p);
  want.forEach((d, i) => {
    if (chosen[i] !== undefined) return;
    const k = tensor.shape.dims.findIndex((g, j) => !used.has(j) && !namedElsewhere(sizeParts[j]) && g.kind !== 'unknown' && d.kind !== 'unknown' && formatDim(g) === formatDim(d));
    if (k !== -1) {
      used.add(k);
      chosen[i] = sizeParts[k];
    } else if (d.kind === 'int') chosen[i] = String(d.value);
  });
  if (chosen.some((c) => c === undefined)) return undefined;
  return replace(tensor.origin.range, `${match[1]}(${[...(chosen as string[]), ...rest].join(', ')})`);
}

/**
 * The state of one step of nn.RNNCell, nn.GRUCell or nn.LSTMCell. PyTorch 1.13 unsqueezes the states of a 1-D
 * (unbatched) input, then checks each state's size(0) against the input's batch ("Input batch size 32 doesn't match
 * hidden0 batch size 16") and its size(1) against hidden_size ("hidden0 has inconsistent hidden_size: got 512,
 * expected 256"). Only those two comparisons of known sizes are reported, in PyTorch's order.
 */
function checkCellState(event: LayerCallEvent, ctx: RuleContext): void {
  const input = event.args[0];
  if (input?.kind !== 'tensor' || !input.shape.rankKnown) return;
  const rank = input.shape.dims.length;
  // Another input rank raises first (ValueError), and is rnn-input-rank's.
  if (rank !== 1 && rank !== 2) return;
  const hx = stateValue(event);
  const lstm = event.layer.kind === 'LSTMCell';
  const states: { tensor: TensorValue; name: string; label: number }[] = [];
  // A pair given to a GRUCell or one tensor given to an LSTMCell is lstm-state-unpacking's (SL104).
  if (lstm && hx?.kind === 'tuple') hx.items.forEach((v, i) => { if (v.kind === 'tensor' && i < 2) states.push({ tensor: v, name: i === 0 ? 'h_0' : 'c_0', label: i }); });
  else if (!lstm && hx?.kind === 'tensor') states.push({ tensor: hx, name: 'h_0', label: 0 });
  const hidden = argInt(event.layer, 'hidden_size');
  const batch = rank === 2 ? input.shape.dims[0] : intDim(1);
  const want = rank === 2 ? [batch, argDim(event.layer, 'hidden_size', 'feature')] : [argDim(event.layer, 'hidden_size', 'feature')];
  const wrong: { name: string; got: Dim[]; tensor: TensorValue; raises: string }[] = [];
  for (const { tensor, name, label } of states) {
    if (!tensor.shape.rankKnown || tensor.shape.dims.length === 0) continue;
    const seen = rank === 2 ? tensor.shape.dims : [intDim(1), ...tensor.shape.dims];
    const [first, second] = seen;
    let raises: string | undefined;
    if (first.kind === 'int' && batch.kind === 'int' && first.value !== batch.value) raises = `Input batch size ${batch.value} doesn't match hidden${label} batch size ${first.value}`;
    else if (second?.kind === 'int' && hidden !== undefined && second.value !== hidden) raises = `hidden${label} has inconsistent hidden_size: got ${second.value}, expected ${hidden}`;
    if (raises) wrong.push({ name, got: tensor.shape.dims, tensor, raises });
  }
  if (wrong.length === 0) return;
  // With an unknown batch size(0) may fail first: PyTorch's words are then the batch's, but it raises either way.
  const argExpr = event.call.args[1] ?? keywordExpr(event.call, 'hx');
  const layout = rank === 2 ? '(batch, hidden_size)' : '(hidden_size,) for a 1-D input';
  const parts = wrong.map(({ name, got, tensor }) => {
    const shown = want.map((d, i) => (d.kind === 'unknown' && got[i] ? got[i] : d));
    return `${name} of shape ${show(shown)} = ${layout} but got ${show(got)}${tensor.origin ? ` (${tensor.origin.text}, line ${tensor.origin.range.start.line + 1})` : ''}`;
  });
  const edits = wrong.map((w) => rebuildFactory(ctx, w.tensor, want));
  const unique = edits.filter((e, i) => e && edits.findIndex((o) => o && o.range.start.line === e.range.start.line && o.range.start.column === e.range.start.column) === i) as TextEdit[];
  ctx.report({
    range: argumentInCall(argExpr?.range, event.call.range),
    message: `${layerName(event.layer)} expects ${parts.join('; and ')}: PyTorch raises "${wrong[0].raises}"`,
    related: [{ range: event.layer.call.range, message: `${event.layer.kind} defined here` }, ...wrong.filter((w) => w.tensor.origin).map((w) => ({ range: w.tensor.origin!.range, message: `${w.name} built here as ${show(w.got)}` }))],
    fixes: edits.every((e) => e) ? [fix(wrong.length > 1 ? `Build ${wrong.map((w) => w.name).join(' and ')} with the expected shape` : `Build ${wrong[0].name} with the expected shape ${show(want)}`, unique, true)] : [],
  });
}

export const hiddenStateShape: Rule = {
  code: 'SL103',
  name: 'hidden-state-shape',
  severity: 'error',
  framework: 'torch',
  summary: 'An initial hidden or cell state has the wrong shape: it must be (num_layers × directions, batch, hidden), never batch-first.',
  docs: {
    whatItDoes: 'Checks `h_0` (and `c_0` for an LSTM) passed to a recurrent layer against (num_layers × num_directions, batch, hidden_size), with the batch taken from the input. For one step of `nn.RNNCell`, `nn.GRUCell` or `nn.LSTMCell` the state must be (batch, hidden_size), or (hidden_size,) for a 1-D input. A state built for the batch_size of the DataLoader the input comes from is reported when that loader\'s last batch is smaller (a dataset of known length that batch_size does not divide, without drop_last=True).',
    whyIsThisBad: 'PyTorch raises `RuntimeError: Expected hidden[0] size (1, 5, 20), got [5, 1, 20]`. The hidden state ignores `batch_first`, and bidirectional or stacked layers multiply its first dimension.',
    example: 'lstm = nn.LSTM(10, 20, batch_first=True)\nh0 = torch.zeros(batch, 1, 20)\nc0 = torch.zeros(batch, 1, 20)\nout, _ = lstm(x, (h0, c0))',
    useInstead: 'lstm = nn.LSTM(10, 20, batch_first=True)\nh0 = torch.zeros(1, batch, 20)\nc0 = torch.zeros(1, batch, 20)\nout, _ = lstm(x, (h0, c0))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html'],
  },
  fixTitles: ['Build h0 with the expected shape'],
  hooks: {
    offers: {
      layerCall: isRecurrentOrCellKind,
    },
    layerCall(event, ctx) {
      if (isRecurrentCell(event.layer)) return checkCellState(event, ctx);
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
      const argExpr = event.call.args[1] ?? keywordExpr(event.call, 'hx');
      const wrong: { name: string; want: Dim[]; got: Dim[]; tensor: TensorValue; cell: boolean; lastBatch?: string }[] = [];
      for (const { tensor, cell, name } of states) {
        const want = expectedState(event, cell, tensor.shape.rankKnown ? tensor.shape.dims.length : -1);
        if (!want || !tensor.shape.rankKnown) continue;
        const got = tensor.shape.dims;
        if (want.length === 2 && got.length === 3) continue;
        // Also wrong without any number disagreeing: the batch and layer axes swapped, provably by their symbols.
        const swapped = got.length === 3 && want.length === 3 && sameDim(got[0], want[1]) && sameDim(got[1], want[0]) && !sameDim(got[0], got[1]);
        const lastBatch = lastBatchMismatch(want, got);
        if (lastBatch) wrong.push({ name, want, got, tensor, cell, lastBatch });
        else if (got.length !== want.length || swapped || want.some((d, i) => conflicting(d, got[i]))) wrong.push({ name, want, got, tensor, cell });
      }
      if (wrong.length === 0) return;
      const parts = wrong.map((w) => {
        const { name, want, got, tensor, cell } = w;
        const batchFirst = got.length === 3 && sameDim(got[0], want[1]) && !conflicting(got[1], want[0]) && conflicting(got[0], want[0]);
        const layersOff = got.length === 3 && conflicting(got[0], want[0]) && !batchFirst;
        const size = cell ? 'hidden_size' : config.projSize ? 'proj_size' : 'hidden_size';
        // Show the batch we could not infer as the one that was passed, rather than "?".
        const shown = want.map((d, i) => (d.kind === 'unknown' && got[i] ? got[i] : d));
        const why = w.lastBatch
          ? (w === wrong.find((o) => o.lastBatch) ? w.lastBatch : ', the same')
          : batchFirst
          ? '; the hidden state is never batch-first, even with batch_first=True'
          : layersOff
            ? `; its first dimension must be num_layers × directions = ${config.stateLayers}`
            : '';
        return `${name} of shape ${show(shown)} = (num_layers × directions, batch, ${size}) but got ${show(got)}${tensor.origin ? ` (${tensor.origin.text}, line ${tensor.origin.range.start.line + 1})` : ''}${why}`;
      });
      // A state built for the full batch is right for every batch but the last: no one shape to rebuild it with.
      const edits = wrong.map((w) => (w.lastBatch ? undefined : rebuildFactory(ctx, w.tensor, w.want)));
      const unique = edits.filter((e, i) => e && edits.findIndex((o) => o && o.range.start.line === e.range.start.line && o.range.start.column === e.range.start.column) === i) as TextEdit[];
      ctx.report({
        range: argumentInCall(argExpr?.range, event.call.range),
        message: `${layerName(event.layer)} expects ${parts.join('; and ')}`,
        related: [{ range: event.layer.call.range, message: `${event.layer.kind} defined here` }, ...wrong.filter((w) => w.tensor.origin).map((w) => ({ range: w.tensor.origin!.range, message: `${w.name} built here as ${show(w.got)}` }))],
        ...(wrong.some((w) => w.lastBatch) && { passExplained: true }),
        fixes: edits.every((e) => e) ? [fix(wrong.length > 1 ? `Build ${wrong.map((w) => w.name).join(' and ')} with the expected shape` : `Build ${wrong[0].name} with the expected shape ${show(wrong[0].want)}`, unique, true)] : [],
      });
    },
  },
};
