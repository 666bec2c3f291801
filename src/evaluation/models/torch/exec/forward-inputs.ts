// What each of forward's parameters is, told by where its value goes rather than by its name or
// position: into a layer's data slot (the sequences), a recurrent layer's state slot (an initial
// hidden state), pack_padded_sequence's lengths, a Transformer/attention layer's key-padding or
// attention-mask slot, or masked_fill's mask. The flow is followed through local assignments, loops,
// helper methods and user submodules (their own forward), statically, without running anything.
import type * as A from '../../../../analysis/parse/ast';
import type { Executor } from './interpreter';
import type { ClassInfo, Instance, Value } from './values';

export type ParamUse =
  | 'data'
  | 'state'
  | 'lengths'
  /** A PyTorch layer's key-padding-mask slot: True where a token is padding. */
  | 'padding-mask'
  /** masked_fill(mask, …): True where the value is replaced (padding). */
  | 'fill-mask'
  /** True (or 1) where a token is real: masked_fill(mask == 0, …). */
  | 'keep-mask'
  /** An (L, S) attention mask (attn_mask, src_mask, tgt_mask). */
  | 'attention-mask'
  /** True (or 1) at padding, its zeros counted into pack_padded_sequence's lengths (`mask.eq(0).sum(1)`). */
  | 'counted-fill-mask'
  /** 1 where a token is real, its ones counted into pack_padded_sequence's lengths (`mask.sum(1)`). */
  | 'counted-keep-mask';

type Slot = ParamUse | null;

/** Positional slots, then keyword slots, of PyTorch's layers: what each argument is. */
const LAYER_SLOTS: Record<string, { positional: Slot[]; keywords: Record<string, Slot> }> = (() => {
  const recurrent = { positional: ['data', 'state'] as Slot[], keywords: { input: 'data', hx: 'state' } as Record<string, Slot> };
  const encoder = { positional: ['data', 'attention-mask', 'padding-mask'] as Slot[], keywords: { src: 'data', mask: 'attention-mask', src_mask: 'attention-mask', src_key_padding_mask: 'padding-mask' } as Record<string, Slot> };
  const decoder = {
    positional: ['data', 'data', 'attention-mask', 'attention-mask', 'padding-mask', 'padding-mask'] as Slot[],
    keywords: { tgt: 'data', memory: 'data', tgt_mask: 'attention-mask', memory_mask: 'attention-mask', tgt_key_padding_mask: 'padding-mask', memory_key_padding_mask: 'padding-mask' } as Record<string, Slot>,
  };
  return {
    RNN: recurrent, GRU: recurrent, LSTM: recurrent, RNNCell: recurrent, GRUCell: recurrent, LSTMCell: recurrent,
    TransformerEncoder: encoder, TransformerEncoderLayer: encoder,
    TransformerDecoder: decoder, TransformerDecoderLayer: decoder,
    Transformer: {
      positional: ['data', 'data', 'attention-mask', 'attention-mask', 'attention-mask', 'padding-mask', 'padding-mask', 'padding-mask'],
      keywords: { src: 'data', tgt: 'data', src_mask: 'attention-mask', tgt_mask: 'attention-mask', memory_mask: 'attention-mask', src_key_padding_mask: 'padding-mask', tgt_key_padding_mask: 'padding-mask', memory_key_padding_mask: 'padding-mask' },
    },
    MultiheadAttention: {
      positional: ['data', 'data', 'data', 'padding-mask', null, 'attention-mask'],
      keywords: { query: 'data', key: 'data', value: 'data', key_padding_mask: 'padding-mask', attn_mask: 'attention-mask' },
    },
  };
})();

/** Methods and attributes that give a size, a type or a device, not the tensor's values. */
const SHAPE_QUERIES = new Set(['size', 'dim', 'numel', 'shape', 'dtype', 'device', 'ndim', 'ndimension', 'is_cuda', 'get_device', 'type_as', 'new_zeros', 'new_ones', 'new_full', 'new_empty', 'new', 'nelement']);
const LENGTH_FREE_CALLS = new Set(['len', 'isinstance', 'type', 'print']);

/**
 * The parameters a value carries, each as `name|forms`: `i` when the value is the parameter inverted
 * (`mask == 0`, `mask.eq(0)`, `~mask`, `1 - mask`), `r` when it is counted over an axis (`mask.sum(1)`).
 * A count reaching pack_padded_sequence's lengths makes the parameter a mask, not the lengths: the
 * lengths are its ones counted (a keep-mask), or, inverted first, its zeros (a padding mask).
 */
type Origins = Set<string>;

function origin(param: string): string {
  return `${param}|`;
}

/** The origins with a form added (`r`), or toggled (`i`: inverting twice gives the parameter back). */
function formed(origins: Origins, form: 'i' | 'r'): Origins {
  return new Set([...origins].map((o) => {
    const bar = o.lastIndexOf('|');
    const forms = o.slice(bar + 1);
    if (form === 'r') return forms.includes('r') ? o : `${o}r`;
    // An inversion after a count is arithmetic on the count, not on the parameter.
    if (forms.includes('r')) return o;
    return `${o.slice(0, bar + 1)}${forms.includes('i') ? forms.replace('i', '') : `${forms}i`}`;
  }));
}

/** What a use of a value with these forms says of the parameter itself. */
function useOf(use: ParamUse, forms: string): ParamUse | null {
  if (forms.includes('r')) return use === 'lengths' ? (forms.includes('i') ? 'counted-fill-mask' : 'counted-keep-mask') : use;
  if (!forms.includes('i')) return use;
  switch (use) {
    case 'fill-mask': case 'padding-mask': return 'keep-mask';
    case 'keep-mask': return 'fill-mask';
    case 'counted-fill-mask': return 'counted-keep-mask';
    case 'counted-keep-mask': return 'counted-fill-mask';
    default: return use;
  }
}

/** Counts over an axis: `mask.sum(1)`, `torch.sum(mask, dim=1)`, `mask.count_nonzero(-1)`. */
const COUNTS = new Set(['sum', 'count_nonzero']);

interface Scope {
  self: Value | null;
  cls: ClassInfo | null;
  locals: Map<string, Origins>;
}

const MAX_DEPTH = 6;

/** The uses of each of `def`'s parameters, called on `self` (a user module instance). */
export function forwardParamUses(executor: Executor, def: A.FunctionDef, self: Instance): Map<string, Set<ParamUse>> {
  const walker = new FlowWalker(executor);
  const params = def.params.filter((p) => p.name !== 'self' && !p.variadic).map((p) => p.name);
  return walker.uses(def, { kind: 'object', obj: self }, self.cls, params, 0);
}

class FlowWalker {
  private readonly active = new Set<A.FunctionDef>();

  constructor(private readonly executor: Executor) {}

  uses(def: A.FunctionDef, self: Value | null, cls: ClassInfo | null, params: string[], depth: number): Map<string, Set<ParamUse>> {
    const out = new Map<string, Set<ParamUse>>(params.map((p) => [p, new Set<ParamUse>()]));
    if (depth > MAX_DEPTH || this.active.has(def)) return out;
    this.active.add(def);
    try {
      const scope: Scope = { self, cls, locals: new Map(params.map((p) => [p, new Set([origin(p)])])) };
      const record = (origins: Origins, use: ParamUse) => origins.forEach((o) => {
        const bar = o.lastIndexOf('|');
        const u = useOf(use, o.slice(bar + 1));
        if (u) out.get(o.slice(0, bar))?.add(u);
      });
      this.block(def.body, scope, record, depth);
    } finally {
      this.active.delete(def);
    }
    return out;
  }

  private block(stmts: A.Stmt[], scope: Scope, record: (o: Origins, u: ParamUse) => void, depth: number): void {
    for (const s of stmts) this.stmt(s, scope, record, depth);
  }

  private stmt(s: A.Stmt, scope: Scope, record: (o: Origins, u: ParamUse) => void, depth: number): void {
    const expr = (e: A.Expr) => this.expr(e, scope, record, depth);
    switch (s.kind) {
      case 'assign': {
        const origins = expr(s.value);
        for (const t of s.targets) this.bind(t, origins, scope, s.op !== undefined);
        return;
      }
      case 'expr': expr(s.value); return;
      case 'return': if (s.value) expr(s.value); return;
      case 'if': expr(s.test); this.block(s.body, scope, record, depth); this.block(s.orelse, scope, record, depth); return;
      // Loop bodies twice: what a second iteration reads from the first is followed too.
      case 'for': this.bind(s.target, expr(s.iter), scope, false); this.block(s.body, scope, record, depth); this.block(s.body, scope, record, depth); this.block(s.orelse, scope, record, depth); return;
      case 'while': expr(s.test); this.block(s.body, scope, record, depth); this.block(s.body, scope, record, depth); return;
      case 'with': s.items.forEach((i) => { const o = expr(i.value); if (i.target) this.bind(i.target, o, scope, false); }); this.block(s.body, scope, record, depth); return;
      case 'try': this.block(s.body, scope, record, depth); s.handlers.forEach((h) => this.block(h, scope, record, depth)); this.block(s.orelse, scope, record, depth); this.block(s.final, scope, record, depth); return;
      case 'pass': case 'other': s.exprs.forEach(expr); return;
      default: return;
    }
  }

  private bind(target: A.Expr, origins: Origins, scope: Scope, augmented: boolean): void {
    if (target.kind === 'name') {
      const before = augmented ? scope.locals.get(target.id) ?? new Set<string>() : new Set<string>();
      scope.locals.set(target.id, new Set([...before, ...origins]));
    } else if (target.kind === 'tuple' || target.kind === 'list') target.items.forEach((t) => this.bind(t, origins, scope, augmented));
    else if (target.kind === 'starred') this.bind(target.value, origins, scope, augmented);
  }

  /** The parameters whose values an expression carries; records the uses it makes of them. */
  private expr(e: A.Expr, scope: Scope, record: (o: Origins, u: ParamUse) => void, depth: number): Origins {
    const sub = (x: A.Expr) => this.expr(x, scope, record, depth);
    const union = (...sets: Origins[]) => new Set(sets.flatMap((s) => [...s]));
    switch (e.kind) {
      case 'name': return new Set(scope.locals.get(e.id) ?? []);
      case 'attribute': return SHAPE_QUERIES.has(e.attr) ? (sub(e.object), new Set()) : sub(e.object);
      case 'subscript': return union(sub(e.value), ...e.index.map(sub));
      case 'binop': return e.op === '-' && e.left.kind === 'int' && e.left.value === 1 ? formed(sub(e.right), 'i') : union(sub(e.left), sub(e.right));
      case 'unary': return e.op === '~' || e.op === 'not' ? formed(sub(e.operand), 'i') : sub(e.operand);
      case 'compare':
        if (e.ops.length === 1 && e.ops[0] === '==' && isZero(e.comparators[0])) return formed(sub(e.left), 'i');
        return union(sub(e.left), ...e.comparators.map(sub));
      case 'boolop': return union(sub(e.left), sub(e.right));
      case 'conditional': return union(sub(e.body), sub(e.test), sub(e.orelse));
      case 'tuple': case 'list': return union(...e.items.map(sub));
      case 'dict': return union(...e.entries.map((x) => sub(x.value)));
      case 'starred': return sub(e.value);
      case 'slice': return union(...[e.start, e.stop, e.step].filter((x): x is A.Expr => x !== undefined).map(sub));
      case 'comprehension': {
        const inner: Scope = { ...scope, locals: new Map(scope.locals) };
        for (const g of e.generators) this.bind(g.target, this.expr(g.iter, inner, record, depth), inner, false);
        return this.expr(e.element, inner, record, depth);
      }
      case 'other': return union(...e.calls.map(sub));
      case 'call': return this.call(e, scope, record, depth);
      default: return new Set();
    }
  }

  private call(e: A.Call, scope: Scope, record: (o: Origins, u: ParamUse) => void, depth: number): Origins {
    const sub = (x: A.Expr) => this.expr(x, scope, record, depth);
    const args = e.args.map(sub);
    const keywords = new Map(e.keywords.map((k) => [k.name, sub(k.value)]));
    const all = new Set([...args.flatMap((s) => [...s]), ...[...keywords.values()].flatMap((s) => [...s])]);
    const f = e.func;
    const name = f.kind === 'name' ? f.id : f.kind === 'attribute' ? f.attr : null;
    if (f.kind === 'name' && name && LENGTH_FREE_CALLS.has(name)) return new Set();
    if (name === 'pack_padded_sequence') {
      const lengths = args[1] ?? keywords.get('lengths');
      if (lengths) record(lengths, 'lengths');
      return union2(args[0] ?? new Set(), new Set());
    }
    const method = f.kind === 'attribute' && !(f.object.kind === 'name' && (f.object.id === 'torch' || f.object.id === 'F'));
    if (name === 'masked_fill' || name === 'masked_fill_') {
      // x.masked_fill(mask, v) or torch.masked_fill(x, mask, v); an inverted mask (`mask == 0`) carries its form.
      const maskOrigins = method ? args[0] : args[1];
      if (maskOrigins) record(maskOrigins, 'fill-mask');
    }
    if (name && COUNTS.has(name)) {
      const counted = method ? sub(f.object) : args[0] ?? new Set<string>();
      return formed(counted, 'r');
    }
    if (method && name && (name === 'logical_not' || (name === 'eq' && isZero(e.args[0])))) return formed(sub(f.object), 'i');
    if (f.kind === 'attribute' && SHAPE_QUERIES.has(f.attr)) {
      sub(f.object);
      return new Set();
    }
    const receiver = f.kind === 'attribute' ? sub(f.object) : new Set<string>();
    const callee = this.resolve(f, scope);
    // A module's output is a new value: what went into a layer's slot is told there, and an input
    // that shaped a state (a cell loop feeding h back) does not become that state.
    if (callee?.kind === 'module') {
      const slots = LAYER_SLOTS[callee.layer.type] ?? { positional: ['data'], keywords: { input: 'data' } };
      args.forEach((o, i) => { const s = slots.positional[i]; if (s) record(o, s); });
      keywords.forEach((o, k) => { const s = slots.keywords[k]; if (s) record(o, s); });
      return new Set();
    } else if (callee?.kind === 'object' && callee.obj.isModule) {
      const forward = this.executor.findMethod(callee.obj.cls, 'forward');
      if (forward) this.into(forward.def, callee, callee.obj.cls, args, keywords, record, depth);
      return new Set();
    } else if (callee?.kind === 'function' && f.kind === 'attribute') {
      this.into(callee.def, scope.self, scope.cls, args, keywords, record, depth);
    }
    return union2(all, receiver);
  }

  /** A call into user code: its parameters' uses become the uses of what the caller passed. */
  private into(def: A.FunctionDef, self: Value | null, cls: ClassInfo | null, args: Origins[], keywords: Map<string, Origins>, record: (o: Origins, u: ParamUse) => void, depth: number): void {
    const params = def.params.filter((p) => p.name !== 'self' && !p.variadic).map((p) => p.name);
    const uses = this.uses(def, self, cls, params, depth + 1);
    params.forEach((p, i) => {
      const given = i < args.length ? args[i] : keywords.get(p);
      if (given) uses.get(p)?.forEach((u) => record(given, u));
    });
  }

  /** `self.rnn`, `self.encoder.attn`, `self.helper`: the value the model's instance holds there. */
  private resolve(f: A.Expr, scope: Scope): Value | null {
    if (f.kind !== 'attribute') return null;
    const chain: string[] = [];
    let at: A.Expr = f;
    while (at.kind === 'attribute') {
      chain.unshift(at.attr);
      at = at.object;
    }
    if (at.kind !== 'name' || at.id !== 'self' || !scope.self) return null;
    let v: Value = scope.self;
    for (let i = 0; i < chain.length; i++) {
      if (v.kind !== 'object') return null;
      const held = v.obj.attrs.get(chain[i]);
      if (held) {
        v = held;
        continue;
      }
      if (i === chain.length - 1) {
        const method = this.executor.findMethod(v.obj.cls, chain[i]);
        return method ? { kind: 'function', def: method.def, owner: method.owner } : null;
      }
      return null;
    }
    return v;
  }
}

function union2(a: Origins, b: Origins): Origins {
  return new Set([...a, ...b]);
}

function isZero(e: A.Expr | undefined): boolean {
  return e !== undefined && e.kind === 'int' && e.value === 0;
}
