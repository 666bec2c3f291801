// Phrases shared by the PyTorch rules' messages: "GRU (line 4)", "100 features (torch.randn(…), line 5)".
import type { Range, RelatedLocation } from '../../findings';
import type { Call, Expr } from '../../parse/ast';
import { formatShape } from '../../shapes/shape';
import type { TensorValue } from '../../values/value';
import type { LayerCallEvent, RuleContext } from '../../interpret/events';
import type { LayerDesc } from '../../layers/layer';
import { argOrigin } from '../../layers/layer';
import { Dim, describeOrigin, formatDim, lineOf } from '../../shapes/dim';

/** Whether two ranges are the same span. */
export function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.column === b.start.column && a.end.line === b.end.line && a.end.column === b.end.column;
}

export function layerName(layer: LayerDesc): string {
  return `${layer.kind} (${lineOf({ range: layer.call.range, text: '' })})`;
}

/** `input_size=50 (line 4)`: an argument with the value it has and where it was set. */
export function expected(layer: LayerDesc, arg: string, value: number): string {
  return `${arg}=${value} (${lineOf(argOrigin(layer, arg))})`;
}

export function whereFrom(dim: Dim): string {
  return dim.kind !== 'unknown' && dim.origin ? ` (${describeOrigin(dim.origin)})` : '';
}

export function relatedArg(layer: LayerDesc, arg: string, message: string): RelatedLocation {
  return { range: argOrigin(layer, arg).range, message };
}

export function relatedDim(dim: Dim, message: string): RelatedLocation[] {
  return dim.kind !== 'unknown' && dim.origin ? [{ range: dim.origin.range, message }] : [];
}

export function producerLayer(dim: Dim): LayerDesc | undefined {
  return dim.kind !== 'unknown' && dim.producer && typeof dim.producer === 'object' && 'kind' in (dim.producer as object) ? (dim.producer as LayerDesc) : undefined;
}

/** Code as written at a range, on one line and clipped to 40 characters: "self.embed(sentence)". */
export function codeText(ctx: RuleContext, range: Range): string {
  const text = ctx.text(range).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

/** An operand as the code writes it, clipped, with its shape: "enc_out (4, 9, 32)". */
export function operandText(ctx: RuleContext, expr: Expr | undefined, t: TensorValue): string {
  return `${expr ? codeText(ctx, expr.range) : 'a tensor'} ${formatShape(t.shape)}`;
}

/** Where a tensor was made, clipped: " (self.gru(x), line 15)", or nothing. */
export function originNote(t: TensorValue): string {
  return t.origin ? ` (${t.origin.text.length > 50 ? `${t.origin.text.slice(0, 47)}…` : t.origin.text}, line ${t.origin.range.start.line + 1})` : '';
}

/** A tensor's shape and where it was made: "(2, 4, 32) (self.gru(x), line 15)". */
export function shapeAndOrigin(t: TensorValue): string {
  return `${formatShape(t.shape)}${originNote(t)}`;
}

/** A related location at the tensor's origin, unless that is the reported range itself. */
export function relatedOrigin(t: TensorValue, range: Range, message: string): RelatedLocation[] {
  return t.origin && t.origin.range !== range ? [{ range: t.origin.range, message }] : [];
}

/** The expression passed to a call by keyword, e.g. `target=` of a loss. */
export function keywordExpr(call: Call, name: string): Expr | undefined {
  return call.keywords.find((k) => k.name === name)?.value;
}

/**
 * What a rule noted for the slice a torch layer (not a loss) is given as its input, looked up by the slice's range
 * (its origin). A slice reaching a layer is the model's use of it; a script comparing two readings of a tensor
 * (torch.equal(out[:, :, -1], out[:, -1, :])) is not using one for the other.
 */
export function sliceGivenToLayer<T>(candidates: WeakMap<Range, T>, event: LayerCallEvent): T | undefined {
  if (event.layer.framework !== 'torch' || event.layer.kind.endsWith('Loss')) return undefined;
  const input = event.args[0];
  return input?.kind === 'tensor' && input.origin ? candidates.get(input.origin.range) : undefined;
}

/** A Python float as Python prints it: `50.0`, `6.75`. */
export function formatFloat(v: number): string {
  return Number.isInteger(v) ? v.toFixed(1) : String(v);
}

/**
 * Where an error PyTorch raises inside a call is reported when it is about one argument: the argument itself, or,
 * when the call is written over several lines and the argument is not on the line the call starts on, from the call's
 * start to the argument's end, so the finding lands on the line PyTorch's traceback names.
 */
export function argumentInCall(arg: Range | undefined, call: Range): Range {
  if (!arg) return call;
  if (arg.start.line === call.start.line) return arg;
  return { start: call.start, end: arg.end };
}

/** A shape as PyTorch's errors print a size list: `[16, 1, 50]`. */
export function bracketed(dims: readonly Dim[]): string {
  return `[${dims.map(formatDim).join(', ')}]`;
}

/** A shape as NumPy's errors print it, a Python tuple: `(3,)`, `(2,3)`. */
export function numpyTuple(dims: readonly Dim[]): string {
  return `(${dims.map(formatDim).join(',')}${dims.length === 1 ? ',' : ''})`;
}
