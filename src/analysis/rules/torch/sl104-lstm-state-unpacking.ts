import { isRecurrent, recurrentConfig } from '../../layers/torch/recurrent';
import type { Value } from '../../values/value';
import { fix, replace } from '../edits';
import type { LayerCallEvent, RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import type { Range } from '../../findings';
import { layerName, keywordExpr } from './describe';

function lstmState(value: Value) {
  return value.kind === 'tuple' && value.tag?.kind === 'lstm-state' ? value.tag : undefined;
}

const PAIR_STATE = new Set(['LSTM', 'LSTMCell']);
const ONE_STATE = new Set(['GRU', 'RNN', 'GRUCell', 'RNNCell']);

/** The state passed to a recurrent layer or cell: an LSTM's must be the (h, c) pair, a GRU's or RNN's one tensor. */
function stateKind(event: LayerCallEvent, ctx: RuleContext): void {
  const layer = event.layer;
  if (layer.framework !== 'torch' || (!PAIR_STATE.has(layer.kind) && !ONE_STATE.has(layer.kind))) return;
  const state = event.args[1] ?? event.kwargs.get('hx');
  const stateExpr = event.call.args[1] ?? keywordExpr(event.call, 'hx');
  if (!state || !stateExpr) return;
  const text = ctx.text(stateExpr.range);
  // A parameter the analysis only assumed to be a tensor (a forward nobody calls in this file) may be the pair, and so
  // may an item of one (`hidden[layer]` of a list of per-layer pairs).
  const assumed = state.kind === 'tensor' && !state.shape.rankKnown && state.shape.dims.length === 0 && (state.name !== undefined || state.assumedFrom !== undefined);
  if (PAIR_STATE.has(layer.kind) && state.kind === 'tensor' && !assumed) {
    ctx.report({
      range: stateExpr.range,
      message: `${layerName(layer)} takes its state as the pair (h_0, c_0), but ${text} is one tensor${state.origin ? ` (${state.origin.text}, line ${state.origin.range.start.line + 1})` : ''}: ${layer.kind === 'LSTMCell' ? 'PyTorch raises TypeError (hx must be a tuple of Tensors)' : 'PyTorch reads hx[0] and hx[1] as h_0 and c_0 and raises'}`,
      related: [{ range: layer.call.range, message: `${layer.kind} defined here` }, ...(state.origin ? [{ range: state.origin.range, message: 'the single tensor is built here' }] : [])],
      fixes: [fix(`Pass (${text}, torch.zeros_like(${text}))`, [replace(stateExpr.range, `(${text}, torch.zeros_like(${text}))`)], false)],
    });
    return;
  }
  // A tuple or list of known tensors (a summary of unknown length says nothing of what it holds).
  const sequence = (state.kind === 'tuple' || state.kind === 'list') && state.items.length > 0 && state.items.every((v) => v.kind === 'tensor') ? state : undefined;
  if (!sequence) return;
  // An LSTM or LSTMCell takes exactly the pair: a tuple or list of one tensor, or of three, raises too.
  if (PAIR_STATE.has(layer.kind) && sequence.items.length !== 2) {
    const n = sequence.items.length;
    const raised = layer.kind === 'LSTMCell' || n > 2 ? `RuntimeError (${layer.kind === 'LSTMCell' ? 'lstm_cell' : 'lstm'} expects two hidden states)` : `IndexError (${state.kind} index out of range) when it reads hx[1]`;
    const literal = n === 1 && (stateExpr.kind === 'tuple' || stateExpr.kind === 'list') ? ctx.text(stateExpr.items[0].range) : undefined;
    ctx.report({
      range: stateExpr.range,
      message: `${layerName(layer)} takes its state as the pair (h_0, c_0), but ${text} is a ${state.kind} of ${n === 1 ? 'one tensor' : `${n} tensors`}: PyTorch raises ${raised}`,
      related: [{ range: layer.call.range, message: `${layer.kind} defined here` }],
      fixes: literal ? [fix(`Pass (${literal}, torch.zeros_like(${literal}))`, [replace(stateExpr.range, `(${literal}, torch.zeros_like(${literal}))`)], false)] : [],
    });
    return;
  }
  // A GRU, an RNN or their cells take one tensor: any tuple or list of tensors raises, the (h, c) pair of an LSTM
  // and the one-element tuple (h,) that wraps a state so that it is kept like an LSTM's alike.
  if (!ONE_STATE.has(layer.kind)) return;
  const literal = stateExpr.kind === 'tuple' || stateExpr.kind === 'list' ? stateExpr.items[0] : undefined;
  const what = sequence.items.length === 2 ? `a pair like an LSTM's (h_0, c_0)` : sequence.items.length === 1
    ? `a ${sequence.kind} of one tensor that wraps the state` : `a ${sequence.kind} of ${sequence.items.length} tensors`;
  const raised = layer.kind.endsWith('Cell') ? `TypeError (hx must be Tensor, not ${sequence.kind})` : `AttributeError: '${sequence.kind}' object has no attribute 'dim'`;
  const fixes = sequence.items.length > 2 ? [] : literal ? [fix(`Pass ${ctx.text(literal.range)}`, [replace(stateExpr.range, ctx.text(literal.range))], true)]
    : sequence.items.length === 1 ? [fix(`Pass ${text}[0]`, [replace(stateExpr.range, `${text}[0]`)], true)] : [];
  ctx.report({
    range: stateExpr.range,
    message: `${layerName(layer)} takes one tensor as its state, but ${text} is ${what}: PyTorch raises ${raised}`,
    related: [{ range: layer.call.range, message: `${layer.kind} defined here` }],
    fixes,
  });
}

/** A name that says it holds a cell state: `c`, `c_n`, `cn`, `c_t`, `cell`, `final_cell_states`, `enc_cell`. */
const CELL_NAME = /^c(_?n|_t|_0)?$|cell/i;

/**
 * True when the subscript starts the value of an assignment to one name that says it holds a cell state
 * (`final_cell_states = final_states[-1].permute(1, 0, 2)`): the code reads c_n on purpose, as `pair[1]` would.
 */
function boundToCellState(ctx: RuleContext, range: Range): boolean {
  const lines = ctx.source.split('\n', range.start.line + 1);
  const before = lines[range.start.line]?.slice(0, range.start.column) ?? '';
  const target = /^\s*([A-Za-z_]\w*)\s*=\s*$/.exec(before);
  return target !== null && CELL_NAME.test(target[1]);
}

export const lstmStateUnpacking: Rule = {
  code: 'SL104',
  name: 'lstm-state-unpacking',
  severity: 'error',
  framework: 'torch',
  summary: 'An LSTM\'s state is used or passed like a GRU\'s single tensor, or a GRU\'s state is unpacked or passed like an LSTM\'s (h_n, c_n) pair.',
  docs: {
    whatItDoes: 'Follows the second value a recurrent layer returns. An LSTM returns `output, (h_n, c_n)`; a GRU or RNN returns `output, h_n`. It flags an LSTM state used as a tensor, and a GRU state unpacked into two names. It also checks the state passed in: an LSTM or LSTMCell given one tensor or a tuple of one or three, a GRU, RNN or their cells given a pair.',
    whyIsThisBad: 'For an LSTM, `h[-1]` on the pair silently gives `c_n`, the cell state, instead of the last layer\'s hidden state, and `h.squeeze(0)` raises `AttributeError: \'tuple\' object has no attribute \'squeeze\'`. For a GRU, `out, (h, c) = gru(x)` raises `ValueError` — or, with two layers or directions, silently splits h_n by layer.',
    example: 'out, h = self.lstm(x)\nlogits = self.fc(h[-1])',
    useInstead: 'out, (h, c) = self.lstm(x)\nlogits = self.fc(h[-1])',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html', 'https://pytorch.org/docs/stable/generated/torch.nn.GRU.html'],
  },
  fixTitles: ['Use h_n from the (h_n, c_n) pair', 'Unpack the GRU state as one tensor'],
  hooks: {
    unpack(event, ctx) {
      const value = event.value;
      if (value.kind !== 'tuple' || value.tag?.kind !== 'rnn-output' || event.target.kind === 'other') return;
      const layer = value.tag.layer;
      if (!isRecurrent(layer) || layer.kind === 'LSTM') return;
      if (event.target.kind !== 'tuple' && event.target.kind !== 'list') return;
      const stateTarget = event.target.items[1];
      if (!stateTarget || (stateTarget.kind !== 'tuple' && stateTarget.kind !== 'list') || stateTarget.items.length !== 2) return;
      const layers = recurrentConfig(layer).stateLayers;
      const first = stateTarget.items[0];
      ctx.report({
        range: stateTarget.range,
        severity: layers === 2 ? 'warning' : 'error',
        message: `${layerName(layer)} returns output, h_n — there is no cell state: ${ctx.text(stateTarget.range)} ${layers === 2 ? 'silently splits h_n into its two layers/directions' : `unpacks h_n along its first dimension (${layers ?? 'num_layers × directions'}), which raises ValueError`}`,
        related: [{ range: layer.call.range, message: `${layer.kind} defined here` }],
        fixes: first ? [fix(`Unpack as ${ctx.text(first.range)}`, [replace(stateTarget.range, ctx.text(first.range))], true)] : [],
      });
    },
    subscript(event, ctx) {
      const tag = lstmState(event.value);
      if (!tag || event.node.index.length !== 1) return;
      const index = event.node.index[0];
      // Only `[-1]`, the GRU idiom `h_n[-1]` carried over to an LSTM. `pair[1]` names the cell state
      // explicitly and real code reads it on purpose (h_c[0] and h_c[1] side by side).
      const isLast = index.kind === 'unary' && index.op === '-' && index.operand.kind === 'int' && index.operand.value === 1;
      if (!isLast) return;
      if (boundToCellState(ctx, event.node.range)) return;
      const base = ctx.text(event.node.value.range);
      const corrected = `${base}[0][-1]`;
      ctx.report({
        range: event.node.range,
        severity: 'warning',
        message: `${base} holds the LSTM's (h_n, c_n) pair from ${layerName(tag.layer)}: ${ctx.text(event.node.range)} is c_n, the cell state, not the last layer's hidden state`,
        related: [{ range: tag.call.range, message: 'the LSTM returns output, (h_n, c_n) here' }],
        fixes: [fix(`Use ${corrected}`, [replace(event.node.range, corrected)], true)],
      });
    },
    attribute(event, ctx) {
      const tag = lstmState(event.value);
      if (!tag) return;
      const base = ctx.text(event.node.object.range);
      ctx.report({
        range: event.node.range,
        message: `${base} is the LSTM's (h_n, c_n) pair from ${layerName(tag.layer)}, a tuple: .${event.node.attr} raises AttributeError`,
        related: [{ range: tag.call.range, message: 'the LSTM returns output, (h_n, c_n) here' }],
        fixes: [fix(`Use ${base}[0].${event.node.attr}`, [replace(event.node.object.range, `${base}[0]`)], true)],
      });
    },
    layerCall(event, ctx) {
      stateKind(event, ctx);
      const tag = event.args[0] ? lstmState(event.args[0]) : undefined;
      if (!tag || isRecurrent(event.layer)) return;
      const arg = event.call.args[0];
      ctx.report({
        range: arg?.range ?? event.call.range,
        message: `${event.layer.kind} receives the LSTM's (h_n, c_n) pair from ${layerName(tag.layer)}, a tuple, where it needs a tensor`,
        related: [{ range: tag.call.range, message: 'the LSTM returns output, (h_n, c_n) here' }],
        fixes: arg ? [fix(`Use ${ctx.text(arg.range)}[0][-1]`, [replace(arg.range, `${ctx.text(arg.range)}[0][-1]`)], true)] : [],
      });
    },
  },
};
