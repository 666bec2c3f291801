// torch.einsum: the result's axes are named by the equation, so its rank is known from the equation alone (without an
// ellipsis), and each size is the one the operands give that subscript.
import { Dim, Origin, UNKNOWN_DIM } from '../shapes/dim';
import { UNKNOWN_SHAPE, shapeOf } from '../shapes/shape';
import { DType, TensorValue, Value } from '../values/value';
import { broadcastDim, promote } from './broadcast';

/** A bound on the equation read: past it the result is unknown. */
const MAX_EQUATION = 256;

/** One operand's subscripts: letters, with '.' standing for the ellipsis (at most one). */
export type Subscripts = string[];

function parseTerm(term: string): Subscripts | undefined {
  const out: Subscripts = [];
  let ellipsis = false;
  for (let i = 0; i < term.length; i++) {
    const c = term[i];
    if (c === ' ') continue;
    if (c === '.') {
      if (term.slice(i, i + 3) !== '...' || ellipsis) return undefined;
      ellipsis = true;
      out.push('.');
      i += 2;
    } else if (/[a-zA-Z]/.test(c)) out.push(c);
    else return undefined;
  }
  return out;
}

export interface Equation {
  inputs: Subscripts[];
  output: Subscripts;
}

/** Reads `'bij,bjk->bik'`; without `->` the output is every subscript used once, in alphabetical order (ellipsis first). */
export function parseEquation(text: string): Equation | undefined {
  if (text.length > MAX_EQUATION) return undefined;
  const arrow = text.indexOf('->');
  const left = arrow === -1 ? text : text.slice(0, arrow);
  const inputs = left.split(',').map(parseTerm);
  if (inputs.some((s) => s === undefined)) return undefined;
  const terms = inputs as Subscripts[];
  if (arrow !== -1) {
    const output = parseTerm(text.slice(arrow + 2));
    if (!output || new Set(output).size !== output.length) return undefined;
    return { inputs: terms, output };
  }
  const counts = new Map<string, number>();
  for (const term of terms) for (const c of term) if (c !== '.') counts.set(c, (counts.get(c) ?? 0) + 1);
  const once = [...counts].filter(([, n]) => n === 1).map(([c]) => c).sort();
  return { inputs: terms, output: [...(terms.some((t) => t.includes('.')) ? ['.'] : []), ...once] };
}

/** The operands of `torch.einsum(equation, [operands])`, given as one list; undefined when they are given one by one. */
export function einsumOperandList(args: Value[]): Value[] | undefined {
  return args.length === 2 && (args[1].kind === 'tuple' || args[1].kind === 'list') && !args[1].element ? args[1].items : undefined;
}

/** The operands of `torch.einsum(equation, *operands)` or `torch.einsum(equation, [operands])`. */
function einsumOperands(args: Value[]): Value[] {
  return einsumOperandList(args) ?? args.slice(1);
}

/** A subscript naming axes of two known sizes that do not broadcast: PyTorch raises. */
export interface EinsumClash {
  subscript: string;
  /** The size the operands before this one gave the subscript (their sizes broadcast). */
  seen: number;
  size: number;
  /** 0-based, as PyTorch counts them. */
  operand: number;
}

/**
 * The first subscript whose known sizes do not broadcast, in the order PyTorch meets them (operand by operand, axis by
 * axis): "einsum(): subscript d has size 1536 for operand 1 which does not broadcast with previously seen size 768". A
 * size of 1 meets any other. Sizes not known, symbols, an ellipsis and a subscript repeated in one operand (a diagonal,
 * whose sizes PyTorch checks otherwise) are not judged.
 */
export function einsumClash(args: Value[]): EinsumClash | undefined {
  const listed = einsumOperands(args);
  const equation = args[0]?.kind === 'str' ? parseEquation(args[0].value) : undefined;
  if (!equation || equation.inputs.length !== listed.length) return undefined;
  const seen = new Map<string, number>();
  for (let k = 0; k < listed.length; k++) {
    const term = equation.inputs[k];
    const operand = listed[k];
    if (term.includes('.') || new Set(term).size !== term.length) return undefined;
    if (operand.kind !== 'tensor' || !operand.shape.rankKnown || operand.shape.dims.length !== term.length) continue;
    for (let i = 0; i < term.length; i++) {
      const d = operand.shape.dims[i];
      if (d.kind !== 'int') continue;
      const before = seen.get(term[i]);
      if (before !== undefined && before !== 1 && d.value !== 1 && d.value !== before) return { subscript: term[i], seen: before, size: d.value, operand: k };
      if (before === undefined || before === 1) seen.set(term[i], d.value);
    }
  }
  return undefined;
}

/** `torch.einsum(equation, *operands)` or `torch.einsum(equation, [operands])`. */
export function einsum(args: Value[], origin: Origin): TensorValue {
  const listed = einsumOperands(args);
  const operands = listed.filter((v): v is TensorValue => v.kind === 'tensor');
  const dtype: DType = operands.length === listed.length && operands.length ? operands.map((t) => t.dtype).reduce((a, b) => promote('*', a, b)) : 'unknown';
  const base: TensorValue = { kind: 'tensor', dtype, origin, shape: UNKNOWN_SHAPE };
  const equation = args[0]?.kind === 'str' ? parseEquation(args[0].value) : undefined;
  // An operand the analysis cannot follow is a tensor, or PyTorch raises; anything else known is no tensor. Sizes that
  // do not broadcast make PyTorch raise too (SL121 says so): nothing is claimed of the result.
  if (!equation || equation.inputs.length !== listed.length || listed.some((v) => v.kind !== 'tensor' && v.kind !== 'unknown') || einsumClash(args)) return base;
  const sizes = new Map<string, Dim[]>();
  let ellipsis: Dim[] | undefined = [];
  for (let k = 0; k < listed.length; k++) {
    const term = equation.inputs[k];
    const operand = listed[k];
    const hasEllipsis = term.includes('.');
    const letters = term.filter((c) => c !== '.');
    if (operand.kind !== 'tensor' || !operand.shape.rankKnown) {
      // Its sizes are not known; the ellipsis it covers is not either.
      for (const c of letters) sizes.set(c, [...(sizes.get(c) ?? []), UNKNOWN_DIM]);
      if (hasEllipsis) ellipsis = undefined;
      continue;
    }
    const dims = operand.shape.dims;
    if (hasEllipsis ? dims.length < letters.length : dims.length !== letters.length) return base;
    const covered = dims.length - letters.length;
    for (let i = 0, d = 0; i < term.length; i++) {
      if (term[i] === '.') {
        const part = dims.slice(d, d + covered);
        if (ellipsis) {
          const rank = Math.max(ellipsis.length, part.length);
          const a = ellipsis;
          ellipsis = Array.from({ length: rank }, (_, r) => broadcastDim(a[a.length - rank + r], part[part.length - rank + r]));
        }
        d += covered;
        continue;
      }
      sizes.set(term[i], [...(sizes.get(term[i]) ?? []), dims[d]]);
      d++;
    }
  }
  const out: Dim[] = [];
  for (const c of equation.output) {
    if (c === '.') {
      if (!ellipsis) return base;
      out.push(...ellipsis);
      continue;
    }
    const seen = sizes.get(c);
    // An output subscript no operand names makes PyTorch raise.
    if (!seen) return base;
    // Its sizes on every operand broadcast (PyTorch lets a size 1 meet any other); sizes that disagree make PyTorch
    // raise, and leave it unknown for the rules.
    out.push(seen.reduce((a, b) => broadcastDim(a, b)));
  }
  return { ...base, shape: shapeOf(out) };
}
