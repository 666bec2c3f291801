import type { Range } from '../../findings';
import { dimsFromSizeArgs } from '../../ops/dims-from-values';
import { knownSizes, resolveSizes } from '../../ops/layout';
import { Dim, sameDim } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import type { RuleContext } from '../../interpret/events';
import type { Value } from '../../values/value';
import type { Rule } from '../rule';

/** Where a view keeps a size on a new axis without carrying the axis that had it. */
export interface MixedAxes {
  /** The size kept (≥ 3), its axis in the input and its axis in the view. */
  size: number;
  inputAxis: number;
  outputAxis: number;
  /** The input axes whose elements the view regroups together (first and last, inclusive). */
  from: number;
  to: number;
}

/**
 * A reshape lays a tensor's elements out again in memory order, so it keeps an axis only where the running
 * products of the old and new sizes meet on both sides of it. Between two such meeting points the elements of
 * several axes are regrouped: when a size of the old axes there reappears on a new axis that does not meet them,
 * the view puts that size on an axis whose elements come from other axes (the view was meant as a transpose or
 * permute). Sizes 1 and 2 are left alone: a 2 is as often a split in halves as a kept axis.
 * Reads only sizes that are known; the common leading and trailing axes may be unknown (a batch).
 */
export function mixedAxes(input: Dim[], requested: Dim[]): MixedAxes | undefined {
  let lead = 0;
  while (lead < input.length && lead < requested.length && sameDim(input[lead], requested[lead])) lead++;
  let tail = 0;
  while (tail < input.length - lead && tail < requested.length - lead && sameDim(input[input.length - 1 - tail], requested[requested.length - 1 - tail])) tail++;
  const inner = input.slice(lead, input.length - tail);
  const wanted = requested.slice(lead, requested.length - tail);
  if (inner.length < 2 || wanted.length < 2) return undefined;
  const sizes = knownSizes(inner);
  const requestedSizes = knownSizes(wanted);
  if (!sizes || !requestedSizes) return undefined;
  const numel = sizes.reduce((p, s) => p * s, 1);
  if (numel === 0) return undefined;
  const out = resolveSizes(requestedSizes, numel);
  if (!out || out.reduce((p, s) => p * s, 1) !== numel) return undefined;
  // Walk both size lists, cutting where their running products meet.
  let i = 0;
  let j = 0;
  while (i < sizes.length && j < out.length) {
    const gi = i;
    const gj = j;
    let a = sizes[i++];
    let b = out[j++];
    while (a !== b) {
      if (a < b) a *= sizes[i++];
      else b *= out[j++];
    }
    // Size-1 axes at the end of a group join it without changing anything.
    const oldAxes = sizes.slice(gi, i).map((s, k) => ({ s, axis: gi + k })).filter((x) => x.s > 1);
    const newAxes = out.slice(gj, j).map((s, k) => ({ s, axis: gj + k })).filter((x) => x.s > 1);
    if (oldAxes.length < 2 || newAxes.length < 2) continue;
    for (const n of newAxes) {
      const kept = oldAxes.find((o) => o.s === n.s && o.s > 2);
      if (kept) {
        return { size: n.s, inputAxis: lead + kept.axis, outputAxis: lead + n.axis, from: lead + gi, to: lead + i - 1 };
      }
    }
  }
  return undefined;
}

const RESHAPES = new Set(['view', 'reshape']);

export const viewMixesAxes: Rule = {
  code: 'SL120',
  name: 'view-mixes-axes',
  severity: 'warning',
  framework: 'torch',
  summary: '.view()/.reshape() used to move an axis: the new shape keeps a size on another axis, but the elements are regrouped in memory order (transpose or permute was meant).',
  docs: {
    whatItDoes:
      'For a `.view()` or `.reshape()` whose sizes are known, finds the axes whose elements it regroups: a reshape keeps an axis only where the running products of the old and new sizes meet on both sides of it. When a size (3 or more) of the regrouped axes reappears on a new axis that they do not meet, the new shape looks like the old one with that axis moved, but each slice along it holds elements taken across the other axes. It reports such a view where a layer (not a loss) reads it: an output and its target reshaped alike for an element-wise loss mix nothing that matters.',
    whyIsThisBad:
      'Nothing raises: the shape is what the next layer wants, and the model trains on scrambled data. `(batch, seq, features).view(seq, batch, features)` for a sequence-first RNN, heads merged with `.view(B, T, H * D)` before `.transpose(1, 2)`, and a CNN feature map `(B, C, H, W)` viewed as `(B, W, C * H)` for an RNN are the classic cases.',
    example: 'x = x.view(x.size(1), x.size(0), -1)   # (batch, seq, F) -> meant (seq, batch, F)\nout, _ = self.lstm(x)',
    useInstead: 'x = x.transpose(0, 1)                  # or nn.LSTM(..., batch_first=True)\nout, _ = self.lstm(x)',
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.view.html', 'https://pytorch.org/docs/stable/generated/torch.permute.html'],
  },
  fixTitles: [],
  hooks: {
    // A mixed view is remembered where it is made and reported when a layer reads it: reshaping an output and
    // its target alike for an element-wise loss mixes nothing that matters.
    tensorMethod(event, ctx) {
      if (!RESHAPES.has(event.name) || !event.receiver.shape.rankKnown) return;
      if (event.args.length === 1 && event.args[0].kind === 'dtype') return;
      const t = event.receiver;
      const dims = dimsFromSizeArgs(event.args, t.origin ?? { range: event.call.range, text: '' });
      if (!dims) return;
      const mixed = mixedAxes(t.shape.dims, dims);
      if (!mixed) return;
      const func = event.call.func;
      const receiverText = func.kind === 'attribute' ? ctx.text(func.object.range) : 'the tensor';
      const shown = (text: string) => (text.length > 50 ? `${text.slice(0, 47)}…` : text);
      const from = t.origin && t.origin.text !== receiverText ? ` (from ${shown(t.origin.text)}, line ${t.origin.range.start.line + 1})` : t.origin ? ` (line ${t.origin.range.start.line + 1})` : '';
      const related: { range: Range; message: string }[] = t.origin ? [{ range: t.origin.range, message: `the ${formatShape(t.shape)} tensor comes from here` }] : [];
      const message =
        `${shown(receiverText)} is ${formatShape(t.shape)}${from}: .${event.name}${shown(ctx.text(event.call.argsRange))} gives axis ${mixed.outputAxis} the size ${mixed.size} of axis ${mixed.inputAxis}, ` +
        `but a ${event.name} regroups the elements of axes ${mixed.from}–${mixed.to} in memory order: each slice along the new axis ${mixed.outputAxis} mixes values across them and is not the old axis ${mixed.inputAxis}`;
      pendingOf(ctx).set(rangeKey(event.call.range), { range: event.call.range, message, related });
    },
    layerCall(event, ctx) {
      if (event.layer.kind.endsWith('Loss')) return;
      const pending = PENDING.get(ctx);
      if (!pending || pending.size === 0) return;
      const read = (v: Value, depth: number): void => {
        if (v.kind === 'tensor' && v.origin) {
          const key = rangeKey(v.origin.range);
          const view = pending.get(key);
          if (!view) return;
          pending.delete(key);
          ctx.report({
            range: view.range,
            message: `${view.message}; ${event.layer.kind} (line ${event.call.range.start.line + 1}) reads it. Nothing raises; to move an axis, transpose or permute it`,
            related: [...view.related, { range: event.call.range, message: `${event.layer.kind} reads the mixed tensor here` }],
          });
        } else if ((v.kind === 'tuple' || v.kind === 'list') && 'items' in v && v.items && depth < 2) {
          for (const item of v.items) read(item, depth + 1);
        }
      };
      for (const arg of event.args) read(arg, 0);
      for (const arg of event.kwargs.values()) read(arg, 0);
    },
  },
};

interface PendingView {
  range: Range;
  message: string;
  related: { range: Range; message: string }[];
}

/** Mixed views not yet read by a layer, per analysis (each run has its own rule context). */
const PENDING = new WeakMap<RuleContext, Map<string, PendingView>>();

function pendingOf(ctx: RuleContext): Map<string, PendingView> {
  let map = PENDING.get(ctx);
  if (!map) PENDING.set(ctx, (map = new Map()));
  return map;
}

function rangeKey(r: Range): string {
  return `${r.start.line}:${r.start.column}:${r.end.line}:${r.end.column}`;
}
