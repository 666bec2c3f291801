import type { Range } from '../../findings';
import { Dim, cancelledFactors, formatDim, isDataCountName, knownProduct } from '../../shapes/dim';
import { formatShape } from '../../shapes/shape';
import { dimsFromSizeArgs, reshapeSizeArgs } from '../../ops/dims-from-values';
import type { Value } from '../../values/value';
import type { RuleContext } from '../../interpret/events';
import type { Rule } from '../rule';
import { originNote, relatedOrigin } from './describe';

const METHODS = new Set(['view', 'reshape']);
const FUNCTIONS = new Set(['torch.reshape']);

/** Why a new shape cannot hold a tensor's elements: the element counts on both sides, as far as they are known. */
export interface SizeClash {
  /** The requested sizes, -1 included, in PyTorch's words ("[32, -1, 128]"), when every one is a known number. */
  requested?: string;
  /** The input's element count, when every size is a known number. */
  numel?: number;
  /** What does not fit, for the message: "200 elements per B against 300". */
  what: string;
}

/**
 * The clash between a tensor's sizes and the sizes a view/reshape asks for, when it is certain (checked against
 * PyTorch 1.13 by test/unit/analysis/view-size-mismatch.test.ts on random shapes). A symbol that appears on both sides
 * is the same number and cancels; any other symbol or an unknown size decides nothing. A -1 takes whatever the other
 * sizes leave, so only a remainder is a clash.
 */
export function viewSizeClash(input: Dim[], requested: Dim[]): SizeClash | undefined {
  const minus = requested.filter((d) => d.kind === 'int' && d.value === -1).length;
  if (minus > 1 || requested.some((d) => d.kind === 'int' && d.value < -1)) return undefined;
  // A symbol of the input's left over multiplies its count by a number not known: the counts may then agree.
  const c = cancelledFactors(input, requested.filter((d) => !(d.kind === 'int' && d.value === -1)));
  if (!c || c.have === 0 || c.want === 0) return undefined;
  const fits = minus ? c.have % c.want === 0 : c.have === c.want;
  if (fits) return undefined;
  const allKnown = requested.every((d) => d.kind === 'int') && input.every((d) => d.kind === 'int');
  // A count the data decides (the rows a mask selected) is named N: it has no name in the program.
  const per = c.symbols.length ? ` per ${c.symbols.map((s) => (isDataCountName(s) ? 'N' : formatDim({ kind: 'sym', name: s }))).join(' × ')}` : '';
  return {
    ...(allKnown ? { requested: `[${requested.map(formatDim).join(', ')}]`, numel: c.have } : {}),
    what: minus
      ? `${c.have} elements${per} do not divide into rows of ${c.want}`
      : `${c.have} elements${per} against ${c.want}`,
  };
}

/**
 * The clash on a DataLoader's full batches: the input's one symbolic axis is a loader's batch (or a multiple of it)
 * whose last batch is smaller (Dim.lastBatch), every other size and every requested one known. That axis holds
 * `size` rows on every batch but the last; the last batch, `last` rows, is checked on the pass of the loop that runs
 * it (see Interpreter.lastBatchPass), since a loop may skip it.
 */
export function lastBatchViewClash(input: Dim[], requested: Dim[]): SizeClash | undefined {
  const batches = input.filter((d) => d.kind !== 'int');
  const batch = batches[0];
  if (batches.length !== 1 || batch.kind !== 'sym' || !batch.lastBatch) return undefined;
  const minus = requested.filter((d) => d.kind === 'int' && d.value === -1).length;
  if (minus > 1 || !requested.every((d) => d.kind === 'int' && (d.value > 0 || d.value === -1))) return undefined;
  const rest = knownProduct(input);
  const want = requested.reduce((p, d) => p * (d.kind === 'int' && d.value > 0 ? d.value : 1), 1);
  if (!Number.isSafeInteger(rest) || !Number.isSafeInteger(want) || rest === 0) return undefined;
  const fits = (rows: number) => (minus ? (rows * rest) % want === 0 : rows * rest === want);
  const { size } = batch.lastBatch;
  // The last batch is checked on the pass of the loop that runs it (a loop may skip it), with its size known.
  if (fits(size)) return undefined;
  const numel = size * rest;
  const where = `with ${formatDim(batch)} = ${size} (full batches) the tensor holds ${numel} elements`;
  return {
    requested: `[${requested.map(formatDim).join(', ')}]`,
    numel,
    what: minus ? `${where}, which do not divide into rows of ${want}` : `${where}, against ${want}`,
  };
}

/** NumPy's own words for a reshape whose sizes do not hold the array: -1 is written newaxis, a one-size shape (5,). */
function numpyReshapeError(requested: Dim[], numel: number | undefined): string | undefined {
  if (numel === undefined || !requested.every((d) => d.kind === 'int')) return undefined;
  const sizes = requested.map((d) => ((d as { value: number }).value === -1 ? 'newaxis' : String((d as { value: number }).value)));
  return `"cannot reshape array of size ${numel} into shape (${sizes.join(',')}${sizes.length === 1 ? ',' : ''})"`;
}

function check(ctx: RuleContext, range: Range, call: string, t: Value, args: Value[]): void {
  if (t.kind !== 'tensor' || !t.shape.rankKnown) return;
  if (args.length === 1 && args[0].kind === 'dtype') return;
  const requested = dimsFromSizeArgs(args, undefined);
  if (!requested) return;
  const clash = viewSizeClash(t.shape.dims, requested) ?? lastBatchViewClash(t.shape.dims, requested);
  if (!clash) return;
  const numpy = t.numpy ? numpyReshapeError(requested, clash.numel) : undefined;
  const raises = numpy ?? (clash.requested !== undefined ? `"shape '${clash.requested}' is invalid for input of size ${clash.numel}"` : `"shape '[…]' is invalid for input of size …"`);
  ctx.report({
    range,
    message: `${call} asks for (${requested.map(formatDim).join(', ')}) from a ${formatShape(t.shape)} ${t.numpy ? 'NumPy array' : 'tensor'}${originNote(t)}: ${clash.what}, so ${numpy ? 'NumPy' : 'PyTorch'} raises ${raises}`,
    related: relatedOrigin(t, range, `the ${formatShape(t.shape)} tensor comes from here`),
    fixes: [],
  });
}

export const viewSizeMismatch: Rule = {
  code: 'SL122',
  name: 'view-size-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: '.view()/.reshape() asks for a shape that cannot hold the tensor\'s elements: the sizes multiply to another count, or a -1 leaves a remainder.',
  docs: {
    whatItDoes:
      'Multiplies the sizes a `.view()`, `.reshape()` or `torch.reshape` asks for and compares them with the tensor\'s element count, where both are known. A size named by the same symbol on both sides (the batch read with `x.size(0)`) cancels; any other symbol or unknown size decides nothing, except a DataLoader\'s batch over a dataset of known length that batch_size does not divide (no drop_last): the view is checked against its full batches and its last, smaller one.',
    whyIsThisBad:
      'PyTorch raises `RuntimeError: shape \'[32, -1, 128]\' is invalid for input of size 131072`. The sizes usually come from elsewhere: a hidden size doubled by a bidirectional layer, a state with a num_layers axis, a sequence length from the configuration instead of the batch.',
    example: 'out, (h, c) = self.lstm(x)          # bidirectional, hidden 64: h is (2, B, 64)\nh = h.view(x.size(0), 64)',
    useInstead: 'h = torch.cat([h[-2], h[-1]], dim=1)   # (B, 128)',
    references: ['https://pytorch.org/docs/stable/generated/torch.Tensor.view.html', 'https://pytorch.org/docs/stable/generated/torch.reshape.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => FUNCTIONS.has(qualname),
      tensorMethod: (name) => METHODS.has(name),
    },
    tensorMethod(event, ctx) {
      if (!METHODS.has(event.name) || event.call.hasStarArgs) return;
      check(ctx, event.call.range, `.${event.name}()`, event.receiver, reshapeSizeArgs(event.name, event.args, event.kwargs));
    },
    functionCall(event, ctx) {
      if (!FUNCTIONS.has(event.qualname) || event.call.hasStarArgs || event.args.length < 2) return;
      check(ctx, event.call.range, event.qualname, event.args[0], event.args.slice(1));
    },
  },
};
