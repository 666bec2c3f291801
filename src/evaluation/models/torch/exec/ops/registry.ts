// The op table of the executor: one kernel per PyTorch op, each declared with its Python signature
// so that positional and keyword arguments bind the way PyTorch binds them. `x.op(…)`, `torch.op(x, …)`
// and `F.op(x, …)` reach the same kernel with x as the first parameter. Families live in their own
// files (elementwise.ts, reductions.ts, shape.ts, …) and register here.
import { CallSite, ExecError, fail } from '../errors';
import { numberOf, Role, TensorValue, Value } from '../values';
import { tfjs, Tensor } from '../../../tf';

export interface Param {
  name: string;
  /** Absent: required. */
  fallback?: Value;
}

export interface Bound {
  /** Arguments by parameter name (defaults applied); undefined where neither given nor defaulted. */
  get(name: string): Value | undefined;
  /** `*dims`-style variadic arguments. */
  rest: Value[];
  site: CallSite;
}

export type Kernel = (a: Bound) => Value;

export interface OpDef {
  name: string;
  params: Param[];
  /** Name of the `*args` parameter, when the op takes one. */
  variadic: string | null;
  kernel: Kernel;
}

const OPS = new Map<string, OpDef>();

function parseDefault(text: string): Value {
  if (text === 'None') return { kind: 'none' };
  if (text === 'True' || text === 'False') return { kind: 'bool', value: text === 'True' };
  if (/^-?\d+$/.test(text)) return { kind: 'int', value: Number(text) };
  if (/^-?[\d.]+(e-?\d+)?$/.test(text)) return { kind: 'float', value: Number(text) };
  if (/^'.*'$/.test(text)) return { kind: 'str', value: text.slice(1, -1) };
  throw new Error(`op default '${text}' is not a literal`);
}

/** Registers an op under one or more names: `op(['softmax'], 'input, dim=None, dtype=None', kernel)`. */
export function op(names: string[], signature: string, kernel: Kernel): void {
  const params: Param[] = [];
  let variadic: string | null = null;
  for (const part of signature.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (part.startsWith('*')) {
      variadic = part.slice(1);
      continue;
    }
    const eq = part.indexOf('=');
    params.push(eq < 0 ? { name: part } : { name: part.slice(0, eq).trim(), fallback: parseDefault(part.slice(eq + 1).trim()) });
  }
  for (const name of names) OPS.set(name, { name, params, variadic, kernel });
}

export function findOp(name: string): OpDef | undefined {
  return OPS.get(name);
}

export function opNames(): string[] {
  return [...OPS.keys()].sort();
}

export function callOp(def: OpDef, args: Value[], kwargs: Map<string, Value>, site: CallSite): Value {
  const values = new Map<string, Value>();
  const rest: Value[] = [];
  if (def.variadic !== null) {
    // `x.view(2, 3)`: the first parameter takes the tensor, the rest are the variadic sizes.
    const fixed = def.params.filter((p) => p.fallback === undefined).length;
    args.slice(0, fixed).forEach((v, i) => values.set(def.params[i].name, v));
    rest.push(...args.slice(fixed));
  } else {
    if (args.length > def.params.length) throw fail(site, `${def.name}() takes at most ${def.params.length} arguments but was given ${args.length}`);
    args.forEach((v, i) => values.set(def.params[i].name, v));
  }
  for (const [name, value] of kwargs) {
    if (name === def.variadic) {
      rest.push(value);
      continue;
    }
    if (!def.params.some((p) => p.name === name)) throw new ExecError(site.line, `${def.name}() with the keyword '${name}' is not something SeqLens runs (\`${site.text}\`)`, true);
    values.set(name, value);
  }
  for (const p of def.params) {
    if (!values.has(p.name) && p.fallback !== undefined) values.set(p.name, p.fallback);
    if (!values.has(p.name)) throw fail(site, `${def.name}() is missing its argument '${p.name}'`);
  }
  return def.kernel({ get: (name) => values.get(name), rest, site });
}

// ── helpers the kernels share ───────────────────────────────────────────────

export function isTensor(v: Value | undefined): v is TensorValue {
  return v?.kind === 'tensor';
}

/** A tensor argument; Python numbers and bools become scalar tensors. */
export function tensorArg(a: Bound, name: string): Tensor {
  const v = a.get(name);
  if (v?.kind === 'tensor') return v.t;
  const n = numberOf(v);
  if (n !== null) return tfjs().scalar(n, v!.kind === 'float' ? 'float32' : v!.kind === 'bool' ? 'bool' : 'int32');
  if (v?.kind === 'list' || v?.kind === 'tuple') return literalTensor(v, a.site);
  throw fail(a.site, `'${name}' must be a tensor, not ${v ? v.kind : 'missing'}`);
}

/** torch.tensor([[1, 2], [3, 4]]): nested lists of numbers. */
export function literalTensor(v: Value, site: CallSite): Tensor {
  const shape: number[] = [];
  let floats = false;
  const flat: number[] = [];
  const walk = (x: Value, depth: number): void => {
    if (x.kind === 'list' || x.kind === 'tuple') {
      if (shape.length === depth) shape.push(x.items.length);
      else if (shape[depth] !== x.items.length) throw fail(site, 'a ragged nested list cannot become a tensor');
      x.items.forEach((i) => walk(i, depth + 1));
      return;
    }
    const n = numberOf(x);
    if (n === null) throw fail(site, `a ${x.kind} inside a list cannot become a tensor`);
    if (x.kind === 'float') floats = true;
    flat.push(n);
  };
  walk(v, 0);
  return tfjs().tensor(flat, shape, floats ? 'float32' : 'int32');
}

export function intArg(a: Bound, name: string): number {
  const v = a.get(name);
  if (v?.kind === 'int') return v.value;
  if (v?.kind === 'bool') return v.value ? 1 : 0;
  if (v?.kind === 'tensor' && v.t.size === 1 && v.t.dtype !== 'float32') return (v.t.dataSync() as Int32Array)[0];
  throw fail(a.site, `'${name}' must be an integer, not ${v ? v.kind : 'missing'}`);
}

export function numberArg(a: Bound, name: string): number {
  const v = a.get(name);
  const n = numberOf(v);
  if (n !== null) return n;
  if (v?.kind === 'tensor' && v.t.size === 1) return v.t.dataSync()[0];
  throw fail(a.site, `'${name}' must be a number, not ${v ? v.kind : 'missing'}`);
}

export function boolArg(a: Bound, name: string): boolean {
  const v = a.get(name);
  if (v?.kind === 'bool') return v.value;
  if (v?.kind === 'int') return v.value !== 0;
  if (v?.kind === 'none') return false;
  throw fail(a.site, `'${name}' must be True or False, not ${v ? v.kind : 'missing'}`);
}

export function isNone(v: Value | undefined): boolean {
  return v === undefined || v.kind === 'none';
}

/** A dim argument normalised against a rank (negative dims count from the end), checked as PyTorch does. */
export function axis(a: Bound, value: Value | undefined, rank: number): number {
  const v = value?.kind === 'int' ? value.value : null;
  if (v === null) throw fail(a.site, `dim must be an integer, not ${value ? value.kind : 'missing'}`);
  const r = Math.max(rank, 1);
  if (v < -r || v >= r) throw fail(a.site, `Dimension out of range (expected to be in range of [${-r}, ${r - 1}], but got ${v})`);
  return v < 0 ? v + r : v;
}

/** Sizes given as `view(2, 3)`, `view((2, 3))`, `view([2, 3])` or `view(torch.Size)`. */
export function sizesOf(a: Bound, values: Value[]): number[] {
  const list = values.length === 1 && (values[0].kind === 'tuple' || values[0].kind === 'list') ? values[0].items : values;
  return list.map((v) => {
    if (v.kind === 'int') return v.value;
    if (v.kind === 'tensor' && v.t.size === 1 && v.t.dtype === 'int32') return (v.t.dataSync() as Int32Array)[0];
    throw fail(a.site, `a size must be an integer, not ${v.kind}`);
  });
}

/** A result tensor, keeping the input's axis roles when the op keeps the axes. */
export function result(t: Tensor, roles?: Role[]): TensorValue {
  return roles && roles.length === t.rank ? { kind: 'tensor', t, roles } : { kind: 'tensor', t };
}

export function rolesOf(v: Value | undefined): Role[] | undefined {
  return v?.kind === 'tensor' ? v.roles : undefined;
}

/** torch's type promotion for two operands, as far as tfjs' dtypes go. */
export function promote(x: Tensor, y: Tensor): [Tensor, Tensor] {
  if (x.dtype === y.dtype) return [x, y];
  const tf = tfjs();
  const target = x.dtype === 'float32' || y.dtype === 'float32' ? 'float32' : 'int32';
  return [x.dtype === target ? x : tf.cast(x, target), y.dtype === target ? y : tf.cast(y, target)];
}
