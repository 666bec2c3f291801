// The state a counted loop's last iteration starts from, when what the loop carries grows by the same amount on each
// pass: `for _ in range(150): ...; idx = torch.cat((idx, idx_next), dim=1)` makes idx one column longer a pass, so
// the last pass reads 149 more columns than the first. The analysis runs a loop's first pass and its second exactly
// (see Interpreter.secondPass); from the state before the loop and after each of them, a size or int that grew by
// the same non-zero step on both passes is extrapolated to the last pass, when that is sound:
// - the loop runs a known number of times, nothing leaves or skips (break, continue, return, raise, yield),
//   and its body does not read the loop variable (so a pass does not depend on which one it is);
// - the grown name is assigned by a statement at the top of the body and by none under an if, a nested loop, a with
//   or a try, so every pass runs the assignment that grew it.
// A tensor extrapolates when its rank and every other axis stay the same; every other name the passes changed
// differently is the join of both passes (what they agree on), as in a second pass.
import type * as A from '../parse/ast';
import { walkExpressions, walkStatements } from '../parse/walk';
import { Dim, intDim, sameDim } from '../shapes/dim';
import { shapeOf } from '../shapes/shape';
import type { TensorValue, Value } from '../values/value';

/** A name's value entering the last pass, and how it grew (for the pass's note). */
export interface Grown {
  value: Value;
  /** `idx (1, 19) → (1, 168)`-style words: the size before the loop and on the last pass. */
  from: string;
  to: string;
}

/** What a name holds entering the last pass: extrapolated, unchanged by the passes, or not extrapolatable. */
export type Extrapolation = Grown | 'same' | undefined;

/**
 * Adds to `names` the names an assignment target binds (`x`, `a, (b, *c)`); false when some part of it is not a name
 * (an attribute, a subscript), which binds none.
 */
export function bindNames(target: A.Expr, names: Set<string>): boolean {
  if (target.kind === 'name') {
    names.add(target.id);
    return true;
  }
  if (target.kind === 'tuple' || target.kind === 'list') return target.items.map((item) => bindNames(item, names)).every(Boolean);
  if (target.kind === 'starred') return bindNames(target.value, names);
  return false;
}

/**
 * The names a loop body may grow: those its top-level assignments bind, less any that a statement nested in an if, a
 * loop, a with or a try binds too.
 */
export function namesAssignedOnlyAtTop(body: readonly A.Stmt[]): Set<string> {
  const top = new Set<string>();
  const below = new Set<string>();
  for (const stmt of body) {
    if (stmt.kind === 'assign') for (const t of stmt.targets) bindNames(t, top);
    if (stmt.kind !== 'if' && stmt.kind !== 'for' && stmt.kind !== 'while' && stmt.kind !== 'with' && stmt.kind !== 'try') continue;
    walkStatements([stmt], (s) => {
      if (s.kind === 'assign') for (const t of s.targets) bindNames(t, below);
      else if (s.kind === 'for') bindNames(s.target, below);
      else if (s.kind === 'with') for (const item of s.items) if (item.target) bindNames(item.target, below);
    });
  }
  for (const name of below) top.delete(name);
  return top;
}

/** Whether the body reads any name the loop target binds (`_` counts as read only when it is). */
export function readsTarget(target: A.Expr, body: readonly A.Stmt[]): boolean {
  const bound = new Set<string>();
  // A target that is not a plain name (an attribute, a subscript) is treated as read.
  if (!bindNames(target, bound)) return true;
  let reads = false;
  walkExpressions(body as A.Stmt[], (e) => {
    if (!reads && e.kind === 'name' && bound.has(e.id)) reads = true;
  }, true);
  return reads;
}

function grownInt(a: number, b: number, c: number, steps: number): number | undefined {
  const step = b - a;
  if (step === 0 || c - b !== step) return undefined;
  const last = a + step * steps;
  return Number.isSafeInteger(last) && last >= 0 ? last : undefined;
}

/** The dims of a tensor on the last pass, or undefined when an axis changed otherwise than by a constant step. */
function grownDims(a: readonly Dim[], b: readonly Dim[], c: readonly Dim[], steps: number): Dim[] | 'same' | undefined {
  if (a.length !== b.length || b.length !== c.length) return undefined;
  let grew = false;
  const dims: Dim[] = [];
  for (let i = 0; i < a.length; i++) {
    if (sameDim(a[i], b[i]) && sameDim(b[i], c[i])) {
      dims.push(c[i]);
      continue;
    }
    const [x, y, z] = [a[i], b[i], c[i]];
    if (x.kind !== 'int' || y.kind !== 'int' || z.kind !== 'int') return undefined;
    const last = grownInt(x.value, y.value, z.value, steps);
    if (last === undefined) return undefined;
    dims.push(intDim(last, z.role ? { role: z.role } : {}));
    grew = true;
  }
  return grew ? dims : 'same';
}

const fmt = (dims: readonly Dim[]) => `(${dims.map((d) => (d.kind === 'int' ? String(d.value) : d.kind === 'sym' ? d.name : '?')).join(', ')})`;

/**
 * What a name holds entering pass `steps + 1`, from its value before the loop (`before`), after the first pass
 * (`first`) and after the second (`second`).
 */
export function extrapolate(before: Value, first: Value, second: Value, steps: number): Extrapolation {
  if (before.kind === 'int' && first.kind === 'int' && second.kind === 'int') {
    if (before.value === first.value && first.value === second.value) return 'same';
    const last = grownInt(before.value, first.value, second.value, steps);
    return last === undefined ? undefined : { value: { kind: 'int', value: last }, from: String(before.value), to: String(last) };
  }
  if (before.kind === 'tensor' && first.kind === 'tensor' && second.kind === 'tensor') {
    if (!before.shape.rankKnown || !first.shape.rankKnown || !second.shape.rankKnown) return undefined;
    if (before.dtype !== second.dtype) return undefined;
    const dims = grownDims(before.shape.dims, first.shape.dims, second.shape.dims, steps);
    if (dims === 'same' || dims === undefined) return dims;
    // What described the smaller tensor (its literal values, strides, the parts a cat joined, a layer's layout) does
    // not describe the grown one: only its kind, dtype, name and the value bounds both passes agree on stay.
    const keepBounds = first.minValue === second.minValue && first.maxValue === second.maxValue;
    const value: TensorValue = {
      kind: 'tensor',
      shape: shapeOf(dims),
      dtype: second.dtype,
      ...(second.name !== undefined && { name: second.name }),
      ...(second.numpy && { numpy: true }),
      ...(keepBounds && second.minValue !== undefined && { minValue: second.minValue, ...(second.minBoundOnly && { minBoundOnly: true }) }),
      ...(keepBounds && second.maxValue !== undefined && { maxValue: second.maxValue, ...(second.maxBoundOnly && { maxBoundOnly: true }) }),
      ...(keepBounds && second.mixedBounds && { mixedBounds: true }),
    };
    return { value, from: fmt(before.shape.dims), to: fmt(dims) };
  }
  return undefined;
}
