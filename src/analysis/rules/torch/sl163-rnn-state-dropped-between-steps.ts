import type { Assign, Call, Expr, For, Return, While } from '../../parse/ast';
import { walkExpressions, walkStatements } from '../../parse/walk';
import { isRecurrent, recurrentConfig } from '../../layers/torch/recurrent';
import type { LayerCallEvent, RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { layerName } from './describe';

const CELLS = new Set(['RNNCell', 'GRUCell', 'LSTMCell']);

/** The state arguments a recurrent layer or cell takes besides its input (`lstm(x, (h, c))`, `cell(x, hx=h)`). */
const STATE_KEYWORDS = ['hx', 'h_0', 'h0', 'hidden', 'state'];

/** `e.unsqueeze(k)` or `torch.unsqueeze(e, k)` with k a literal: the axis it inserts, else undefined. */
function unsqueezedAxis(e: Expr | undefined): number | undefined {
  if (e?.kind !== 'call' || e.func.kind !== 'attribute' || e.func.attr !== 'unsqueeze' || e.keywords.length > 0) return undefined;
  const axis = e.func.object.kind === 'name' && e.func.object.id === 'torch' ? e.args[1] : e.args[0];
  return axis?.kind === 'int' ? axis.value : undefined;
}

/**
 * Whether the call runs the layer on one time step: a cell always does; nn.RNN/GRU/LSTM when the time axis of its
 * input is known to be 1 ((1, batch, features) sequence-first, (batch, 1, features) batch-first, or one unbatched
 * step), or when the input is unsqueezed at the time axis (`x.unsqueeze(0)` for a sequence-first layer): that axis has
 * one step whatever the rest of the shape (a 3-D input unsqueezed so would be 4-D, which PyTorch refuses).
 */
function oneStep(event: LayerCallEvent): boolean {
  if (CELLS.has(event.layer.kind)) return true;
  if (!isRecurrent(event.layer)) return false;
  const batchFirst = recurrentConfig(event.layer).batchFirst;
  if (batchFirst !== undefined && unsqueezedAxis(event.call.args[0]) === (batchFirst ? 1 : 0)) return true;
  const input = event.args[0];
  if (input?.kind !== 'tensor' || !input.shape.rankKnown) return false;
  const dims = input.shape.dims;
  const time = dims.length === 2 ? dims[0] : dims.length === 3 && batchFirst !== undefined ? dims[batchFirst ? 1 : 0] : undefined;
  return time?.kind === 'int' && time.value === 1;
}

/** The names an assignment target binds (`h`, `out, hidden`, `out, (h, c)`), `_` aside. */
function boundNames(target: Expr): string[] {
  if (target.kind === 'name') return target.id === '_' ? [] : [target.id];
  if (target.kind === 'tuple' || target.kind === 'list') return target.items.flatMap(boundNames);
  return [];
}

/** The names the call's result binds to its state: a cell's whole result, an RNN's second item. */
function stateNames(assign: Assign, cell: boolean): string[] {
  const target = assign.targets[0];
  if (assign.targets.length !== 1 || !target) return [];
  if (cell) return boundNames(target);
  return (target.kind === 'tuple' || target.kind === 'list') && target.items.length === 2 ? boundNames(target.items[1]) : [];
}

/** The assignment in the loop whose value is the call, if the call is one. */
function assignmentOf(loop: For | While, call: Call): Assign | undefined {
  let found: Assign | undefined;
  walkStatements(loop.body, (s) => {
    if (!found && s.kind === 'assign' && !s.op && s.value === call) found = s;
  });
  return found;
}

/**
 * Whether the callee may be another layer at each iteration (a loop over stacked layers, not over steps):
 * `self.cells[i](x)`, `cell(x)` after `cell = getattr(self, ...)` in the loop, `for cell in self.cells: ...`.
 */
function layerChangesPerIteration(loop: For | While, callee: string): boolean {
  if (callee.includes('[')) return true;
  const root = /^\w+/.exec(callee)?.[0];
  if (!root) return true;
  const binds = (target: Expr) => boundNames(target).includes(root);
  if (loop.kind === 'for' && binds(loop.target)) return true;
  let rebound = false;
  walkStatements(loop.body, (s) => {
    if (!rebound && s.kind === 'assign' && s.targets.some(binds)) rebound = true;
    if (!rebound && s.kind === 'for' && binds(s.target)) rebound = true;
  });
  return rebound;
}

/**
 * Whether the loop gives one of `names` back to the layer: some call of the same callee (`self.lstm(...)`) in the loop
 * has it among its arguments, as in a first step taken without a state and the next ones with it.
 */
function passedBack(loop: For | While, callee: string, names: string[], ctx: RuleContext): boolean {
  let found = false;
  walkExpressions(loop, (e) => {
    if (found || e.kind !== 'call' || ctx.text(e.func.range) !== callee) return;
    const given = [...e.args, ...e.keywords.map((k) => k.value), ...e.starArgs, ...e.starKwargs];
    walkExpressions(given, (inner) => {
      if (inner.kind === 'name' && names.includes(inner.id)) found = true;
    });
  });
  return found;
}

/** Whether a returned expression is the name, or a tuple or list holding it (`return logit, hidden`). */
function returnsName(value: Expr, name: string): boolean {
  if (value.kind === 'name') return value.id === name;
  return (value.kind === 'tuple' || value.kind === 'list') && value.items.some((item) => item.kind === 'name' && item.id === name);
}

/**
 * `out, new_h = self.gru(x, hidden)` in a function that returns `hidden`, the parameter it was given and never rebinds,
 * while `new_h` is never read: the layer's new state is dropped and the caller gets its own state back. Whoever steps
 * through a sequence with that function, handing the returned state back at each step (a session-parallel recommender,
 * a decoder fed one token at a time), starts every step from the state it started with. The given and dropped names,
 * and the return that hands the state back.
 */
function givenStateReturned(event: LayerCallEvent): { given: string; dropped: string[]; at: Return } | undefined {
  const { call, caller } = event;
  if (!caller || call.args.length > 2) return undefined;
  const stateArg = call.args[1] ?? call.keywords.find((k) => STATE_KEYWORDS.includes(k.name))?.value;
  if (stateArg?.kind !== 'name') return undefined;
  const given = stateArg.id;
  if (!caller.params.some((p) => !p.variadic && p.name === given)) return undefined;
  let assign: Assign | undefined;
  let rebound = false;
  let at: Return | undefined;
  const binds = (target: Expr) => boundNames(target).includes(given);
  walkStatements(caller.body, (s) => {
    if (s.kind === 'assign' && !s.op && s.value === call) assign = s;
    else if (s.kind === 'assign' && s.targets.some(binds)) rebound = true;
    else if (s.kind === 'for' && binds(s.target)) rebound = true;
    else if (s.kind === 'with' && s.items.some((item) => item.target !== undefined && binds(item.target))) rebound = true;
    else if (s.kind === 'return' && s.value && returnsName(s.value, given)) at ??= s;
  });
  if (!assign || rebound || !at) return undefined;
  const dropped = stateNames(assign, CELLS.has(event.layer.kind)).filter((n) => !n.startsWith('_'));
  if (dropped.length === 0 || dropped.includes(given)) return undefined;
  // Never read: the binding is the name's only mention in the function's code, its closures' included.
  const mentions = new Map<string, number>();
  walkExpressions(caller.body, (e) => {
    if (e.kind === 'name') mentions.set(e.id, (mentions.get(e.id) ?? 0) + 1);
  }, true);
  if (dropped.some((n) => mentions.get(n) !== 1)) return undefined;
  return { given, dropped, at };
}

/** The first case: a step loop around the call that never gives the returned state back to the layer. */
function reportStepsWithoutState(event: LayerCallEvent, loop: For | While, ctx: RuleContext): void {
  const { call } = event;
  if (event.args.length !== 1 || call.args.length !== 1) return;
  if (call.keywords.some((k) => STATE_KEYWORDS.includes(k.name))) return;
  if (!oneStep(event)) return;
  const assign = assignmentOf(loop, call);
  const names = assign ? stateNames(assign, CELLS.has(event.layer.kind)) : [];
  if (names.length === 0) return;
  const callee = ctx.text(call.func.range);
  if (layerChangesPerIteration(loop, callee) || passedBack(loop, callee, names, ctx)) return;
  const cell = CELLS.has(event.layer.kind);
  ctx.report({
    range: call.range,
    message:
      `${layerName(event.layer)} is run on one ${cell ? 'step (a cell)' : 'time step'} per iteration of this loop without a state: ` +
      `the state it returns (${names.join(', ')}) is never given back to it, so every step starts from zeros and each output has read its own step only`,
    related: [{ range: loop.range, message: 'the loop that steps through the sequence' }],
  });
}

/**
 * `for t in range(T): out, hidden = self.lstm(x_t)` runs the layer on one step at a time, each time from a zero state:
 * the state it returns is bound to a name and never given back, so after the loop `out` has read the last step only.
 */
export const rnnStateDroppedBetweenSteps: Rule = {
  code: 'SL163',
  name: 'rnn-state-dropped-between-steps',
  severity: 'warning',
  framework: 'torch',
  summary: 'A recurrent layer or cell is run one step at a time in a loop without being given back the state it returns: every step starts from a zero state and reads that step alone.',
  docs: {
    whatItDoes:
      'Flags a call, inside a loop, of an nn.RNN/GRU/LSTM on one time step (its input has 1 step on its time axis) or of an nn.RNNCell/GRUCell/LSTMCell, made without a state argument, whose returned state is bound to a name that no call of the same layer in the loop receives. Also a call given the state a function received as a parameter, in a function that returns that parameter unchanged while the new state the layer returns is never read: the caller\'s loop gets its own state back at every step.',
    whyIsThisBad:
      'Without a state argument PyTorch starts the layer from zeros at every call. Stepping through a sequence this way, each step forgets all the steps before it: the "recurrent" model sees one frame or word at a time, and whatever reads its output after the loop (a classifier of a video, the last hidden state of a sentence) depends on the last step alone. Nothing raises; the shapes are all as expected.',
    example: 'hidden = None\nfor t in range(frames.size(1)):\n    x = self.encoder(frames[:, t])\n    out, hidden = self.lstm(x.unsqueeze(0))     # hidden is never passed back',
    useInstead: 'hidden = None\nfor t in range(frames.size(1)):\n    x = self.encoder(frames[:, t])\n    out, hidden = self.lstm(x.unsqueeze(0), hidden)\n# or run the whole sequence at once: out, hidden = self.lstm(torch.stack(steps))',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html', 'https://pytorch.org/docs/stable/generated/torch.nn.LSTMCell.html'],
  },
  fixTitles: [],
  hooks: {
    offers: { layerCall: (kind) => kind === 'RNN' || kind === 'GRU' || kind === 'LSTM' || CELLS.has(kind) },
    layerCall(event, ctx) {
      if (event.layer.framework !== 'torch' || event.call.hasStarArgs) return;
      if (event.loop) reportStepsWithoutState(event, event.loop, ctx);
      const returned = givenStateReturned(event);
      if (!returned) return;
      const { given, dropped, at } = returned;
      ctx.report({
        range: event.call.range,
        message:
          `${layerName(event.layer)} is given the state ${given} and returns a new one (${dropped.join(', ')}) that is never read, while the function returns ${given} itself: ` +
          `a caller that steps through a sequence with it, handing the returned state back, starts every step from the state it began with, so each output has read its own step only`,
        related: [{ range: at.range, message: `${given}, the state the function was given, is what it returns` }],
      });
    },
  },
};
