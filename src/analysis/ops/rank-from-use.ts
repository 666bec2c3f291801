// Ranks a function's own code proves for its parameters. A forward nobody calls gets tensors of unknown rank, but
// the body often pins the rank down: `x.permute(1, 0, 2)` runs only on a 3-D tensor, `torch.bmm(a, b)` only on 3-D
// ones, `out[:, -1, :]` needs at least three axes, an LSTM takes 2-D or 3-D input. Through ops whose result rank
// follows their input's (an Embedding adds an axis, Linear and activations keep it, an LSTM's output keeps its
// input's) such a fact reaches the parameter: `e = self.emb(x); out, _ = self.lstm(e); out[:, -1, :]` makes out 3-D
// (LSTM: 2 or 3; indexing: at least 3), so e is 3-D and x 2-D; what is proven of a tensor torch.cat or torch.stack
// joined reaches each item (see Join); what a user function or module returns follows its argument's rank when every
// return of its body gives a tensor (or a tuple display of them) following one parameter's (see ProvenRanks.returned).
// Only what PyTorch itself enforces counts (the op raises on every other rank:
// see RANK_DEMANDS, checked against PyTorch 1.13 by test/oracle/op_shapes.py), only on statements every normal run of
// the body executes, and contradictory facts leave the rank unknown.
import type * as A from '../parse/ast';
import { walkExpressions, walkStatements } from '../parse/walk';
import { MAX_RANK } from '../shapes/shape';
import { unpackedSizeExpr } from './rank-from-unpacking';
import type { Value } from '../values/value';
import type { LayerDesc } from '../layers/layer';
import { isRecurrent } from '../layers/torch/recurrent';

/** What an op demands of its input's rank, and the rank of its (first) output relative to the input's. */
export interface RankDemand {
  /** The only input ranks PyTorch accepts. */
  accepts?: readonly number[];
  /** The fewest axes PyTorch accepts. */
  atLeast?: number;
  /** Output rank minus input rank. */
  shift: number;
}

/**
 * Layers (by class name) whose output rank follows their input's. Recurrent layers: the first item of what they
 * return (`out, h = self.lstm(x)`), for a tensor input (a PackedSequence has no provenance here, so it never reaches
 * this table).
 */
export const LAYER_RANKS: Record<string, RankDemand> = {
  Linear: { atLeast: 1, shift: 0 },
  Dropout: { shift: 0 },
  ReLU: { shift: 0 },
  Tanh: { shift: 0 },
  Sigmoid: { shift: 0 },
  GELU: { shift: 0 },
  ELU: { shift: 0 },
  LeakyReLU: { shift: 0 },
  SELU: { shift: 0 },
  SiLU: { shift: 0 },
  Identity: { shift: 0 },
  ReLU6: { shift: 0 },
  Softplus: { shift: 0 },
  Hardtanh: { shift: 0 },
  Softmax: { shift: 0 },
  LogSoftmax: { shift: 0 },
  LayerNorm: { atLeast: 1, shift: 0 },
  Conv2d: { accepts: [3, 4], shift: 0 },
  Conv3d: { accepts: [4, 5], shift: 0 },
  ConvTranspose1d: { accepts: [2, 3], shift: 0 },
  ConvTranspose2d: { accepts: [3, 4], shift: 0 },
  MaxPool2d: { accepts: [3, 4], shift: 0 },
  AvgPool2d: { accepts: [3, 4], shift: 0 },
  BatchNorm2d: { accepts: [4], shift: 0 },
  InstanceNorm1d: { accepts: [2, 3], shift: 0 },
  GRUCell: { accepts: [1, 2], shift: 0 },
  RNNCell: { accepts: [1, 2], shift: 0 },
  Embedding: { shift: 1 },
  LSTM: { accepts: [2, 3], shift: 0 },
  GRU: { accepts: [2, 3], shift: 0 },
  RNN: { accepts: [2, 3], shift: 0 },
  Conv1d: { accepts: [2, 3], shift: 0 },
  BatchNorm1d: { accepts: [2, 3], shift: 0 },
  MaxPool1d: { accepts: [2, 3], shift: 0 },
  AvgPool1d: { accepts: [2, 3], shift: 0 },
  AdaptiveAvgPool1d: { accepts: [2, 3], shift: 0 },
  AdaptiveMaxPool1d: { accepts: [2, 3], shift: 0 },
  InstanceNorm2d: { accepts: [3, 4], shift: 0 },
  PReLU: { shift: 0 },
  Softsign: { shift: 0 },
  Tanhshrink: { shift: 0 },
  LogSigmoid: { shift: 0 },
  Mish: { shift: 0 },
  Hardswish: { shift: 0 },
  Hardsigmoid: { shift: 0 },
  CELU: { shift: 0 },
  Softmin: { shift: 0 },
  AlphaDropout: { shift: 0 },
  // Returns (h, c), each of its input's rank (see TUPLE_LAYERS).
  LSTMCell: { accepts: [1, 2], shift: 0 },
};

/** Layers that return a tuple whose every item follows the input's rank as LAYER_RANKS says: `h, c = self.cell(x, (h, c))`. */
const TUPLE_LAYERS = new Set(['LSTMCell']);

/** Tensor methods and torch / torch.nn.functional functions (on their first argument) that keep the rank. */
const RANK_KEEPING_METHODS = new Set([
  'contiguous', 'float', 'double', 'half', 'long', 'int', 'bool', 'byte', 'to', 'cuda', 'cpu', 'detach', 'clone',
  'relu', 'sigmoid', 'tanh', 'exp', 'log', 'abs', 'neg', 'sqrt', 'softmax', 'log_softmax', 'requires_grad_', 'type_as',
  'zero_', 'fill_', 'sign', 'floor', 'ceil', 'round', 'sin', 'cos', 'log1p', 'reciprocal', 'rsqrt', 'relu_', 'sigmoid_',
  'tanh_', 'exp_', 'abs_', 'neg_', 'bernoulli',
]);
/**
 * Ops that give a tuple of tensors, each of their input's rank (`sort` and `topk`: values and indices; `chunk`: the
 * pieces, and chunk refuses a 0-D tensor).
 */
const TUPLE_KEEPING_METHODS = new Set(['sort', 'topk', 'chunk']);
/** Ops that give (values, indices) over one axis they remove, as a reduction does. */
const TUPLE_REDUCTIONS = new Set(['max', 'min', 'median', 'mode']);
/** Methods of a PackedSequence that give one back (a packed value's provenance is that of its `.data`). */
const PACKED_KEEPING_METHODS = new Set(['to', 'cuda', 'cpu', 'float', 'double', 'half', 'long', 'int', 'detach']);
const RANK_KEEPING_FUNCTIONS = new Set([
  'torch.relu', 'torch.sigmoid', 'torch.tanh', 'torch.exp', 'torch.log', 'torch.abs', 'torch.sqrt', 'torch.softmax', 'torch.log_softmax',
  'torch.nn.functional.relu', 'torch.nn.functional.gelu', 'torch.nn.functional.elu', 'torch.nn.functional.selu', 'torch.nn.functional.silu',
  'torch.nn.functional.leaky_relu', 'torch.nn.functional.tanh', 'torch.nn.functional.sigmoid', 'torch.nn.functional.dropout',
  'torch.nn.functional.softmax', 'torch.nn.functional.log_softmax', 'torch.nn.functional.relu6', 'torch.nn.functional.softplus',
  'torch.nn.functional.hardtanh', 'torch.sign', 'torch.floor', 'torch.round', 'torch.sin', 'torch.cos', 'torch.log1p',
  'torch.reciprocal', 'torch.rsqrt', 'torch.nn.functional.softsign', 'torch.nn.functional.tanhshrink',
  'torch.nn.functional.logsigmoid', 'torch.nn.functional.normalize',
]);
/**
 * Ops that keep their input's rank when every other argument is a number (`x.clamp(min=0)`, `x.pow(2)`); a tensor
 * argument would broadcast.
 */
const NUMBER_ARG_KEEPING_METHODS = new Set(['clamp', 'pow', 'add', 'sub', 'mul', 'div']);
const NUMBER_ARG_KEEPING_FUNCTIONS = new Set(['torch.clamp', 'torch.pow', 'torch.add', 'torch.sub', 'torch.mul', 'torch.div']);
/**
 * In-place methods that change their tensor's rank: after `x.unsqueeze_(d)` the same tensor has one axis more, and
 * after the others (`squeeze_`, `resize_`, …) a rank this file does not follow. Every name bound to that tensor sees
 * the change, so what it proved before the call no longer says what it holds after.
 */
const IN_PLACE_RESHAPES = new Set(['unsqueeze_', 'squeeze_', 'resize_', 'resize_as_', 'set_', 'as_strided_']);

/**
 * The names whose tensor a statement (or block) may reshape in place: receivers of IN_PLACE_RESHAPES
 * (`x.unsqueeze_(2)`) and names whose `.data` is assigned (`x.data = y`, which gives x y's shape).
 */
function reshapedInPlace(stmts: A.Stmt[]): Set<string> {
  const names = new Set<string>();
  walkExpressions(stmts, (e) => {
    if (e.kind === 'call' && e.func.kind === 'attribute' && e.func.object.kind === 'name' && IN_PLACE_RESHAPES.has(e.func.attr)) names.add(e.func.object.id);
  });
  walkStatements(stmts, (s) => {
    if (s.kind === 'assign') for (const t of s.targets) if (t.kind === 'attribute' && t.attr === 'data' && t.object.kind === 'name') names.add(t.object.id);
  });
  return names;
}
/** Methods whose result has the shape of their one tensor argument (`x.view_as(y)`, `x.expand_as(y)`): y's rank. */
const SHAPE_OF_ARGUMENT_METHODS = new Set(['view_as', 'expand_as', 'reshape_as']);
/** Functions whose first argument's rank they demand, and their output's rank relative to it. */
export const FUNCTION_RANKS: Record<string, RankDemand> = {
  'torch.nn.functional.embedding': { shift: 1 },
  'torch.nn.functional.linear': { atLeast: 1, shift: 0 },
  'torch.nn.functional.max_pool1d': { accepts: [2, 3], shift: 0 },
  'torch.nn.functional.avg_pool1d': { accepts: [2, 3], shift: 0 },
  'torch.nn.functional.max_pool2d': { accepts: [3, 4], shift: 0 },
  'torch.nn.functional.pad': { shift: 0 },
  'torch.nn.functional.avg_pool2d': { accepts: [3, 4], shift: 0 },
  'torch.nn.functional.conv1d': { accepts: [2, 3], shift: 0 },
  'torch.nn.functional.conv2d': { accepts: [3, 4], shift: 0 },
  'torch.nn.functional.conv_transpose1d': { accepts: [2, 3], shift: 0 },
  'torch.nn.functional.adaptive_max_pool1d': { accepts: [2, 3], shift: 0 },
  'torch.nn.functional.adaptive_avg_pool1d': { accepts: [2, 3], shift: 0 },
  'torch.nn.functional.adaptive_max_pool2d': { accepts: [3, 4], shift: 0 },
  'torch.nn.functional.adaptive_avg_pool2d': { accepts: [3, 4], shift: 0 },
};

/** The built-in layers a layer value may be: itself, or each of the alternatives built on different paths. */
function optionsOf(layer: LayerDesc): LayerDesc[] {
  return layer.alternatives ?? [layer];
}

/**
 * A layer that returns (output, state) whichever alternative it is (`nn.LSTM` on one path, `nn.GRU` on another); the
 * recurrent layers' own isRecurrent answers for one layer, and no for alternatives.
 */
function alwaysRecurrent(layer: LayerDesc | undefined): boolean {
  return !!layer && optionsOf(layer).every(isRecurrent);
}

/** A layer whose every item of the tuple it returns follows its input's rank, whichever alternative it is. */
function isTupleLayer(layer: LayerDesc | undefined): boolean {
  return !!layer && optionsOf(layer).every((o) => TUPLE_LAYERS.has(o.kind));
}

/**
 * What a layer demands of its input's rank and how it shifts it. A layer that is one of several built-in layers runs
 * one of them: it accepts a rank one of them accepts, and its output follows only when they all shift alike and
 * all return one kind of result (a tensor, or a recurrent layer's pair).
 */
function rankRuleOf(layer: LayerDesc): { accepts: (rank: number) => boolean; shift: number } | undefined {
  const options = optionsOf(layer);
  const rules = options.map((o) => LAYER_RANKS[o.kind]);
  if (rules.some((r) => !r) || rules.some((r) => r.shift !== rules[0].shift)) return undefined;
  const recurrent = options.filter(isRecurrent).length;
  const tuple = options.filter((o) => TUPLE_LAYERS.has(o.kind)).length;
  if ((recurrent !== 0 && recurrent !== options.length) || (tuple !== 0 && tuple !== options.length)) return undefined;
  const acceptedBy = (rule: RankDemand, rank: number) => (!rule.accepts || rule.accepts.includes(rank)) && (rule.atLeast === undefined || rank >= rule.atLeast);
  return { accepts: (rank) => rules.some((rule) => acceptedBy(rule, rank)), shift: rules[0].shift };
}
/** Functions that join a sequence of tensors into one (see Join). */
const JOINS = new Set(['torch.cat', 'torch.concat', 'torch.stack']);
/** Reductions that give one tensor: over an axis they drop it (keepdim keeps it). max/min give (values, indices). */
const REDUCTIONS = new Set(['sum', 'mean', 'prod', 'logsumexp']);
/** Ops that run only on tensors of exactly this rank (PyTorch raises otherwise), keeping it. */
const EXACT_RANK_METHODS: Record<string, number> = { bmm: 3, mm: 2 };
const EXACT_RANK_FUNCTIONS: Record<string, number> = { 'torch.bmm': 3, 'torch.mm': 2 };

/**
 * Which value's rank another's follows, and by how much it differs from it: a parameter (its name), or a name as an
 * assignment bound it (a key of `roots`).
 */
interface Provenance {
  param: string;
  shift: number;
  /**
   * A PackedSequence whose `.data` has this provenance: only a recurrent layer's demand (its packed data is 2-D),
   * `.data` and the functions of torch.nn.utils.rnn read it.
   */
  packed?: true;
  /**
   * A tensor joined from others (torch.cat, torch.stack): its rank follows theirs (see Join), and `param` is the join's
   * own key in `ranks`, which an assignment of the joined tensor makes a root of its name.
   */
  joined?: Join;
  /**
   * A name bound to what a user function returned (`h = self.block(x)`) follows x's rank and is also a root of its
   * own: what is proven of it holds for the name as that assignment binds it, whatever x turns out to be.
   */
  also?: Provenance;
}

/**
 * `torch.cat(items, d)` or `torch.stack(items, d)`: the items whose rank is followed (those of unknown provenance are
 * left out), and whether an item may be skipped. PyTorch's cat skips an empty 1-D item whatever the others' rank
 * (`torch.cat([torch.zeros(0), torch.zeros(2, 3)], 1)` runs) and refuses any other rank mismatch, so the result has the
 * rank of each item that is not 1-D; stack refuses items of different shapes, so its result has one axis more than each.
 */
interface Join {
  items: Provenance[];
  skipsVectors: boolean;
  /** The joined tensor's rank minus each item's: 1 for stack, 0 for cat. */
  itemShift: number;
}

/** A provenance `by` axes more than `p`'s (less when negative); a PackedSequence's becomes its padded tensor's or data's. */
function shifted(p: Provenance, by: number): Provenance {
  const out: Provenance = p.joined ? { param: p.param, shift: p.shift + by, joined: p.joined } : { param: p.param, shift: p.shift + by };
  if (p.also) out.also = shifted(p.also, by);
  return out;
}

/**
 * The items of lists built by comprehensions (`[F.relu(conv(x)).squeeze(3) for conv in self.convs]`, then
 * `[F.max_pool1d(i, i.size(2)) for i in that]`), one per item of the container the first one iterates. What an
 * element proves holds only once the element ran, that is once the list is known not to be empty: a container known to
 * hold items, or a later `torch.cat(list, …)` / `torch.stack(list)` on every normal run, which PyTorch refuses on an
 * empty list. Until then the facts wait in `pending`.
 */
interface CompRoot {
  pending: (() => void)[];
  nonEmpty: boolean;
}

/** The list is known not to be empty: what its element proved holds now. */
function ranOnce(root: CompRoot): void {
  if (root.nonEmpty) return;
  root.nonEmpty = true;
  for (const fact of root.pending.splice(0)) fact();
}

/** A list a comprehension built: the container its items follow one for one, and the provenance of each item. */
interface CompList {
  root: CompRoot;
  element?: Provenance;
}

/** What a body proves: its parameters' ranks, and the ranks of names as assignments bind them. */
export interface ProvenRanks {
  params: Map<string, number>;
  assigned: Map<A.Assign, Map<string, number>>;
  /**
   * What every `return` of the body gives, when each gives a tensor whose rank follows one parameter's alike
   * (`return self.fc(F.relu(x))`): that parameter, and the result's rank minus its.
   */
  returned?: ParamRank;
  /**
   * When every `return` gives a tuple display of one length (`return out, (h, c)`): for each item, what `returned`
   * says of a single value, when every return agrees on it.
   */
  returnedItems?: (ParamRank | undefined)[];
}

/** A tensor whose rank is parameter `param`'s plus `shift`. */
export interface ParamRank {
  param: string;
  shift: number;
}

/** What one `return` read gives: a value's provenance, or each item's of a tuple display. */
interface Returned {
  value?: Provenance;
  items?: (Provenance | undefined)[];
}

/** A set of possible ranks 0..MAX_RANK, as a bit per rank. */
type Ranks = boolean[];

function allRanks(): Ranks {
  return new Array<boolean>(MAX_RANK + 1).fill(true);
}

/** The one rank left possible, or undefined when none or several are. */
function onlyRank(ranks: Ranks): number | undefined {
  let only: number | undefined;
  for (let r = 0; r < ranks.length; r++) {
    if (!ranks[r]) continue;
    if (only !== undefined) return undefined;
    only = r;
  }
  return only;
}

/**
 * How the function sees names it does not track: `resolve` gives what a name or attribute chain is (`self.lstm` a
 * layer, `F.relu` a module path), evaluated without effects; `callee` gives the function a called value runs (a user
 * module's forward, a helper method) and how that function sees its own names.
 */
export interface StaticContext {
  resolve(expr: A.Expr): Value | undefined;
  callee(value: Value): { def: A.FunctionDef; params: string[]; context: StaticContext; selfName?: string } | undefined;
}

/** How deep calls into user functions are followed for their parameters' ranks. */
const MAX_CALL_DEPTH = 3;

/**
 * A debugging hook: why a body proves no rank for a parameter (test/realcode/unproven-params.mjs). `roots` are the keys
 * whose rank a value follows: a parameter's name, or an assigned name's key.
 */
export const rankTrace: {
  /** An op given a value whose rank follows `roots`, whose own result follows nothing. */
  stopped?: (op: string, roots: string[], at: A.Expr) => void;
  /** A call of a user function given such a value, whose body was not read, and why. */
  unfollowed?: (why: string, roots: string[], at: A.Call) => void;
  /** The ranks each parameter may still have once the body was read (the function the analysis asked about). */
  finished?: (def: A.FunctionDef, ranks: Map<string, readonly boolean[]>) => void;
} = {};

/** The keys whose rank a provenance follows (see rankTrace). */
function rootsOf(provs: (Provenance | undefined)[]): string[] {
  const roots: string[] = [];
  const add = (p: Provenance | undefined): void => {
    if (!p) return;
    if (p.joined) p.joined.items.forEach(add);
    else roots.push(p.param);
  };
  provs.forEach(add);
  return roots;
}

class RankProver {
  private env = new Map<string, Provenance>();
  private ranks = new Map<string, Ranks>();
  /** Inside an expression evaluated only sometimes (a conditional expression's branch): no fact holds. */
  private muted = 0;
  /** Names bound to lists a comprehension built, while nothing else has read them (see CompRoot). */
  private lists = new Map<string, CompList>();
  /** Comprehension variables bound to the layers of the container they iterate (`conv` in `for conv in self.convs`). */
  readonly compLayers = new Map<string, LayerDesc>();
  /** Set while a comprehension's element runs over a list not yet known to be non-empty: facts wait there. */
  private deferred: (() => void)[] | undefined;

  /**
   * `locals`: the function's own names (parameters, assigned names), which `resolve` does not see; `depth`: calls
   * followed to get here.
   */
  constructor(params: string[], private readonly locals: Set<string>, private readonly context: StaticContext, private readonly depth: number, private readonly active: Set<A.FunctionDef>) {
    for (const p of params) {
      this.env.set(p, { param: p, shift: 0 });
      this.ranks.set(p, allRanks());
    }
  }

  /** What each `return` read gives (see ProvenRanks.returned). */
  private readonly returned: Returned[] = [];

  /**
   * What every return of the body gives, when the body's `returns` return statements were all read: a value whose
   * rank follows one parameter's, shifted alike in each, or a tuple display whose items do. A return not read (in a
   * loop, after an early return) leaves it unknown.
   */
  returnedRanks(returns: number): Pick<ProvenRanks, 'returned' | 'returnedItems'> {
    if (returns === 0 || this.returned.length !== returns) return {};
    const agreed = (provs: (Provenance | undefined)[]): ParamRank | undefined => {
      const first = provs[0];
      if (!first || first.packed || first.joined || this.roots.has(first.param) || this.joinKeys.has(first.param)) return undefined;
      return provs.every((p) => p && sameProvenance(p, first)) ? { param: first.param, shift: first.shift } : undefined;
    };
    const length = this.returned[0].items?.length;
    if (length !== undefined && this.returned.every((r) => r.items?.length === length)) {
      const items = Array.from({ length }, (_, i) => agreed(this.returned.map((r) => r.items![i])));
      return items.some((i) => i) ? { returnedItems: items } : {};
    }
    const value = agreed(this.returned.map((r) => r.value));
    return value ? { returned: value } : {};
  }

  /** The items of what a call of a user function returns, when its every return gives a tuple display (see ProvenRanks). */
  private readonly tupleResults = new Map<A.Call, (Provenance | undefined)[]>();
  /** The calls of user functions whose result follows an argument's rank (see `also`). */
  private readonly userResults = new Set<A.Call>();

  /** Names bound by an assignment: key in `ranks` → the statement and the name. */
  private readonly roots = new Map<string, { stmt: A.Assign; name: string }>();
  /** The keys of joined tensors (see Join): a root once a name is bound to one, never a parameter. */
  private readonly joinKeys = new Set<string>();

  /** A key in `ranks` for a tensor torch.cat or torch.stack joined, of a rank nothing known yet follows. */
  joinKey(): string {
    const key = `${this.roots.size}+${this.joinKeys.size}:join`;
    this.joinKeys.add(key);
    this.ranks.set(key, allRanks());
    return key;
  }

  /** The ranks each parameter may still have (see rankTrace). */
  paramRanks(params: string[]): Map<string, readonly boolean[]> {
    return new Map(params.map((p) => [p, this.ranks.get(p) ?? allRanks()]));
  }

  /** The parameters and assigned names whose rank every fact agrees on, with that rank. */
  result(): ProvenRanks {
    const params = new Map<string, number>();
    const assigned = new Map<A.Assign, Map<string, number>>();
    for (const [key, ranks] of this.ranks) {
      const rank = onlyRank(ranks);
      if (rank === undefined) continue;
      const root = this.roots.get(key);
      if (!root && this.joinKeys.has(key)) continue;
      if (!root) params.set(key, rank);
      else {
        const names = assigned.get(root.stmt) ?? new Map<string, number>();
        names.set(root.name, rank);
        assigned.set(root.stmt, names);
      }
    }
    return { params, assigned };
  }

  /** A name as this assignment binds it, of a rank nothing known yet follows. */
  private root(stmt: A.Assign, name: string): Provenance {
    const key = `${this.roots.size}:${name}`;
    this.roots.set(key, { stmt, name });
    this.ranks.set(key, allRanks());
    return { param: key, shift: 0 };
  }

  /** A fact: the value of provenance `prov` has a rank that `ok` accepts. */
  private demand(prov: Provenance | undefined, ok: (rank: number) => boolean, packedData = false): void {
    if (!prov || this.muted > 0 || (prov.packed === true) !== packedData) return;
    if (this.deferred) {
      this.deferred.push(() => this.demand(prov, ok, packedData));
      return;
    }
    if (prov.also) this.demand(prov.also, ok, packedData);
    if (prov.joined) {
      // The joined tensor's rank is each item's (one more for stack), save an item cat may skip.
      const { items, skipsVectors, itemShift } = prov.joined;
      const shift = prov.shift + itemShift;
      for (const item of items) this.demand(item, (r) => (skipsVectors && r === 1) || ok(r + shift));
    }
    const ranks = this.ranks.get(prov.param);
    if (!ranks) return;
    for (let r = 0; r < ranks.length; r++) if (ranks[r] && !ok(r + prov.shift)) ranks[r] = false;
  }

  /** Runs the statements every normal run executes; false once a statement may leave the function early. */
  block(stmts: A.Stmt[]): boolean {
    for (const stmt of stmts) if (!this.stmt(stmt)) return false;
    return true;
  }

  private stmt(stmt: A.Stmt): boolean {
    switch (stmt.kind) {
      case 'assign':
        this.assign(stmt);
        return true;
      case 'expr':
        this.expr(stmt.value);
        return true;
      case 'return':
        if (stmt.value?.kind === 'tuple' && !stmt.value.items.some((i) => i.kind === 'starred')) this.returned.push({ items: stmt.value.items.map((i) => this.expr(i)) });
        else this.returned.push({ value: stmt.value ? this.expr(stmt.value) : undefined });
        return false;
      case 'with':
        for (const item of stmt.items) {
          this.expr(item.value);
          if (item.target) this.forgetTargets(item.target);
        }
        return this.block(stmt.body);
      case 'if':
        this.expr(stmt.test);
        return this.eitherBranch(stmt);
      case 'while':
        this.expr(stmt.test);
        return this.loop(stmt);
      case 'for':
        this.expr(stmt.iter);
        return this.loop(stmt);
      case 'try':
        return this.skipConditional(stmt);
      case 'other':
        // `raise`, `del`, `assert`, `global`: what they mean for the flow is not followed.
        return false;
      case 'def':
      case 'class':
        this.env.delete(stmt.name);
        // A function defined here may append to a list when something calls it.
        this.lists.clear();
        return true;
      case 'import':
      case 'pass':
        return true;
    }
  }

  /**
   * `if … else …` (an absent else being an empty one): one of the branches runs, so a parameter's rank is one that
   * either branch allows. A name keeps its provenance when both branches leave it the same; once either branch may
   * leave the function, nothing after the statement proves anything.
   */
  private eitherBranch(stmt: A.If): boolean {
    const before = { env: new Map(this.env), ranks: cloneRanks(this.ranks), lists: new Map(this.lists) };
    const thenGoesOn = this.block(stmt.body);
    const afterThen = { env: this.env, ranks: this.ranks, lists: this.lists };
    this.env = new Map(before.env);
    this.lists = new Map(before.lists);
    this.ranks = cloneRanks(before.ranks);
    const elseGoesOn = this.block(stmt.orelse);
    // A name bound inside one branch only has the facts of that branch.
    for (const [p, ranks] of this.ranks) {
      const other = before.ranks.has(p) ? afterThen.ranks.get(p) : undefined;
      if (other) for (let r = 0; r < ranks.length; r++) ranks[r] = ranks[r] || other[r];
    }
    for (const [p, ranks] of afterThen.ranks) if (!before.ranks.has(p)) this.ranks.set(p, ranks);
    const env = new Map<string, Provenance>();
    for (const [name, prov] of this.env) {
      const other = afterThen.env.get(name);
      if (other && sameProvenance(other, prov)) env.set(name, prov);
    }
    this.env = env;
    for (const [name, list] of [...this.lists]) if (afterThen.lists.get(name) !== list) this.lists.delete(name);
    return thenGoesOn && elseGoesOn;
  }

  /**
   * A loop may run its body zero times, so nothing inside proves a rank of what existed before it. A name bound in the
   * body is another matter: each time the binding runs, the straight-line code after it in the same step runs too, so
   * what that code proves holds for the value bound there (`emb = self.embedding(tok)` then `emb.permute(1, 0, 2)`).
   * The body is read once with the names it binds unknown at its start (they may hold the previous step's values);
   * facts on anything older are dropped, and after the loop its names are unknown, as for any conditional statement.
   */
  private loop(stmt: A.For | A.While): boolean {
    const goesOn = this.skipConditional(stmt);
    const env = new Map(this.env);
    const lists = new Map(this.lists);
    const before = cloneRanks(this.ranks);
    if (stmt.kind === 'for') this.forgetTargets(stmt.target);
    this.block(stmt.body);
    for (const [key, ranks] of before) this.ranks.set(key, ranks);
    this.env = env;
    this.lists = lists;
    return goesOn;
  }

  /**
   * A statement that may run its body zero times, or part of it: nothing inside proves a rank, names it assigns lose
   * their provenance, and one that may leave the function (return, raise) ends what the rest of the body proves.
   */
  private skipConditional(stmt: A.Stmt): boolean {
    // Its statements are not read: any list may change length there, and any tensor reshaped in place change rank.
    this.lists.clear();
    for (const name of reshapedInPlace([stmt])) this.forgetReshaped(name);
    let leaves = false;
    walkStatements([stmt], (s) => {
      if (s.kind === 'assign') for (const t of s.targets) this.forgetTargets(t);
      else if (s.kind === 'for') this.forgetTargets(s.target);
      else if (s.kind === 'with') {
        for (const item of s.items) if (item.target) this.forgetTargets(item.target);
      } else if (s.kind === 'def' || s.kind === 'class') this.env.delete(s.name);
      if (s.kind === 'return' || s.kind === 'other') leaves = true;
    });
    return !leaves;
  }

  /** A name's tensor changed rank in place: it and every name bound to the same tensor lose their provenance. */
  private forgetReshaped(name: string): void {
    const prov = this.env.get(name);
    if (prov) for (const [other, p] of [...this.env]) if (sameProvenance(p, prov)) this.env.delete(other);
    this.env.delete(name);
  }

  /**
   * `x.unsqueeze_(d)`: the tensor x names has one axis more from here on (d ranging over the new axes), and the call
   * returns that tensor. Other names bound to it lose their provenance, as does x after the other in-place reshapes.
   */
  private reshapeInPlace(name: string, call: A.Call): Provenance | undefined {
    const before = this.env.get(name);
    this.forgetReshaped(name);
    if (!before || before.packed || this.muted > 0 || (call.func as A.Attribute).attr !== 'unsqueeze_' || call.args.length !== 1 || call.keywords.length > 0) return undefined;
    const d = literalInt(call.args[0]);
    if (d === undefined) return undefined;
    this.demand(before, (r) => dimFits(d)(r + 1));
    const after = shifted(before, 1);
    this.env.set(name, after);
    return after;
  }

  private forgetTargets(target: A.Expr): void {
    if (target.kind === 'name') {
      this.env.delete(target.id);
      this.lists.delete(target.id);
      this.compLayers.delete(target.id);
    }
    else if (target.kind === 'tuple' || target.kind === 'list') for (const t of target.items) this.forgetTargets(t.kind === 'starred' ? t.value : t);
    else if (target.kind === 'starred') this.forgetTargets(target.value);
  }

  private assign(stmt: A.Assign): void {
    if (stmt.op) {
      this.expr(stmt.value);
      for (const t of stmt.targets) this.forgetTargets(t);
      return;
    }
    if (stmt.value.kind === 'comprehension' && stmt.targets.length === 1 && stmt.targets[0].kind === 'name') {
      const name = stmt.targets[0].id;
      const list = this.comprehension(stmt.value);
      this.forgetTargets(stmt.targets[0]);
      this.env.set(name, this.root(stmt, name));
      if (list) this.lists.set(name, list);
      return;
    }
    // `b, t, d = x.size()`: x has exactly three axes (the shape unpacking proves it as the interpreter does).
    const unpacked = unpackedSizeExpr(stmt);
    // `list(x.size())` copies the size only while `list` is the builtin (neither a local nor a global rebinds it).
    const sized = unpacked && (unpacked.through === undefined || (!this.locals.has(unpacked.through) && this.context.resolve({ kind: 'name', id: unpacked.through, range: stmt.range } as A.Expr) === undefined)) ? unpacked : undefined;
    if (sized) this.demand(this.expr(sized.object), (r) => r === sized.count);
    const value = sized ? undefined : this.expr(stmt.value);
    // `out, h = self.lstm(x)`: the first item is the output; `out, lengths = pad_packed_sequence(packed)` the padded one.
    const tupleLayer = stmt.value.kind === 'call' && isTupleLayer(this.layerDescOf(stmt.value.func));
    const firstItem = tupleLayer ? undefined : this.firstOutput(stmt.value);
    // `values, indices = x.sort(1)`, `a, b = x.chunk(2, -1)`: every item follows x's rank.
    const everyItem = tupleLayer ? this.layerCall(stmt.value as A.Call) : firstItem ? undefined : this.tupleOutput(stmt.value);
    // `out, h = self.encoder(x)`: the items of a user function's tuple, one for one.
    const fromCall = stmt.value.kind === 'call' ? this.tupleResults.get(stmt.value) : undefined;
    const returnedByCall = stmt.value.kind === 'call' && this.userResults.has(stmt.value);
    const returnedItems = fromCall && stmt.targets.every((t) => (t.kind === 'tuple' || t.kind === 'list') && t.items.length === fromCall.length) ? fromCall : undefined;
    for (const target of stmt.targets) {
      // `items[:] = …` may change a list's length; `x.data = y` gives x y's shape.
      if (target.kind !== 'name' && target.kind !== 'tuple' && target.kind !== 'list') this.lists.clear();
      if (target.kind === 'attribute' && target.attr === 'data' && target.object.kind === 'name') this.forgetReshaped(target.object.id);
      this.forgetTargets(target);
      if (target.kind === 'name') {
        // `h = torch.cat(…)`: what the body proves of the joined tensor is proven of h from this assignment on.
        if (value?.joined && value.shift === 0 && !this.roots.has(value.param)) this.roots.set(value.param, { stmt, name: target.id });
        this.env.set(target.id, value && returnedByCall ? { ...value, also: this.root(stmt, target.id) } : value ?? this.root(stmt, target.id));
      }
      else if (target.kind === 'tuple' || target.kind === 'list') {
        if (target.items.some((t) => t.kind === 'starred')) continue;
        target.items.forEach((t, i) => {
          if (t.kind === 'name') this.env.set(t.id, everyItem ?? (i === 0 && firstItem ? firstItem : returnedItems?.[i] ? { ...returnedItems[i]!, also: this.root(stmt, t.id) } : this.root(stmt, t.id)));
        });
      }
    }
  }

  /**
   * The provenance of the first item of a call returning a tuple: `self.rnn(x)`'s output (packed when x is), and
   * `pad_packed_sequence(packed)`'s padded tensor, one axis more than the packed data.
   */
  private firstOutput(expr: A.Expr): Provenance | undefined {
    if (expr.kind !== 'call') return undefined;
    const layer = this.layerDescOf(expr.func);
    if (alwaysRecurrent(layer) || isTupleLayer(layer)) return this.layerCall(expr);
    if (this.pathOf(expr.func) === 'torch.nn.utils.rnn.pad_packed_sequence' && expr.args.length >= 1 && !expr.hasStarArgs) {
      const packed = this.expr(expr.args[0]);
      return packed?.packed ? shifted(packed, 1) : undefined;
    }
    return undefined;
  }

  /**
   * The provenance every item of a call returning a tuple of tensors shares: `x.sort(...)`, `torch.topk(x, k)` and
   * `x.chunk(n, d)` keep x's rank; `x.max(d)`, `torch.min(x, d)` remove axis d as a reduction does (with a literal d
   * only: `torch.max(a, b)` of two tensors is element-wise).
   */
  private tupleOutput(expr: A.Expr): Provenance | undefined {
    if (expr.kind !== 'call' || expr.hasStarArgs || expr.func.kind !== 'attribute') return undefined;
    const path = this.pathOf(expr.func);
    let name: string;
    let input: Provenance | undefined;
    let rest: A.Expr[];
    if (path !== undefined) {
      if (!path.startsWith('torch.') || path.indexOf('.', 6) !== -1 || !expr.args[0] || expr.args[0].kind === 'starred') return undefined;
      name = path.slice(6);
      input = this.expr(expr.args[0]);
      rest = expr.args.slice(1);
    } else {
      if (this.resolved(expr.func) !== undefined) return undefined;
      name = expr.func.attr;
      input = this.expr(expr.func.object);
      rest = expr.args;
    }
    if (!input || input.packed) return undefined;
    if (TUPLE_KEEPING_METHODS.has(name)) {
      if (name === 'chunk') {
        this.demand(input, (r) => r >= 1);
        const dim = rest[1] ?? expr.keywords.find((k) => k.name === 'dim')?.value;
        if (dim) this.demand(input, dimFits(literalInt(dim)));
      }
      return input;
    }
    if (TUPLE_REDUCTIONS.has(name)) {
      const dimExpr = rest[0] ?? expr.keywords.find((k) => k.name === 'dim')?.value;
      if (!dimExpr || literalInt(dimExpr) === undefined) return undefined;
      return this.reduction(input, expr, rest[0], 'dim', path !== undefined ? 2 : 1);
    }
    return undefined;
  }

  /**
   * `[elt for v in container]` with one `for` and no `if`, over a container of like torch layers (`self.convs`, an
   * nn.ModuleList) or over a list another such comprehension built: the element runs once per item, with v bound to
   * the layer or to the other list's item. Anything else is not read (a comprehension's element may never run).
   */
  private comprehension(c: A.Comprehension, joined = false): CompList | undefined {
    // A comprehension not read here may append to a list.
    if (c.container !== 'list' || c.generators.length !== 1 || this.muted > 0) return this.unread();
    const gen = c.generators[0];
    if (gen.ifs.length || gen.target.kind !== 'name') return this.unread();
    const variable = gen.target.id;
    let root: CompRoot;
    let item: Provenance | undefined;
    let layer: LayerDesc | undefined;
    const source = gen.iter.kind === 'name' ? this.lists.get(gen.iter.id) : undefined;
    if (source) {
      root = source.root;
      item = source.element;
    } else {
      if (gen.iter.kind !== 'attribute') return this.unread();
      const container = this.resolved(gen.iter);
      const like = container ? likeLayers(container) : undefined;
      if (!like) return this.unread();
      root = { pending: [], nonEmpty: like.nonEmpty || joined };
      layer = like.layer;
    }
    const saved = { env: this.env.get(variable), layer: this.compLayers.get(variable), deferred: this.deferred };
    this.env.delete(variable);
    if (item) this.env.set(variable, item);
    if (layer) this.compLayers.set(variable, layer);
    else this.compLayers.delete(variable);
    this.deferred = root.nonEmpty ? undefined : root.pending;
    try {
      return { root, element: this.expr(c.element) };
    } finally {
      this.deferred = saved.deferred;
      if (saved.env) this.env.set(variable, saved.env);
      else this.env.delete(variable);
      if (saved.layer) this.compLayers.set(variable, saved.layer);
      else this.compLayers.delete(variable);
    }
  }

  /** An expression not read: every list may have changed length there. */
  private unread(): undefined {
    this.lists.clear();
    return undefined;
  }

  /**
   * `torch.cat(items, …)`, `torch.stack(items)`, `torch.cat([conv(x) for conv in self.convs], 1)`: PyTorch refuses an
   * empty list, so a comprehension's element ran. Gives the provenance of that list's items, when it has one.
   */
  private joinsList(call: A.Call): Provenance | undefined {
    if (this.muted > 0 || call.hasStarArgs) return undefined;
    const first = call.args[0];
    if (first?.kind !== 'name' && first?.kind !== 'comprehension') return undefined;
    const path = this.pathOf(call.func);
    if (path !== 'torch.cat' && path !== 'torch.stack') return undefined;
    if (first.kind === 'comprehension') {
      const source = first.generators.length === 1 && first.generators[0].iter.kind === 'name' ? this.lists.get(first.generators[0].iter.id) : undefined;
      // Over a list another comprehension built, the join proves that list's items ran too.
      if (source) ranOnce(source.root);
      return this.comprehension(first, true)?.element;
    }
    const list = this.lists.get(first.id);
    if (!list) return undefined;
    ranOnce(list.root);
    return list.element;
  }

  /**
   * `torch.cat([a, b], 1)`, `torch.stack((a, b))`, `torch.cat([conv(x) for conv in self.convs], 1)`: the joined
   * tensor, whose rank follows its items' (see Join); the axis it joins along is one it has, unless cat gave 1-D.
   */
  private join(path: string, call: A.Call, items: (Provenance | undefined)[]): Provenance | undefined {
    const known = items.filter((p): p is Provenance => p !== undefined && !p.packed);
    if (known.length === 0 || call.keywords.some((k) => k.name !== 'dim')) return undefined;
    const stack = path === 'torch.stack';
    const joined: Provenance = { param: this.joinKey(), shift: 0, joined: { items: known, skipsVectors: !stack, itemShift: stack ? 1 : 0 } };
    const dim = call.args[1] ?? call.keywords.find((k) => k.name === 'dim')?.value;
    const fits = dimFits(dim ? literalInt(dim) : undefined);
    // cat of empty 1-D items only gives one whatever the axis (`torch.cat([torch.zeros(0)] * 2, 2)` runs).
    if (dim) this.demand(joined, stack ? fits : (r) => r === 1 || fits(r));
    return joined;
  }

  /** What a name or attribute chain outside the function's own names is (`self.lstm`, `F.relu`). */
  private resolved(e: A.Expr): Value | undefined {
    let head = e;
    while (head.kind === 'attribute') head = head.object;
    if (head.kind !== 'name' || this.locals.has(head.id)) return undefined;
    return this.context.resolve(e);
  }

  private layerDescOf(func: A.Expr): LayerDesc | undefined {
    if (func.kind === 'name' && this.compLayers.has(func.id)) return this.compLayers.get(func.id);
    if (func.kind !== 'attribute' && func.kind !== 'name') return undefined;
    const v = this.resolved(func);
    return v?.kind === 'layer' && v.layer.framework === 'torch' && !v.layer.broken ? v.layer : undefined;
  }

  private pathOf(func: A.Expr): string | undefined {
    if (func.kind !== 'attribute' && func.kind !== 'name') return undefined;
    const v = this.resolved(func);
    return v?.kind === 'module' ? v.path : undefined;
  }

  /** A layer call's output provenance (its first output for a recurrent layer), after the demand on its input. */
  private layerCall(call: A.Call): Provenance | undefined {
    const layer = this.layerDescOf(call.func);
    const kind = layer?.kind;
    const input = call.args[0] ? this.expr(call.args[0]) : undefined;
    for (const a of call.args.slice(1)) this.expr(a);
    for (const k of call.keywords) this.expr(k.value);
    if (layer && kind === 'Sequential') {
      if (!input || input.packed || call.args.length !== 1 || call.args[0].kind === 'starred' || call.hasStarArgs) return undefined;
      return this.sequential(layer, input);
    }
    const rule = layer ? rankRuleOf(layer) : undefined;
    if (!rule || !input || call.args.length === 0 || call.args[0].kind === 'starred' || call.hasStarArgs) {
      if (input && layer) rankTrace.stopped?.(`layer ${optionsOf(layer).map((o) => o.kind).join('|')}${rule ? ' (called with *args)' : ''}`, rootsOf([input]), call);
      return undefined;
    }
    if (input.packed) {
      // A recurrent layer runs a PackedSequence whose data is 2-D (PyTorch: "input must have 2 dimensions") and
      // returns one of the same layout; no other layer takes one.
      if (!alwaysRecurrent(layer)) return undefined;
      this.demand(input, (r) => r === 2, true);
      return input;
    }
    this.demand(input, rule.accepts);
    return shifted(input, rule.shift);
  }

  /**
   * nn.Sequential runs its layers in order: each one's demand holds for the input shifted by the layers before it. Only
   * layers of the table count (a recurrent layer hands a tuple to the next; a user module is not followed here).
   */
  private sequential(layer: LayerDesc, input: Provenance): Provenance | undefined {
    const rules = layer.children.map((child) => (child.framework === 'torch' && !child.broken && !child.module && !isRecurrent(child) && !TUPLE_LAYERS.has(child.kind) ? LAYER_RANKS[child.kind] : undefined));
    if (rules.length === 0 || rules.some((r) => !r)) return undefined;
    let shift = 0;
    for (const rule of rules as RankDemand[]) {
      const before = shift;
      if (rule.accepts) this.demand(input, (r) => rule.accepts!.includes(r + before));
      if (rule.atLeast !== undefined) this.demand(input, (r) => r + before >= rule.atLeast!);
      shift += rule.shift;
    }
    return shifted(input, shift);
  }

  /** Traces an op whose result follows nothing although one of its inputs did (see rankTrace). */
  private stoppedAt(op: string, inputs: (Provenance | undefined)[], at: A.Expr): undefined {
    if (rankTrace.stopped && inputs.some((p) => p)) rankTrace.stopped(op, rootsOf(inputs), at);
    return undefined;
  }

  /** Evaluates an expression for its facts; returns its provenance when its rank follows a parameter's. */
  private expr(e: A.Expr): Provenance | undefined {
    switch (e.kind) {
      case 'name':
        // A list read by anything but a comprehension or a join may change length (append) or be read as empty.
        this.lists.delete(e.id);
        return this.env.get(e.id);
      case 'call':
        return this.call(e);
      case 'subscript':
        return this.subscript(e);
      case 'binop': {
        const left = this.expr(e.left);
        const right = this.expr(e.right);
        if (e.op === '@' || left?.packed || right?.packed) return this.stoppedAt(e.op === '@' ? 'a @ b' : 'a PackedSequence in arithmetic', [left, right], e);
        // A number keeps the tensor's rank; two tensors of one provenance keep it too.
        if (left && (isNumber(e.right) || (right && sameProvenance(right, left)))) return left;
        if (right && isNumber(e.left)) return right;
        return this.stoppedAt(`a ${e.op} b of two values (may broadcast)`, [left, right], e);
      }
      case 'unary':
        return e.op === '-' ? this.expr(e.operand) : (this.expr(e.operand), undefined);
      case 'attribute': {
        const object = this.expr(e.object);
        // `.data` of a tensor is the same tensor's storage; of a PackedSequence, its packed data.
        return e.attr === 'data' && object ? shifted(object, 0) : this.stoppedAt(`.${e.attr}`, [object], e);
      }
      case 'tuple':
      case 'list':
        for (const item of e.items) this.expr(item);
        return undefined;
      case 'starred':
        this.expr(e.value);
        return undefined;
      case 'dict':
        for (const entry of e.entries) {
          this.expr(entry.key);
          this.expr(entry.value);
        }
        for (const splat of e.splats ?? []) this.expr(splat.value);
        return undefined;
      case 'compare':
        this.expr(e.left);
        for (const c of e.comparators) this.expr(c);
        return undefined;
      case 'conditional': {
        this.expr(e.test);
        this.muted++;
        try {
          const body = this.expr(e.body);
          const orelse = this.expr(e.orelse);
          return body && orelse && sameProvenance(body, orelse) ? body : undefined;
        } finally {
          this.muted--;
        }
      }
      case 'boolop':
        this.expr(e.left);
        this.muted++;
        try {
          this.expr(e.right);
        } finally {
          this.muted--;
        }
        return undefined;
      // Not followed at all (a lambda, a comprehension of another form): it may append to a list no fact then sees.
      default:
        this.lists.clear();
        return undefined;
    }
  }

  private call(call: A.Call): Provenance | undefined {
    const layer = this.layerDescOf(call.func);
    if (layer) {
      const out = this.layerCall(call);
      // A recurrent layer returns a tuple; only `[0]` or unpacking reaches its output.
      return alwaysRecurrent(layer) || isTupleLayer(layer) ? undefined : out;
    }
    const listItem = this.joinsList(call);
    // The items of a literal list joined by torch.cat or torch.stack, each read once.
    let items: (Provenance | undefined)[] | undefined = listItem ? [listItem] : undefined;
    const joins = !call.hasStarArgs && call.args[0] && (call.args[0].kind === 'list' || call.args[0].kind === 'tuple') && !call.args[0].items.some((t) => t.kind === 'starred') && JOINS.has(this.pathOf(call.func) ?? '');
    const args = call.args.map((a, i) => {
      if (i > 0 || !joins || (a.kind !== 'list' && a.kind !== 'tuple')) return this.expr(a);
      items = a.items.map((t) => this.expr(t));
      return undefined;
    });
    const keywords = new Map(call.keywords.map((k) => [k.name, this.expr(k.value)]));
    const given = [...args, ...(items ?? []), ...keywords.values()];
    const stopped = (op: string): undefined => {
      if (rankTrace.stopped && given.some((p) => p)) rankTrace.stopped(op, rootsOf(given), call);
      return undefined;
    };
    if (call.hasStarArgs) return (stopped('a call with *args'), this.unread());
    if (call.func.kind === 'attribute' && call.func.object.kind === 'name' && IN_PLACE_RESHAPES.has(call.func.attr) && this.locals.has(call.func.object.id)) return this.reshapeInPlace(call.func.object.id, call);
    const target = call.func.kind === 'attribute' || call.func.kind === 'name' ? this.resolved(call.func) : undefined;
    if (target) {
      const returned = this.userCall(target, call, args, keywords);
      if (returned) return returned;
      if (target.kind !== 'module') return stopped(`the result of a call of a ${target.kind === 'instance' ? 'user module' : target.kind === 'function' ? 'user function' : target.kind === 'layer' ? 'layer' : `value of kind ${target.kind}`}`);
    }
    const path = this.pathOf(call.func);
    if (path !== undefined && items && JOINS.has(path)) return this.join(path, call, items);
    if (path !== undefined) return this.functionCall(path, call, args) ?? stopped(path);
    if (call.func.kind !== 'attribute') return stopped(call.func.kind === 'name' ? 'a call of a local or unresolved name' : `a call of a ${call.func.kind}`);
    const receiver = this.expr(call.func.object);
    const out = this.methodCall(call.func.attr, receiver, call, args);
    if (out === undefined && rankTrace.stopped) {
      const head = headName(call.func.object);
      if (receiver) rankTrace.stopped(`.${call.func.attr}()`, rootsOf([receiver, ...given]), call);
      else stopped(head !== undefined && !this.locals.has(head) ? `${head}.….${call.func.attr}() not resolved` : `.${call.func.attr}() of a value followed by nothing`);
    }
    return out;
  }

  /**
   * A call of a user function or module: its body proves ranks of its own parameters, which then hold for the
   * arguments given (the call runs that body). Gives the provenance of what it returns, when every return follows one
   * parameter's rank (the call's value is then the argument given for it, shifted alike).
   */
  private userCall(target: Value, call: A.Call, args: (Provenance | undefined)[], keywords: Map<string, Provenance | undefined>): Provenance | undefined {
    if (!args.some((a) => a) && ![...keywords.values()].some((a) => a)) return undefined;
    const unfollowed = (why: string): void => rankTrace.unfollowed?.(why, rootsOf([...args, ...keywords.values()]), call);
    if (this.depth >= MAX_CALL_DEPTH || this.muted > 0) return (unfollowed(this.muted > 0 ? 'called only sometimes' : 'calls nested too deep'), undefined);
    const callee = this.context.callee(target);
    if (!callee || this.active.has(callee.def)) {
      // A torch function (a module path) is an op, read by the tables.
      if (target.kind !== 'module') unfollowed(callee ? 'recursion' : `no body to read: ${target.kind === 'layer' ? `layer ${target.layer.kind}` : target.kind === 'unknown' ? 'a callee the analysis does not know' : target.kind}`);
      return undefined;
    }
    // A layer the call passes (`self.conv_and_pool(x, conv)` inside a comprehension over self.convs) is that layer there.
    const layers = new Map<string, LayerDesc>();
    callee.params.forEach((param, i) => {
      const given = i < call.args.length ? call.args[i] : call.keywords.find((k) => k.name === param)?.value;
      const layer = given && given.kind === 'name' ? this.compLayers.get(given.id) : undefined;
      if (layer) layers.set(param, layer);
    });
    const proven = provenRanks(callee.def, callee.params, callee.context, callee.selfName, this.depth + 1, this.active, layers);
    const givenFor = (param: string): Provenance | undefined => {
      const i = callee.params.indexOf(param);
      return i < args.length ? args[i] : keywords.get(param);
    };
    for (const [param, rank] of proven.params) this.demand(givenFor(param), (r) => r === rank);
    // A callee that reshapes a parameter's tensor in place (`t.unsqueeze_(0)`) reshapes the caller's argument too.
    const reshaped = reshapedInPlace(callee.def.body);
    callee.params.forEach((param, i) => {
      const given = i < call.args.length ? call.args[i] : call.keywords.find((k) => k.name === param)?.value;
      if (reshaped.has(param) && given?.kind === 'name') this.forgetReshaped(given.id);
    });
    // `y = self.block(x)` where every return of block's body gives F.relu(self.fc(x)): y has x's rank.
    const follow = (rank: ParamRank | undefined): Provenance | undefined => {
      const given = rank && givenFor(rank.param);
      return given && !given.packed ? shifted(given, rank!.shift) : undefined;
    };
    // `out, (h, c) = self.encoder(x)` where every return gives `outputs, (h, c)`: out follows what outputs follows.
    if (proven.returnedItems) this.tupleResults.set(call, proven.returnedItems.map(follow));
    const result = follow(proven.returned);
    if (result) this.userResults.add(call);
    return result;
  }

  private methodCall(name: string, receiver: Provenance | undefined, call: A.Call, args: (Provenance | undefined)[]): Provenance | undefined {
    if (receiver?.packed) return PACKED_KEEPING_METHODS.has(name) ? receiver : undefined;
    if (name === 'type') return call.args.length + call.keywords.length >= 1 ? receiver : undefined;
    if (name === 'permute') {
      const count = permutationLength(call);
      if (count !== undefined) this.demand(receiver, (r) => r === count);
      return receiver;
    }
    if (name === 'dot' && call.args.length === 1) {
      // Two 1-D tensors give a 0-D one.
      this.demand(receiver, (r) => r === 1);
      this.demand(args[0], (r) => r === 1);
      return receiver && shifted(receiver, -1);
    }
    if (name in EXACT_RANK_METHODS) {
      const rank = EXACT_RANK_METHODS[name];
      this.demand(receiver, (r) => r === rank);
      this.demand(args[0], (r) => r === rank);
      return receiver;
    }
    if (name === 'transpose') {
      for (const a of call.args.slice(0, 2)) this.demand(receiver, dimFits(literalInt(a)));
      return call.args.length === 2 && call.keywords.length === 0 ? receiver : undefined;
    }
    if (name === 'size' && call.args.length === 1 && call.keywords.length === 0) {
      this.demand(receiver, hasAxis(literalInt(call.args[0])));
      return undefined;
    }
    if (name === 'squeeze' && call.args.length === 1 && call.keywords.length === 0) {
      // squeeze(d) needs axis d (its result's rank depends on that axis' size, so it follows nothing).
      this.demand(receiver, dimFits(literalInt(call.args[0])));
      return undefined;
    }
    if (name === 'index_select' && call.args.length === 2 && call.keywords.length === 0) {
      // The index must be a vector (or a 0-D tensor); the result keeps the input's rank.
      this.demand(receiver, dimFits(literalInt(call.args[0])));
      this.demand(args[1], (r) => r <= 1);
      return receiver;
    }
    if (name === 'narrow' && call.args.length === 3 && call.keywords.length === 0) {
      this.demand(receiver, narrowable(literalInt(call.args[0])));
      return receiver;
    }
    if (SHAPE_OF_ARGUMENT_METHODS.has(name) && call.args.length === 1 && call.keywords.length === 0 && call.args[0].kind !== 'starred') return args[0]?.packed ? undefined : args[0];
    if (name === 't' && call.args.length === 0) {
      this.demand(receiver, (r) => r <= 2);
      return receiver;
    }
    if (name === 'unsqueeze' && call.args.length === 1) {
      const d = literalInt(call.args[0]);
      if (d === undefined) return undefined;
      // unsqueeze's dim ranges over the result's axes.
      this.demand(receiver, (r) => dimFits(d)(r + 1));
      return receiver && shifted(receiver, 1);
    }
    if (RANK_KEEPING_METHODS.has(name)) return receiver;
    if (NUMBER_ARG_KEEPING_METHODS.has(name) && onlyNumbers(call, 0)) return receiver;
    if (REDUCTIONS.has(name)) return this.reduction(receiver, call, call.args[0], 'dim', 1);
    return undefined;
  }

  /**
   * `x.sum(1)`, `torch.mean(x, dim=2)`: a reduction over one axis that a 0-D tensor lacks (1 or more, -2 or less)
   * needs that axis and removes it, unless keepdim is true (then the rank stays); any other form proves nothing.
   */
  private reduction(input: Provenance | undefined, call: A.Call, dimArg: A.Expr | undefined, dimName: string, keepdimPosition: number): Provenance | undefined {
    if (!input || call.hasStarArgs) return undefined;
    const dimExpr = dimArg ?? call.keywords.find((k) => k.name === dimName)?.value;
    const d = dimExpr ? literalInt(dimExpr) : undefined;
    if (d === undefined || (d >= -1 && d <= 0)) return undefined;
    const keepdimExpr = call.args[keepdimPosition] ?? call.keywords.find((k) => k.name === 'keepdim')?.value;
    const keepdim = keepdimExpr === undefined ? false : keepdimExpr.kind === 'true' ? true : keepdimExpr.kind === 'false' ? false : undefined;
    if (keepdim === undefined || call.keywords.some((k) => k.name !== dimName && k.name !== 'keepdim')) return undefined;
    this.demand(input, hasAxis(d));
    return shifted(input, keepdim ? 0 : -1);
  }

  private functionCall(path: string, call: A.Call, args: (Provenance | undefined)[]): Provenance | undefined {
    const name = path.startsWith('torch.nn.functional.') || path.startsWith('torch.') ? path : '';
    if (name in EXACT_RANK_FUNCTIONS) {
      const rank = EXACT_RANK_FUNCTIONS[name];
      this.demand(args[0], (r) => r === rank);
      this.demand(args[1], (r) => r === rank);
      return args[0];
    }
    if (name === 'torch.dot' && call.args.length === 2) {
      this.demand(args[0], (r) => r === 1);
      this.demand(args[1], (r) => r === 1);
      return args[0] && shifted(args[0], -1);
    }
    if (name === 'torch.transpose' && call.args.length === 3) {
      for (const a of call.args.slice(1, 3)) this.demand(args[0], dimFits(literalInt(a)));
      return args[0];
    }
    if (name === 'torch.squeeze' && call.args.length === 2 && call.keywords.length === 0) {
      this.demand(args[0], dimFits(literalInt(call.args[1])));
      return undefined;
    }
    if (name === 'torch.narrow' && call.args.length === 4 && call.keywords.length === 0 && !args[0]?.packed) {
      this.demand(args[0], narrowable(literalInt(call.args[1])));
      return args[0];
    }
    if (name === 'torch.unsqueeze' && call.args.length === 2 && call.keywords.length === 0 && !args[0]?.packed) {
      const d = literalInt(call.args[1]);
      if (d === undefined) return undefined;
      this.demand(args[0], (r) => dimFits(d)(r + 1));
      return args[0] && shifted(args[0], 1);
    }
    if (name === 'torch.index_select' && call.args.length === 3 && call.keywords.length === 0) {
      this.demand(args[0], dimFits(literalInt(call.args[1])));
      this.demand(args[2], (r) => r <= 1);
      return args[0];
    }
    if (RANK_KEEPING_FUNCTIONS.has(name)) return args[0]?.packed ? undefined : args[0];
    if (NUMBER_ARG_KEEPING_FUNCTIONS.has(name) && call.args[0]?.kind !== 'starred' && onlyNumbers(call, 1)) return args[0]?.packed ? undefined : args[0];
    if (name.startsWith('torch.') && REDUCTIONS.has(name.slice('torch.'.length)) && call.args[0]?.kind !== 'starred') {
      return args[0]?.packed ? undefined : this.reduction(args[0], call, call.args[1], 'dim', 2);
    }
    const rule = FUNCTION_RANKS[name];
    if (rule && args[0] && !args[0].packed && call.args[0]?.kind !== 'starred') {
      if (rule.accepts && !(name === 'torch.nn.functional.adaptive_avg_pool2d' && !poolsToMoreThanOne(call))) this.demand(args[0], (r) => rule.accepts!.includes(r));
      if (rule.atLeast !== undefined) this.demand(args[0], (r) => r >= rule.atLeast!);
      return shifted(args[0], rule.shift);
    }
    // The padded tensor's batch and time axes become one in the packed data.
    if (path === 'torch.nn.utils.rnn.pack_padded_sequence' && args[0] && !args[0].packed && call.args[0]?.kind !== 'starred') return { ...shifted(args[0], -1), packed: true };
    return undefined;
  }

  private subscript(e: A.Subscript): Provenance | undefined {
    // `self.rnn(x)[0]`: the recurrent layer's output.
    if (e.value.kind === 'call' && e.index.length === 1 && literalInt(e.index[0]) === 0) {
      const out = this.firstOutput(e.value);
      if (out) return out;
    }
    // `self.cell(x, (h, c))[1]`: an item of a layer's tuple whose items all follow x's rank.
    if (e.value.kind === 'call' && e.index.length === 1 && literalInt(e.index[0]) !== undefined && isTupleLayer(this.layerDescOf(e.value.func))) return this.layerCall(e.value);
    // `x.sort(1)[1]`, `torch.max(x, 1)[0]`, `x.chunk(2)[0]`: an item of a tuple whose items all follow x's rank.
    if (e.value.kind === 'call' && e.index.length === 1 && literalInt(e.index[0]) !== undefined) {
      const item = this.tupleOutput(e.value);
      if (item) return item;
    }
    // `x.shape[2]`: the shape tuple has that item (IndexError otherwise).
    if (e.value.kind === 'attribute' && e.value.attr === 'shape' && e.index.length === 1) {
      const d = literalInt(e.index[0]);
      if (d !== undefined) this.demand(this.expr(e.value.object), hasAxis(d));
      return undefined;
    }
    const object = this.expr(e.value);
    for (const item of e.index) if (item.kind !== 'slice') this.expr(item);
    // `self.encoder(x)[0]`: an item of a user function's tuple.
    const items = e.value.kind === 'call' ? this.tupleResults.get(e.value) : undefined;
    const at = e.index.length === 1 ? literalInt(e.index[0]) : undefined;
    if (items && at !== undefined && at >= -items.length && at < items.length) return items[at < 0 ? items.length + at : at];
    // A single index also reads lists and tuples; two or more (`x[:, -1]`) only arrays and tensors.
    if (e.index.length < 2) return this.stoppedAt(e.index[0]?.kind === 'slice' ? 'x[a:b] (one slice)' : literalInt(e.index[0]) !== undefined ? 'x[i] (one int index)' : 'x[index] (one other index)', [object], e);
    let consumed = 0;
    let added = 0;
    let exact = true;
    for (const item of e.index) {
      if (item.kind === 'slice' || literalInt(item) !== undefined) consumed++;
      else if (item.kind === 'none') added++;
      else if (item.kind !== 'ellipsis') exact = false;
    }
    // Every int or slice takes an axis: the tensor has at least that many (PyTorch: "too many indices").
    this.demand(object, (r) => r >= consumed);
    if (!exact || !object || object.packed) return this.stoppedAt('x[..] with an index neither int, slice nor None', [object], e);
    const ints = e.index.filter((item) => literalInt(item) !== undefined).length;
    return shifted(object, added - ints);
  }
}

/**
 * The layer every item of a container is like (a list of torch layers of one kind, as nn.ModuleList gives them, or the
 * summary of one of unknown length), and whether it surely holds an item.
 */
function likeLayers(container: Value): { layer: LayerDesc; nonEmpty: boolean } | undefined {
  if (container.kind !== 'list') return undefined;
  const plain = (v: Value): LayerDesc | undefined =>
    v.kind === 'layer' && v.layer.framework === 'torch' && !v.layer.broken && !v.layer.module && !v.layer.alternatives && !v.layer.repeats && v.layer.kind !== 'Sequential' ? v.layer : undefined;
  if (container.element) {
    const layer = plain(container.element);
    return layer ? { layer, nonEmpty: false } : undefined;
  }
  const layers = container.items.map(plain);
  if (layers.length === 0 || layers.some((l) => !l || l.kind !== layers[0]!.kind)) return undefined;
  return { layer: layers[0]!, nonEmpty: true };
}

/** The name an attribute chain starts from (`self` in `self.enc.rnn`). */
function headName(e: A.Expr): string | undefined {
  while (e.kind === 'attribute') e = e.object;
  return e.kind === 'name' ? e.id : undefined;
}

function sameProvenance(a: Provenance, b: Provenance): boolean {
  return a.param === b.param && a.shift === b.shift && a.packed === b.packed && a.joined === b.joined;
}

/** How many axes `permute` lists: `permute(1, 0, 2)` or `permute((1, 0, 2))`, all written out. */
function permutationLength(call: A.Call): number | undefined {
  if (call.hasStarArgs || call.keywords.length > 1) return undefined;
  const dims = call.keywords.length === 1 ? (call.keywords[0].name === 'dims' ? [call.keywords[0].value] : undefined) : call.args;
  if (!dims || dims.length === 0) return undefined;
  if (dims.length === 1 && (dims[0].kind === 'tuple' || dims[0].kind === 'list')) return dims[0].items.every((d) => literalInt(d) !== undefined) ? dims[0].items.length : undefined;
  return dims.every((d) => literalInt(d) !== undefined) ? dims.length : undefined;
}

/** The ranks that have axis d (`x.size(d)`, `x.shape[d]`): even a 0-D tensor has no axis 0 to measure. */
function hasAxis(d: number | undefined): (rank: number) => boolean {
  if (d === undefined) return () => true;
  const needed = d >= 0 ? d + 1 : -d;
  return (rank) => rank >= needed;
}

/** The ranks `narrow(d, start, length)` runs on: it keeps every axis, and a 0-D tensor has none to narrow. */
function narrowable(d: number | undefined): (rank: number) => boolean {
  const fits = hasAxis(d);
  return (rank) => rank >= 1 && fits(rank);
}

function cloneRanks(ranks: Map<string, Ranks>): Map<string, Ranks> {
  const copy = new Map<string, Ranks>();
  for (const [p, r] of ranks) copy.set(p, r.slice());
  return copy;
}

/**
 * The ranks on which an axis index is in range. A 0-D tensor also takes 0 and -1, so only an index that needs two
 * axes or more says anything.
 */
function dimFits(d: number | undefined): (rank: number) => boolean {
  if (d === undefined) return () => true;
  const needed = d >= 0 ? d + 1 : -d;
  return needed <= 1 ? () => true : (rank) => rank >= needed;
}

/** An int literal, `-` one included: `2`, `-1`. */
/**
 * Whether an adaptive pooling's output size is written with an int other than 1. F.adaptive_avg_pool2d to (1, 1) is a
 * mean over the last two axes in PyTorch 1.13, which runs on a tensor of any rank from 2 (its rankDemands entry,
 * measured with output size 2, lists only 3 and 4); a None axis keeps the input's size, which may be 1.
 */
function poolsToMoreThanOne(call: A.Call): boolean {
  const size = call.args[1] ?? call.keywords.find((k) => k.name === 'output_size')?.value;
  if (!size) return false;
  const items = size.kind === 'tuple' || size.kind === 'list' ? size.items : [size];
  return items.some((e) => {
    const n = literalInt(e);
    return n !== undefined && n !== 1;
  });
}

export function literalInt(e: A.Expr): number | undefined {
  if (e.kind === 'int') return e.value;
  if (e.kind === 'unary' && e.op === '-' && e.operand.kind === 'int') return -e.operand.value;
  return undefined;
}

/** Whether a call's arguments after the first `skip` positional ones, keywords included, are all number literals (or None). */
function onlyNumbers(call: A.Call, skip: number): boolean {
  if (call.hasStarArgs) return false;
  const rest = [...call.args.slice(skip), ...call.keywords.map((k) => k.value)];
  return rest.length > 0 && rest.every((e) => isNumber(e) || e.kind === 'none');
}

function isNumber(e: A.Expr): boolean {
  return e.kind === 'int' || e.kind === 'float' || (e.kind === 'unary' && (e.operand.kind === 'int' || e.operand.kind === 'float'));
}

/**
 * The ranks that the body of `def` proves for the named parameters: only those every fact agrees on. `context`
 * names what `self.<attr>` (`selfName`, a method's first parameter) and module paths are, and what calls run.
 */
export function ranksProvenByUse(def: A.FunctionDef, params: string[], context: StaticContext, selfName?: string): ProvenRanks {
  return provenRanks(def, params, context, selfName, 0, new Set());
}

function provenRanks(def: A.FunctionDef, params: string[], context: StaticContext, selfName: string | undefined, depth: number, active: Set<A.FunctionDef>, layers?: Map<string, LayerDesc>): ProvenRanks {
  const locals = new Set(def.params.map((p) => p.name).filter((n) => n !== selfName));
  const addTargets = (t: A.Expr): void => {
    if (t.kind === 'name') locals.add(t.id);
    else if (t.kind === 'tuple' || t.kind === 'list') t.items.forEach(addTargets);
    else if (t.kind === 'starred') addTargets(t.value);
  };
  walkStatements(def.body, (s) => {
    if (s.kind === 'assign') s.targets.forEach(addTargets);
    else if (s.kind === 'for') addTargets(s.target);
    else if (s.kind === 'with') {
      for (const item of s.items) if (item.target) addTargets(item.target);
    } else if (s.kind === 'def' || s.kind === 'class') locals.add(s.name);
    else if (s.kind === 'import') for (const n of s.names) locals.add(n.alias ?? n.name ?? n.module.split('.')[0]);
  });
  const prover = new RankProver(params, locals, context, depth, active);
  for (const [param, layer] of layers ?? []) prover.compLayers.set(param, layer);
  active.add(def);
  try {
    prover.block(def.body);
  } finally {
    active.delete(def);
  }
  if (depth === 0) rankTrace.finished?.(def, prover.paramRanks(params));
  const proven = prover.result();
  // A decorator may change what a call returns; a generator's call gives the yielded values.
  if (!def.generator && (def.decorators ?? []).every((d) => d === 'staticmethod')) {
    let returns = 0;
    walkStatements(def.body, (s) => {
      if (s.kind === 'return') returns++;
    });
    Object.assign(proven, prover.returnedRanks(returns));
  }
  return proven;
}
