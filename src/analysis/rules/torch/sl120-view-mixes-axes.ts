import type { Range } from '../../findings';
import { dimsFromSizeArgs } from '../../ops/dims-from-values';
import { isMerged, memoryDims, mixedAxes, sharedEnds, type MixedAxes } from '../../ops/regrouping';
import { isDataCountName, type Dim } from '../../shapes/dim';
import { formatShape, shapeOf as shapeOfDims } from '../../shapes/shape';
import type { Call } from '../../parse/ast';
import type { RuleContext } from '../../interpret/events';
import type { TensorValue, Value } from '../../values/value';
import type { Rule } from '../rule';

export { mixedAxes, type MixedAxes } from '../../ops/regrouping';

const RESHAPES = new Set(['view', 'reshape']);
const PRODUCTS = new Set(['torch.bmm', 'torch.matmul', 'torch.mm']);
const PRODUCT_METHODS = new Set(['bmm', 'matmul', 'mm']);

export const viewMixesAxes: Rule = {
  code: 'SL120',
  name: 'view-mixes-axes',
  severity: 'warning',
  framework: 'torch',
  summary: '.view()/.reshape() used to move an axis: the new shape keeps a size on another axis, but the elements are regrouped in memory order (transpose or permute was meant).',
  docs: {
    whatItDoes:
      'For a `.view()` or `.reshape()` whose sizes are known, finds the axes whose elements it regroups: a reshape keeps an axis only where the running products of the old and new sizes meet on both sides of it. When a size (3 or more) of the regrouped axes reappears on a new axis that they do not meet, the new shape looks like the old one with that axis moved, but each slice along it holds elements taken across the other axes. It reports such a view where a layer (not a loss) or a product (torch.bmm, matmul, @) reads it, however the value got there: the regrouped elements stay so through reshapes, squeeze/unsqueeze, element-wise ops, lists, cat/stack and transpose/permute (moving the axis back does not put the elements back), until a reshape returns them to a layout of the view\'s input. The result of `torch.cat` of parts of one size is read in memory order, as their stack: `torch.cat([h[0], h[1]], 0).view(batch, 2 * hidden)` of a bidirectional state pairs up rows of one direction. An output and its target reshaped alike for an element-wise loss mix nothing that matters. Rows that a view merged from the batch and other axes (`(B, T, H).view(-1, H)`, B × T rows, sample-major) count as those axes, through the layers that keep them: `.view(-1, B, 1)` of them splits them in the other order. So does an axis a repeat tiled, its copies one after another (`(B, H).repeat(3, 1)` is (3, B) rows, copy-major): `.view(B, 3, H)` of it regroups copies and samples, while a view that splits or merges the copies in that order (per-head projections of an input repeated n_head times) regroups nothing, whatever its sizes. Where the regrouped axes hold the batch, an integer index on them (`[0]`) is reported too: the slice it keeps looks like one entry per sample but holds rows of a few samples, and no reshape can bring the others back; so is one on the result of torch.cat of such views along another axis (a state\'s layers), whose parts keep their elements where the view put them.',
    whyIsThisBad:
      'Nothing raises: the shape is what the next layer wants, and the model trains on scrambled data. `(batch, seq, features).view(seq, batch, features)` for a sequence-first RNN, heads merged with `.view(B, T, H * D)` before `.transpose(1, 2)`, and a CNN feature map `(B, C, H, W)` viewed as `(B, W, C * H)` for an RNN are the classic cases.',
    example: 'x = x.view(x.size(1), x.size(0), -1)   # (batch, seq, F) -> meant (seq, batch, F)\nout, _ = self.lstm(x)',
    useInstead: 'x = x.transpose(0, 1)                  # or nn.LSTM(..., batch_first=True)\nout, _ = self.lstm(x)',
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.view.html', 'https://pytorch.org/docs/stable/generated/torch.permute.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => PRODUCTS.has(qualname),
      tensorMethod: (name) => PRODUCT_METHODS.has(name) || RESHAPES.has(name),
    },
    // A mixed view is remembered where it is made; the value carries the regrouping (ops/regrouping.ts), and the view
    // is reported when a layer or a product reads it: reshaping an output and its target alike for an element-wise
    // loss mixes nothing that matters.
    tensorMethod(event, ctx) {
      if (PRODUCT_METHODS.has(event.name)) {
        if (!hasPending(ctx)) return;
        const read = reader(ctx, `.${event.name}()`, event.call);
        read(event.receiver);
        for (const arg of event.args) read(arg);
        return;
      }
      if (!RESHAPES.has(event.name) || !event.receiver.shape.rankKnown) return;
      if (event.args.length === 1 && event.args[0].kind === 'dtype') return;
      const t = event.receiver;
      const dims = dimsFromSizeArgs(event.args, t.origin ?? { range: event.call.range, text: '' });
      if (!dims) return;
      const layout = memoryDims(t);
      const mixed = mixedAxes(layout, dims);
      if (!mixed) return;
      const func = event.call.func;
      const receiverText = func.kind === 'attribute' ? ctx.text(func.object.range) : 'the tensor';
      const shown = (text: string) => (text.length > 50 ? `${text.slice(0, 47)}…` : text);
      const from = t.origin && t.origin.text !== receiverText ? ` (from ${shown(t.origin.text)}, line ${t.origin.range.start.line + 1})` : t.origin ? ` (line ${t.origin.range.start.line + 1})` : '';
      const related: { range: Range; message: string }[] = t.origin ? [{ range: t.origin.range, message: `the ${formatShape(t.shape)} tensor comes from here` }] : [];
      const cat = layout !== t.shape.dims ? t.catParts : undefined;
      const merged = cat ? undefined : mergedAxisOf(t, mixed);
      const message = merged
        ? `${shown(receiverText)} is ${formatShape(t.shape)}${from}, whose axis ${merged.axis} holds ${formatShape(shapeOfDims(merged.factors))} ${merged.tiled ? 'tiled in that order by a repeat' : 'merged in that order by a view'}${merged.line ? ` (line ${merged.line})` : ''}: ` +
          `.${event.name}${shown(ctx.text(event.call.argsRange))} gives axis ${mixed.outputAxis} the size ${sizeText(mixed.size)} of the merged axis ${mixed.inputAxis - merged.start}, but a ${event.name} splits the merged axis in memory order: ` +
          `each slice along the new axis ${mixed.outputAxis} mixes values across them and is not the merged axis ${mixed.inputAxis - merged.start}`
        : cat
        ? `${shown(receiverText)} is ${formatShape(t.shape)}${from}, ${cat.count} tensors of ${formatShape(shapeOfDims(layout.slice(0, cat.axis).concat(layout.slice(cat.axis + 1))))} joined on axis ${cat.axis}: ` +
          `.${event.name}${shown(ctx.text(event.call.argsRange))} gives axis ${mixed.outputAxis} the size ${sizeText(mixed.size)} of ${partAxis(mixed.inputAxis, cat.axis)}, but a ${event.name} reads the joined tensors in memory order, one after the other: ` +
          `each slice along the new axis ${mixed.outputAxis} mixes values across them and is not ${partAxis(mixed.inputAxis, cat.axis)}`
        : `${shown(receiverText)} is ${formatShape(t.shape)}${from}: .${event.name}${shown(ctx.text(event.call.argsRange))} gives axis ${mixed.outputAxis} the size ${sizeText(mixed.size)} of axis ${mixed.inputAxis}, ` +
          `but a ${event.name} regroups the elements of axes ${mixed.from}–${mixed.to} in memory order: each slice along the new axis ${mixed.outputAxis} mixes values across them and is not the old axis ${mixed.inputAxis}`;
      if (cat && rangeKey(cat.call) !== (t.origin ? rangeKey(t.origin.range) : '')) related.push({ range: cat.call, message: `torch.cat joins ${cat.count} tensors on axis ${cat.axis} here` });
      pendingOf(ctx).set(rangeKey(event.call.range), { range: event.call.range, message, related, samples: regroupedSamples(layout, dims, mixed) });
    },
    // An integer index on a regrouped axis keeps one slice of the view when it regrouped the samples: its entries look
    // like one per sample but come from a few samples' rows, and no later reshape can put the others back.
    tensorIndex(event, ctx) {
      const regrouped = event.tensor.regrouped;
      if (!regrouped || (!regrouped.source && regrouped.joinedOn === undefined) || !hasPending(ctx)) return;
      const key = rangeKey(regrouped.view);
      const view = pendingOf(ctx).get(key);
      const samples = view?.samples;
      if (!view || !samples || !event.tensor.shape.rankKnown || event.tensor.shape.dims.length !== samples.rank) return;
      // Joined with other tensors along one of the sample axes, the view's axes no longer line up with the value's.
      if (!regrouped.source && regrouped.joinedOn !== undefined && regrouped.joinedOn >= samples.first && regrouped.joinedOn < samples.last) return;
      if (event.items.some((item) => item.kind !== 'int' && item.kind !== 'slice')) return;
      const axis = event.items.findIndex((item, a) => item.kind === 'int' && a >= samples.first && a < samples.last);
      if (axis < 0) return;
      pendingOf(ctx).delete(key);
      const at = event.node.range.start.line + 1;
      ctx.report({
        range: view.range,
        message:
          `${view.message}, the samples among them; ${shownIndex(ctx.text(event.node.range))} (line ${at}) keeps one slice of axis ${axis}: ` +
          'its entries look like one per sample but are rows of a few samples, and the others are lost. Nothing raises; to move an axis, transpose or permute it',
        related: [...view.related, { range: event.node.range, message: 'one slice of the mixed tensor is kept here' }],
      });
    },
    layerCall(event, ctx) {
      if (event.layer.kind.endsWith('Loss') || !hasPending(ctx)) return;
      const read = reader(ctx, event.layer.kind, event.call);
      for (const arg of event.args) read(arg);
      for (const arg of event.kwargs.values()) read(arg);
    },
    // A product contracts the regrouped axes with another tensor's: each output mixes values across them too.
    functionCall(event, ctx) {
      if (!PRODUCTS.has(event.qualname) || !hasPending(ctx)) return;
      const read = reader(ctx, event.qualname, event.call);
      for (const arg of event.args) read(arg);
      for (const arg of event.kwargs.values()) read(arg);
    },
    binary(event, ctx) {
      if (event.node.op !== '@' || !hasPending(ctx)) return;
      const read = reader(ctx, 'the product @', event.node);
      read(event.left);
      read(event.right);
    },
  },
};

/** The axis of `t` whose merged sizes hold the size a view moved (see memoryDims), with where it was merged. */
function mergedAxisOf(t: TensorValue, mixed: MixedAxes): { axis: number; start: number; factors: Dim[]; tiled: boolean; line?: number } | undefined {
  if (!t.shape.rankKnown) return undefined;
  let at = 0;
  for (let axis = 0; axis < t.shape.dims.length; axis++) {
    const d = t.shape.dims[axis];
    const width = isMerged(d) ? d.merged.length : 1;
    if (isMerged(d) && mixed.inputAxis >= at && mixed.inputAxis < at + width) {
      return { axis, start: at, factors: d.merged, tiled: d.tiled === true, line: d.origin ? d.origin.range.start.line + 1 : undefined };
    }
    at += width;
  }
  return undefined;
}

/** An axis of the stack of cat's parts, named as the parts know it (`axis` is the one cat joined them on). */
function partAxis(stackedAxis: number, axis: number): string {
  if (stackedAxis === axis) return 'the number of joined tensors';
  return `the joined tensors' axis ${stackedAxis < axis ? stackedAxis : stackedAxis - 1}`;
}

interface PendingView {
  range: Range;
  message: string;
  related: { range: Range; message: string }[];
  /** The view's axes that hold the regrouped elements, when the batch is among them (rank: the view's). */
  samples?: { first: number; last: number; rank: number };
}

/**
 * The axes of the view (shape `requested`) that hold the elements it regroups, when those come from the batch axis
 * among others: the view's axes between the sizes it shares with `layout` at its start and end.
 */
function regroupedSamples(layout: Dim[], requested: Dim[], mixed: MixedAxes): PendingView['samples'] {
  if (!layout.slice(mixed.from, mixed.to + 1).some((d) => d.role === 'batch')) return undefined;
  const { lead, tail } = sharedEnds(layout, requested);
  // An axis of size 1 the view adds holds no samples: an index on it keeps every one.
  let first = lead;
  let last = requested.length - tail;
  while (first < last && isOne(requested[first])) first++;
  while (last > first && isOne(requested[last - 1])) last--;
  return first < last ? { first, last, rank: requested.length } : undefined;
}

function isOne(d: Dim): boolean {
  return d.kind === 'int' && d.value === 1;
}

function shownIndex(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** Mixed views not yet read by a layer, per analysis (each run has its own rule context). */
const PENDING = new WeakMap<RuleContext, Map<string, PendingView>>();

function pendingOf(ctx: RuleContext): Map<string, PendingView> {
  let map = PENDING.get(ctx);
  if (!map) PENDING.set(ctx, (map = new Map()));
  return map;
}

/** Whether a mixed view waits to be read: most layer calls and products meet none, and skip the walk of their arguments. */
function hasPending(ctx: RuleContext): boolean {
  const pending = PENDING.get(ctx);
  return pending !== undefined && pending.size > 0;
}

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.column}:${r.end.line}:${r.end.column}`;
}

/**
 * Reports, once, each regrouping view whose elements `what` (a layer, a product) reads: the regrouping travels with the
 * value (ops/regrouping.ts) through the ops that keep its elements, lists and tuples included.
 */
function reader(ctx: RuleContext, what: string, at: Pick<Call, 'range'>): (v: Value) => void {
  const pending = PENDING.get(ctx);
  const read = (v: Value, depth: number): void => {
    if (!pending || pending.size === 0) return;
    if (v.kind === 'tensor' && v.regrouped) {
      const key = rangeKey(v.regrouped.view);
      const view = pending.get(key);
      if (!view) return;
      pending.delete(key);
      ctx.report({
        range: view.range,
        message: `${view.message}; ${what} (line ${at.range.start.line + 1}) reads it. Nothing raises; to move an axis, transpose or permute it`,
        related: [...view.related, { range: at.range, message: `${what} reads the mixed tensor here` }],
      });
    } else if ((v.kind === 'tuple' || v.kind === 'list') && depth < 2) {
      for (const item of v.items) read(item, depth + 1);
      if (v.element) read(v.element, depth + 1);
    }
  };
  return (v) => read(v, 0);
}

/** A kept size for the message: a count the data decides has no name in the program, and is called N. */
function sizeText(size: number | string): string {
  return typeof size === 'string' && isDataCountName(size) ? 'N' : String(size);
}
