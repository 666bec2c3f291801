/**
 * What a model reads that nobody gives it, solved from its saved weights: constructor arguments with
 * no default (`vocab_size`), the fields of a config object passed to the constructor (`args.hidden_dim`,
 * `config['n_embd']`), names the file reads but defines only in its script part (`n_class` set under
 * `if __name__ == '__main__':`), and, when the weights say the defaults are wrong, arguments with a
 * default (`n_layers=1` against weights of two layers).
 *
 * The model's own `__init__` is executed with trial values and the state dict it would build (every
 * tensor's name and shape) is set beside the saved one:
 * - a size: each unknown integer is moved alone over three values; a tensor dimension that follows it
 *   as `a·x + c` (integers) gives an equation with the saved dimension, and the equations are solved
 *   one unknown at a time (`Embedding(vocab + 1, …)`, `Linear(2 * hidden + embed, …)`);
 * - the structure: an unknown that adds or removes tensors (a layer count, bidirectional, bias) is tried
 *   over False, True and small counts, keeping the values whose tensors are exactly the saved ones;
 * - a choice between strings: an unknown compared with string literals in the file (`rnn_type ==
 *   'LSTM'`, `{'RNN_TANH': …}[rnn_type]`, `cell in ['GRU', 'LSTM']`) is tried with each literal.
 * Only assignments whose state dict equals the saved one, key for key and shape for shape, stand (what
 * PyTorch's strict load_state_dict accepts). An unknown the weights leave open (a dropout rate, a gpu
 * flag) is settled by running the model with two values and keeping one only when the outputs agree
 * (see model.ts); otherwise it is refused with the `--init` that settles it.
 */
import type { ArgValue, ModelDescription } from '../../../analysis';
import type * as A from '../../../analysis/parse/ast';
import { tfjs } from '../tf';
import type { NamedTensor } from '../safetensors';
import { ExecError } from './exec/errors';
import { Executor, WorkspaceModules } from './exec/interpreter';
import { Bindings, buildRoot, LAYER_PARAMETER, layout } from './exec/model';
import type { ClassInfo, Instance, Value } from './exec/values';
import type { WeightSource } from './layers';
import { withoutComments } from '../../../analysis/parse/comments';

/**
 * A value for an unknown: a plain value, a tensor argument that only initialises a saved tensor (`weights`
 * copied into an Embedding: the saved tensor itself), or the batch size of each input.
 */
export type Scalar = number | boolean | string | { saved: string } | { batch: true } | { none: true };

const NONE_VALUE: Scalar = { none: true };

function isNone(s: Scalar | undefined): boolean {
  return typeof s === 'object' && 'none' in s;
}

/** One value nobody gives: a constructor argument, a config object's field or a name the file never defines. */
export interface Unknown {
  /** `hidden`, `args.hidden_dim`, `n_class`: also its name for --init. */
  key: string;
  kind: 'param' | 'field' | 'free';
  /** For a field: the constructor argument that holds the config object, and how the code reads it. */
  owner?: string;
  style?: 'attr' | 'item';
  /** String literals the file compares it with. */
  literals: string[];
  /** An argument with a default: its default (tried first). */
  fallback?: Scalar;
  /** Read as a condition (`if self.bidirectional:`): tried False first. */
  flag?: boolean;
  /** A tensor argument copied into a saved tensor: that tensor's state-dict name. */
  saved?: string;
}

export interface Solution {
  /** Every unknown's value, by key. */
  values: Map<string, Scalar>;
  /** How each value was found, for the notes. */
  reasons: Map<string, string>;
  /** Unknowns the weights leave open: the model is run with each alternative, and must give the same outputs. */
  open: string[];
  /** The other assignments to run (same keys as values), when unknowns are open or several choices build the weights. */
  alternatives: Map<string, Scalar>[];
}

export interface SolveOptions {
  source: string;
  description: ModelDescription;
  /** Values given: the instantiation site's and --init's (fields as `args.x`, free names by name). */
  given: Record<string, ArgValue>;
  /** The names --init gives: never reopened, even when the weights disagree. */
  init: Set<string>;
  tensors: Map<string, NamedTensor>;
  /** The other files of the project, for what the model's file imports. */
  workspace?: WorkspaceModules;
}

type Shapes = Map<string, number[]>;

interface Plan {
  shapes: Shapes;
  /** State-dict prefixes of layers SeqLens does not run: their tensors are not predicted. */
  unbuilt: string[];
  /** The modules by state-dict path: user modules and the layers SeqLens runs. */
  owners: Map<string, 'user' | 'layer'>;
}

/** Trial values: unequal steps and both parities, so `x // 2` or `x ** 2` never looks linear. */
function probes(i: number): [number, number, number] {
  const base = 11 + 4 * i;
  return [base, base + 5, base + 12];
}

/** The structure values of a name read as a condition (`if self.bidirectional:`): the booleans first. */
const STRUCTURE_VALUES: Scalar[] = [false, true, 2, 3, 4, 5, 6];
/**
 * The structure values of any other name: counts first, so that of 1 and True, which build the same
 * tensors, a layer count is 1 (`torch.zeros(n_layers, …)` takes no bool).
 */
const COUNT_VALUES: Scalar[] = [1, 2, 3, 4, 5, 6, false, true];
const MAX_STRING_CHOICES = 32;
const MAX_BUILDS = 400;

/** Names of a batch size: an unknown the weights leave open by such a name is the batch of each input. */
const BATCH_NAME = /^(batch_size|batch_sz|bsz|batchsize|n_batch|batch)$/i;

function toValueOf(s: Scalar | null, tensors?: Map<string, NamedTensor>, batch?: Value): Value {
  if (s === null) return { kind: 'none' };
  if (typeof s === 'object') {
    if ('none' in s) return { kind: 'none' };
    if ('batch' in s) return batch ?? { kind: 'int', value: 1 };
    const t = tensors?.get(s.saved);
    if (!t) return { kind: 'none' };
    return { kind: 'tensor', t: tfjs().tensor(t.values, t.shape, 'float32') };
  }
  if (typeof s === 'boolean') return { kind: 'bool', value: s };
  if (typeof s === 'string') return { kind: 'str', value: s };
  return Number.isInteger(s) ? { kind: 'int', value: s } : { kind: 'float', value: s };
}

export function formatScalar(s: Scalar): string {
  if (typeof s === 'object') return 'none' in s ? 'None' : 'batch' in s ? 'the batch size of each input' : `the saved ${s.saved}`;
  return typeof s === 'boolean' ? (s ? 'True' : 'False') : typeof s === 'string' ? s : String(s);
}

/** The string literals the file compares a name with, by the name's last component. */
function literalsByName(source: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (name: string, lits: string[]) => {
    const last = name.split('.').pop()!;
    if (!out.has(last)) out.set(last, new Set());
    lits.forEach((l) => out.get(last)!.add(l));
  };
  const strings = (text: string) => [...text.matchAll(/(['"])([^'"\n]{1,40})\1/g)].map((m) => m[2]);
  const name = String.raw`([A-Za-z_][\w.]*)(?:\.(?:lower|upper|strip)\(\))?`;
  for (const m of source.matchAll(new RegExp(String.raw`${name}\s*(?:==|!=)\s*(['"])([^'"\n]{1,40})\2`, 'g'))) add(m[1], [m[3]]);
  for (const m of source.matchAll(new RegExp(String.raw`(['"])([^'"\n]{1,40})\1\s*(?:==|!=)\s*${name}`, 'g'))) add(m[3], [m[2]]);
  for (const m of source.matchAll(new RegExp(String.raw`${name}\s+(?:not\s+)?in\s*[[({]([^\])}]*)[\])}]`, 'g'))) add(m[1], strings(m[2]));
  for (const m of source.matchAll(/\{([^{}]*)\}\s*\[\s*([A-Za-z_][\w.]*)\s*\]/g)) {
    add(m[2], [...m[1].matchAll(/(['"])([^'"\n]{1,40})\1\s*:/g)].map((k) => k[2]));
  }
  return out;
}

/** Attributes of a tensor argument (`weights.shape`), never a config field. */
const TENSOR_ATTRIBUTES = new Set(['shape', 'data', 'size', 'dtype', 'device', 'T', 'grad', 'requires_grad', 'ndim', 'weight', 'bias']);

/** The fields read from a constructor argument used as a config object: `args.x` or `config['x']`. */
function fieldsOf(source: string, param: string): { style: 'attr' | 'item'; fields: string[] } | null {
  const attr = new Set<string>();
  for (const m of source.matchAll(new RegExp(String.raw`(?<![\w.])(?:self\.)?${param}\.([A-Za-z_]\w*)\b(?!\s*\()`, 'g'))) {
    if (!TENSOR_ATTRIBUTES.has(m[1]) && !m[1].startsWith('__')) attr.add(m[1]);
  }
  const item = new Set<string>();
  for (const m of source.matchAll(new RegExp(String.raw`(?<![\w.])(?:self\.)?${param}\[\s*(['"])(\w+)\1\s*\]`, 'g'))) item.add(m[2]);
  if (item.size > 0 && attr.size === 0) return { style: 'item', fields: [...item] };
  if (attr.size > 0) return { style: 'attr', fields: [...attr] };
  return null;
}

/** Keyword arguments PyTorch's layers take as a bool: a name passed to one is an on/off flag. */
const BOOL_KEYWORDS = 'bidirectional|bias|batch_first|affine|track_running_stats|elementwise_affine|add_bias_kv|add_zero_attn|norm_first|ceil_mode|count_include_pad|return_indices|sparse|scale_grad_by_freq';

/**
 * Names read as a condition (`if self.bidirectional:`, `if not args.static:`, `x if use_cuda else y`)
 * or passed to a layer's bool keyword (`bidirectional=config.birnn`).
 */
function conditionNames(source: string): Set<string> {
  const out = new Set<string>();
  for (const m of source.matchAll(/\b(?:if|elif|while|and|or)\s+(?:not\s+)?([A-Za-z_][\w.]*)\s*(?::|\band\b|\bor\b|\belse\b)/g)) out.add(m[1].split('.').pop()!);
  for (const m of source.matchAll(new RegExp(String.raw`\b(?:${BOOL_KEYWORDS})\s*=\s*(?:not\s+)?([A-Za-z_][\w.]*)\s*[,)]`, 'g'))) out.add(m[1].split('.').pop()!);
  return out;
}

/** The saved tensor a tensor argument initialises: `self.emb.weight = nn.Parameter(weights)`, `self.emb.weight.data.copy_(weights)`, `nn.Embedding.from_pretrained(weights)`. */
function savedTensorOf(source: string, param: string, tensors: Map<string, NamedTensor>): string | null {
  const patterns = [
    String.raw`self\.([\w.]+?)(?:\.data)?\s*=\s*(?:nn\.|torch\.nn\.)?Parameter\(\s*(?:torch\.\w+\()?\s*${param}\b`,
    String.raw`self\.([\w.]+?)(?:\.data)?\.copy_\(\s*(?:torch\.\w+\()?\s*${param}\b`,
  ];
  for (const pattern of patterns) {
    for (const m of source.matchAll(new RegExp(pattern, 'g'))) if (tensors.has(m[1])) return m[1];
  }
  for (const m of source.matchAll(new RegExp(String.raw`self\.([\w.]+?)\s*=\s*(?:nn\.|torch\.nn\.)?Embedding\.from_pretrained\(\s*${param}\b`, 'g'))) {
    if (tensors.has(`${m[1]}.weight`)) return `${m[1]}.weight`;
  }
  return null;
}

/** A name the executor may take as an unknown: a plain value, never something the file calls or imports. */
function mayBeFree(source: string, name: string): boolean {
  if (!/^[A-Za-z_]\w*$/.test(name)) return false;
  if (new RegExp(String.raw`(?<![\w.])${name}\s*\(`).test(source)) return false;
  if (new RegExp(String.raw`(?<![\w.])${name}\.\w`).test(source)) return false;
  return true;
}

class Solver {
  private readonly unknowns = new Map<string, Unknown>();
  private readonly literals: Map<string, Set<string>>;
  private readonly conditions: Set<string>;
  private builds = 0;
  /** The first build's error, when builds fail: the refusal to show when nothing solves. */
  firstError: ExecError | null = null;

  /** The source without its comments: what the code reads, for the scans below. */
  private readonly code: string;

  constructor(private readonly options: SolveOptions, private readonly cls: ClassInfo) {
    this.code = withoutComments(options.source);
    this.literals = literalsByName(this.code);
    this.conditions = conditionNames(this.code);
  }

  get list(): Unknown[] {
    return [...this.unknowns.values()];
  }

  private literalsFor(name: string): string[] {
    return [...(this.literals.get(name.split('.').pop()!) ?? [])];
  }

  addParam(name: string, fallback?: Scalar): void {
    const fields = fallback === undefined ? fieldsOf(this.code, name) : null;
    if (fields) {
      for (const f of fields.fields) {
        const key = `${name}.${f}`;
        if (key in this.options.given) continue;
        this.unknowns.set(key, { key, kind: 'field', owner: name, style: fields.style, literals: this.literalsFor(f), flag: this.conditions.has(f) });
      }
      return;
    }
    const saved = fallback === undefined ? savedTensorOf(this.code, name, this.options.tensors) ?? undefined : undefined;
    this.unknowns.set(name, { key: name, kind: 'param', literals: saved ? [] : this.literalsFor(name), fallback, flag: this.conditions.has(name), saved });
  }

  /**
   * Whether a None default may stand for a size: a plain value (never called, no attribute read), not
   * read as a condition and never compared with a string.
   */
  mayBeSize(name: string): boolean {
    return mayBeFree(this.code, name) && !this.conditions.has(name) && this.literalsFor(name).length === 0;
  }

  /** The state dict `__init__` builds with these values, or null when it does not build. */
  plan(values: Map<string, Scalar>, discover = false): Plan | null {
    if (++this.builds > MAX_BUILDS) return null;
    const { description, source } = this.options;
    const executor = new Executor(description.module, source, this.options.workspace);
    const cls = executor.classes.get(this.cls.name)!;
    const bindings = this.bindings(values);
    executor.freeName = (name) => {
      const value = bindings.free.get(name);
      if (value !== undefined || !discover || this.unknowns.has(name) || !mayBeFree(this.code, name)) return value;
      this.unknowns.set(name, { key: name, kind: 'free', literals: this.literalsFor(name), flag: this.conditions.has(name) });
      const probe = this.literalsFor(name)[0] ?? (this.conditions.has(name) ? false : probes(this.unknowns.size)[0]);
      values.set(name, probe);
      bindings.free.set(name, toValueOf(probe));
      return toValueOf(probe);
    };
    const shapes: Shapes = new Map();
    const recorder: WeightSource = {
      where: 'the planned state dict',
      take(name, shape) {
        shapes.set(name, shape.slice());
        return new Float32Array(shape.reduce((a, b) => a * b, 1));
      },
    };
    const tf = tfjs();
    let unbuilt: string[] = [];
    let owners = new Map<string, 'user' | 'layer'>();
    try {
      tf.engine().startScope();
      try {
        const root = buildRoot(executor, cls, description, '', bindings.kwargs);
        const laid = layout(root, recorder);
        unbuilt = laid.layers.filter((l) => !l.runtime && l.path !== null).map((l) => l.path!);
        owners = laid.owners;
        laid.layers.forEach((l) => l.runtime?.dispose());
      } finally {
        tf.engine().endScope();
      }
    } catch (error) {
      // A trial value the code cannot take (a probe where a string belongs): this assignment builds nothing.
      if (error instanceof ExecError) this.firstError ??= error;
      return null;
    }
    return { shapes, unbuilt, owners };
  }

  bindings(values: Map<string, Scalar>): Bindings {
    const batch: Value = { kind: 'int', value: 1 };
    const toValue = (v: Scalar | null) => toValueOf(v, this.options.tensors, batch);
    const kwargs = new Map<string, Value>();
    const free = new Map<string, Value>();
    const objects = new Map<string, { style: 'attr' | 'item'; fields: Map<string, Value> }>();
    for (const u of this.unknowns.values()) {
      const v = values.get(u.key);
      if (v === undefined) continue;
      if (u.kind === 'param') kwargs.set(u.key, toValue(v));
      else if (u.kind === 'free') free.set(u.key, toValue(v));
      else {
        if (!objects.has(u.owner!)) objects.set(u.owner!, { style: u.style!, fields: new Map() });
        objects.get(u.owner!)!.fields.set(u.key.slice(u.owner!.length + 1), toValue(v));
      }
    }
    // Fields given explicitly (--init args.x=3).
    for (const [key, v] of Object.entries(this.options.given)) {
      const dot = key.indexOf('.');
      if (dot < 0) continue;
      const owner = key.slice(0, dot);
      const style = this.list.find((u) => u.owner === owner)?.style ?? 'attr';
      if (!objects.has(owner)) objects.set(owner, { style, fields: new Map() });
      objects.get(owner)!.fields.set(key.slice(dot + 1), toValue(v));
    }
    for (const [owner, { style, fields }] of objects) {
      if (style === 'item') {
        kwargs.set(owner, { kind: 'dict', keys: [...fields.keys()].map((k) => ({ kind: 'str', value: k })), values: [...fields.values()] });
      } else {
        const cls: ClassInfo = { name: owner, def: null as unknown as A.ClassDef, bases: [], methods: new Map(), classAttrs: new Map() };
        const obj: Instance = { kind: 'user', cls, attrs: new Map(fields), path: null, isModule: false };
        kwargs.set(owner, { kind: 'object', obj });
      }
    }
    // Free names given explicitly (--init n_class=5).
    for (const [key, v] of Object.entries(this.options.given)) {
      if (!key.includes('.') && !this.options.description.constructorParams.some((p) => p.name === key)) free.set(key, toValue(v));
    }
    return { kwargs, free, batch };
  }

  /** Keys whose saved tensor the plan has not, or has with another shape, and saved keys the plan lacks. */
  mismatches(plan: Plan): string[] {
    const out: string[] = [];
    const saved = this.options.tensors;
    for (const [key, shape] of plan.shapes) {
      const t = saved.get(key);
      if (!t) out.push(`${key} (${shape.join(', ')}) is not in the weights`);
      else if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) out.push(`${key} is (${t.shape.join(', ')}) in the weights, (${shape.join(', ')}) built`);
    }
    for (const key of saved.keys()) {
      if (plan.shapes.has(key) || plan.unbuilt.some((p) => key.startsWith(`${p}.`))) continue;
      // A tensor set on a built-in layer by attribute (`self.embedding.weights = nn.Parameter(…)`) is saved and never read.
      const dot = key.lastIndexOf('.');
      if (dot > 0 && plan.owners.get(key.slice(0, dot)) === 'layer' && !LAYER_PARAMETER.test(key.slice(dot + 1))) continue;
      out.push(`${key} is in the weights and not built`);
    }
    return out;
  }

  /** Unknowns solved from a floor division (`hidden_dim // 2`): every value of the range builds the same tensors. */
  spread = new Map<string, number[]>();
  /** Why the last solveSizes found the weights fit no sizes (two tensors disagree), else null. */
  conflict: string | null = null;

  /**
   * Integer unknowns from the dimensions that follow them as `a·x + c` or `a·(x // k) + c`; the keys
   * solved and the tensor that gave each, or why the weights fit no values.
   */
  solveSizes(values: Map<string, Scalar>, keys: string[]): Map<string, string> {
    this.spread = new Map();
    this.conflict = null;
    const before = new Map(keys.map((key) => [key, values.get(key)]));
    keys.forEach((key, i) => values.set(key, probes(i)[0]));
    let base = this.plan(new Map(values));
    if (!base) {
      // A number the code cannot take as a size (a rate read as `if wdrop:` that wraps a layer, an index)
      // is no size: each key keeps its trial value only when the model builds with it alone.
      const alone = (key: string) => {
        const trial = new Map(values);
        for (const [k, v] of before) if (k !== key && v !== undefined) trial.set(k, v);
        return this.plan(trial) !== null;
      };
      const sizes = keys.filter((key) => alone(key));
      if (sizes.length === keys.length || sizes.length === 0) return new Map();
      for (const key of keys) if (!sizes.includes(key) && before.get(key) !== undefined) values.set(key, before.get(key)!);
      keys = sizes;
      base = this.plan(new Map(values));
      if (!base) return new Map();
    }
    const coefficients = new Map<string, Map<string, Term> | null>();
    keys.forEach((key, i) => {
      const xs = probes(i);
      const at = [base, ...xs.slice(1).map((x) => this.plan(new Map(values).set(key, x)))];
      if (at.some((p) => !p)) return;
      for (const [tensor, s0] of at[0]!.shapes) {
        const s1 = at[1]!.shapes.get(tensor);
        const s2 = at[2]!.shapes.get(tensor);
        if (!s1 || !s2 || s1.length !== s0.length || s2.length !== s0.length) continue;
        s0.forEach((y0, d) => {
          const ys = [y0, s1[d], s2[d]];
          if (ys[0] === ys[1] && ys[1] === ys[2]) return;
          const id = `${tensor}#${d}`;
          const term = fitTerm(xs, ys);
          if (!term) coefficients.set(id, null);
          else if (coefficients.get(id) !== null) coefficients.set(id, (coefficients.get(id) ?? new Map()).set(key, term));
        });
      }
    });
    // Each usable dimension: saved = c + Σ a·(x // k).
    const equations: { id: string; terms: Map<string, Term>; rest: number; saved: number }[] = [];
    for (const [id, terms] of coefficients) {
      if (!terms) continue;
      const [tensor, d] = [id.slice(0, id.lastIndexOf('#')), Number(id.slice(id.lastIndexOf('#') + 1))];
      const t = this.options.tensors.get(tensor);
      const built = base.shapes.get(tensor);
      if (!t || !built || t.shape.length !== built.length) continue;
      let rest = built[d];
      terms.forEach((term, key) => { rest -= contribution(term, values.get(key) as number); });
      equations.push({ id, terms, rest, saved: t.shape[d] });
    }
    const solved = new Map<string, { value: number; from: string }>();
    const source = (id: string) => {
      const [tensor, d] = [id.slice(0, id.lastIndexOf('#')), id.slice(id.lastIndexOf('#') + 1)];
      const shape = this.options.tensors.get(tensor)!.shape;
      return `${tensor} (${shape.join(', ')})${shape.length > 1 ? `, axis ${d}` : ''}`;
    };
    for (let progress = true; progress;) {
      progress = false;
      // A plain multiple first: it fixes the value where a floor division leaves a range.
      const ready = equations.filter((eq) => [...eq.terms.keys()].filter((k) => !solved.has(k)).length === 1)
        .sort((x, y) => Number([...x.terms].some(([k, t]) => !solved.has(k) && t.k > 1)) - Number([...y.terms].some(([k, t]) => !solved.has(k) && t.k > 1)));
      const eq = ready[0];
      if (!eq) break;
      const key = [...eq.terms.keys()].find((k) => !solved.has(k))!;
      let rhs = eq.saved - eq.rest;
      eq.terms.forEach((term, k) => { if (k !== key) rhs -= contribution(term, solved.get(k)!.value); });
      const { a, k } = eq.terms.get(key)!;
      const quotient = rhs / a;
      if (!Number.isInteger(quotient) || quotient < 0) {
        this.conflict ??= `${source(eq.id)} is not ${describeTerms(eq.terms, eq.rest)} for any whole ${key}`;
        equations.splice(equations.indexOf(eq), 1);
        continue;
      }
      solved.set(key, { value: quotient * k, from: source(eq.id) });
      if (k > 1) this.spread.set(key, Array.from({ length: k }, (_, i) => quotient * k + i));
      progress = true;
    }
    for (const eq of equations) {
      let total = eq.rest;
      let complete = true;
      eq.terms.forEach((term, k) => {
        if (solved.has(k)) total += contribution(term, solved.get(k)!.value);
        else complete = false;
      });
      if (complete && total !== eq.saved && !this.conflict) {
        const key = [...eq.terms.keys()][0];
        const tensor = eq.id.slice(0, eq.id.lastIndexOf('#'));
        this.conflict = `the weights disagree on ${key}: ${solved.get(key)!.from} gives ${key}=${solved.get(key)!.value}, but ${tensor} (${this.options.tensors.get(tensor)!.shape.join(', ')}) does not fit it; give it with --init ${key}=N`;
      }
    }
    // A range narrowed by another equation is no range.
    for (const [key, range] of this.spread) {
      const fits = range.filter((x) => equations.every((eq) => {
        if (!eq.terms.has(key)) return true;
        let total = eq.rest;
        eq.terms.forEach((term, k) => { total += contribution(term, k === key ? x : solved.get(k)?.value ?? NaN); });
        return Number.isNaN(total) || total === eq.saved;
      }));
      if (fits.length <= 1) this.spread.delete(key);
      else this.spread.set(key, fits);
    }
    const reasons = new Map<string, string>();
    solved.forEach(({ value, from }, key) => {
      values.set(key, value);
      reasons.set(key, from);
    });
    return reasons;
  }

  /** Values of the unknowns that add or remove tensors, chosen one at a time to leave the fewest mismatches. */
  solveStructure(values: Map<string, Scalar>, keys: string[]): { structural: string[]; ambiguous: Map<string, Scalar[]> } {
    const structural: string[] = [];
    // Tensors missing or extra weigh more than tensors of another shape: the structure is what this step
    // settles, and the sizes solved afterwards mend the shapes (two layers of the wrong width are nearer
    // than one layer fewer).
    const score = (v: Map<string, Scalar>) => {
      const p = this.plan(new Map(v));
      if (!p) return Infinity;
      const wrong = this.mismatches(p);
      const reshaped = wrong.filter((m) => / in the weights, \(.*\) built$/.test(m)).length;
      return (wrong.length - reshaped) * 1000 + reshaped;
    };
    for (let pass = 0; pass < 2; pass++) {
      for (const key of keys) {
        const u = this.unknowns.get(key)!;
        // The structure values before a trial size left from the size step: of two that build alike, True or 2, not 23.
        const tried = [...new Set<Scalar>([...(u.fallback !== undefined ? [u.fallback] : []), ...structureValues(u), values.get(key)!])];
        const scores = tried.map((s) => score(new Map(values).set(key, s)));
        if (new Set(scores).size > 1 && !structural.includes(key)) structural.push(key);
        const best = Math.min(...scores);
        if (best < Infinity) values.set(key, tried[scores.indexOf(best)]);
      }
    }
    const ambiguous = new Map<string, Scalar[]>();
    if (score(values) === 0) {
      for (const key of structural) {
        // True and 2 alike build a bidirectional layer: only values of the chosen one's type are rivals.
        const others = structureValues(this.unknowns.get(key)!).filter((s) => s !== values.get(key) && typeof s === typeof values.get(key) && score(new Map(values).set(key, s)) === 0);
        if (others.length > 0) ambiguous.set(key, others);
      }
    }
    return { structural, ambiguous };
  }
}

/** The values the structure step tries for an unknown, in the order that breaks ties. */
function structureValues(u: Unknown): Scalar[] {
  return u.flag ? STRUCTURE_VALUES : COUNT_VALUES;
}

/** A tensor dimension's share of one unknown: a·(x // k). */
interface Term {
  a: number;
  k: number;
}

function contribution(term: Term, x: number): number {
  return term.a * Math.floor(x / term.k);
}

/** The term that gives ys at the three probes xs, if one with a small divisor does. */
function fitTerm(xs: number[], ys: number[]): Term | null {
  for (const k of [1, 2, 3, 4, 8]) {
    const us = xs.map((x) => Math.floor(x / k));
    if (us[1] === us[0]) continue;
    const a = (ys[1] - ys[0]) / (us[1] - us[0]);
    if (Number.isInteger(a) && a !== 0 && ys[2] === ys[0] + a * (us[2] - us[0])) return { a, k };
  }
  return null;
}

function describeTerms(terms: Map<string, Term>, rest: number): string {
  const parts = [...terms].map(([key, { a, k }]) => {
    const x = k === 1 ? key : `(${key} // ${k})`;
    return a === 1 ? x : `${a}·${x}`;
  });
  return `${parts.join(' + ')}${rest === 0 ? '' : ` ${rest > 0 ? '+' : '-'} ${Math.abs(rest)}`}`;
}

function cartesian(lists: Scalar[][], cap: number): Scalar[][] {
  let out: Scalar[][] = [[]];
  for (const list of lists) {
    out = out.flatMap((prefix) => list.map((v) => [...prefix, v]));
    if (out.length > cap) return out.slice(0, cap);
  }
  return out;
}

export interface Unsolved {
  /** Why no assignment builds the saved tensors. */
  reason: string;
  /** 'mismatch': the model built, and no values of the unknowns give the saved tensors; 'build': it never built. */
  kind: 'mismatch' | 'build';
  /** For 'build': the refusal of the first trial build. */
  error?: ExecError;
  unknowns: string[];
}

/**
 * Solves what the class reads and nobody gives. Returns null when nothing is unknown and the built
 * model already fits the weights (the caller runs it as it is).
 */
export function solveUnknowns(options: SolveOptions, withDefaults: boolean): Solution | Unsolved | null {
  const { description, given } = options;
  const executor = new Executor(description.module, options.source, options.workspace);
  const cls = executor.classes.get(description.className);
  if (!cls) return null;
  const solver = new Solver(options, cls);
  for (const p of description.constructorParams) {
    if (!(p.name in given)) {
      if (p.required) solver.addParam(p.name);
      continue;
    }
    // With the weights against them, the defaults and the instantiation site's values are tried first, not kept.
    const d = given[p.name];
    if (withDefaults && !options.init.has(p.name) && (typeof d === 'number' || typeof d === 'boolean' || typeof d === 'string')) solver.addParam(p.name, d);
    // A None default read as a plain value (`vocab_size=None` passed on to an Embedding, or checked by the
    // model's own raise) may be a size the weights hold: solved like one, and None again when they hold none.
    else if (withDefaults && !options.init.has(p.name) && d === null && solver.mayBeSize(p.name)) solver.addParam(p.name, NONE_VALUE);
  }
  const values = new Map<string, Scalar>();
  // A pretrained table the code checks against None (`if pretrained is not None: …copy_(pretrained)`) runs as
  // None: both branches end with the saved tensor; otherwise it is the saved tensor itself.
  const savedValue = (key: string, saved: string): Scalar => (new RegExp(String.raw`\b${key}\s+is\s+(?:not\s+)?None\b`).test(options.source) ? NONE_VALUE : { saved });
  const initial = () => {
    solver.list.forEach((u, i) => {
      if (!values.has(u.key)) values.set(u.key, u.saved ? savedValue(u.key, u.saved) : u.literals[0] ?? u.fallback ?? (u.flag ? false : probes(i)[0]));
    });
  };
  initial();
  // Discover the names the file never defines: each build may reach one more.
  for (let round = 0; round < 8; round++) {
    const before = solver.list.length;
    const plan = solver.plan(values, true);
    if (plan || solver.list.length === before) break;
  }
  initial();
  const unknowns = solver.list;
  if (unknowns.length === 0) {
    // Nothing unknown: null when the model as given builds the saved tensors (or does not build here at all).
    const plan = solver.plan(new Map());
    const wrong = plan ? solver.mismatches(plan) : [];
    return wrong.length === 0 ? null : { reason: wrong.slice(0, 3).join('; '), kind: 'mismatch', unknowns: [] };
  }
  const stringKeys = unknowns.filter((u) => u.literals.length > 0).map((u) => u.key);
  const choices = cartesian(stringKeys.map((k) => solver.list.find((u) => u.key === k)!.literals), MAX_STRING_CHOICES);
  const found: { values: Map<string, Scalar>; reasons: Map<string, string>; open: string[]; ambiguous: Map<string, Scalar[]> }[] = [];
  let reason = '';
  for (const choice of choices) {
    const trial = new Map(values);
    stringKeys.forEach((k, i) => trial.set(k, choice[i]));
    const numeric = unknowns.filter((u) => !stringKeys.includes(u.key) && (isNone(u.fallback)
      || (typeof trial.get(u.key) === 'number' && (u.fallback === undefined || Number.isInteger(u.fallback))))).map((u) => u.key);
    let sizes = solver.solveSizes(trial, numeric);
    // Sizes that disagree may agree once the structure is known (`hidden * 2 if bidirectional else hidden`).
    const rest = unknowns.filter((u) => !stringKeys.includes(u.key) && !u.saved && (!sizes.has(u.key) || solver.conflict !== null)).map((u) => u.key);
    const { structural, ambiguous } = solver.solveStructure(trial, rest.filter((k) => !sizes.has(k)));
    if (structural.length > 0 || solver.conflict) {
      sizes = solver.solveSizes(trial, numeric.filter((k) => !structural.includes(k)));
    }
    if (solver.conflict) {
      reason = solver.conflict;
      continue;
    }
    const plan = solver.plan(new Map(trial));
    if (!plan) continue;
    const wrong = solver.mismatches(plan);
    if (wrong.length > 0) {
      reason = `${wrong.slice(0, 3).join('; ')}${wrong.length > 3 ? ` (${wrong.length} in all)` : ''}`;
      continue;
    }
    const reasons = new Map(sizes);
    for (const k of structural) reasons.set(k, 'the tensors present');
    for (const k of stringKeys) reasons.set(k, 'the tensors present');
    for (const u of unknowns) if (u.saved) reasons.set(u.key, `it only initialises ${u.saved}, which the weights replace`);
    for (const [k, range] of solver.spread) reasons.set(k, `${reasons.get(k)}; ${range.join(', ')} all build these tensors`);
    for (const u of unknowns) {
      if (u.fallback === undefined) continue;
      if (!reasons.has(u.key)) trial.set(u.key, u.fallback);
      // A default the weights confirm is no news.
      if (trial.get(u.key) === u.fallback) reasons.delete(u.key);
    }
    const open = unknowns.filter((u) => u.fallback === undefined && !reasons.has(u.key)).map((u) => u.key);
    for (const k of [...reasons.keys()]) {
      const u = unknowns.find((x) => x.key === k)!;
      if (u.fallback !== undefined) reasons.set(k, `${reasons.get(k)}, not the ${formatScalar(u.fallback)} the file gives`);
    }
    // A batch size the weights leave open is each input's batch (an initial state's size in forward).
    for (const k of open.filter((key) => BATCH_NAME.test(key.split('.').pop()!))) {
      trial.set(k, { batch: true });
      reasons.set(k, 'the weights hold no size of it: SeqLens sets it to each batch\'s size');
    }
    const stillOpen = open.filter((k) => !reasons.has(k));
    // What the weights leave open runs with 0 (False), then again with 1 (True): the outputs must agree.
    stillOpen.forEach((k) => trial.set(k, 0));
    solver.spread.forEach((range, k) => { ambiguous.set(k, range.filter((x) => x !== trial.get(k)).slice(-1)); });
    found.push({ values: trial, reasons, open: stillOpen, ambiguous });
  }
  if (found.length === 0) {
    return { reason: reason || (solver.firstError?.message ?? ''), kind: reason ? 'mismatch' : 'build', error: solver.firstError ?? undefined, unknowns: unknowns.map((u) => u.key) };
  }
  const first = found[0];
  const alternatives: Map<string, Scalar>[] = found.slice(1).map((f) => f.values);
  // Open unknowns: run once more with other values.
  for (const k of first.open) alternatives.push(new Map(first.values).set(k, 1));
  first.ambiguous.forEach((vs, k) => { if (vs.length > 0) alternatives.push(new Map(first.values).set(k, vs[0])); });
  const stringsChosen = stringKeys.filter((k) => found.some((f) => f.values.get(k) !== first.values.get(k)));
  return { values: first.values, reasons: first.reasons, open: [...first.open, ...stringsChosen, ...first.ambiguous.keys()], alternatives };
}

/** Executor values for a solution (config objects built from their fields). */
export function bindingsFor(options: SolveOptions, values: Map<string, Scalar>): Bindings {
  const executor = new Executor(options.description.module, options.source, options.workspace);
  const cls = executor.classes.get(options.description.className)!;
  const solver = new Solver(options, cls);
  for (const p of options.description.constructorParams) {
    if (values.has(p.name) || [...values.keys()].some((k) => k.startsWith(`${p.name}.`))) solver.addParam(p.name, values.has(p.name) ? values.get(p.name) : undefined);
  }
  const b = solver.bindings(values);
  for (const [k, v] of values) if (!k.includes('.') && !options.description.constructorParams.some((p) => p.name === k)) b.free.set(k, toValueOf(v, options.tensors, b.batch));
  return b;
}
