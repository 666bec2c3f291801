// An abstract interpreter for the Python that builds and runs sequence models.
// It follows values through assignments, calls, classes and instantiation sites, computes
// tensor shapes with the layer families and ops, and reports facts to the rules as events.
// It never throws on odd code: what it cannot follow becomes unknown.
import { NUMPY_RESIZE, isNumpyFunction, numpyFunction, numpyMethod } from '../ops/numpy-functions';
import { tfFunction, tfOpName } from '../ops/tf-functions';
import type * as A from '../parse/ast';
import { docstringOf, walkExpressions, walkStatements } from '../parse/walk';
import { CHILD_CHANGING_METHODS, sequentialChildrenFixedAtInit } from './sequential-subclass';
import { productOfIndependentClauses } from './comprehension-length';
import type { Range } from '../findings';
import { LayerDesc, OPAQUE_LAYER, bindArgs, moduleLayer } from '../layers/layer';
import { bindingRaises } from './arity';
import { torchFamily } from '../layers/torch';
import { subsequentMask } from '../layers/torch/attention';
import { kerasFamily } from '../layers/keras';
import { GENERATOR, arrayFactory, isArrayFactory } from '../ops/array-factory';
import { sklearnCall, sklearnMethod } from '../ops/datasets';
import { docoptCall } from '../ops/docopt';
import { ArgumentSpec, forgetArguments, readCommandLine, recordArgument } from '../ops/argparse-command-line';
import { fftCall, kaldiFeatures } from '../ops/spectral';
import { audioTransformKind } from '../layers/torch/audio';
import { argumentAttribute } from '../layers/torch/stored-attributes';
import { FrameIndex, asArrays, frameAttribute, frameDelete, frameLabelStore, frameMethod, frameMethodInPlace, frameStore, frameSubscript, isFrame, pandasCall, readerRaises } from '../ops/pandas';
import { callKeras, callKerasModel, isKerasBase, kerasModelMethod, kerasPath, outputShapeSite, withKerasNode } from './keras';
import { clampIndex, indexTensor, IndexItem } from '../ops/indexing';
import { packedDataShape, rnnUtility } from '../ops/rnn-utils';
import { atFullBatch, atLastBatch, defaultCollate, lastBatchSplit, loaderBatch, randomSplit, sampleOfSequence, subsetIndex, subsetOf, tensorDataset } from '../ops/data-loading';
import { torchtextAttribute, torchtextCall, torchtextClass, torchtextMethod, torchtextSuperInit } from '../ops/torchtext';
import { forgetTokenizer, tokenizerAttribute, tokenizerMethod } from '../ops/keras-text';
import { rankComparedIn, refineRankByUnpacking, unpackedSizeOf } from '../ops/rank-from-unpacking';
import { ProvenRanks, StaticContext, ranksProvenByUse } from '../ops/rank-from-use';
import { isTensorFactory, tensorFactory } from '../ops/tensor-factory';
import { tensorMethod } from '../ops/tensor-methods';
import { HOOK_HANDLE_CLASS, MODULE_WALKS, ModuleHooks, hookOwner, walkModules, type WalkContext } from './module-hooks';
import { regroupBinary, regroupIndex } from '../ops/regrouping';
import { tensorFunction } from '../ops/torch-functions';
import { kindAfterLayer } from '../ops/value-kind';
import { functionalLoss } from '../ops/functional-losses';
import { einopsCall } from '../ops/einops';
import { inPlaceResult } from '../ops/in-place';
import { initialise, isInitialiser } from '../ops/init';
import { intRole, linkedSize, valueFromDim } from '../ops/dims-from-values';
import { Dim, DimRole, Origin, UNKNOWN_DIM, afterDropping, inDataCountLoop, intDim, sameSymbol, symDim } from '../shapes/dim';
import { UNKNOWN_SHAPE, formatShape, shapeOf } from '../shapes/shape';
import { ClassInfo, DType, commonElement, joinedInts, onSequenceChange, restoreSequence, sequenceChanging, sequenceState, type SequenceState, InstanceValue, KerasModel, MAX_ITEMS, NONE, forgetEntries, knownLength, TensorValue, UNKNOWN, Value, appendItems, forgetLength, replaceItems, sequenceLength, summary, boolValue, truthValue, extendList, intOrUnknown, intValue, listOf, numberValue, partBounds, sequence, setEntry, setItem, storeEntry, strValue } from '../values/value';
import { AnalysisContext } from './context';
import { ModelBranches } from './model-branches';
import { Scope, anyEntry, joinAll, joinAlternatives, joinValues, sameValue } from './scope';
import { callItertools } from './itertools';
import { HYPERPARAMETERS_CLASS, TUNER_CLASS, hyperParameterMethod, isTunerPath, tunerOf } from './keras-tuner';
import { TRAINER_CLASS, hyperparameterNames, isLightningDataModulePath, isLightningModulePath, isTrainerPath, trainerRun } from './lightning';
import { givenField, isNamedTupleFactory, namedTupleAttribute, namedTupleClass, namedTupleInstance, namedTupleMethod } from './named-tuples';
import { pythonRandomCall } from './python-random';
import { CallOptions, InstanceAttrs, RunMemo } from './run-memo';
import { callBuiltin, BUILTIN_NAMES, inArbitraryOrder, iterable, namedPairs, PACKED_SEQUENCE } from './builtins';
import { broadcast } from '../ops/broadcast';
import { sequenceArithmetic } from './arithmetic';
import { describeTensor } from './describe';
import { knowledgeOf, siteTrace } from '../coverage';
import { paramsUsedAsSizes } from './sized-params';
import { counterMethod, counterOf } from './counter';
import { bindNames, extrapolate, namesAssignedOnlyAtTop, readsTarget } from './last-iteration';
import { changeCase, formatBraces, formatFString, formatPercent, joinStrings, replaceString, splitString } from './strings';

const MAX_DEPTH = 10;
/**
 * How many runs of one function may be open at once: a recursive helper is followed into its calls this deep
 * (`dict_to_object` of a config's nested dicts, a `to_device` of nested batches); a deeper call is unknown.
 */
const MAX_RECURSION = 3;

/** How many of the open frames run `def`. */
function recursionDepth(frames: readonly { def?: A.FunctionDef }[], def: A.FunctionDef): number {
  let n = 0;
  for (const f of frames) if (f.def === def) n++;
  return n;
}
/** `super().__init__` and `super().forward` of a class extending a torch layer: the layer's own (see getAttribute). */
const TORCH_LAYER_INIT = '__torch_layer_init__';
const TORCH_LAYER_FORWARD = '__torch_layer_forward__';
/** torch.nn.utils functions that return the module they are given, its weight reparametrised. */
const MODULE_RETURNING_WRAPPERS = new Set([
  'torch.nn.utils.weight_norm',
  'torch.nn.utils.spectral_norm',
  'torch.nn.utils.weight_norm.weight_norm',
  'torch.nn.utils.spectral_norm.spectral_norm',
  'torch.nn.utils.parametrizations.weight_norm',
  'torch.nn.utils.parametrizations.spectral_norm',
  // Their inverses give the module back as well, its weight a plain parameter again.
  'torch.nn.utils.remove_weight_norm',
  'torch.nn.utils.remove_spectral_norm',
  'torch.nn.utils.weight_norm.remove_weight_norm',
  'torch.nn.utils.spectral_norm.remove_spectral_norm',
  'torch.nn.utils.parametrize.remove_parametrizations',
]);
/** Torch containers: a class extending one holds modules the analysis does not list. */
const CONTAINER_KINDS = new Set(['Sequential', 'ModuleList', 'ModuleDict', 'ParameterList', 'ParameterDict']);
/** The nn.Sequential methods that add children (growSequential). */
const SEQUENTIAL_GROWTH = new Set(['append', 'extend', 'insert']);
/** Base classes from libraries whose classes never extend a class of the program (see ClassInfo.openBase). */
const LIBRARY_BASE = /^(?:torch|tensorflow|keras|builtins)(?:\.|$)/;
/** Tensor methods whose result is a tensor of the receiver's dtype, whatever their (size) arguments say. */
const SHAPE_ONLY_METHODS = new Set(['view', 'reshape', 'permute', 'expand', 'repeat', 'tile', 'flatten', 'squeeze', 'unsqueeze', 'transpose', 'new_zeros', 'new_ones', 'new_empty', 'new_full']);

/** A method called with `*args` that are not known: a tensor of unknown shape when the method keeps the dtype, else unknown. */
function partialMethodResult(receiver: Value, name: string, kwargs: Map<string, Value>): Value {
  if (receiver.kind !== 'tensor' || !SHAPE_ONLY_METHODS.has(name)) return UNKNOWN;
  return { kind: 'tensor', shape: UNKNOWN_SHAPE, dtype: kwargs.has('dtype') ? 'unknown' : receiver.dtype };
}

/** Builtins offered to the rules when given a tensor: list(t)/tuple(t) iterate it, float/int/bool read one element. */
const BUILTINS_OFFERED_A_TENSOR = new Set(['builtins.list', 'builtins.tuple', 'builtins.float', 'builtins.int', 'builtins.bool']);

/** Tensor methods no other Python object has, whose result's rank the call alone tells. */
const TENSOR_ONLY_METHODS = new Set(['view', 'permute', 'bmm', 'mm', 'expand', 'new', 'new_zeros', 'new_ones', 'new_empty', 'new_full']);
const MAX_RUNS_PER_FUNCTION = 12;
/** Statements that leave their block when an error is reported in them (compound ones report inside their own blocks). */
const RAISING_KINDS = new Set<A.Stmt['kind']>(['assign', 'expr', 'other']);
/** A function runs more often than MAX_RUNS_PER_FUNCTION only while all its runs together took fewer steps than this. */
const CHEAP_RUN_STEPS = 3_000;
const MAX_CHEAP_RUNS = 200;
const STR_INT_METHODS = new Set(['index', 'rindex', 'find', 'rfind', 'count']);
/** String methods whose result is computed when the string and the arguments are known. */
const STR_STR_METHODS = new Set(['format', 'join', 'upper', 'lower', 'strip', 'lstrip', 'rstrip', 'split', 'rsplit', 'replace']);

/** The kinds of value whose `type()` is each builtin class (a 'tuple' may also be a namedtuple, a subclass). */
const BUILTIN_TYPE_KINDS: Record<string, Value['kind'][]> = {
  tuple: ['tuple'],
  list: ['list'],
  dict: ['dict'],
  int: ['int', 'symint'],
  float: ['float'],
  str: ['str', 'longstr'],
  bool: ['bool'],
};
/** Kinds whose Python type the analysis knows to be one of those classes, or none of them (a tensor, None). */
const KINDS_OF_KNOWN_TYPE = new Set<Value['kind']>(['tuple', 'list', 'dict', 'int', 'symint', 'float', 'str', 'longstr', 'bool', 'tensor', 'none']);

/** `type(name) == cls` and its siblings (`is`, `!=`, `is not`, either side), cls a builtin class named as such. */
function typeComparedIn(test: A.Expr): { name: string; type: string; equal: boolean } | undefined {
  if (test.kind !== 'compare' || test.ops.length !== 1) return undefined;
  const op = test.ops[0];
  if (op !== '==' && op !== '!=' && op !== 'is' && op !== 'is not') return undefined;
  for (const [read, cls] of [
    [test.left, test.comparators[0]],
    [test.comparators[0], test.left],
  ]) {
    if (cls.kind !== 'name' || !Object.hasOwn(BUILTIN_TYPE_KINDS, cls.id)) continue;
    if (read.kind !== 'call' || read.func.kind !== 'name' || read.func.id !== 'type' || read.args.length !== 1 || read.keywords.length || read.hasStarArgs) continue;
    const arg = read.args[0];
    if (arg.kind === 'name') return { name: arg.id, type: cls.id, equal: op === '==' || op === 'is' };
  }
  return undefined;
}

/** Classes a PackedSequence is not exactly of (it is a namedtuple: its type is PackedSequence itself). */
const NOT_PACKED_TYPES = new Set(['torch.Tensor', ...Object.keys(BUILTIN_TYPE_KINDS)]);

/**
 * `type(x) is PackedSequence` (or `==`, `is not`, `!=`, either side), decided where the analysis knows x: a packed
 * value is exactly of that class and of no other named here; a tensor, number, string, sequence or None is never one.
 * Other classes and values are not decided (a tensor may be an nn.Parameter, whose type is not torch.Tensor).
 */
function exactTypeTest(expr: A.Compare, operands: Value[], scope: Scope): boolean | undefined {
  const op = expr.ops[0];
  if (op !== 'is' && op !== 'is not' && op !== '==' && op !== '!=') return undefined;
  if (scope.lookup('type') !== undefined) return undefined;
  const sides = [expr.left, expr.comparators[0]];
  for (let i = 0; i < 2; i++) {
    const read = sides[i];
    const cls = operands[1 - i];
    if (read.kind !== 'call' || read.func.kind !== 'name' || read.func.id !== 'type' || read.args.length !== 1 || read.keywords.length || read.hasStarArgs) continue;
    const arg = read.args[0];
    if (arg.kind !== 'name') continue;
    const value = frameValue(scope, arg.id) ?? scope.lookup(arg.id);
    const path = cls.kind === 'module' ? cls.path : undefined;
    if (!value || path === undefined) continue;
    const builtin = path.replace(/^builtins\./, '');
    let verdict: boolean | undefined;
    if (value.kind === 'packed') verdict = path === PACKED_SEQUENCE ? true : NOT_PACKED_TYPES.has(builtin) ? false : undefined;
    else if (path === PACKED_SEQUENCE && KINDS_OF_KNOWN_TYPE.has(value.kind)) verdict = false;
    if (verdict === undefined) continue;
    return op === 'is' || op === '==' ? verdict : !verdict;
  }
  return undefined;
}

/** The oldest PyTorch whose semantics the analysis models (1.13): every release from it on is taken to be installed. */
const OLDEST_TORCH: [number, number, number] = [1, 13, 0];

/**
 * `torch.__version__ >= '1.5.0'` (any comparison, either side), decided when it holds (or fails) for every release
 * from 1.13 on: since 1.10 torch.__version__ is a TorchVersion, which compares as a version, not as a string. A
 * threshold past 1.13 (`>= '2.0'`) is not decided.
 */
function torchVersionTest(expr: A.Compare, scope: Scope): boolean | undefined {
  const op = expr.ops[0];
  const sides = [expr.left, expr.comparators[0]];
  for (let i = 0; i < 2; i++) {
    const version = sides[i];
    const other = sides[1 - i];
    if (version.kind !== 'attribute' || version.attr !== '__version__' || version.object.kind !== 'name' || other.kind !== 'str') continue;
    const module = scope.lookup(version.object.id);
    if (module?.kind !== 'module' || module.path !== 'torch') continue;
    const parts = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(other.value);
    if (!parts) return undefined;
    const threshold = [Number(parts[1]), Number(parts[2] ?? 0), Number(parts[3] ?? 0)];
    const order = threshold[0] - OLDEST_TORCH[0] || threshold[1] - OLDEST_TORCH[1] || threshold[2] - OLDEST_TORCH[2];
    // Installed ≥ oldest: versus a threshold below it every release is greater; at it, greater or equal.
    if (order > 0) return undefined;
    const asWritten = i === 0 ? op : MIRRORED[op];
    switch (asWritten) {
      case '>=': return true;
      case '<': return false;
      case '>': return order < 0 ? true : undefined;
      case '<=': return order < 0 ? false : undefined;
      case '==': return order < 0 ? false : undefined;
      case '!=': return order < 0 ? true : undefined;
      default: return undefined;
    }
  }
  return undefined;
}

/** A condition's value, and whether it holds when that is known even where the value is not (`a or True`). */
interface Condition {
  value: Value;
  holds: boolean | undefined;
}

/** A name whose rank an `if` tested: what each branch was given in its place, and what that stands for past the `if`. */
interface RankTested {
  name: string;
  bound: Map<Scope, [given: Value, past: Value]>;
}

/** A tensor whose dtype is not known: what a test of its rank leaves of it in a branch (narrowRank). */
function kindUnknown(value: Value): Value {
  return value.kind === 'tensor' && value.dtype !== 'unknown' ? { ...value, dtype: 'unknown' } : value;
}

/**
 * Past an `if` that tested a name's rank: a branch that left the name as it was given it leaves the name as it was
 * before the test (its dtype known again); one that rebound it leaves what it bound.
 */
function restoreRankTested(tested: RankTested, live: Scope[], scope: Scope): void {
  if (live.length === 0 || !live.every((b) => tested.bound.has(b) && b.vars.has(tested.name))) return;
  if (!live.some((b) => b.vars.get(tested.name) === tested.bound.get(b)![0])) return;
  scope.set(tested.name, joinAll(live.map((b) => {
    const [given, past] = tested.bound.get(b)!;
    const left = b.vars.get(tested.name)!;
    return left === given ? past : left;
  }))!);
}

/**
 * What a name holds in the frame of the function being run (or at the top level), for narrowing a branch: a global
 * read from a function may change under a call in the branch, so it is not narrowed.
 */
function frameValue(scope: Scope, name: string): Value | undefined {
  let frame: Scope | undefined = scope;
  while (frame && !frame.vars.has(name) && frame !== scope.root()) frame = frame.parent;
  return frame?.vars.get(name);
}

/**
 * A typing.NamedTuple's instance: the arguments in order, then by name, set its fields; a field given nothing keeps
 * its default, the class attribute read through the class (or raises, which the analysis does not follow).
 */
function bindNamedTupleFields(instance: InstanceValue, fields: readonly string[], defaults: readonly Value[] | undefined, args: Value[], kwargs: Map<string, Value>): void {
  fields.forEach((field, i) => {
    const given = givenField(fields, defaults, args, kwargs, i);
    if (given !== undefined) instance.attrs.set(field, given);
  });
}

/** Whether position a comes before position b in the file. */
function before(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column);
}

/** How many items iterating a value gives, when that is known. */
function iterableLength(v: Value): number | undefined {
  if (v.kind === 'list' || v.kind === 'tuple') return sequenceLength(v);
  if (v.kind === 'str') return v.value.length;
  if (v.kind === 'longstr') return v.length;
  if (v.kind === 'size') return v.dims.length;
  if (v.kind === 'tensor' && v.shape.rankKnown && v.shape.dims[0]?.kind === 'int') return v.shape.dims[0].value;
  return undefined;
}

const MAX_UNROLL = 16;
/** The most element runs comprehensions nested in one another's elements unroll to together. */
const MAX_NESTED_UNROLL = 256;

/**
 * A loop over a dict (an nn.ModuleDict too) walks its keys in insertion order: a dict that lists all its keys, and not
 * more than a loop unrolls, is looped over as the tuple of its keys.
 */
function dictKeysToIterate(v: Value): Value {
  if (v.kind !== 'dict' || v.partial || v.parser || v.namespace || v.entries.size === 0 || v.entries.size > MAX_UNROLL) return v;
  return { kind: 'tuple', items: [...v.entries.keys()].map((k): Value => ({ kind: 'str', value: k })) };
}
const DICT_VIEWS = new Set(['keys', 'values', 'items']);

/**
 * A dict's keys, values or (key, value) pairs as a list, in insertion order. Keys are kept as text, so one written
 * with digits may have been an int: that key is not given.
 */
function dictView(dict: Extract<Value, { kind: 'dict' }>, name: string): Value {
  const key = (k: string): Value => (/^-?\d+$/.test(k) ? UNKNOWN : { kind: 'str', value: k });
  const items: Value[] = [];
  for (const [k, v] of dict.entries) items.push(name === 'keys' ? key(k) : name === 'values' ? v : { kind: 'tuple', items: [key(k), v] });
  return { kind: 'list', items };
}

/** The most items a dict comprehension is unrolled over: a vocabulary written in the file. */
const MAX_DICT_UNROLL = 256;
/** The longest list whose length a counted loop gives (a longer one keeps an unknown length). */
const MAX_COUNTED_LENGTH = 1_000_000;

type ListValue = Extract<Value, { kind: 'list' | 'tuple' }>;

/** One loop that is not unrolled: the lists appended to in it, and per list how it was appended to (countedAppend). */
interface LoopAppends {
  appended: Set<ListValue>;
  counts: Map<ListValue, { before: number; perPass: number; exact: boolean; name?: string }>;
  /** Set when the loop certainly runs `iterations` times: what an append must match to count (the state at entry). */
  counted?: { iterations: number; text: string; frames: number; secondPasses: number };
  /** The loop's own body: a list display assigned to a name by one of its statements is made anew each iteration. */
  body: A.Stmt[];
  /** Lists made anew each iteration (see freshList): what one pass appended to one of them is all it holds. */
  fresh: Set<ListValue>;
  /** Lists appended to under a condition the analysis could not decide, which an iteration may not append to. */
  maybe: Set<ListValue>;
  /** Undecided conditions around the loop itself (an append under more may not run on every iteration). */
  uncertain: number;
  /** The function (or module) whose loop it is. */
  owner: Frame;
}

/** How many in-place reshapes one analysis follows back to the callers' names (Interpreter.reshapedTensors). */
const MAX_RESHAPED_TENSORS = 256;

/** A loop's text that may leave it early or skip the rest of a pass: it does not certainly run its body on every pass. */
const LEAVES_OR_SKIPS = /\b(break|continue|return|raise|yield)\b/;
const BREAKS = /(^|[\s;:])break\b/m;

/** True when the loop's text may bind `name` to another list, or empty or shrink it, so its appends do not accumulate. */
function rebindsName(loopText: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^.\\w])${n}\\s*([-+*/|&]|//)?=(?!=)|\\bfor\\b[^:]*\\b${n}\\b[^:]*\\bin\\b|\\bdel\\s+${n}\\b|(^|[^.\\w])${n}\\.(pop|clear|remove)\\b|\\bas\\s+${n}\\b|\\bglobal\\b|\\bnonlocal\\b`).test(loopText);
}
/** Statements and expressions nested deeper than this (across calls) evaluate to unknown: the JS stack is finite. */
const MAX_NESTING = 400;

const DTYPES: Record<string, DType> = {
  long: 'long', int64: 'long', int32: 'long', int: 'long', int16: 'long', int8: 'long', uint8: 'unknown', short: 'long',
  float: 'float', float32: 'float', float64: 'float', double: 'float', half: 'float', float16: 'float', bfloat16: 'float',
  bool: 'bool',
};

interface Frame {
  def?: A.FunctionDef;
  cls?: ClassInfo;
  self?: InstanceValue;
  returns: Value[];
  /** The function's own scope (its branches fork from it). */
  scope?: Scope;
  /** Names the function declares `nonlocal` or `global`: where a write to each goes. */
  outerNames?: Map<string, { kind: 'nonlocal' | 'global'; scope: Scope }>;
  /** What a generator yielded (`yield from` adds an item of the iterable). */
  yields?: Value[];
  /** The ranks the function's body proves (ops/rank-from-use), worked out when first needed. */
  proven?: ProvenRanks;
  /** This frame or one below it runs a torch module's forward (the scope of `--stats`). */
  inForward?: boolean;
  /** The loops of this function being run, innermost last (a layer called in one is told so: LayerCallEvent.loop). */
  loops?: (A.For | A.While)[];
  /** This frame or one below it runs a Keras model's (or layer's) call(). */
  inKerasCall?: boolean;
}

/**
 * Follows imports into the other files of the workspace (see analysis/workspace). The interpreter runs
 * their code in module scopes of their own; the follower decides what is read and how far.
 */
export interface ImportFollower {
  /** Binds one name of an import statement when it names a workspace module; false leaves it to the interpreter. */
  bindImport(stmt: A.Import, entry: A.Import['names'][number], scope: Scope, interp: Interpreter): boolean;
  /** Runs the files that import the analysed one, once its own top level has run: they show how it is called. */
  runImporters(interp: Interpreter): void;
}

/**
 * Steps spent by the top level (`main`) and by the code nothing reached; `left`: a top-level statement always leaves;
 * `exercised`: how many functions, models and forwards nothing reached were run after the top level.
 */
export interface RunStats {
  main: number;
  unreached: number;
  left: boolean;
  exercised: number;
}

/** Thrown inside a frame when the step budget runs out; caught at the top-level statement. */
class BudgetExhausted extends Error {}

/**
 * Step budgets. Each top-level statement, and then each definition nothing reached, runs on its own
 * budget, so that one pathological statement (six nested loops) cannot hide the rest of the file.
 */
export const STATEMENT_BUDGET = 200_000;
export const MAIN_BUDGET = 600_000;
export const UNREACHED_BUDGET = 50_000;
export const UNREACHED_TOTAL = 400_000;
/** What a top-level statement gets once the main budget is spent: enough to register a definition. */
const DEFINITION_BUDGET = 2_000;

export class Interpreter {
  readonly module = new Scope(undefined, false, true);
  private readonly frames: Frame[] = [{ returns: [] }];
  private readonly runs = new Map<A.FunctionDef, number>();
  /** Runs with no effect outside their frame, whose result a later call with the same arguments takes (see run-memo). */
  readonly memo = new RunMemo((object, name) => this.maybeAttrs.get(object)?.has(name) === true);
  readonly classes: ClassInfo[] = [];
  readonly functions: A.FunctionDef[] = [];
  readonly instances = new Map<ClassInfo, InstanceValue[]>();
  readonly calledFunctions = new Set<A.FunctionDef>();
  readonly calledInstances = new Set<InstanceValue>();

  /** Current nesting of statements and expressions being evaluated, across calls. */
  private nesting = 0;

  /** The module scope of the code running now: the analysed file's, or an imported file's. */
  private currentModule: Scope = this.module;

  /**
   * What each name of the analysed file's top level held, statement after statement: the values a module-level
   * name took, each with the index of the top-level statement that left it (see recordTopLevel). A function
   * nothing calls reads its globals when some caller would run it, at any time after its def: see globalsSince.
   */
  private readonly topLevelHistory = new Map<string, { at: number; value: Value }[]>();
  /** The index of the top-level statement running now (-1 outside the analysed file's top level). */
  private topIndex = -1;
  /** The top-level statement that defined each top-level function or class of the analysed file. */
  private readonly definedAt = new WeakMap<A.FunctionDef | A.ClassDef, number>();
  /** Whether `if __name__ == '__main__':` holds for the code running now (false in an imported module). */
  private runningAsScript = true;
  /** The module each function was defined in, for its global names (absent: the analysed file). */
  private readonly globalsOf = new WeakMap<A.FunctionDef, Scope>();

  constructor(readonly ctx: AnalysisContext, private readonly imports?: ImportFollower) {}

  // ── entry points ────────────────────────────────────────────────────────────

  /** The module's own statements, as `run` was given them. */
  private topLevelBody: A.Stmt[] = [];

  /** Runs a module's top level, then what nothing reached; tells the steps each phase spent and whether the top level left early. */
  run(body: A.Stmt[]): RunStats {
    this.topLevelBody = body;
    let spent = 0;
    let left = false;
    bindDocstring(body, this.module);
    for (const stmt of body) {
      const budget = stmt.kind === 'def' || stmt.kind === 'class' || stmt.kind === 'import' ? Math.max(DEFINITION_BUDGET, Math.min(STATEMENT_BUDGET, MAIN_BUDGET - spent)) : Math.min(STATEMENT_BUDGET, MAIN_BUDGET - spent);
      if (budget <= 0) {
        this.ctx.markIncomplete('budget', stmt.range.start.line);
        continue;
      }
      const before = this.ctx.steps;
      this.topIndex++;
      const leaves = this.guarded(stmt.range.start.line, budget, () => this.execBlock([stmt], this.module));
      this.recordTopLevel();
      spent += this.ctx.steps - before;
      if (leaves) {
        left = true;
        break;
      }
    }
    this.topIndex = -1;
    if (this.imports) this.imports.runImporters(this);
    const unreached = this.exerciseUnreached();
    return { main: spent, unreached, left, exercised: this.exercised };
  }

  /**
   * Runs another file's top level in `scope` on a budget of its own (`steps`), as an import (`asScript`
   * false: its `__main__` block does not run) or as a script that imports the analysed file. What it
   * cannot follow stays unknown; its steps are not charged to the statement that triggered it.
   */
  runForeign(body: A.Stmt[], scope: Scope, asScript: boolean, steps: number): void {
    this.onOwnBudget(steps, (depth, nesting) => {
      this.currentModule = scope;
      this.runningAsScript = asScript;
      bindDocstring(body, scope);
      for (const stmt of body) {
        try {
          if (this.execBlock([stmt], scope)) break;
        } catch (error) {
          this.frames.length = depth + 1;
          this.nesting = nesting;
          if (error instanceof BudgetExhausted) break;
        }
      }
    });
  }

  /**
   * Calls a function of another file that nothing ran (a file importing the analysed one builds its classes there),
   * as a call with no arguments (a parameter without a default is unknown), on a budget of its own (`steps`), as
   * exerciseUnreached calls the analysed file's own.
   */
  runForeignFunction(def: A.FunctionDef, steps: number): void {
    if (this.calledFunctions.has(def)) return;
    const before = new Map(this.classes.map((cls) => [cls, this.instances.get(cls)?.length ?? 0]));
    try {
      this.onOwnBudget(steps, () => {
        this.callFunction(def, [], new Map(), undefined);
      });
    } catch {
      // Out of budget, or a value the JS engine refuses: what the run reached stays, the rest is unknown.
    } finally {
      for (const [cls, count] of before) for (const instance of (this.instances.get(cls) ?? []).slice(count)) this.builtByForeignRuns.add(instance);
    }
  }

  /**
   * Runs code of another file in a frame of its own on `steps` steps (given the frame depth and nesting it started
   * at), then restores the module, frames, nesting and budget of the code that triggered it, which is not charged
   * for those steps.
   */
  private onOwnBudget(steps: number, run: (depth: number, nesting: number) => void): void {
    const saved = { module: this.currentModule, script: this.runningAsScript, limit: this.ctx.budgetLeft, nesting: this.nesting };
    const depth = this.frames.length;
    this.frames.push({ returns: [], inForward: this.frame.inForward, inKerasCall: this.frame.inKerasCall });
    this.ctx.startBudget(steps);
    try {
      run(depth, saved.nesting);
    } finally {
      this.frames.length = depth;
      this.currentModule = saved.module;
      this.runningAsScript = saved.script;
      this.nesting = saved.nesting;
      this.ctx.startBudget(saved.limit);
    }
  }

  /**
   * Instances built by runForeignFunction. Its parameters are unknown there, where a class nobody builds gets sizes of
   * its own (symbolic ints): such a class is still also built that way (see exerciseUnreached).
   */
  private readonly builtByForeignRuns = new Set<InstanceValue>();

  /**
   * Runs one piece of the file on its own step budget. Running out, or a value or nesting the JS engine
   * refuses, ends only that piece: it is noted, and the rest of the file is still analysed.
   */
  private guarded(line: number, budget: number, run: () => boolean | void): boolean {
    this.ctx.startBudget(budget);
    const depth = this.frames.length;
    try {
      return run() === true;
    } catch (error) {
      this.frames.length = depth;
      this.nesting = 0;
      this.ctx.markIncomplete(error instanceof BudgetExhausted ? 'budget' : error instanceof RangeError ? 'too-large' : 'internal', line);
      return false;
    }
  }

  /**
   * `cls(**kwargs)` built after the file has run, on a step budget of its own (the model runner
   * builds a model with sizes the file does not give); undefined when the constructor does not finish.
   */
  instantiateWith(cls: ClassInfo, kwargs: Map<string, Value>): InstanceValue | undefined {
    let built: Value | undefined;
    this.guarded(cls.def.range.start.line, UNREACHED_BUDGET, () => {
      built = this.instantiate(cls, [], kwargs, undefined, true);
    });
    return built?.kind === 'instance' ? built : undefined;
  }

  /** How many pieces of code exerciseUnreached ran (or had no budget left for). */
  private exercised = 0;

  /** Code nobody calls in the file still deserves checking: uncalled functions, uninstantiated models, unused forwards. */
  private exerciseUnreached(): number {
    let spent = 0;
    const each = (line: number, run: () => void) => {
      this.exercised++;
      const budget = Math.min(UNREACHED_BUDGET, UNREACHED_TOTAL - spent);
      if (budget <= 0) return this.ctx.markIncomplete('budget', line);
      const before = this.ctx.steps;
      this.guarded(line, budget, run);
      spent += this.ctx.steps - before;
    };
    for (const def of this.functions) {
      if (!this.calledFunctions.has(def)) each(def.range.start.line, () => this.globalsSince(this.definedAt.get(def), () => this.callFunction(def, [], new Map(), undefined)));
    }
    for (const cls of this.classes) {
      if (!cls.isTorchModule && !cls.isKerasModel) continue;
      if (!this.instances.get(cls)?.some((instance) => !this.builtByForeignRuns.has(instance))) each(cls.def.range.start.line, () => this.globalsSince(this.definedAt.get(cls.def), () => this.instantiate(cls, [], new Map(), undefined, true)));
    }
    for (const cls of this.classes) {
      const built = this.instances.get(cls) ?? [];
      // Those built by the file and its scripts first: a foreign function's run only adds to them.
      const ordered = [...built.filter((i) => !this.builtByForeignRuns.has(i)), ...built.filter((i) => this.builtByForeignRuns.has(i))];
      for (const instance of ordered.slice(0, 4)) {
        if (this.calledInstances.has(instance)) continue;
        const forward = this.findMethod(cls, cls.isKerasModel ? 'call' : 'forward');
        if (forward) each(forward.range.start.line, () => this.globalsSince(this.definedAt.get(cls.def), () => this.callFunction(forward, [], new Map(), instance, cls, 'tensors')));
      }
    }
    return spent;
  }

  /** Values of one name kept in topLevelHistory: past this many, the later ones are joined into the last. */
  private static readonly HISTORY_LIMIT = 16;

  /**
   * Notes the top-level names whose value the statement that just ran changed (see topLevelHistory): only the names
   * set in the module scope since the previous statement can have changed.
   */
  private recordTopLevel(): void {
    for (const name of this.module.written() ?? this.module.vars.keys()) {
      const value = this.module.vars.get(name);
      if (value === undefined) continue;
      const past = this.topLevelHistory.get(name);
      if (!past) {
        this.topLevelHistory.set(name, [{ at: this.topIndex, value }]);
        continue;
      }
      const last = past[past.length - 1];
      if (last.value === value) continue;
      if (past.length < Interpreter.HISTORY_LIMIT) past.push({ at: this.topIndex, value });
      else past[past.length - 1] = { at: this.topIndex, value: joinValues(last.value, value) };
    }
  }

  /**
   * Runs code nothing in the file called (a function, a model's constructor or forward) as a caller at an unknown
   * time after the top-level statement `at` would: Python reads a global when the code runs, so a name the top level
   * bound again after `at` may hold any of the values it took from then on, not only the last. Such a name reads,
   * for the run, as the join of those values (what they all agree on); the module's own values are restored after.
   */
  private globalsSince<T>(at: number | undefined, run: () => T): T {
    if (at === undefined) return run();
    const saved = new Map<string, Value>();
    for (const [name, past] of this.topLevelHistory) {
      if (past.length < 2 || past[past.length - 1].at <= at) continue;
      const current = this.module.vars.get(name);
      if (current === undefined) continue;
      // The value the name held when the definition ran (if it was bound), then every later one.
      let first = past.length - 1;
      while (first > 0 && past[first].at > at) first--;
      const seen = past.slice(first).map((p) => p.value);
      // What ran after the top level (a script importing the file) may have bound it again.
      if (current !== seen[seen.length - 1]) seen.push(current);
      if (seen.length < 2) continue;
      const joined = joinAll(seen)!;
      if (joined === current) continue;
      saved.set(name, current);
      this.module.vars.set(name, joined);
    }
    try {
      return run();
    } finally {
      for (const [name, value] of saved) this.module.vars.set(name, value);
    }
  }

  // ── statements ─────────────────────────────────────────────────────────────

  /** Executes statements; returns true when the block always leaves (return or raise). */
  private execBlock(stmts: A.Stmt[], scope: Scope): boolean {
    if (this.nesting >= MAX_NESTING) {
      this.memo.effect();
      return false;
    }
    this.nesting++;
    try {
      for (const stmt of stmts) {
        if (!this.ctx.step()) throw new BudgetExhausted();
        const errorsBefore = this.ctx.errorCount;
        if (this.exec(stmt, scope)) return true;
        // Inside a function, a simple statement in which PyTorch raises (an error was reported) leaves the block as
        // `raise` does: what follows never runs, so it reports nothing, and paths that go on are the others.
        if (this.ctx.errorCount > errorsBefore && this.frame.def && RAISING_KINDS.has(stmt.kind)) return true;
      }
      return false;
    } finally {
      this.nesting--;
    }
  }

  private exec(stmt: A.Stmt, scope: Scope): boolean {
    switch (stmt.kind) {
      case 'import':
        this.memo.effect();
        this.execImport(stmt, scope);
        return false;
      case 'def':
        // A def inside a function is a closure: its body reads the enclosing function's names (see closureView).
        scope.set(stmt.name, this.frame.def && scope !== this.currentModule ? { kind: 'function', def: stmt, closure: scope } : { kind: 'function', def: stmt });
        if (this.currentModule !== this.module) this.globalsOf.set(stmt, this.currentModule);
        if (scope.definingScope() === this.module) {
          this.functions.push(stmt);
          if (this.topIndex >= 0 && this.frames.length === 1) this.definedAt.set(stmt, this.topIndex);
        }
        return false;
      case 'class':
        this.memo.effect();
        this.execClass(stmt, scope);
        return false;
      case 'assign':
        this.execAssign(stmt, scope);
        this.freshList(stmt, scope);
        return false;
      case 'expr':
        this.eval(stmt.value, scope);
        return false;
      case 'return': {
        const value = stmt.value ? this.eval(stmt.value, scope) : NONE;
        this.frame.returns.push(value);
        return true;
      }
      case 'if':
        return this.execIf(stmt, scope);
      case 'for':
      case 'while': {
        const loops = (this.frame.loops ??= []);
        loops.push(stmt);
        try {
          // A loop whose iterations run one by one leaves the block when one of them certainly leaves (`return`, or
          // PyTorch raising in it): what follows the loop never runs on that path.
          if (stmt.kind === 'for') return this.execFor(stmt, scope);
          this.execWhile(stmt, scope);
        } finally {
          loops.pop();
        }
        return false;
      }
      case 'with': {
        let expectsRaise = false;
        for (const item of stmt.items) {
          if (item.value.kind === 'call' && this.expectsRaise(item.value, scope)) expectsRaise = true;
          const value = this.eval(item.value, scope);
          if (item.target) this.bind(item.target, value, scope, null);
        }
        return expectsRaise ? this.execExpectingRaise(stmt.body, scope) : this.execBlock(stmt.body, scope);
      }
      case 'try':
        return this.execTry(stmt, scope);
      case 'other': {
        if (stmt.tooDeep) this.ctx.markIncomplete('too-large', stmt.range.start.line);
        const values = stmt.exprs.map((e) => this.eval(e, scope));
        const text = this.ctx.text(stmt.range);
        if (/^del\b/.test(text)) this.deleteItems(stmt.exprs, scope);
        // An assert known to fail raises AssertionError: nothing after it runs on this path.
        let fails = false;
        if (/^assert\b/.test(text) && stmt.exprs.length > 0) {
          fails = truthValue(values[0]) === false;
          if (fails) this.ctx.emit('assertion', { range: stmt.range, test: stmt.exprs[0], readsSizes: this.readsSizes(stmt.exprs[0]), known: this.intsNamed(stmt.exprs[0], scope) });
          else this.narrowByAssert(stmt.exprs[0], scope);
        }
        // `raise` leaves the block, as far as later statements are concerned.
        return text.startsWith('raise') || fails;
      }
      case 'pass':
        return false;
    }
  }

  /**
   * A handler runs only when the body raised, at a point the analysis cannot tell: it starts from the join of every
   * value each name held in the body (and before it), and what it reports is muted, since the analysis cannot tell a
   * state where it runs from one where it never does (a handler written for a tensor, reached with a PackedSequence
   * the body accepts). Past the statement, the body's end (then `else`'s) joins each handler's that falls through.
   */
  private execTry(stmt: A.Try, scope: Scope): boolean {
    if (stmt.handlers.length === 0) {
      const left = this.execBlock(stmt.body, scope) || this.execBlock(stmt.orelse, scope);
      return this.execBlock(stmt.final, scope) || left;
    }
    const seen = new Map<string, Value>();
    const body = scope.forkNotingValues(seen);
    this.uncertain++;
    let bodyLeft: boolean;
    try {
      bodyLeft = this.execBlock(stmt.body, body);
    } finally {
      this.uncertain--;
    }
    const start = new Map<string, Value>();
    for (const [name, value] of seen) {
      const before = scope.lookup(name);
      start.set(name, before === undefined ? value : joinValues(before, value));
    }
    const live: Scope[] = [];
    if (!bodyLeft && !this.execBlock(stmt.orelse, body)) live.push(body);
    this.uncertain++;
    this.ctx.muted++;
    try {
      for (const handler of stmt.handlers) {
        const branch = scope.fork();
        for (const [name, value] of start) branch.vars.set(name, value);
        if (!this.execBlock(handler, branch)) live.push(branch);
      }
    } finally {
      this.ctx.muted--;
      this.uncertain--;
    }
    scope.join(live);
    return this.execBlock(stmt.final, scope) || live.length === 0;
  }

  /**
   * Whether a context manager states that its body raises: `pytest.raises(...)` and a test case's
   * `assertRaises(...)` / `assertRaisesRegex(...)` (the call form with one argument, the exception, as `with` uses it).
   */
  private expectsRaise(call: A.Call, scope: Scope): boolean {
    if (call.func.kind === 'attribute' && /^assertRaises(Regexp?)?$/.test(call.func.attr)) return true;
    const callee = call.func.kind === 'name' || call.func.kind === 'attribute' ? this.eval(call.func, scope) : UNKNOWN;
    return callee.kind === 'module' && callee.path === 'pytest.raises';
  }

  /**
   * The body of `with pytest.raises(...)`: written to raise, so what it reports is what its author expects, not a
   * mistake, and it stops at a point the analysis cannot tell. It runs muted, as code that may not run, and the
   * statement always falls through (the context manager catches the exception); past it, each name holds what it held
   * before or what the body left.
   */
  private execExpectingRaise(body: A.Stmt[], scope: Scope): boolean {
    const branch = scope.fork();
    this.uncertain++;
    this.ctx.muted++;
    try {
      this.execBlock(body, branch);
    } finally {
      this.ctx.muted--;
      this.uncertain--;
    }
    scope.join([branch, scope.fork()]);
    return false;
  }

  /** A method of its own: its closure, inside exec, made every statement allocate the context it reads `stmt` and `scope` from. */
  private execWhile(stmt: A.While, scope: Scope): void {
    if (this.unrollWhile(stmt, scope)) return;
    this.evalCondition(stmt.test, scope);
    const branch = scope.fork();
    const { left, again } = inDataCountLoop(() => this.loop(() => {
      const left = this.execBlock(stmt.body, branch);
      return { left, again: left ? undefined : this.secondPass(scope, branch, () => undefined, stmt.body) };
    }, stmt.body));
    scope.join(left ? [scope.fork()] : again ? [branch, again, scope.fork()] : [branch, scope.fork()]);
  }

  /**
   * A loop whose test the analysis decides before every pass (known sizes, a known counter), and that nothing leaves
   * early or skips, runs as Python runs it, pass after pass, up to MAX_UNROLL passes: `while x.size(2) > 2: x =
   * block(x)` over a known length halves it until the test fails, and what follows reads the length it stopped at.
   * Returns whether the loop was run so; a test not decided on some pass leaves the passes already run (they are
   * certain) to the general treatment of the loop, which goes on from there.
   */
  private unrollWhile(stmt: A.While, scope: Scope): boolean {
    if (LEAVES_OR_SKIPS.test(this.ctx.text(stmt.range))) return false;
    for (let pass = 0; pass < MAX_UNROLL; pass++) {
      const holds = this.conditionHolds(stmt.test, scope);
      if (holds === false) return true;
      if (holds !== true) return false;
      if (this.execBlock(stmt.body, scope)) return true;
    }
    return false;
  }

  private get frame(): Frame {
    return this.frames[this.frames.length - 1];
  }

  private execImport(stmt: A.Import, scope: Scope): void {
    for (const entry of stmt.names) {
      if (this.imports?.bindImport(stmt, entry, scope, this)) continue;
      const { name, alias } = entry;
      const module = libraryModule(entry.module);
      if (name === '*') continue;
      if (name !== undefined) {
        const path = reexported(`${module}.${name}`);
        scope.set(alias ?? name, floatConstant(path) ?? { kind: 'module', path });
      } else if (alias) {
        scope.set(alias, { kind: 'module', path: module });
      } else {
        // `import tensorflow_core.python.keras` binds the name written, to the library it stands for.
        scope.set(entry.module.split('.')[0], { kind: 'module', path: module.split('.')[0] });
      }
    }
  }

  private execClass(stmt: A.ClassDef, scope: Scope): void {
    const bases: ClassInfo[] = [];
    let isTorchModule = false;
    let isKerasModel = false;
    let torchtextBase: string | undefined;
    let torchLayer: string | undefined;
    let openBase = false;
    let namedTuple = false;
    let lightning: ClassInfo['lightning'];
    for (const baseExpr of stmt.bases) {
      const base = this.eval(baseExpr, scope);
      if (base.kind === 'class') {
        bases.push(base.cls);
        openBase ||= !!base.cls.openBase;
        isTorchModule ||= base.cls.isTorchModule;
        isKerasModel ||= base.cls.isKerasModel;
        lightning ??= base.cls.lightning;
        torchtextBase ??= base.cls.torchtextBase;
        // A subclass of a Sequential subclass adds children of its own as its base would.
        if (base.cls.torchLayer !== 'Sequential' || sequentialChildrenFixedAtInit(stmt)) torchLayer ??= base.cls.torchLayer;
      } else if (base.kind === 'module') {
        const path = normalisePath(base.path);
        if (path === 'torch.nn.Module') isTorchModule = true;
        // A LightningModule is an nn.Module whose steps a Trainer calls (see lightning.ts).
        if (isLightningModulePath(path)) {
          isTorchModule = true;
          lightning ??= 'module';
        }
        if (isLightningDataModulePath(path)) lightning ??= 'data';
        // A layer class the analysis models (nn.Linear, nn.LayerNorm, …; not a container): an nn.Module whose
        // super().__init__(…) builds that layer and whose super().forward(…) applies it.
        const kind = torchLayerKind(path);
        if (kind !== undefined && kind !== 'Module' && !CONTAINER_KINDS.has(kind) && torchFamily(kind)) {
          isTorchModule = true;
          torchLayer ??= kind;
        }
        // nn.Sequential: super().__init__(*layers) gives the children, which calling the instance runs in order, when
        // the class adds no other child (see sequential-subclass.ts). Else a module whose children are not known.
        if (kind === 'Sequential' && sequentialChildrenFixedAtInit(stmt)) {
          isTorchModule = true;
          torchLayer ??= kind;
        }
        if (isKerasBase(path)) isKerasModel = true;
        if (path === 'typing.NamedTuple' || path === 'typing_extensions.NamedTuple') namedTuple = true;
        torchtextBase ??= torchtextClass(path);
        openBase ||= !LIBRARY_BASE.test(path);
      } else if (!(baseExpr.kind === 'name' && baseExpr.id === 'object')) {
        openBase = true;
      }
    }
    const methods = new Map<string, A.FunctionDef>();
    const classAttrs = new Map<string, Value>();
    const cls: ClassInfo = { name: stmt.name, def: stmt, bases, isTorchModule, isKerasModel, methods, classAttrs, ...(torchtextBase ? { torchtextBase } : {}), ...(torchLayer ? { torchLayer } : {}), ...(openBase ? { openBase } : {}), ...(lightning ? { lightning } : {}) };
    // typing.NamedTuple: each name annotated in the body is a field, in order (`feats: np.ndarray`).
    if (namedTuple) cls.namedTupleFields = stmt.body.flatMap((s) => (s.kind === 'assign' && s.annotated && s.targets.length === 1 && s.targets[0].kind === 'name' ? [s.targets[0].id] : []));
    // `class Point(namedtuple('Point', 'x y')):` adds methods to the class namedtuple made: its instances are the
    // class's own (their methods are followed), with the fields bound as attributes. A class with its own `__new__`
    // takes other arguments than the fields: those are not bound.
    else if (!stmt.body.some((s) => s.kind === 'def' && s.name === '__new__')) {
      const made = bases.find((b) => b.namedTupleFields);
      if (made) {
        cls.namedTupleFields = made.namedTupleFields;
        if (made.namedTupleDefaults) cls.namedTupleDefaults = made.namedTupleDefaults;
      }
    }
    const body = new Scope(scope);
    for (const s of stmt.body) {
      if (s.kind === 'def') {
        // `@name.setter` / `@name.deleter` define the same name again; reading the attribute runs the getter.
        if (s.decorators?.some((d) => d === `${s.name}.setter` || d === `${s.name}.deleter`) && methods.has(s.name)) continue;
        methods.set(s.name, s);
        if (this.currentModule !== this.module) this.globalsOf.set(s, this.currentModule);
      }
      // Every other statement runs as Python runs it, in order: a loop or an `if` that sets a class attribute
      // (`size = 0`, then `for m in models: size += …`) leaves it as the loop left it, not as it was before. A
      // nested class is not followed (its name stays unset, so reading it is unknown); a statement that certainly
      // leaves (a `raise`) ends the body, as the class statement fails there.
      else if (s.kind !== 'class' && this.exec(s, body)) break;
    }
    for (const [k, v] of body.vars) classAttrs.set(k, v);
    // Annotated fields without a value (`hidden: int`) stay unknown; with a value they are class attributes.
    scope.set(stmt.name, { kind: 'class', cls });
    // Classes of other files are theirs to exercise and describe.
    if (this.currentModule === this.module) this.classes.push(cls);
    if (scope.definingScope() === this.module && this.topIndex >= 0 && this.frames.length === 1) this.definedAt.set(stmt, this.topIndex);
  }

  private execIf(stmt: A.If, scope: Scope): boolean {
    const known = isMainGuard(stmt.test, this.ctx) ? (this.eval(stmt.test, scope), this.runningAsScript) : this.conditionHolds(stmt.test, scope);
    if (known === true) return this.execBlock(stmt.body, scope);
    if (known === false) return this.execBlock(stmt.orelse, scope);
    const thenScope = scope.fork();
    const elseScope = scope.fork();
    const rankTest = this.narrowRank(stmt.test, scope, thenScope, elseScope);
    this.narrowType(stmt.test, scope, thenScope, elseScope);
    this.uncertain++;
    let thenLeft: boolean | undefined;
    let elseLeft: boolean | undefined;
    const depth = this.modelBranches.enterThen();
    const branches: ReturnType<Interpreter['runBranch']>[] = [];
    try {
      branches.push(this.runBranch(() => this.execBlock(stmt.body, thenScope)));
      thenLeft = branches[0].left;
      this.modelBranches.enterElse();
      branches.push(this.runBranch(() => this.execBlock(stmt.orelse, elseScope)));
      elseLeft = branches[1].left;
    } finally {
      this.uncertain--;
      if (elseLeft === undefined) this.modelBranches.unwind(depth);
    }
    this.joinBranchWrites(branches);
    this.joinSequenceWrites(branches);
    this.modelBranches.leave(thenLeft, elseLeft);
    const live = [...(thenLeft ? [] : [thenScope]), ...(elseLeft ? [] : [elseScope])];
    // A branch without `else` that assigns a new name: Python code after it nearly always runs that branch.
    if (!thenLeft && stmt.orelse.length === 0) {
      for (const [k, v] of thenScope.vars) if (!scope.has(k)) elseScope.vars.set(k, v);
    }
    scope.join(live);
    if (rankTest) restoreRankTested(rankTest, live, scope);
    return thenLeft && elseLeft;
  }

  /**
   * Whether a condition holds, evaluating it once. `a or b` holds when either side is known to hold and `a and b` fails
   * when either side is known to fail, even where the value of the whole stays unknown (it is a or b, and a's truth is
   * not known): `if self.training or self.eval_size is None:` takes its branch whatever mode the module is in.
   */
  private conditionHolds(expr: A.Expr, scope: Scope): boolean | undefined {
    return this.evalCondition(expr, scope).holds;
  }

  /**
   * A condition's value and whether it holds (see conditionHolds), one level of nesting deeper for `and`/`or`, as eval
   * counts it.
   */
  private evalCondition(expr: A.Expr, scope: Scope): Condition {
    if (expr.kind !== 'boolop') {
      const value = this.eval(expr, scope);
      if (value.kind === 'tensor') this.ctx.emit('truth', { value, test: expr });
      return { value, holds: truthValue(value) };
    }
    if (this.tooDeep(expr)) return { value: UNKNOWN, holds: undefined };
    this.nesting++;
    try {
      return this.boolop(expr, scope);
    } finally {
      this.nesting--;
    }
  }

  /**
   * `a and b`, `a or b`: both sides are evaluated (each side's findings are seen whichever decides); the value is the
   * side Python gives, unknown when the left side's truth is not known, and the whole may hold or fail on one side.
   */
  private boolop(expr: A.BoolOp, scope: Scope): Condition {
    const left = this.evalCondition(expr.left, scope);
    const right = this.evalCondition(expr.right, scope);
    const value = left.holds === undefined ? UNKNOWN : (expr.op === 'and') === left.holds ? right.value : left.value;
    // The truth that decides the whole on its own: a true side of an `or`, a false side of an `and`.
    const decisive = expr.op === 'or';
    if (left.holds === decisive || right.holds === decisive) return { value, holds: decisive };
    return { value, holds: left.holds === undefined || right.holds === undefined ? undefined : !decisive };
  }

  /**
   * `if x.dim() == 3:` (or `x.ndim`, `len(x.shape)`, `!=`): in the branch where the comparison holds, x of unknown
   * rank has that rank. The other branch keeps x as it was, bound there too so that the join after the statement
   * sees both (a branch that leaves, as `if x.dim() != 3: raise`, drops out of the join and the rank stays known).
   * Inside both branches x's dtype is not known: a test of a rank the analysis does not know tells kinds of input
   * apart (`if feats.dim() != 3: feats = self.embed(feats)` takes ids as well as features), and the input it followed,
   * whose rank it cannot tell, says nothing of the kind the other branch is for. Past the statement x is again what
   * each branch left (restoreRankTested).
   */
  private narrowRank(test: A.Expr, scope: Scope, thenScope: Scope, elseScope: Scope): RankTested | undefined {
    const compared = rankComparedIn(test);
    if (!compared || (compared.through !== undefined && scope.lookup(compared.through) !== undefined)) return undefined;
    const current = frameValue(scope, compared.name);
    if (!current) return undefined;
    const refined = refineRankByUnpacking(current, compared.rank, compared.call, compared.name);
    if (!refined) return undefined;
    const held = compared.equal ? thenScope : elseScope;
    const other = compared.equal ? elseScope : thenScope;
    const bound = new Map<Scope, [Value, Value]>([[held, [kindUnknown(refined), refined]], [other, [kindUnknown(current), current]]]);
    for (const [branch, [value]] of bound) branch.set(compared.name, value);
    return { name: compared.name, bound };
  }

  /**
   * Whether an assert's test reads a tensor's sizes: `.size(…)`, `.shape`, `.dim()`, `.ndim` in the test itself, or a
   * name the running function bound from an expression that reads them (`b, c, h, w = conv.size()`).
   */
  private readsSizes(test: A.Expr): boolean {
    const SIZES = /\.(size|dim)\s*\(|\.(shape|ndim)\b/;
    if (SIZES.test(this.ctx.text(test.range))) return true;
    const names = new Set<string>();
    walkExpressions(test, (e) => {
      if (e.kind === 'name') names.add(e.id);
    });
    if (names.size === 0) return false;
    let found = false;
    walkStatements(this.frame.def ? this.frame.def.body : this.topLevelBody, (st) => {
      if (found || st.kind !== 'assign') return;
      const bound = new Set<string>();
      for (const t of st.targets) bindNames(t, bound);
      if ([...bound].some((n) => names.has(n)) && SIZES.test(this.ctx.text(st.value.range))) found = true;
    });
    return found;
  }

  /**
   * The ints an assert's test compares (for a message): each side of a comparison that only reads names, attributes,
   * subscripts and sizes (`x.size(-1)`, `x.dim()`, `len(x)`, `x.shape[1]`), read again muted, else the ints the test's
   * names hold in the scope; at most 4.
   */
  private intsNamed(test: A.Expr, scope: Scope): { name: string; value: number; range?: Range }[] {
    const known: { name: string; value: number; range?: Range }[] = [];
    const intLiteral = (e: A.Expr): boolean => e.kind === 'int' || (e.kind === 'unary' && e.operand.kind === 'int');
    const readsOnly = (e: A.Expr): boolean => {
      switch (e.kind) {
        case 'name':
        case 'int':
          return true;
        case 'attribute':
          return readsOnly(e.object);
        case 'subscript':
          return readsOnly(e.value) && e.index.every(intLiteral);
        case 'call':
          return e.keywords.length === 0 && e.args.length <= 1 && e.args.every(intLiteral) && ((e.func.kind === 'attribute' && (e.func.attr === 'size' || e.func.attr === 'dim') && readsOnly(e.func.object)) || (e.func.kind === 'name' && e.func.id === 'len' && e.args.length === 1));
        default:
          return false;
      }
    };
    if (test.kind === 'compare' && test.ops.length === 1) {
      for (const side of [test.left, test.comparators[0]]) {
        if (side.kind === 'int' || !readsOnly(side)) continue;
        const v = this.mutedResult(() => this.eval(side, scope), false);
        if (v.kind === 'int') known.push({ name: this.ctx.text(side.range), value: v.value, ...(v.origin ? { range: v.origin.range } : {}) });
      }
      if (known.length) return known;
    }
    const seen = new Set<string>();
    walkExpressions(test, (e) => {
      if (e.kind !== 'name' || seen.has(e.id) || known.length >= 4) return;
      seen.add(e.id);
      const v = scope.lookup(e.id);
      if (v?.kind === 'int') known.push({ name: e.id, value: v.value, ...(v.origin ? { range: v.origin.range } : {}) });
    });
    return known;
  }

  /**
   * `assert x.dim() == 3` (or `x.ndim`, `len(x.shape)`, each side of an `and`): past the statement the test held, so
   * x of unknown rank has that rank there, as in the branch of an `if` whose other branch raises.
   */
  private narrowByAssert(test: A.Expr, scope: Scope): void {
    if (test.kind === 'boolop' && test.op === 'and') {
      this.narrowByAssert(test.left, scope);
      this.narrowByAssert(test.right, scope);
      return;
    }
    const compared = rankComparedIn(test);
    if (!compared) return this.narrowSizeByAssert(test, scope);
    if (!compared.equal || (compared.through !== undefined && scope.lookup(compared.through) !== undefined)) return;
    const current = frameValue(scope, compared.name);
    const refined = current && refineRankByUnpacking(current, compared.rank, compared.call, compared.name);
    if (refined) scope.set(compared.name, refined);
  }

  /**
   * `assert h == 1` of an int that stands for a size (`b, c, h, w = conv.size()`): past the statement h is 1, and so
   * is that size in every tensor the function's names hold: the axis of a named size (`input.size(2)`) wherever it
   * appears, or the one axis an unnamed size was read from. (`conv.squeeze(2)` then drops it.)
   */
  private narrowSizeByAssert(test: A.Expr, scope: Scope): void {
    if (test.kind !== 'compare' || test.ops.length !== 1 || test.ops[0] !== '==') return;
    const sides: [A.Expr, A.Expr][] = [
      [test.left, test.comparators[0]],
      [test.comparators[0], test.left],
    ];
    for (const [read, number] of sides) {
      if (read.kind !== 'name' || number.kind !== 'int' || number.value < 0) continue;
      const current = frameValue(scope, read.id);
      if (current?.kind !== 'symint') return;
      const d = current.dim;
      const of = current.of;
      if (d.kind !== 'sym' && !of) return;
      const size = number.value;
      scope.set(read.id, { kind: 'int', value: size });
      const narrowed = (t: TensorValue): TensorValue | undefined => {
        if (!t.shape.rankKnown) return undefined;
        const dims = t.shape.dims.map((x, i) => ((d.kind === 'sym' ? sameSymbol(x, d) : of?.tensor === t && of.axis === i) ? intDim(size) : x));
        return dims.some((x, i) => x !== t.shape.dims[i]) ? { ...t, shape: shapeOf(dims) } : undefined;
      };
      const seen = new Set<string>();
      const root = scope.root();
      for (let s: Scope | undefined = scope; s !== undefined; s = s === root ? undefined : s.parent) {
        for (const [name, v] of s.vars) {
          if (seen.has(name)) continue;
          seen.add(name);
          const t = v.kind === 'tensor' ? narrowed(v) : undefined;
          if (t) scope.set(name, t);
        }
      }
      return;
    }
  }

  /**
   * `if type(h) == tuple:` (or `is`, `!=`, `is not`, either side): in the branch where the test says h is not a plain
   * tuple, the tuple the analysis holds is a value it does not model (a namedtuple) or the branch does not run for it;
   * likewise a value of another kind where the test says it is one. There h is unknown: `return h.detach()` in the
   * `else` of a helper that recurses into tuples is not a method call on a tuple.
   */
  private narrowType(test: A.Expr, scope: Scope, thenScope: Scope, elseScope: Scope): void {
    const compared = typeComparedIn(test);
    if (!compared) return;
    const current = frameValue(scope, compared.name);
    if (!current || !KINDS_OF_KNOWN_TYPE.has(current.kind)) return;
    // The branch where the test says the name is of that class, and the other one.
    const holds = compared.equal ? thenScope : elseScope;
    const fails = compared.equal ? elseScope : thenScope;
    const matches = BUILTIN_TYPE_KINDS[compared.type].includes(current.kind);
    (matches ? fails : holds).set(compared.name, UNKNOWN);
    (matches ? holds : fails).set(compared.name, current);
  }

  private execFor(stmt: A.For, scope: Scope): boolean {
    const iter = dictKeysToIterate(iterable(this.eval(stmt.iter, scope)));
    // An empty tuple (`for d in ()`, a distribution's event_shape of a scalar series) runs the body never: a tuple
    // cannot have been filled since it was made, unlike a list a loop may append to on passes the analysis did not see.
    if (iter.kind === 'tuple' && !iter.element && iter.items.length === 0 && (iter.length === undefined || iter.length === 0)) {
      return this.execBlock(stmt.orelse, scope);
    }
    // A body that may `break` may stop at any item: the loop is not run item by item (the later items would run as if
    // it never broke), but as a loop of unknown count is.
    if ((iter.kind === 'list' || iter.kind === 'tuple') && !iter.element && iter.items.length > 0 && iter.items.length <= MAX_UNROLL && !BREAKS.test(this.ctx.text(stmt.range))) {
      for (const item of iter.items) {
        this.bind(stmt.target, item, scope, null);
        if (this.execBlock(stmt.body, scope)) return true;
      }
      return false;
    }
    const branch = scope.fork();
    // A tensor is walked along its first axis, as many times as that axis is long.
    const count = iter.kind === 'list' || iter.kind === 'tuple' ? sequenceLength(iter) : iter.kind === 'tensor' ? iterableLength(iter) : undefined;
    const text = this.ctx.text(stmt.range);
    // A loop over a sequence of known length that nothing leaves early or skips runs its body exactly that often.
    const counted = count !== undefined && !LEAVES_OR_SKIPS.test(text) ? { iterations: count, text } : undefined;
    const { again, final, last } = inDataCountLoop(() => this.loop(() => {
      this.bind(stmt.target, this.iterationValue(iter), branch, null);
      const left = this.execBlock(stmt.body, branch);
      // A loop known to run at least twice, that nothing leaves early, certainly runs its second iteration from what
      // the first left.
      const twice = count !== undefined && count >= 2 && !/\b(break|return|raise|yield)\b/.test(text);
      const again = left || (count !== undefined && count < 2) ? undefined : this.secondPass(scope, branch, (s) => this.bind(stmt.target, this.laterIterationValue(iter), s, null), stmt.body, twice);
      const final = again && twice && counted ? this.lastIterationPass(scope, branch, again, stmt, iter, counted.iterations) : undefined;
      return { left, again, final, last: left ? undefined : this.lastBatchPass(scope, again ?? branch, stmt, iter) };
    }, stmt.body, counted));
    const passes = [branch, ...(again ? [again] : []), ...(final ? [final] : []), ...(last ? [last] : [])];
    // A loop certainly run (a known count of at least one, nothing leaving early or skipping) leaves what its
    // iterations left, never the state before it: `loss = 0` then `loss += criterion(...)` over range(200) is a tensor.
    if (counted && counted.iterations >= 1) {
      scope.join(passes);
      this.execBlock(stmt.orelse, scope);
      return false;
    }
    const after = scope.fork();
    // Names first bound inside the loop keep their value: the loop almost always runs.
    for (const [k, v] of branch.vars) if (!scope.has(k)) after.vars.set(k, v);
    scope.join([...passes, after]);
    this.execBlock(stmt.orelse, scope);
    return false;
  }

  /** Branches of an `if` whose condition is not known, running now. */
  private uncertain = 0;

  /** The Sequential models those branches change, each branch starting from the model as it was before the `if`. */
  readonly modelBranches = new ModelBranches();

  /** The loops running now that are not unrolled (innermost last), with the lists appended to in each. */
  private readonly loopAppends: LoopAppends[] = [];

  /**
   * Runs a loop whose iterations are not unrolled. A list appended to inside it holds as many items as the loop ran.
   * When the loop certainly runs `counted.iterations` times and the list was appended to a fixed number of times per
   * iteration (see countedAppend), that is its length afterwards; otherwise the length is not known, and the list
   * keeps only what its items are like.
   */
  private loop<T>(run: () => T, body: A.Stmt[], counted?: { iterations: number; text: string }): T {
    const frame: LoopAppends = {
      appended: new Set(),
      counts: new Map(),
      body,
      fresh: new Set(),
      maybe: new Set(),
      uncertain: this.uncertain,
      owner: this.frame,
      ...(counted && { counted: { ...counted, frames: this.frames.length, secondPasses: this.secondPasses } }),
    };
    this.loopAppends.push(frame);
    try {
      return run();
    } finally {
      this.loopAppends.pop();
      const outer = this.loopAppends[this.loopAppends.length - 1];
      for (const list of frame.appended) {
        // A list made anew each iteration holds what one iteration appended: the pass the analysis ran (unless an
        // append was under a condition not decided, which other iterations may not meet).
        if (frame.fresh.has(list) && !frame.maybe.has(list)) continue;
        const count = frame.counts.get(list);
        const length = count?.exact && frame.counted ? knownLength(count.before + frame.counted.iterations * count.perPass) : undefined;
        if (!(length !== undefined && count && frame.counted && this.keepItemsBefore(list, count, length, frame.counted.text))) {
          forgetLength(list, itemsAlike(list) ?? UNKNOWN);
          if (length !== undefined && length <= MAX_COUNTED_LENGTH) list.length = length;
        }
        if (outer) {
          outer.appended.add(list);
          // Appended to by an inner loop: not a fixed number of times per iteration of the outer one, as counted.
          outer.counts.set(list, { before: 0, perPass: 0, exact: false });
        }
      }
    }
  }

  /**
   * `row = []` (any list display) as a statement of a loop's own body, not nested in a branch or another statement:
   * Python binds a new list there on every iteration, so the appends that follow in one iteration are all that list
   * ever gets (`row = []`, `row.append(...)` for each of a sentence's tokens, then `rows.append(row)`). It keeps the
   * length the pass gave it instead of forgetting it when the loop ends.
   */
  private freshList(stmt: A.Assign, scope: Scope): void {
    const frame = this.loopAppends[this.loopAppends.length - 1];
    if (!frame || stmt.op !== undefined || stmt.targets.length !== 1 || stmt.targets[0].kind !== 'name' || stmt.value.kind !== 'list' || !frame.body.includes(stmt)) return;
    const value = scope.lookup(stmt.targets[0].id);
    if (value?.kind === 'list') frame.fresh.add(value);
  }

  /**
   * Notes an append to a list inside the innermost loop. It counts towards the list's length after the loop when it
   * runs on every iteration: in the loop's own body (not a function it calls, not a nested loop), under no condition
   * the analysis could not decide, in the loop's first pass (a second pass repeats it), to a list named by a name the
   * loop never rebinds, pops or clears (so it is the one list the loop grows, not a new one each iteration).
   */
  private countedAppend(list: Extract<Value, { kind: 'list' | 'tuple' }>, method: string, expr: A.Call | undefined): void {
    const frame = this.loopAppends[this.loopAppends.length - 1];
    if (!frame) return;
    const firstAppend = !frame.appended.has(list);
    frame.appended.add(list);
    if (this.uncertain > frame.uncertain) frame.maybe.add(list);
    const c = frame.counted;
    if (c && this.secondPasses > c.secondPasses) return;
    const receiver = expr?.func.kind === 'attribute' && expr.func.object.kind === 'name' ? expr.func.object.id : undefined;
    const counts =
      c !== undefined && method === 'append' && receiver !== undefined && this.uncertain === frame.uncertain && this.frames.length === c.frames && !rebindsName(c.text, receiver);
    const before = firstAppend ? sequenceLength(list) : undefined;
    const entry = frame.counts.get(list) ?? { before: before ?? 0, perPass: 0, exact: firstAppend && before !== undefined, ...(receiver !== undefined && { name: receiver }) };
    if (counts) entry.perPass++;
    else entry.exact = false;
    frame.counts.set(list, entry);
  }

  /**
   * A list a loop certainly appended to `length - count.before` times, one item per append, keeps the items it held
   * before the loop, in their places: `history = [first]` then `history.append(step)` in the loop is the first item
   * followed by the steps, each like the items the loop's passes appended (their join), not one summary of all. Only
   * for a list that held items before the loop (one the loop filled from empty is a summary, as before), while the
   * whole list stays listed, and where the loop neither stores into the list's items nor reorders them.
   */
  private keepItemsBefore(list: ListValue, count: { before: number; name?: string }, length: number, loopText: string): boolean {
    if (count.before === 0 || list.element || list.items.length < count.before || length < count.before || length > MAX_ITEMS || count.name === undefined) return false;
    const n = count.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (new RegExp(`(^|[^.\\w])${n}\\s*\\[[^\\]]*\\]\\s*([-+*/|&]|//)?=(?!=)|(^|[^.\\w])${n}\\.(insert|sort|reverse)\\b`).test(loopText)) return false;
    const before = list.items.slice(0, count.before);
    const appended = list.items.slice(count.before);
    if (appended.length === 0) return false;
    const element = joinAll(appended) ?? UNKNOWN;
    const items = [...before];
    for (let i = count.before; i < length; i++) items.push(element);
    return replaceItems(list, items);
  }

  /**
   * `next(it)` (and `next(it, default)`) on an iterator the analysis holds as the list of the items it has left (what
   * enumerate, zip and iter give): its first item, which the iterator then no longer gives. Where the call may run more
   * often than the analysis runs it (in a loop not unrolled) or not at all (under a condition not decided), the
   * iterator only forgets how many items it has left. An iterator known to be empty gives the default (Python raises
   * StopIteration without one).
   */
  advanceIterator(it: ListValue, fallback: Value | undefined): Value {
    const length = sequenceLength(it);
    if (length === 0) return fallback ?? UNKNOWN;
    const first = it.element ?? it.items[0] ?? UNKNOWN;
    this.memo.mutated(it);
    if (length !== undefined && this.uncertain === 0 && this.loopAppends.length === 0) {
      if (it.element) it.length = length - 1;
      else if (!replaceItems(it, it.items.slice(1))) this.mutatedInPlace(it, 'pop', undefined);
    } else if (length !== undefined) this.mutatedInPlace(it, 'pop', undefined);
    return length === undefined && fallback ? joinValues(first, fallback) : first;
  }

  /**
   * A list (a set is one here) changed in place in a way not followed item by item: `insert`, `remove`, `pop`, `clear`,
   * `sort`, `reverse`, `del seq[i]`, a set's `add`, `update` and `discard`, `extend` by what is not a listed sequence.
   * It keeps only what its items are like (with what was added); how many it holds is no longer known, except after
   * `sort` and `reverse`, which only reorder it. Keeping the items it had would leave `chars = set()`, filled by
   * `chars.update(w)` in a loop, at length 0 (a one-unit softmax over the vocabulary).
   */
  private mutatedInPlace(list: Extract<Value, { kind: 'list' | 'tuple' }>, method: string, added: Value | undefined): void {
    const length = sequenceLength(list);
    const kept = itemsAlike(list);
    const element = ADDING_ONE.has(method) ? (added && kept ? joinValues(kept, added) : added ?? UNKNOWN) : ADDING_MANY.has(method) ? UNKNOWN : kept ?? UNKNOWN;
    forgetLength(list, element);
    if ((method === 'sort' || method === 'reverse') && length !== undefined) list.length = length;
  }

  /** `del seq[i]`, `del d[k]`: the list loses items (see mutatedInPlace), the dict keys it no longer lists. */
  private deleteItems(targets: A.Expr[], scope: Scope): void {
    for (const target of targets) {
      if (target.kind === 'tuple' || target.kind === 'list') this.deleteItems(target.items, scope);
      if (target.kind !== 'subscript') continue;
      const object = this.eval(target.value, scope);
      if (object.kind === 'list') this.mutatedInPlace(object, 'remove', undefined);
      else if (object.kind === 'dict' && !object.parser) forgetEntries(object);
      else if (isFrame(object)) {
        frameDelete(object, target.index.length === 1 ? this.eval(target.index[0], scope) : UNKNOWN, this.uncertain === 0);
        this.memo.mutated(object);
      }
    }
  }

  /** Second passes running now: a loop inside a second pass gets none of its own, so nesting cannot multiply the work. */
  private secondPasses = 0;

  /**
   * A loop body runs again from what the previous pass left: once more, from the join of the state before the loop
   * and after one pass, so that values carried from one iteration to the next (a growing sequence, sampled ids fed
   * back, a hidden state) are seen as a later iteration sees them. Only names the first pass changed are joined;
   * when it changed none, the second pass would repeat the first and is skipped. When the second iteration is
   * certain (`exact`), it starts from exactly what the first left: that is the state the second iteration sees.
   */
  private secondPass(scope: Scope, first: Scope, bindTarget: (s: Scope) => void, body: A.Stmt[], exact = false): Scope | undefined {
    if (this.secondPasses > 0) return undefined;
    const again = scope.fork();
    let carried = false;
    for (const [k, v] of first.vars) {
      const before = scope.has(k) ? scope.lookup(k) : undefined;
      if (exact && before === undefined) again.vars.set(k, v);
      if (before === undefined || before === v) continue;
      again.vars.set(k, exact ? v : joinValues(before, v));
      carried = true;
    }
    if (!carried) return undefined;
    this.secondPasses++;
    try {
      bindTarget(again);
      return this.execBlock(body, again) ? undefined : again;
    } finally {
      this.secondPasses--;
    }
  }

  /** Passes of a counted loop's last iteration running now (see lastIterationPass). */
  private lastIterationPasses = 0;

  /**
   * One more pass of a loop that runs a known number of times (`count`, at least 3), nothing leaving or skipping,
   * whose body does not read the loop variable: its last iteration, from the state its first two passes extrapolate
   * to when what it carries grows by the same step on each (see last-iteration.ts). `first` and `second` are the
   * states after the first pass and after the exact second. What breaks only there (a sequence grown past a position
   * table) is reported with a note saying so; hovers and `--stats` keep the other passes. It runs neither inside
   * another pass of its kind nor inside a last batch's, and loops inside it get no second pass.
   */
  private lastIterationPass(scope: Scope, first: Scope, second: Scope, stmt: A.For, iter: Value, count: number): Scope | undefined {
    if (count < 3 || this.lastIterationPasses > 0 || this.lastBatchPasses > 0 || this.secondPasses > 0) return undefined;
    if (readsTarget(stmt.target, stmt.body)) return undefined;
    const growable = namesAssignedOnlyAtTop(stmt.body);
    const last = scope.fork();
    const grown: string[] = [];
    for (const [k, after] of second.vars) {
      const before = scope.has(k) ? scope.lookup(k) : undefined;
      const once = first.vars.get(k) ?? before;
      if (before === undefined || once === undefined) {
        last.vars.set(k, after);
        continue;
      }
      const next = extrapolate(before, once, after, count - 1);
      if (next === 'same') last.vars.set(k, after);
      else if (next === undefined) last.vars.set(k, joinValues(once, after));
      else {
        if (!growable.has(k)) return undefined;
        last.vars.set(k, next.value);
        grown.push(`${k} from ${next.from} before the loop to ${next.to} entering the last pass`);
      }
    }
    if (grown.length === 0) return undefined;
    this.lastIterationPasses++;
    try {
      return this.extraPass(` (on the last of the ${count} passes of the loop at line ${stmt.range.start.line + 1}, which grows ${grown.join(', and ')}, by the same step each pass)`, () => {
        this.bind(stmt.target, this.laterIterationValue(iter), last, null);
        return this.execBlock(stmt.body, last) ? undefined : last;
      });
    } finally {
      this.lastIterationPasses--;
    }
  }

  /**
   * Runs one of a loop's extra passes (a last batch's, a last iteration's): what it reports ends with `note`, its sizes
   * are not offered to hovers, inlay hints or `--stats`, and loops inside it get no second pass.
   */
  private extraPass<T>(note: string, run: () => T): T {
    const outer = this.ctx.passNote;
    this.ctx.passNote = note;
    this.secondPasses++;
    this.ctx.sitesPaused++;
    this.ctx.coverage.paused++;
    try {
      return run();
    } finally {
      this.ctx.coverage.paused--;
      this.ctx.sitesPaused--;
      this.secondPasses--;
      this.ctx.passNote = outer;
    }
  }

  /** Passes of a DataLoader's last batch running now (see lastBatchPass). */
  private lastBatchPasses = 0;

  /**
   * One more pass of a loop over a DataLoader whose last batch is known to be smaller (a dataset of known length that
   * batch_size does not divide, without drop_last): the loop variable is that last batch, its batch axis the last
   * batch's size, from the state the passes before left. What breaks only there (squeeze() dropping a one-sample
   * batch, a state built for batch_size) is reported, each message saying it is the last batch; hovers and `--stats`
   * keep the other passes' sizes. What the loop carries from one batch to the next is what the batch before, a full
   * one, left (a state kept across batches has batch_size rows). A statement of the body that skips the batch (`if
   * x.size(0) != batch_size: continue`) ends the pass when its test holds there. It runs in a second pass too (a
   * validation loop run only on some training steps), but not inside another last batch's pass, and loops inside it get
   * no second pass: each loop over a loader adds one pass, never a product of them.
   */
  private lastBatchPass(scope: Scope, from: Scope, stmt: A.For, iter: Value): Scope | undefined {
    if (this.lastBatchPasses > 0 || this.lastIterationPasses > 0) return undefined;
    const at = atLastBatch(this.iterationValue(iter));
    if (!at) return undefined;
    const last = scope.fork();
    for (const [k, v] of from.vars) last.vars.set(k, atFullBatch(v));
    const loader = at.lastBatch.loader;
    this.lastBatchPasses++;
    try {
      return this.extraPass(` (on the last batch: the DataLoader${loader ? ` at line ${loader.range.start.line + 1}` : ''} ${lastBatchSplit(at.lastBatch)})`, () => {
        this.bind(stmt.target, at.value, last, null);
        for (const s of stmt.body) {
          // `if x.size(0) != batch_size: continue` (or break) decided true: the loop skips this batch.
          if (s.kind === 'if' && s.orelse.length === 0 && s.body.length === 1 && /^(continue|break)$/.test(this.ctx.text(s.body[0].range).trim())) {
            if (truthValue(this.eval(s.test, last)) === true) return undefined;
            continue;
          }
          if (this.execBlock([s], last)) return undefined;
        }
        return last;
      });
    } finally {
      this.lastBatchPasses--;
    }
  }

  /**
   * The loop variable of the second pass, which stands for the iterations after the first: any item but the first of
   * a sequence whose items are listed (`for t in range(19)`: 1 to 18, so `if t > 0` takes one branch there).
   */
  private laterIterationValue(iter: Value): Value {
    if ((iter.kind === 'list' || iter.kind === 'tuple') && !iter.element && iter.items.length >= 2) return this.iterationValue({ ...iter, items: iter.items.slice(1) });
    return this.iterationValue(iter);
  }

  private iterationValue(iter: Value): Value {
    if (iter.kind === 'tensor' && iter.shape.rankKnown && iter.shape.dims.length > 0) {
      // A row is a part: it need not reach the whole's bounds.
      const { minValue: _min, maxValue: _max, mixedBounds: _mixed, minBoundOnly: _minOnly, maxBoundOnly: _maxOnly, ...whole } = iter;
      const row: TensorValue = { ...whole, shape: shapeOf(afterDropping(iter.shape.dims[0], iter.shape.dims.slice(1))), strides: iter.strides?.slice(1), ...partBounds(iter) };
      return row;
    }
    if ((iter.kind === 'list' || iter.kind === 'tuple') && iter.element) return iter.element;
    if ((iter.kind === 'list' || iter.kind === 'tuple') && iter.items.length > 0 && iter.items.every((v) => sameValue(v, iter.items[0]))) return iter.items[0];
    // Some one of several ints (range(18)): an int, whose value is not followed; between the least and the greatest
    // when all are known.
    if ((iter.kind === 'list' || iter.kind === 'tuple') && iter.items.length > 0 && iter.items.every((v) => v.kind === 'int' || v.kind === 'symint')) {
      const known = iter.items.map((v) => (v.kind === 'int' ? v.value : undefined));
      if (known.some((n) => n === undefined)) return { kind: 'symint', dim: UNKNOWN_DIM };
      return { kind: 'symint', dim: UNKNOWN_DIM, bounds: { min: Math.min(...(known as number[])), max: Math.max(...(known as number[])) } };
    }
    // Pairs of one length (enumerate's (i, item)): each position is what all items share there.
    if ((iter.kind === 'list' || iter.kind === 'tuple') && iter.items.length > 0 && iter.items.length <= MAX_ITEMS) {
      const first = iter.items[0];
      if (first.kind === 'tuple' && !first.element && first.items.length <= 8 && iter.items.every((v) => v.kind === 'tuple' && !v.element && v.items.length === first.items.length)) {
        const column = (k: number) => this.iterationValue({ kind: 'list', items: iter.items.map((v) => (v as { items: Value[] }).items[k]) });
        return { kind: 'tuple', items: first.items.map((_, k) => column(k)) };
      }
    }
    if (iter.kind === 'str') return { kind: 'str', value: iter.value[0] ?? '' };
    return UNKNOWN;
  }

  /** Keras layer calls evaluated so far, for `--stats`: a name assigned from one is counted as Keras model code. */
  private readonly kerasLayerCalls = new WeakSet<A.Call>();
  /** Keras layer constructors (keras.layers.X(...)) evaluated so far, modelled or not. */
  private readonly kerasConstructs = new WeakSet<A.Call>();

  /** True inside a Keras model's (or layer's) call() or anything it calls. */
  private inKerasCall(): boolean {
    return this.frame.inKerasCall === true;
  }

  /** `--stats` for Keras: names assigned from a Keras layer call, or inside a Keras model's call(). */
  private noteKerasAssign(stmt: A.Assign, value: Value): void {
    const v = stmt.value;
    // A layer call, or a call of a Keras layer built in place that is not modelled (its result is unknown).
    const fromLayer = v.kind === 'call' && (this.kerasLayerCalls.has(v) || (v.func.kind === 'call' && this.kerasConstructs.has(v.func)));
    if (!fromLayer && !this.inKerasCall()) return;
    for (const target of stmt.targets) {
      if (target.kind === 'name' || target.kind === 'attribute') this.ctx.coverage.kerasAssigned(target.range, value);
      else if ((target.kind === 'tuple' || target.kind === 'list') && (value.kind === 'list' || value.kind === 'tuple') && value.items.length === target.items.length) {
        target.items.forEach((t, i) => this.ctx.coverage.kerasAssigned(t.range, value.items[i]));
      } else if (target.kind === 'tuple' || target.kind === 'list') for (const t of target.items) this.ctx.coverage.kerasAssigned(t.range, UNKNOWN);
    }
  }

  private execAssign(stmt: A.Assign, scope: Scope): void {
    this.refineUnpackedSize(stmt, scope);
    let value = this.eval(stmt.value, scope);
    if (stmt.op) {
      const current = this.eval(stmt.targets[0], scope);
      // `outs += [h]` extends the list in place (list.__iadd__), as `outs.extend([h])` does: every name sharing the
      // list sees the new items, and a loop that runs it grows the one list (its length then follows the loop).
      if (stmt.op === '+' && current.kind === 'list' && (value.kind === 'list' || value.kind === 'tuple')) {
        this.countedAppend(current, 'extend', undefined);
        this.memo.mutated(current);
        extendList(current, value);
        value = current;
      } else {
        // `x += y` broadcasts as `x + y` does (and must not grow x): the rules that check a binary operator see it too.
        const errorsBefore = this.ctx.errorCount;
        if (current.kind === 'tensor' || value.kind === 'tensor') this.ctx.emit('binary', { node: augmentedOperation(stmt), left: current, right: value, augmented: true });
        value = this.ctx.errorCount > errorsBefore ? { kind: 'tensor', dtype: 'unknown', origin: this.originOf(stmt), shape: UNKNOWN_SHAPE } : inPlaceResult(stmt.op, current, this.binary(stmt.op, current, value, stmt));
      }
    } else if (stmt.targets.length === 1 && hasOpenRank(value)) value = this.refineAssignedByUse(stmt, stmt.targets[0], value);
    for (const target of stmt.targets) this.bind(target, value, scope, stmt);
    this.noteKerasAssign(stmt, value);
  }

  /**
   * A tensor of unknown rank bound to a name whose rank the rest of the function proves (`h = mystery(x)` then
   * `h.permute(1, 0, 2)`): it has that rank from this assignment on. Items of an unpacked tuple likewise.
   */
  private refineAssignedByUse(stmt: A.Assign, target: A.Expr, value: Value): Value {
    const frame = this.frame;
    if (!frame.def) return value;
    frame.proven ??= this.provenRanks(frame.def, frame.self);
    const names = frame.proven.assigned.get(stmt);
    if (!names) return value;
    const refine = (t: A.Expr, v: Value): Value => {
      if (t.kind === 'name') {
        const rank = names.get(t.id);
        return rank !== undefined && v.kind === 'tensor' && !v.shape.rankKnown ? refineRankByUnpacking(v, rank, true, '') ?? v : v;
      }
      // A tuple is immutable, so a refined copy stands for it; a list may be shared and is left as it is.
      if ((t.kind === 'tuple' || t.kind === 'list') && v.kind === 'tuple' && !v.element && v.items.length === t.items.length && !t.items.some((i) => i.kind === 'starred')) {
        const items = v.items.map((item, i) => refine(t.items[i], item));
        return items.every((item, i) => item === v.items[i]) ? v : { ...v, items };
      }
      return v;
    };
    return refine(target, value);
  }

  /** `b, t, d = x.size()` (or `list(x.size())`): from this line on, x has exactly as many axes as names receive its sizes. */
  private refineUnpackedSize(stmt: A.Assign, scope: Scope): void {
    const unpacked = unpackedSizeOf(stmt);
    // `list(x.size())` copies the size only while `list` is still the builtin.
    if (!unpacked || (unpacked.through !== undefined && scope.lookup(unpacked.through) !== undefined)) return;
    const current = scope.lookup(unpacked.name);
    const refined = current && refineRankByUnpacking(current, unpacked.count, unpacked.call, unpacked.name);
    if (refined) scope.set(unpacked.name, refined);
  }

  /** Binds a value to an assignment target, unpacking tuples and recording tensor sites. */
  bind(target: A.Expr, value: Value, scope: Scope, stmt: A.Assign | null): void {
    switch (target.kind) {
      case 'name':
        this.bindName(target.id, value, scope);
        this.recordTensorSite(target.id, target.range, value);
        if (this.inForward()) this.ctx.coverage.assigned(target.range, value);
        return;
      case 'attribute': {
        const object = this.eval(target.object, scope);
        this.memo.effect();
        if (object.kind === 'instance') this.setAttribute(object, target.attr, value);
        else if (object.kind === 'layer' && target.attr === 'weight') this.setLayerWeight(object.layer, value, target);
        // `args.vocab_size = len(vocab)` on the namespace parse_args returned (or a SimpleNamespace): a later read of
        // args.vocab_size, here or in the model the namespace is handed to, gets it. Under a branch that may not run,
        // the entry holds what the old and the new value agree on.
        else if (object.kind === 'dict' && object.namespace && !object.parser) {
          const old = object.entries.get(target.attr);
          setEntry(object, target.attr, this.uncertain > 0 && old ? joinItems(old, value) : value);
        }
        if (this.inForward()) this.ctx.coverage.assigned(target.range, value);
        this.recordTensorSite(this.ctx.text(target.range), target.attrRange, value);
        return;
      }
      case 'subscript': {
        // `df.loc[...] = v` / `df.at[...] = v` may add a row or a column to the frame every name bound to it sees.
        if (target.value.kind === 'attribute' && (target.value.attr === 'loc' || target.value.attr === 'at')) {
          const owner = this.eval(target.value.object, scope);
          if (isFrame(owner)) {
            this.memo.effect();
            frameLabelStore(owner);
            this.memo.mutated(owner);
            return;
          }
        }
        // `self.__dict__[name] = v` (or `vars(self)[name] = v`) sets the attribute `name` of the instance; a name the
        // analysis cannot read may be any attribute, so none keeps what it held.
        const owner = this.instanceDictOwner(target.value, scope);
        if (owner) {
          this.memo.effect();
          const name = target.index.length === 1 ? this.eval(target.index[0], scope) : UNKNOWN;
          if (name.kind === 'str') this.setAttribute(owner, name.value, value);
          else this.forgetAttributes(owner);
          return;
        }
        const object = this.eval(target.value, scope);
        this.memo.effect();
        if (object.kind === 'tensor') {
          // Loops rather than arrow functions here: one reading `this` or `scope` made every bind allocate a context.
          const items: IndexItem[] = [];
          for (let i = 0; i < target.index.length; i++) items.push(this.indexItem(target.index[i], scope));
          this.ctx.emit('tensorStore', { node: target, tensor: object, region: indexTensor(object, items, this.originOf(target)), value, items });
          return;
        }
        const key = target.index.length === 1 ? this.eval(target.index[0], scope) : UNKNOWN;
        // `df['col'] = ...` adds or replaces a column of the frame every name bound to it sees.
        if (isFrame(object)) {
          frameStore(object, target.index.length === 1 ? [key] : [], this.uncertain === 0);
          this.memo.mutated(object);
          return;
        }
        if (object.kind === 'dict') storeEntry(object, key, value);
        // `shape[-1] = shape[-1] // 2`: the list's item changes; a slice may change its length too.
        else if (object.kind === 'list' && target.index.length === 1 && target.index[0].kind === 'slice') forgetLength(object, UNKNOWN);
        else if (object.kind === 'list') setItem(object, key.kind === 'int' && target.index.length === 1 ? key.value : undefined, value, joinItems, this.uncertain > 0);
        return;
      }
      case 'tuple':
      case 'list': {
        this.ctx.emit('unpack', { target, value, stmt });
        const items = this.unpackItems(value, target.items.length);
        const star = target.items.findIndex((t) => t.kind === 'starred');
        for (let i = 0; i < target.items.length; i++) {
          const t = target.items[i];
          if (t.kind === 'starred') {
            this.bind(t.value, UNKNOWN, scope, null);
            continue;
          }
          const item = star === -1 || i < star ? items?.[i] : undefined;
          this.bind(t, item ?? UNKNOWN, scope, null);
        }
        return;
      }
      default:
        return;
    }
  }

  /**
   * Binds a name in the running function: in its own scope, or, for a name it declares `nonlocal` or `global`, in the
   * enclosing function's or the module's, where Python writes it. A write under a branch of the function's own (an
   * `if` not decided, a loop) may not happen: the outer name then holds what both agree on.
   */
  private bindName(name: string, value: Value, scope: Scope): void {
    const outer = this.frame.outerNames?.get(name);
    if (!outer) {
      scope.set(name, value);
      return;
    }
    this.memo.effect();
    const target = outer.kind === 'global' ? outer.scope : outer.scope.holder(name) ?? outer.scope;
    const before = target.vars.get(name);
    target.set(name, scope === this.frame.scope || before === undefined ? value : joinValues(before, value));
  }

  private unpackItems(value: Value, count: number): Value[] | undefined {
    if ((value.kind === 'tuple' || value.kind === 'list') && value.items.length === count) return value.items;
    if (value.kind === 'tensor' && value.shape.rankKnown && value.shape.dims[0]?.kind === 'int' && value.shape.dims[0].value === count) {
      const row: TensorValue = { ...value, shape: shapeOf(afterDropping(value.shape.dims[0], value.shape.dims.slice(1))) };
      return Array.from({ length: count }, () => row);
    }
    if (value.kind === 'size' && value.dims.length === count) return value.dims.map((d, i) => linkedSize(value, i) ?? valueFromDim(d));
    return undefined;
  }

  /**
   * `'name' in locals()` (or `not in`): whether the name is bound at this point of the function, as the analysis
   * binds it on this path. A loop that takes one branch on its first pass and another after (`if 'prev' in locals()`)
   * then runs each pass on its own branch rather than on both.
   */
  private boundLocally(expr: A.Compare, scope: Scope): boolean | undefined {
    const [op] = expr.ops;
    const right = expr.comparators[0];
    if (expr.ops.length !== 1 || (op !== 'in' && op !== 'not in') || expr.left.kind !== 'str') return undefined;
    if (right.kind !== 'call' || right.func.kind !== 'name' || right.func.id !== 'locals' || right.args.length || right.keywords.length || right.hasStarArgs) return undefined;
    if (scope.lookup('locals') !== undefined) return undefined;
    const bound = scope.has(expr.left.value);
    return op === 'in' ? bound : !bound;
  }

  /** True inside a torch module's forward or anything it calls (the scope of `--stats`). */
  private inForward(): boolean {
    return this.frame.inForward === true;
  }

  /**
   * Counts a call that received a tensor of known rank and gave back nothing of known rank, where the call itself lost
   * it: not when another tensor it received had already lost its rank (the call passes that unknown on: the loss is
   * counted where it happened), and not for calls that never give a tensor (`isinstance`, `type`, `x.tolist()`) or
   * only regroup what they receive (`zip`, `enumerate`: their items are the operands' rows, ranked as they were).
   */
  private noteLostShape(callee: Value, args: Value[], kwargs: Map<string, Value>, result: Value, range: Range): void {
    if (knowledgeOf(result) !== 'unknown') return;
    const receiver = callee.kind === 'method' ? callee.receiver : undefined;
    if (!(receiver && isRankedTensor(receiver)) && !args.some(isRankedTensor) && !someValue(kwargs, isRankedTensor)) return;
    if ((receiver && holdsUnrankedTensor(receiver)) || args.some((a) => holdsUnrankedTensor(a)) || someValue(kwargs, (v) => holdsUnrankedTensor(v))) return;
    const name = callName(callee);
    if (NO_TENSOR_LOST.has(name)) return;
    siteTrace.lost?.(name, range, callee, args);
    this.ctx.coverage.lostShape(name, range);
  }

  private recordTensorSite(name: string, range: Range, value: Value): void {
    if (value.kind !== 'tensor') return;
    if (value.shape.dims.length === 0 && !value.shape.rankKnown) return;
    this.ctx.addNamedTensor(range, name, formatShape(value.shape), value, describeTensor);
  }

  // ── expressions ─────────────────────────────────────────────────────────────

  eval(expr: A.Expr, scope: Scope): Value {
    if (this.tooDeep(expr)) return UNKNOWN;
    this.nesting++;
    try {
      return this.evalNode(expr, scope);
    } finally {
      this.nesting--;
    }
  }

  /** Past MAX_NESTING an expression is not evaluated: the file is marked as analysed in part, and no run is kept. */
  private tooDeep(expr: A.Expr): boolean {
    if (this.nesting < MAX_NESTING) return false;
    this.ctx.markIncomplete('too-large', expr.range.start.line);
    this.memo.effect();
    return true;
  }

  private evalNode(expr: A.Expr, scope: Scope): Value {
    switch (expr.kind) {
      case 'name':
        return this.lookup(expr, scope);
      case 'int':
        return { kind: 'int', value: expr.value, origin: this.literalOrigin(expr) };
      case 'float':
        return { kind: 'float', value: expr.value };
      case 'str':
        return strValue(expr.value);
      case 'fstring':
        return this.fstring(expr, scope);
      case 'true':
      case 'false':
        return { kind: 'bool', value: expr.kind === 'true' };
      case 'none':
        return NONE;
      case 'ellipsis':
        return UNKNOWN;
      case 'tuple':
      case 'list': {
        // `(*x.shape, n)`: a starred known sequence spreads its items; any other makes the length unknown.
        const items: Value[] = [];
        let lengthKnown = true;
        for (const e of expr.items) {
          if (e.kind !== 'starred') {
            items.push(this.eval(e, scope));
            continue;
          }
          const spread = this.eval(e.value, scope);
          if ((spread.kind === 'tuple' || spread.kind === 'list') && !spread.element) items.push(...spread.items);
          else if (spread.kind === 'size') items.push(...spread.dims.map(valueFromDim));
          else lengthKnown = false;
        }
        return lengthKnown ? sequence(expr.kind, items) : summary(expr.kind, undefined);
      }
      case 'dict':
        return this.dictDisplay(expr, scope);
      case 'attribute':
        return this.attribute(expr, this.eval(expr.object, scope));
      case 'call':
        return this.call(expr, scope);
      case 'subscript':
        return this.subscript(expr, scope);
      case 'binop': {
        const left = this.eval(expr.left, scope);
        const right = this.eval(expr.right, scope);
        if (left.kind === 'tensor' || right.kind === 'tensor') {
          const errorsBefore = this.ctx.errorCount;
          this.ctx.emit('binary', { node: expr, left, right });
          // PyTorch raises here: what follows is unknown, so nothing downstream cascades. It would have been a tensor,
          // of a shape not known: `x @ w + b` after a refused product must not take b's shape.
          if (this.ctx.errorCount > errorsBefore) return { kind: 'tensor', dtype: 'unknown', origin: this.originOf(expr), shape: UNKNOWN_SHAPE };
        }
        return this.binary(expr.op, left, right, expr);
      }
      case 'unary': {
        const operand = this.eval(expr.operand, scope);
        if (expr.op === '-' && operand.kind === 'int') return { kind: 'int', value: -operand.value, origin: { range: expr.range, text: this.ctx.text(expr.range) } };
        if (expr.op === '-' && operand.kind === 'float') return { kind: 'float', value: operand.value === undefined ? undefined : -operand.value };
        if (expr.op === 'not') return truthValue(operand) === undefined ? UNKNOWN : { kind: 'bool', value: !truthValue(operand) };
        if (operand.kind !== 'tensor') return UNKNOWN;
        // `-x` is x.neg(): new values (a softmax's probabilities negated are no probabilities), bounds turned round.
        // `~mask` of a bool tensor is its logical_not; of an integer tensor, -x - 1. `+x` is x itself.
        if (expr.op === '-') return tensorMethod(operand, 'neg', [], new Map(), this.originOf(expr));
        if (expr.op === '~') {
          if (operand.dtype === 'bool') return tensorMethod(operand, 'logical_not', [], new Map(), this.originOf(expr));
          const flipped = tensorMethod(operand, 'neg', [], new Map(), this.originOf(expr)) as TensorValue;
          const integer = operand.dtype === 'long';
          return { ...flipped, minValue: integer && flipped.minValue !== undefined ? flipped.minValue - 1 : undefined, maxValue: integer && flipped.maxValue !== undefined ? flipped.maxValue - 1 : undefined };
        }
        return operand;
      }
      case 'conditional': {
        // Python evaluates only the branch the test picks: `zeros(…) if h.size(0) == 0 else h[-1]` never reads h[-1]
        // of an empty h.
        const test = this.evalCondition(expr.test, scope).holds;
        if (test === true) return this.eval(expr.body, scope);
        if (test === false) return this.eval(expr.orelse, scope);
        return joinValues(this.eval(expr.body, scope), this.eval(expr.orelse, scope));
      }
      case 'comprehension':
        // Its items' counts stop being themselves when it ends: a summary's one item stands for all of them.
        return inDataCountLoop(() => this.comprehension(expr, scope));
      case 'compare': {
        const bound = this.boundLocally(expr, scope);
        if (bound !== undefined) return { kind: 'bool', value: bound };
        const operands = [this.eval(expr.left, scope)];
        for (let i = 0; i < expr.comparators.length; i++) operands.push(this.eval(expr.comparators[i], scope));
        // `ids == pad` on a tensor is an element-wise bool tensor of the broadcast shape.
        if (operands.length === 2 && ELEMENTWISE_COMPARISONS.has(expr.ops[0]) && (operands[0].kind === 'tensor' || operands[1].kind === 'tensor') && BROADCAST_OPERANDS.has(operands[0].kind) && BROADCAST_OPERANDS.has(operands[1].kind)) {
          return { ...broadcast(operands[0], operands[1], this.originOf(expr)), dtype: 'bool', minValue: 0, maxValue: 1 };
        }
        const exact = operands.length === 2 ? exactTypeTest(expr, operands, scope) ?? torchVersionTest(expr, scope) : undefined;
        if (exact !== undefined) return { kind: 'bool', value: exact };
        return compareValues(expr.ops, operands);
      }
      case 'boolop':
        return this.boolop(expr, scope).value;
      case 'yield': {
        const value = expr.value ? this.eval(expr.value, scope) : NONE;
        (this.frame.yields ??= []).push(expr.from ? this.iterationValue(value) : value);
        // What `yield` evaluates to is whatever the caller sends in.
        return UNKNOWN;
      }
      case 'lambda':
        // The function a lambda makes, run when it is called (as a Keras Lambda layer's function, a collate_fn, or
        // by name): inside a function it is a closure over that function's names, as a nested def is.
        if (this.currentModule !== this.module) this.globalsOf.set(expr.def, this.currentModule);
        return this.frame.def && scope !== this.currentModule ? { kind: 'function', def: expr.def, closure: scope } : { kind: 'function', def: expr.def };
      case 'slice':
      case 'starred':
        return UNKNOWN;
      case 'other':
        if (expr.tooDeep) this.ctx.markIncomplete('too-large', expr.range.start.line);
        for (const call of expr.calls) this.call(call, scope);
        return UNKNOWN;
    }
  }

  /**
   * Closures that read `scope` (or `this`) live in methods of their own: one inside evalNode made every evaluation,
   * of any kind, allocate the context they share.
   */
  private fstring(expr: A.FString, scope: Scope): Value {
    return formatFString(expr.parts.map((part) => (typeof part === 'string' ? part : { ...part, value: this.eval(part.expr, scope) })));
  }

  private dictDisplay(expr: A.Dict, scope: Scope): Value {
    // `{**base, 'lr': 0.1}` holds base's entries, in display order (a later key wins); a `**mapping` the analysis
    // cannot list, or a key it cannot name, leaves keys unlisted: the dict is partial, never a guess of fewer.
    const entries = new Map<string, Value>();
    let partial = false;
    const splats = expr.splats;
    let next = 0;
    const spreadUpTo = (at: number): void => {
      for (; splats && next < splats.length && splats[next].at <= at; next++) {
        const mapping = this.eval(splats[next].value, scope);
        if (mapping.kind === 'dict' && !mapping.parser) {
          for (const [k, v] of mapping.entries) {
            if (entries.size < 1024 || entries.has(k)) entries.set(k, v);
            else partial = true;
          }
          if (mapping.partial) partial = true;
        } else partial = true;
      }
    };
    for (let i = 0; i < expr.entries.length; i++) {
      spreadUpTo(i);
      const k = this.eval(expr.entries[i].key, scope);
      const v = this.eval(expr.entries[i].value, scope);
      if (k.kind === 'str' || k.kind === 'int') entries.set(String(k.value), v);
      else partial = true;
    }
    spreadUpTo(expr.entries.length);
    return { kind: 'dict', entries, partial: partial || entries.size > 1024 || undefined };
  }

  /**
   * How many times the comprehensions being unrolled now run their element, together (the product of their lengths).
   * A comprehension nested in another's element, or in a function that element calls (a recursive `dict_to_object`
   * of a config's nested dicts), unrolls too while the product stays within MAX_NESTED_UNROLL: nesting cannot
   * multiply the work past it.
   */
  private unrolled = 1;

  /** Whether a comprehension over `n` items may unroll inside those being unrolled now, at most `max` alone. */
  private mayUnroll(n: number, max: number): boolean {
    return n > 0 && n <= max && this.unrolled * n <= (this.unrolled === 1 ? max : MAX_NESTED_UNROLL);
  }

  private comprehension(expr: A.Comprehension, scope: Scope): Value {
    // Over a short sequence of known length, the result has one item per element that its `if` filters keep:
    // `torch.cat([x for _ in range(3)], 1)` triples the axis. A filter whose value is not known for an item
    // leaves the length unknown. Nested comprehensions unroll while their product of lengths is small (mayUnroll).
    const single = (expr.container === 'list' || expr.container === 'generator') && expr.generators.length === 1;
    const unrollable = single;
    const firstIter = iterable(this.eval(expr.generators[0].iter, scope));
    if (expr.container === 'dict' && expr.key && expr.generators.length === 1) {
      const dict = this.unrolledDict(expr, expr.key, firstIter, scope);
      if (dict) return dict;
    }
    if (unrollable) {
      const iter = firstIter;
      const { target, ifs } = expr.generators[0];
      if ((iter.kind === 'list' || iter.kind === 'tuple') && !iter.element && this.mayUnroll(iter.items.length, MAX_UNROLL)) {
        const n = iter.items.length;
        this.unrolled *= n;
        try {
          const items: Value[] = [];
          let lengthKnown = true;
          for (const item of iter.items) {
            const inner = scope.fork();
            this.bind(target, item, inner, null);
            let keep: boolean | undefined = true;
            for (const test of ifs) {
              const value = boolValue(this.eval(test, inner));
              if (value === false) {
                keep = false;
                break;
              }
              if (value === undefined) keep = undefined;
            }
            if (keep === false) continue;
            if (keep === undefined) lengthKnown = false;
            items.push(this.eval(expr.element, inner));
          }
          if (lengthKnown) return { kind: 'list', items };
          return listOf(joinAll(items) ?? UNKNOWN);
        } finally {
          this.unrolled /= n;
        }
      }
    }
    const inner = scope.fork();
    const lengths: (number | undefined)[] = [];
    expr.generators.forEach((g, i) => {
      const iter = i === 0 ? firstIter : this.eval(g.iter, inner);
      lengths.push(iterableLength(i === 0 ? iter : iterable(iter)));
      this.bind(g.target, this.iterationValue(iter), inner, null);
      // The filters are evaluated for what their calls show the rules; which items they keep is not known here.
      for (const test of g.ifs) this.eval(test, inner);
    });
    if (expr.key) this.eval(expr.key, inner);
    const element = this.eval(expr.element, inner);
    // Its keys are not followed: the dict may hold any number of them.
    if (expr.container === 'dict') return { kind: 'dict', entries: new Map(), partial: true, values: element };
    // One generator and no filter: as many items as the iterable has, when that is known; several: the product of
    // their lengths, when each is known and none walks what an earlier one gives.
    const count = single && expr.generators[0].ifs.length === 0 ? iterableLength(firstIter) : expr.container === 'list' || expr.container === 'generator' ? productOfIndependentClauses(expr.generators, lengths) : undefined;
    return count === undefined ? listOf(element) : summary('list', count, element);
  }

  /**
   * A dict comprehension over a short sequence whose items are listed (`{w: i + 2 for i, w in enumerate(words)}` of a
   * vocabulary written in the file): every key and value, as the loop gives them. Undefined (the comprehension stays a
   * summary) when an item's filter or key is not known: the dict is then never a guess of fewer keys.
   */
  private unrolledDict(expr: A.Comprehension, keyExpr: A.Expr, iter: Value, scope: Scope): Value | undefined {
    if ((iter.kind !== 'list' && iter.kind !== 'tuple') || iter.element || !this.mayUnroll(iter.items.length, MAX_DICT_UNROLL)) return undefined;
    const { target, ifs } = expr.generators[0];
    // Items in an order Python decides (a set's, a sort by a key not followed): each item gives the same entry in any
    // order, but an index enumerate pairs with it does not. With `for i, w in enumerate(...)` the keys are still known
    // when they read only one of i and w (`{w: i for ...}` has every word as a key); the values are then any of those
    // the items gave (an int between the least and the greatest).
    const arbitrary = inArbitraryOrder.has(iter);
    let joinValuesAfter = false;
    if (arbitrary) {
      if (ifs.length > 0) return undefined;
      if (target.kind === 'tuple' || target.kind === 'list') {
        if (target.items.length !== 2 || target.items.some((t) => t.kind !== 'name')) return undefined;
        const keyText = this.ctx.text(keyExpr.range);
        const reads = target.items.map((t) => new RegExp(`(^|[^.\\w])${(t as A.Name).id}\\b`).test(keyText));
        if (reads[0] && reads[1]) return undefined;
        joinValuesAfter = true;
      } else if (target.kind !== 'name') return undefined;
    }
    const entries = new Map<string, Value>();
    const n = iter.items.length;
    this.unrolled *= n;
    try {
      for (const item of iter.items) {
        const inner = scope.fork();
        this.bind(target, item, inner, null);
        let keep = true;
        for (const test of ifs) {
          const value = boolValue(this.eval(test, inner));
          if (value === undefined) return undefined;
          if (!value) {
            keep = false;
            break;
          }
        }
        if (!keep) continue;
        const key = this.eval(keyExpr, inner);
        if (key.kind !== 'str' && key.kind !== 'int') return undefined;
        entries.set(String(key.value), this.eval(expr.element, inner));
      }
    } finally {
      this.unrolled /= n;
    }
    if (joinValuesAfter) {
      const values = [...entries.values()];
      const any = joinedInts(values) ?? joinAll(values) ?? UNKNOWN;
      for (const key of entries.keys()) entries.set(key, any);
    }
    return { kind: 'dict', entries };
  }

  private lookup(expr: A.Name, scope: Scope): Value {
    const value = scope.lookup(expr.id);
    if (value === undefined) return BUILTIN_NAMES.has(expr.id) ? { kind: 'module', path: this.modulePath('builtins', expr.id) } : UNKNOWN;
    // Remember the variable's name on plain numbers: `seq_len` tells a dimension's role.
    if (value.kind === 'int' && value.label !== expr.id) return labelledInt(value, expr.id, value.label ? value.origin : value.origin ?? { range: expr.range, text: expr.id });
    return value;
  }

  /** `parent.name` paths made so far, by parent and name. */
  private readonly modulePaths = new Map<string, Map<string, string>>();

  /**
   * The path `parent.name`, one string per path for the whole analysis: the lookups it goes through (op tables,
   * maps) hash a string once, where a new concatenation would be hashed at every use.
   */
  private modulePath(parent: string, name: string): string {
    let byName = this.modulePaths.get(parent);
    if (!byName) this.modulePaths.set(parent, (byName = new Map()));
    let path = byName.get(name);
    if (path === undefined) byName.set(name, (path = `${parent}.${name}`));
    return path;
  }

  private attribute(expr: A.Attribute, object: Value): Value {
    const name = expr.attr;
    switch (object.kind) {
      case 'module':
        return this.getAttribute(object, name, expr) ?? UNKNOWN;
      case 'instance':
        return namedAttributeInt(this.getAttribute(object, name, expr), name) ?? { kind: 'method', receiver: object, name };
      case 'class':
        return namedAttributeInt(this.getAttribute(object, name, expr), name) ?? UNKNOWN;
      case 'tensor':
        if (name === 'shape') return object.shape.rankKnown ? { kind: 'size', dims: object.shape.dims, of: object } : object.name ? { kind: 'method', receiver: object, name: '__shape__' } : UNKNOWN;
        if (name === 'T' || name === 'data') return name === 'T' ? stillNumpy(object, tensorMethod(object, 'T', [], new Map(), this.originOf(expr))) : object;
        // A complex tensor's real or imaginary part (a real tensor's .real is itself; its .imag raises).
        if (name === 'real') return { ...object, origin: this.originOf(expr) };
        if (name === 'imag') return object.dtype === 'unknown' ? { ...object, origin: this.originOf(expr) } : UNKNOWN;
        if (name === 'ndim') return object.shape.rankKnown ? { kind: 'int', value: object.shape.dims.length } : UNKNOWN;
        if (name === 'dtype') return { kind: 'dtype', dtype: object.dtype };
        if (name === 'device' || name === 'grad' || name === 'is_cuda' || name === 'requires_grad') return UNKNOWN;
        return { kind: 'method', receiver: object, name };
      case 'layer':
        return this.layerAttribute(object.layer, name, expr);
      case 'tuple':
      case 'list': {
        const field = namedTupleAttribute(object, name);
        if (field) return field;
        const before = this.ctx.loudCount;
        this.ctx.emit('attribute', { node: expr, value: object });
        return this.ctx.loudCount > before ? UNKNOWN : { kind: 'method', receiver: object, name };
      }
      case 'packed':
        if (name === 'data') return { kind: 'tensor', dtype: object.padded.dtype, shape: packedDataShape(object), origin: this.originOf(expr) };
        this.ctx.emit('attribute', { node: expr, value: object });
        return UNKNOWN;
      case 'dict':
        if (object.namespace && !object.parser) return object.entries.get(name) ?? UNKNOWN;
        // A ModuleDict's key is never one of its methods' names (add_module refuses it), so the entry is the attribute.
        if (object.moduleDict && object.entries.has(name)) return object.entries.get(name)!;
        return { kind: 'method', receiver: object, name };
      case 'kmodel': {
        const out = object.model.output;
        if (name === 'output_shape') outputShapeSite(this, object.model, expr.attrRange);
        if (name === 'output_shape' || name === 'output') return name === 'output' ? out : out.kind === 'tensor' && out.shape.rankKnown ? { kind: 'size', dims: out.shape.dims, of: out } : UNKNOWN;
        if (name === 'layers') return sequence('list', object.model.layers.map((layer) => ({ kind: 'layer' as const, layer })));
        return { kind: 'method', receiver: object, name };
      }
      case 'method':
        if (object.name === '__super__' && object.receiver.kind === 'instance') {
          const owner = this.frame.cls ?? object.receiver.cls;
          for (const base of owner.bases) {
            const method = this.findMethod(base, name);
            if (method) return { kind: 'function', def: method, owner: object.receiver };
          }
          // `super().__init__(examples, fields)` of a torchtext Dataset subclass: the columns its batches will have.
          if (name === '__init__' && owner.torchtextBase) return torchtextSuperInit(owner.torchtextBase, object.receiver) ?? UNKNOWN;
          // No class of the file defines it: the torch layer the instance's class extends does (Python's MRO puts it
          // after every user class, however they are mixed in).
          if (object.receiver.cls.torchLayer && (name === '__init__' || name === 'forward')) return { kind: 'method', receiver: object.receiver, name: name === '__init__' ? TORCH_LAYER_INIT : TORCH_LAYER_FORWARD };
        }
        return UNKNOWN;
      case 'qualname':
        if (object.frame) return (isFrame(object) ? frameAttribute(object, name, this.originOf(expr)) : undefined) ?? { kind: 'method', receiver: object, name };
        return (object.torchtext && torchtextAttribute(object, name, this.originOf(expr))) || (object.tokenizer && tokenizerAttribute(object, name)) || { kind: 'method', receiver: object, name };
      case 'unknown':
        return TENSOR_ONLY_METHODS.has(name) ? { kind: 'method', receiver: object, name } : UNKNOWN;
      case 'str':
      case 'longstr':
        return STR_INT_METHODS.has(name) || STR_STR_METHODS.has(name) ? { kind: 'method', receiver: object, name } : UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  /**
   * What `object.name` gives for a module, a class or an instance (`attribute` reads these through it), and for
   * `getattr(object, name)` with a known name, a layer's argument too. Undefined when the object does not show that attribute (`getattr`'s default then applies) or is of
   * another kind.
   */
  getAttribute(object: Value, name: string, node: { range: Range }): Value | undefined {
    switch (object.kind) {
      case 'module': {
        const path = this.modulePath(object.path, name);
        if (normalisePath(object.path) === 'torch' && name in DTYPES) return { kind: 'dtype', dtype: DTYPES[name] };
        // Every constant is `string.<name>`: other modules skip the lookup of their (concatenated) path.
        if (object.path === 'string' && path in STRING_CONSTANTS) return { kind: 'str', value: STRING_CONSTANTS[path] };
        return floatConstant(path) ?? { kind: 'module', path };
      }
      case 'instance': {
        const own = object.attrs.get(name);
        if (this.memo.recording) this.memo.readAttr(object, name, own);
        if (own) return own;
        const method = this.findMethod(object.cls, name);
        if (method) {
          // A property runs its getter; a static method takes no self.
          if (method.decorators?.includes('property')) return this.callFunction(method, [], NO_KEYWORDS, object, this.ownerOf(object.cls, method));
          if (method.decorators?.includes('staticmethod')) return { kind: 'function', def: method };
          if (method.decorators?.includes('classmethod')) return { kind: 'function', def: method, boundClass: object.cls };
          return { kind: 'function', def: method, owner: object };
        }
        // The sizes the torch layer it extends was built with (`self.normalized_shape`, `self.in_features`). Not
        // `bias`: the layer's argument is a flag, the attribute a tensor or None.
        const layerArg = object.torchLayer && name !== 'bias' ? this.getAttribute({ kind: 'layer', layer: object.torchLayer }, name, node) : undefined;
        const attr = this.findClassAttr(object.cls, name);
        // nn.Sequential's methods that change its children, on an instance of a subclass (see callMethod).
        if (!attr && object.torchLayer?.kind === 'Sequential' && CHILD_CHANGING_METHODS.has(name)) return { kind: 'method', receiver: object, name };
        return attr ?? layerArg;
      }
      case 'class': {
        const attr = this.findClassAttr(object.cls, name);
        if (attr) return attr;
        const method = this.findMethod(object.cls, name);
        if (!method) return undefined;
        return method.decorators?.includes('classmethod') ? { kind: 'function', def: method, boundClass: object.cls } : { kind: 'function', def: method };
      }
      case 'layer':
        return (object.layer.alternatives ? object.layer.args.get(name)?.value : argumentAttribute(object.layer, name)) ?? (name === 'weight' && WEIGHT_SIZES[object.layer.kind] ? this.layerAttribute(object.layer, name, node) : undefined);
      default:
        return undefined;
    }
  }

  /**
   * `object.name = value` or `setattr(object, name, value)` on an instance: the attribute lives on the object, not in
   * the branch's scope, so under a condition that may not hold (`if cell == "LSTM": self.rnn = …`) it is joined with
   * what another path set.
   */
  setAttribute(object: InstanceValue, name: string, value: Value): void {
    // A module set on an instance of a Sequential subclass is one more child, which its forward runs last.
    if (object.torchLayer?.kind === 'Sequential' && (value.kind === 'layer' || value.kind === 'unknown' || (value.kind === 'instance' && value.cls.isTorchModule))) {
      this.addSequentialChild(object.torchLayer, { kind: 'str', value: name }, value);
    }
    const branch = this.branchWrites.at(-1);
    if (branch) branch.note(object, name, object.attrs.get(name), this.maybeAttrs.get(object)?.has(name) === true);
    // Set on the path of an if/else branch itself: that path's value, joined with the other path's where they meet.
    if (branch && branch.level === this.uncertain) {
      object.attrs.set(name, value);
      this.maybeAttrs.get(object)?.delete(name);
      return;
    }
    const before = this.uncertain > 0 ? object.attrs.get(name) : undefined;
    object.attrs.set(name, before ? joinValues(before, value) : value);
    // Set only on a path that may not run: the attribute may not exist (see hasAttribute).
    let maybe = this.maybeAttrs.get(object);
    if (this.uncertain > 0 && !before) {
      if (!maybe) this.maybeAttrs.set(object, (maybe = new Set()));
      maybe.add(name);
    } else if (this.uncertain === 0) maybe?.delete(name);
  }

  /**
   * `layer.weight = w` on an nn.Linear or nn.Embedding (weight tying: `self.decoder.weight = self.encoder.weight`):
   * the layer now computes with w, whose (rows, columns) are its (out_features, in_features), or its (num_embeddings,
   * embedding_dim). Sizes w does not show are no longer known; under a condition the analysis could not decide, each
   * size keeps what the old and the new agree on.
   */
  private setLayerWeight(layer: LayerDesc, value: Value, target: A.Attribute): void {
    const names = WEIGHT_SIZES[layer.kind];
    if (!names || layer.alternatives || layer.framework !== 'torch') return;
    this.memo.layerChanged();
    const rows = value.kind === 'tensor' && value.shape.rankKnown && value.shape.dims.length === 2 ? value.shape.dims : undefined;
    names.forEach((name, i) => {
      const dim = rows?.[i];
      const size: Value = dim?.kind === 'int' ? { kind: 'int', value: dim.value } : UNKNOWN;
      const old = layer.args.get(name);
      layer.args.set(name, { value: this.uncertain > 0 && old ? joinValues(old.value, size) : size, setBy: target });
    });
  }

  /**
   * The instance whose attribute dict `expr` is: `x.__dict__`, or `vars(x)` while `vars` is still the builtin.
   */
  private instanceDictOwner(expr: A.Expr, scope: Scope): InstanceValue | undefined {
    let of: A.Expr | undefined;
    if (expr.kind === 'attribute' && expr.attr === '__dict__') of = expr.object;
    else if (expr.kind === 'call' && expr.func.kind === 'name' && expr.func.id === 'vars' && expr.args.length === 1 && expr.keywords.length === 0 && scope.lookup('vars') === undefined) of = expr.args[0];
    if (!of) return undefined;
    const owner = this.eval(of, scope);
    return owner.kind === 'instance' ? owner : undefined;
  }

  /**
   * An attribute of the instance was set under a name the analysis cannot read (`self.__dict__[name] = v`): it may
   * be any of them, so none keeps a value the analysis would vouch for.
   */
  private forgetAttributes(object: InstanceValue): void {
    for (const name of [...object.attrs.keys()]) this.setAttribute(object, name, UNKNOWN);
  }

  /** Attributes set only under a condition the analysis could not decide, by instance. */
  private readonly maybeAttrs = new WeakMap<InstanceValue, Set<string>>();

  /** The attributes the if/else branches being run set (innermost last), each with what it held before the branch. */
  private readonly branchWrites: AttributeWrites[] = [];

  /**
   * Runs one branch of an if/else whose test is not decided, noting the attributes it sets: afterwards each holds
   * again what it held before the branch, and the branch's own values are kept in `writes`. `raised`: the branch left
   * by raising (it left, and returned nothing), so no path goes on from it.
   */
  private runBranch(run: () => boolean): { left: boolean; raised: boolean; writes: AttributeWrites; lists: SequenceWrites } {
    const writes = new AttributeWrites(this.uncertain);
    const lists = new SequenceWrites();
    const returns = this.frame.returns.length;
    this.branchWrites.push(writes);
    // In a pass of one of this function's loops that stands for several iterations, both branches keep changing the
    // one list: what one iteration's branch appended, another iteration's reads (`if i == 0: states.append(s) else:
    // s = states[j]`). Elsewhere each branch starts from the lists as they were.
    const isolated = !this.loopAppends.some((l) => l.owner === this.frame);
    const outerHook = isolated ? onSequenceChange((list) => lists.note(list)) : undefined;
    let left: boolean;
    try {
      left = run();
    } finally {
      if (isolated) onSequenceChange(outerHook);
      lists.settle();
      this.branchWrites.pop();
      writes.settle((object, name, prior) => {
        if (prior.value === undefined) object.attrs.delete(name);
        else object.attrs.set(name, prior.value);
        let maybe = this.maybeAttrs.get(object);
        if (prior.maybe) {
          if (!maybe) this.maybeAttrs.set(object, (maybe = new Set()));
          maybe.add(name);
        } else maybe?.delete(name);
      }, (object, name) => ({ value: object.attrs.get(name), maybe: this.maybeAttrs.get(object)?.has(name) === true }));
    }
    return { left, raised: left && this.frame.returns.length === returns, writes, lists };
  }

  /**
   * Past an if/else, the lists its branches changed in place (each branch started from the list as it was before the
   * statement: see SequenceWrites). A list changed by one branch that goes on, the others going on without touching
   * it, holds what that branch left, as Python code after the statement nearly always means (`if use_bn:
   * layers.append(nn.BatchNorm1d(h))`). Changed by two or more that go on, it holds the join of what they left: the
   * same items where the lengths agree (`if tok == PAD: row.append(0) else: row.append(1)` appends one item, not
   * two), and only what its items are like where they differ. A branch that leaves (return, raise) gives nothing.
   */
  private joinSequenceWrites(branches: { left: boolean; lists: SequenceWrites }[]): void {
    const going = branches.filter((b) => !b.left);
    const priors = new Map<ListValue, SequenceState>();
    for (const b of branches) for (const [list, prior] of b.lists.priors) if (!priors.has(list)) priors.set(list, prior);
    for (const [list, prior] of priors) {
      const touched = going.filter((b) => b.lists.after.has(list));
      if (touched.length === 0) continue;
      sequenceChanging(list);
      if (touched.length === 1) {
        restoreSequence(list, touched[0].lists.after.get(list)!);
        continue;
      }
      const states = going.map((b) => b.lists.after.get(list) ?? prior);
      restoreSequence(list, joinedSequenceStates(states));
    }
  }

  /**
   * Past an if/else: each attribute a branch set holds the join of what the paths that go on give it (a branch that
   * raised gives nothing; one that did not set it, what it held before), and may not exist when some path left it
   * unset. Set as the statement's own write, so an enclosing branch notes it and a path that may not run joins it.
   */
  private joinBranchWrites(branches: { left: boolean; raised: boolean; writes: AttributeWrites }[]): void {
    const going = branches.filter((b) => !b.raised);
    const from = going.length ? going : branches;
    const keys = new Map<InstanceValue, Set<string>>();
    for (const b of branches) for (const [object, names] of b.writes.priors) for (const name of names.keys()) (keys.get(object) ?? keys.set(object, new Set()).get(object)!).add(name);
    for (const [object, names] of keys) {
      for (const name of names) {
        const prior = branches.map((b) => b.writes.priors.get(object)?.get(name)).find((p) => p !== undefined)!;
        const states = from.map((b) => b.writes.after.get(object)?.get(name) ?? prior);
        const present = states.filter((st) => st.value !== undefined);
        if (present.length === 0) continue;
        const joined = joinAll(present.map((st) => st.value!))!;
        const maybe = present.length < states.length || present.some((st) => st.maybe);
        this.setAttribute(object, name, joined);
        if (maybe) {
          let set = this.maybeAttrs.get(object);
          if (!set) this.maybeAttrs.set(object, (set = new Set()));
          set.add(name);
        }
      }
    }
  }

  /** `hasattr(object, name)`: true when the attribute is certainly there, undefined when the analysis cannot tell. */
  hasAttribute(object: Value, name: string, node: { range: Range }): boolean | undefined {
    if (object.kind !== 'instance' && object.kind !== 'class') return undefined;
    if (object.kind === 'instance' && object.attrs.has(name) && this.maybeAttrs.get(object)?.has(name)) return undefined;
    return this.getAttribute(object, name, node) ? true : undefined;
  }

  /**
   * `seq.add_module(name, module)` on an nn.Sequential: the module runs after the others, or in place of the one of
   * that name. Where the name is not known, or the call may not run (a condition not decided, a loop not unrolled),
   * what the container holds is no longer known: an opaque child makes its output unknown.
   */
  addSequentialChild(layer: LayerDesc, name: Value, child: Value): void {
    this.memo.layerChanged();
    const names = this.sequentialNames.get(layer) ?? layer.children.map((_, i) => String(i));
    const certain = name.kind === 'str' && this.uncertain === 0 && this.loopAppends.length === 0 && names.length === layer.children.length;
    const desc = child.kind === 'layer' ? child.layer : child.kind === 'instance' ? moduleLayer(child) : OPAQUE_LAYER;
    if (!certain) {
      layer.children.push(OPAQUE_LAYER);
      this.sequentialNames.delete(layer);
      return;
    }
    const at = names.indexOf(name.value);
    if (at >= 0) layer.children[at] = desc;
    else {
      layer.children.push(desc);
      names.push(name.value);
    }
    this.sequentialNames.set(layer, names);
  }

  /** The names of an nn.Sequential's children, once add_module has named one. */
  private readonly sequentialNames = new WeakMap<LayerDesc, string[]>();

  /**
   * `seq.append(m)`, `seq.extend(modules)` and `seq.insert(i, m)` on an nn.Sequential (PyTorch 1.11 and later): append
   * adds m under the name str(len(seq)), extend appends each module in turn, insert shifts the children from index i
   * on by one. What cannot be followed (modules not listed, an index not known or out of range, children named by
   * add_module, a call that may not run) leaves the container holding a module not known.
   */
  private growSequential(layer: LayerDesc, method: string, args: Value[], kwargs: Map<string, Value>): void {
    if (method === 'append') {
      this.addSequentialChild(layer, { kind: 'str', value: String(layer.children.length) }, args[0] ?? kwargs.get('module') ?? UNKNOWN);
      return;
    }
    if (method === 'extend') {
      const modules = args[0] ?? kwargs.get('sequential') ?? UNKNOWN;
      // A list of modules, or another Sequential walked as a loop walks it.
      const walked = iterable(modules);
      const items = (walked.kind === 'list' || walked.kind === 'tuple') && !walked.element ? walked.items : undefined;
      if (!items) {
        this.addSequentialChild(layer, UNKNOWN, UNKNOWN);
        return;
      }
      for (const item of items) this.addSequentialChild(layer, { kind: 'str', value: String(layer.children.length) }, item);
      return;
    }
    const index = args[0] ?? kwargs.get('index') ?? UNKNOWN;
    const module = args[1] ?? kwargs.get('module') ?? UNKNOWN;
    const n = layer.children.length;
    // insert renames the children after i by their new positions: followed while every child is named by its position.
    const names = this.sequentialNames.get(layer);
    const byPosition = !names || (names.length === n && names.every((name, i) => name === String(i)));
    const certain = this.uncertain === 0 && this.loopAppends.length === 0 && byPosition;
    if (!certain || index.kind !== 'int' || index.value < -n || index.value > n) {
      this.addSequentialChild(layer, UNKNOWN, UNKNOWN);
      return;
    }
    this.memo.layerChanged();
    const at = index.value < 0 ? index.value + n : index.value;
    layer.children.splice(at, 0, module.kind === 'layer' ? module.layer : module.kind === 'instance' ? moduleLayer(module) : OPAQUE_LAYER);
    if (names) this.sequentialNames.set(layer, layer.children.map((_, i) => String(i)));
  }

  private layerAttribute(layer: LayerDesc, name: string, expr: { range: Range }): Value {
    // One of several layers: an argument they all have, as far as their values agree.
    if (layer.alternatives) {
      // A container's or a user module's attributes are not its arguments: not read.
      if (layer.alternatives.some((option) => option.module || option.children.length || option.repeats)) return name === 'forward' ? { kind: 'method', receiver: { kind: 'layer', layer }, name } : UNKNOWN;
      const values = layer.alternatives.map((option) => argumentAttribute(option, name));
      if (values.some((v) => v === undefined)) return values.every((v) => v === undefined) ? { kind: 'method', receiver: { kind: 'layer', layer }, name } : UNKNOWN;
      return (values as Value[]).reduce((a, b) => joinValues(a, b));
    }
    const arg = argumentAttribute(layer, name);
    if (arg) return arg;
    if (name === 'weight' && layer.framework === 'torch' && WEIGHT_SIZES[layer.kind]) {
      // An embedding table (num_embeddings, embedding_dim); a Linear's weight (out_features, in_features).
      const [rows, columns] = WEIGHT_SIZES[layer.kind].map((size) => layer.args.get(size)?.value);
      return { kind: 'tensor', dtype: 'float', origin: this.originOf(expr), shape: shapeOf([dimOf(rows), dimOf(columns)]) };
    }
    return { kind: 'method', receiver: { kind: 'layer', layer }, name };
  }

  /** `sizes[-2:]` on a list or tuple whose items are known: the items Python's slice picks; any other bound is unknown. */
  /**
   * A slice of a list or tuple: its items when the bounds are known; otherwise a summary of what the items share, whose
   * length is known when Python's clamped bounds give it (a summary of known length) or when `xs[i:i + k]` lies within
   * the sequence whatever i is (sliceWindow). Steps other than 1 are followed only for items that are listed.
   */
  private sliceItems(value: Value & { kind: 'tuple' | 'list' }, s: A.Slice, scope: Scope): Value {
    const bound = (e: A.Expr | undefined) => (e ? intValue(this.eval(e, scope)) ?? NaN : undefined);
    const [start, stop, step] = [bound(s.start), bound(s.stop), bound(s.step)];
    const n = value.element ? value.length : value.items.length;
    const element = value.element ?? commonElement(value.items);
    if (Number.isNaN(start) || Number.isNaN(stop) || Number.isNaN(step)) {
      const window = step === undefined ? this.sliceWindow(s, scope) : undefined;
      return summary(value.kind, window && n !== undefined && window.maxStop <= n ? window.length : undefined, element);
    }
    if (!value.element && (step === undefined || step === 1)) {
      const items = value.items.slice(start, stop);
      // Items in an order not known: as many, each any of them.
      return inArbitraryOrder.has(value) && items.length > 0 ? summary(value.kind, items.length, joinAll(value.items)) : sequence(value.kind, items);
    }
    if (n === undefined || (step !== undefined && step !== 1)) return summary(value.kind, undefined, element);
    const from = start === undefined ? 0 : clampIndex(start, n);
    const to = stop === undefined ? n : clampIndex(stop, n);
    return summary(value.kind, Math.max(0, to - from), element);
  }

  private subscript(expr: A.Subscript, scope: Scope): Value {
    // `self.__dict__[name]` reads the attribute `name` of the instance.
    const owner = this.instanceDictOwner(expr.value, scope);
    if (owner) {
      const name = expr.index.length === 1 ? this.eval(expr.index[0], scope) : UNKNOWN;
      return name.kind === 'str' ? this.getAttribute(owner, name.value, expr) ?? UNKNOWN : UNKNOWN;
    }
    const value = this.eval(expr.value, scope);
    const before = this.ctx.loudCount;
    this.ctx.emit('subscript', { node: expr, value });
    // One bug, one finding: what a flagged subscript yields is not followed further.
    if (this.ctx.loudCount > before) return UNKNOWN;
    // Loops rather than arrow functions: one reading `this` or `scope` made every subscript allocate a context.
    if (value.kind === 'tensor') {
      const items: IndexItem[] = [];
      for (let i = 0; i < expr.index.length; i++) items.push(this.indexItem(expr.index[i], scope));
      // A str key raises: the value is no tensor there (a dict of tensors taken for one), so nothing is known of it.
      for (const item of items) if (item.kind === 'other' && item.notAnIndex) return UNKNOWN;
      this.ctx.emit('tensorIndex', { node: expr, tensor: value, items });
      if (this.ctx.loudCount > before) return UNKNOWN;
      const taken = stillNumpy(value, indexTensor(value, items, this.originOf(expr)));
      regroupIndex(value, taken);
      return taken;
    }
    if (value.kind === 'qualname' && value.frame) return frameSubscript(value, this.frameIndex(expr, scope)) ?? UNKNOWN;
    const indices: Value[] = [];
    for (let i = 0; i < expr.index.length; i++) indices.push(expr.index[i].kind === 'slice' ? UNKNOWN : this.eval(expr.index[i], scope));
    const key = indices.length === 1 ? indices[0] : UNKNOWN;
    if (value.kind === 'instance') {
      // dataset[i] runs the class's __getitem__.
      const getitem = this.findMethod(value.cls, '__getitem__');
      return getitem ? this.callFunction(getitem, [key], new Map(), value, this.ownerOf(value.cls, getitem)) : UNKNOWN;
    }
    if ((value.kind === 'tuple' || value.kind === 'list') && expr.index.length === 1 && expr.index[0].kind === 'slice') return this.sliceItems(value, expr.index[0], scope);
    if ((value.kind === 'tuple' || value.kind === 'list') && value.element) return value.element;
    if ((value.kind === 'tuple' || value.kind === 'list') && key.kind === 'int') {
      const i = key.value < 0 ? value.items.length + key.value : key.value;
      // Items in an order Python decides (a set's, a sort by a key not followed): any of them may be at i.
      if (value.items[i] && inArbitraryOrder.has(value)) return joinAll(value.items)!;
      return value.items[i] ?? UNKNOWN;
    }
    // An index not known (a loop counter: `forgets[i]` of the pieces of x.split(1)): one of the items, so what they
    // all share; pieces alike but built apart are distinct objects, which commonElement does not take for one.
    if ((value.kind === 'tuple' || value.kind === 'list') && key.kind === 'symint' && value.items.length) {
      return joinAll(value.items)!;
    }
    if (value.kind === 'dict' && (key.kind === 'str' || key.kind === 'int')) return value.entries.get(String(key.value)) ?? value.values ?? UNKNOWN;
    // A key not known, in a dict whose every value is one summary (a dict comprehension's): that value, or a KeyError.
    if (value.kind === 'dict' && value.values && value.entries.size === 0 && !value.namespace) return value.values;
    if (value.kind === 'dict' && key.kind !== 'str' && key.kind !== 'int') return anyEntry(value);
    if (value.kind === 'method' && value.name === '__shape__' && value.receiver.kind === 'tensor' && key.kind === 'int') {
      return tensorMethod(value.receiver, 'size', [key], new Map(), this.originOf(expr));
    }
    if (value.kind === 'size') {
      if (key.kind === 'int') {
        // The tensor's own sizes (`x.shape[k]`, `x.size()[k]`) read as `x.size(k)` does: a size not known stays linked
        // to the axis it reads (`F.max_pool1d(x, x.shape[2])` pools over the whole axis).
        const d = key.value < 0 ? value.dims[value.dims.length + key.value] : value.dims[key.value];
        if (d && value.dims === value.of.shape.dims) return tensorMethod(value.of, 'size', [key], new Map(), this.originOf(expr));
        return d ? valueFromDim(d) : UNKNOWN;
      }
      if (expr.index.length === 1 && expr.index[0].kind === 'slice') {
        const s = expr.index[0];
        const start = s.start ? intValue(this.eval(s.start, scope)) : 0;
        const stop = s.stop ? intValue(this.eval(s.stop, scope)) : value.dims.length;
        if (start !== undefined && stop !== undefined) return { kind: 'size', dims: value.dims.slice(start, stop), of: value.of };
      }
    }
    // One block of a Sequential of blocks all alike (or an IndexError).
    if (value.kind === 'layer' && value.layer.repeats && (key.kind === 'int' || key.kind === 'symint') && expr.index[0].kind !== 'slice') return { kind: 'layer', layer: value.layer.repeats };
    if (value.kind === 'layer' && value.layer.kind === 'Sequential' && key.kind === 'int') {
      const child = value.layer.children[key.value < 0 ? value.layer.children.length + key.value : key.value];
      return child ? { kind: 'layer', layer: child } : UNKNOWN;
    }
    return UNKNOWN;
  }

  /**
   * `x[i:i + k]` (or `k + i`), no step, with `i` an int known to lie in [min, max] with min ≥ 0 (a loop index over a
   * range) and k a known int ≥ 0: a window of k entries that ends by max + k. Other bounds (`x[i - 1:i + 5]`,
   * `x[self.t:self.t + k]`, `x[s_begin:s_end]`) are windows when they are shifts of one index (shiftedWindow).
   */
  private sliceWindow(expr: A.Slice, scope: Scope): { length: number; maxStop: number } | undefined {
    const { start, stop } = expr;
    if (expr.step) return undefined;
    if (stop?.kind === 'name' || start?.kind !== 'name' || stop?.kind !== 'binop' || stop.op !== '+') return this.shiftedWindow(expr, scope);
    const offset = stop.left.kind === 'name' && stop.left.id === start.id ? stop.right : stop.right.kind === 'name' && stop.right.id === start.id ? stop.left : undefined;
    // Names and literals only: evaluating them again shows the rules nothing twice.
    if (offset?.kind !== 'name' && offset?.kind !== 'int') return this.shiftedWindow(expr, scope);
    const index = this.eval(start, scope);
    const length = intValue(this.eval(offset, scope));
    return windowOf(index, length);
  }

  /**
   * `x[a:b]` with a and b ints known to be the same index shifted by known amounts (`s_end = s_begin + seq_len`,
   * `r_begin = s_end - label_len`, `r_end = r_begin + label_len + pred_len`, or a bound written `s_begin + k`): a window
   * of their difference, when the index's bounds keep a from going below 0 (see shiftedWindowOf).
   */
  private shiftedWindow(expr: A.Slice, scope: Scope): { length: number; maxStop: number } | undefined {
    const { start, stop } = expr;
    if (expr.step || !start || !stop || !shiftBound(start) || !shiftBound(stop)) return undefined;
    return shiftedWindowOf(this.eval(start, scope), this.eval(stop, scope));
  }

  private indexItem(expr: A.Expr, scope: Scope): IndexItem {
    if (expr.kind === 'slice') {
      const start = this.boundOf(expr.start, scope);
      const stop = this.boundOf(expr.stop, scope);
      const step = this.boundOf(expr.step, scope);
      const unknownBound = (expr.start && start === undefined) || (expr.stop && stop === undefined) || (expr.step && step === undefined);
      if (unknownBound) {
        const window = this.sliceWindow(expr, scope);
        return window ? { kind: 'slice', full: false, start: NaN, window } : { kind: 'slice', full: false, start: NaN };
      }
      return { kind: 'slice', start, stop, step, full: !expr.start && !expr.stop && !expr.step };
    }
    if (expr.kind === 'none') return { kind: 'newaxis' };
    if (expr.kind === 'ellipsis') return { kind: 'ellipsis' };
    const value = this.eval(expr, scope);
    if (value.kind === 'int') return { kind: 'int', value: value.value };
    if (value.kind === 'symint') return { kind: 'int' };
    if (value.kind === 'none') return { kind: 'newaxis' };
    if (value.kind === 'str') return { kind: 'other', notAnIndex: true };
    if (value.kind === 'tensor' && value.dtype === 'long' && value.shape.rankKnown) return { kind: 'tensor', shape: value.shape };
    if (value.kind === 'tensor' && value.dtype === 'bool' && value.shape.rankKnown && value.shape.dims.length > 0) return { kind: 'mask', rank: value.shape.dims.length };
    // A list of ints (`x[[1, 2]]`, `np.eye(n)[ids]`) is a 1-D int64 index in PyTorch and NumPy alike; bools would be a mask.
    if (value.kind === 'list') {
      const ints = (v: Value) => v.kind === 'int' || v.kind === 'symint';
      if (value.element ? ints(value.element) : value.items.length > 0 && value.items.every(ints)) {
        const length = sequenceLength(value);
        return { kind: 'tensor', shape: shapeOf([length === undefined ? UNKNOWN_DIM : intDim(length)]) };
      }
    }
    return { kind: 'other' };
  }

  /** A subscript's index as pandas reads it: each item's value, a slice with its bounds' values. */
  private frameIndex(expr: A.Subscript, scope: Scope): FrameIndex[] {
    return expr.index.map((i) =>
      i.kind === 'slice'
        ? { slice: true, start: i.start && this.eval(i.start, scope), stop: i.stop && this.eval(i.stop, scope), step: i.step && this.eval(i.step, scope) }
        : { slice: false, value: this.eval(i, scope) },
    );
  }

  /** A slice's bound as an int, if known (a method: an arrow function in indexItem made each of its calls allocate a context). */
  private boundOf(e: A.Expr | undefined, scope: Scope): number | undefined {
    return e ? intValue(this.eval(e, scope)) : undefined;
  }

  binary(op: string, left: Value, right: Value, node: { range: Range }): Value {
    const l = numberValue(left);
    const r = numberValue(right);
    const origin = this.originOf(node);
    if (left.kind === 'bool' && right.kind === 'bool' && BOOL_BITWISE_OPS.has(op)) {
      return { kind: 'bool', value: op === '&' ? left.value && right.value : op === '|' ? left.value || right.value : left.value !== right.value };
    }
    // Python's bools are ints in arithmetic: `bidirectional + 1` is 2.
    if (l !== undefined && r !== undefined && left.kind !== 'float' && right.kind !== 'float') {
      const value = integerOp(op, l, r);
      if (value !== undefined) {
        const role = productRole(op, left, right);
        return intOrUnknown(value, role ? { origin, role } : { origin });
      }
    }
    if (l !== undefined && r !== undefined) {
      const value = floatOp(op, l, r);
      if (value !== undefined) return withAssumedDefault(op, left, right, { kind: 'float', value });
    } else {
      // Python numbers of which one is not known: a float when Python's rules make it one whatever the values.
      const float = unknownFloatOp(op, left, right);
      if (float) return withAssumedDefault(op, left, right, float);
    }
    if (op === '%' && left.kind === 'str') return formatPercent(left.value, right);
    // A shape (torch.Size, NumPy's shape tuple) joined to a tuple is a tuple of its sizes and the tuple's items:
    // `arr.shape + (1,)`.
    const asTuple = (v: Value): Value => (v.kind === 'size' && op === '+' && (left.kind === 'tuple' || right.kind === 'tuple' || left.kind === right.kind) ? { kind: 'tuple', items: v.dims.map((d, i) => linkedSize(v, i) ?? valueFromDim(d)) } : v);
    const sequenceResult = sequenceArithmetic(op, asTuple(left), asTuple(right));
    if (sequenceResult) return sequenceResult;
    // Integer arithmetic on an integer not known (a loop index, a size read at run time) is still an integer:
    // `data[i + seq_length]` drops an axis as `data[i]` does.
    if (INTEGER_OPS.has(op) && isInteger(left) && isInteger(right)) {
      // `i * 1`, `1 * i` and `i // 1` are i itself: the same index, with its bounds (a dataset's `index * stride`).
      const same = unitProduct(op, left, right);
      if (same) return same;
      const role = productRole(op, left, right);
      const shiftOf = shiftOfSum(op, left, right);
      const dim = role ? { kind: 'unknown' as const, role } : UNKNOWN_DIM;
      return shiftOf ? { kind: 'symint', dim, shiftOf } : { kind: 'symint', dim };
    }
    if (op === '+' && left.kind === 'size' && right.kind === 'size') return left.dims.length + right.dims.length > MAX_ITEMS ? UNKNOWN : { kind: 'size', dims: [...left.dims, ...right.dims], of: left.of };
    if (left.kind === 'tensor' || right.kind === 'tensor') {
      if (op === '@') return tensorFunction('matmul', [left, right], new Map(), origin) ?? UNKNOWN;
      const result = broadcast(left, right, origin, op);
      regroupBinary(left, right, result);
      return result;
    }
    return UNKNOWN;
  }

  /** An int literal as an origin (its value as text); kept on the node like originOf's. */
  private literalOrigin(expr: A.Num): Origin {
    const holder = expr as A.Num & { [LITERAL_ORIGIN]?: Origin };
    let origin = holder[LITERAL_ORIGIN];
    if (!origin || origin.range !== expr.range) holder[LITERAL_ORIGIN] = origin = { range: expr.range, text: String(expr.value) };
    return origin;
  }

  /** The node as an origin; kept on the node, since unchanged statements keep their nodes across edits. */
  originOf(node: { range: Range }): Origin {
    const holder = node as { range: Range; [ORIGIN]?: Origin };
    let origin = holder[ORIGIN];
    if (!origin || origin.range !== node.range) {
      const text = collapseSpaces(this.ctx.text(node.range));
      origin = { range: node.range, text: text.length > 60 ? `${text.slice(0, 57)}…` : text };
      holder[ORIGIN] = origin;
    }
    return origin;
  }

  // ── calls ───────────────────────────────────────────────────────────────────

  private call(expr: A.Call, scope: Scope): Value {
    const callee = this.eval(expr.func, scope);
    const args: Value[] = [];
    for (let i = 0; i < expr.args.length; i++) args.push(this.eval(expr.args[i], scope));
    const kwargs = expr.keywords.length || expr.starKwargs.length ? new Map<string, Value>() : NO_KEYWORDS;
    for (const kw of expr.keywords) kwargs.set(kw.name, this.eval(kw.value, scope));
    // `*seq` and `**mapping` are followed when they are known; otherwise the call is only partly visible.
    let hidden = false;
    // The items of `*seq` go where it stands among the positional arguments: `x.view(*shape, -1)` ends with -1.
    let spread = 0;
    for (const star of expr.starArgs) {
      const v = this.eval(star, scope);
      const items = (v.kind === 'tuple' || v.kind === 'list') && !v.element ? v.items : v.kind === 'size' ? v.dims.map(valueFromDim) : undefined;
      if (!items) {
        hidden = true;
        continue;
      }
      args.splice(expr.args.filter((a) => before(a.range.start, star.range.start)).length + spread, 0, ...items);
      spread += items.length;
    }
    for (const star of expr.starKwargs) {
      const v = this.eval(star, scope);
      if (v.kind === 'dict' && !v.parser) {
        for (const [k, value] of v.entries) { if (!kwargs.has(k)) kwargs.set(k, value); }
        // Keys it does not list may name any parameter: the call is only partly visible.
        if (v.partial) hidden = true;
      } else hidden = true;
    }
    if (hidden && callee.kind === 'module' && callee.path === 'builtins.zip' && expr.args.length === 0 && expr.keywords.length === 0 && expr.starArgs.length === 1 && expr.starKwargs.length === 0) {
      const transposed = transposedSamples(this.eval(expr.starArgs[0], scope));
      if (transposed) return transposed;
    }
    if (hidden && callee.kind === 'module' && normalisePath(callee.path) === 'torch.nn.Sequential' && expr.args.length === 0 && expr.keywords.length === 0 && expr.starArgs.length === 1 && expr.starKwargs.length === 0) {
      const repeated = this.repeatedSequential(this.eval(expr.starArgs[0], scope), expr);
      if (repeated) return repeated;
    }
    if (hidden && callee.kind !== 'layer') {
      // Arguments we cannot see: do not guess at a layer's configuration or a function's parameters.
      if (callee.kind === 'module' && normalisePath(callee.path).startsWith('torch.nn.') && /\.[A-Z]\w*$/.test(callee.path)) return UNKNOWN;
      this.callSite = scope;
      try {
        return this.callValue(callee, args, kwargs, expr, true);
      } finally {
        this.callSite = undefined;
      }
    }
    // An in-place method that changes the shape (`x.t_()`, `h.unsqueeze_(0)`, `self.h.resize_(…)`) changes what the
    // receiver's name holds: its result, as the out-of-place method gives it, or unknown.
    // A NumPy array's `a.resize(shape)` reshapes it in place (filling with zeros or cutting to the new size) and gives None.
    const numpyResize = callee.kind === 'method' && callee.receiver.kind === 'tensor' && callee.receiver.numpy === true && callee.name === 'resize';
    const inPlace = numpyResize ? NUMPY_RESIZE : callee.kind === 'method' && callee.receiver.kind === 'tensor' && Object.hasOwn(IN_PLACE_RESHAPES, callee.name) ? IN_PLACE_RESHAPES[callee.name] : undefined;
    const called: Value = inPlace && callee.kind === 'method' ? { kind: 'method', receiver: callee.receiver, name: inPlace } : callee;
    this.callSite = scope;
    let result: Value;
    const reshapedBefore = this.reshapedTensors.length;
    try {
      result = this.callValue(called, args, kwargs, expr, false);
    } finally {
      this.callSite = undefined;
    }
    if (callee.kind === 'function' && this.reshapedTensors.length > reshapedBefore) this.seeReshapedArguments(reshapedBefore, scope);
    if (inPlace !== undefined && expr.func.kind === 'attribute') this.rebindInPlace(expr.func.object, result, scope);
    if (numpyResize) return NONE;
    if (callee.kind === 'method' && callee.receiver.kind === 'tensor' && writesValuesInPlace(callee.name) && expr.func.kind === 'attribute') this.forgetWrittenValues(expr.func.object, scope);
    if (this.inForward() && !this.ctx.inOtherFile(expr.range)) this.noteLostShape(callee, args, kwargs, result, expr.range);
    return result;
  }

  /**
   * Gives the name or attribute a tensor was read from the shape an in-place method left it with. `x.data` and
   * `x.detach()` are new tensors sharing x's storage, not its shape: `x.data.t_()` leaves x as it was (PyTorch 1.13).
   */
  private rebindInPlace(receiver: A.Expr, result: Value, scope: Scope): void {
    if (receiver.kind === 'attribute' && receiver.attr === 'data') return;
    const value = result.kind === 'tensor' ? result : UNKNOWN;
    const old = receiver.kind === 'name' ? scope.lookup(receiver.id) : undefined;
    if (old?.kind === 'tensor' && this.reshapedTensors.length < MAX_RESHAPED_TENSORS) {
      this.reshapedTensors.push([old, value]);
      // The callers' names bound to that tensor see the change (seeReshapedArguments): a run that made it is not kept
      // for later calls, which must make it again.
      this.memo.effect();
    }
    this.updateTarget(receiver, scope, () => value);
  }

  /**
   * Tensors reshaped in place through a name (`v.resize_(data.size())`), with what they became, in order: when the
   * name was a function's parameter, the caller's names bound to the same tensor see the change too (see
   * seeReshapedArguments).
   */
  private readonly reshapedTensors: [TensorValue, Value][] = [];

  /**
   * After a call of the program's own function, the names of the calling scope bound to a tensor the call reshaped in
   * place (`utils.loadData(image, batch)` whose body does `v.resize_(batch.size())`) hold what it became.
   */
  private seeReshapedArguments(from: number, scope: Scope): void {
    for (let i = from; i < this.reshapedTensors.length; i++) {
      const [old, now] = this.reshapedTensors[i];
      const names = new Set<string>();
      for (let s: Scope | undefined = scope; s; s = s.parent) for (const [k, v] of s.vars) if (v === old) names.add(k);
      for (const k of names) if (scope.lookup(k) === old) scope.set(k, now);
    }
  }

  /**
   * Binds what `update` makes of the value a name, or an attribute of an instance, holds (nothing when it gives
   * undefined): how a method that works in place writes its receiver back.
   */
  private updateTarget(target: A.Expr, scope: Scope, update: (old: Value | undefined) => Value | undefined): void {
    if (target.kind === 'name') {
      const value = update(scope.lookup(target.id));
      if (value) this.bindName(target.id, value, scope);
    } else if (target.kind === 'attribute') {
      const object = this.eval(target.object, scope);
      if (object.kind !== 'instance') return;
      const value = update(object.attrs.get(target.attr));
      if (value) this.setAttribute(object, target.attr, value);
    }
  }

  /**
   * An in-place method that writes new values (`target.sub_(1)`, `ids.clamp_(0, n)`, `x.data.fill_(0)`) leaves the
   * tensor's layout as it was but not its values: the bounds and literal contents the name held no longer hold. `x.data`
   * and `x.detach()` share x's storage, so writing through them writes x.
   */
  private forgetWrittenValues(receiver: A.Expr, scope: Scope): void {
    let base = receiver;
    for (let depth = 0; depth < 8; depth++) {
      if (base.kind === 'attribute' && base.attr === 'data') base = base.object;
      else if (base.kind === 'call' && base.args.length === 0 && base.keywords.length === 0 && base.func.kind === 'attribute' && base.func.attr === 'detach') base = base.func.object;
      else break;
    }
    const strip = (v: Value | undefined): Value | undefined => {
      if (v?.kind !== 'tensor' || (v.minValue === undefined && v.maxValue === undefined && v.literal === undefined && v.sortedDescending === undefined)) return undefined;
      const { minValue: _min, maxValue: _max, mixedBounds: _mixed, literal: _literal, sortedDescending: _sorted, ...rest } = v;
      return rest;
    };
    this.updateTarget(base, scope, strip);
  }

  /** `module(...)` of a user class's instance: its forward (nn.Module.__call__), or its own __call__. */
  private callInstance(callee: InstanceValue, args: Value[], kwargs: Map<string, Value>, expr: A.Call, partial: boolean): Value {
    // nn.Module.__call__ runs self.forward, which an instance attribute replaces (`self.forward = module.forward`).
    const own = callee.cls.isTorchModule ? callee.attrs.get('forward') : undefined;
    if (callee.cls.isTorchModule && this.memo.recording) this.memo.readAttr(callee, 'forward', own);
    if (own && own !== callee && (own.kind === 'function' || own.kind === 'method' || own.kind === 'layer' || own.kind === 'instance')) {
      this.calledInstances.add(callee);
      return this.callValue(own, args, kwargs, expr, partial);
    }
    const forward = this.findMethod(callee.cls, 'forward') ?? this.findMethod(callee.cls, 'call') ?? this.findMethod(callee.cls, '__call__');
    this.calledInstances.add(callee);
    // A class extending a torch layer without a forward of its own: the layer's.
    if (!forward && callee.torchLayer) return this.applyLayer(callee.torchLayer, args, kwargs, expr);
    return forward ? this.callFunction(forward, args, kwargs, callee, this.ownerOf(callee.cls, forward), false, { exactArgs: !partial, hidden: partial }) : UNKNOWN;
  }

  /**
   * A module called through nn.Module.__call__: its forward pre-hooks, then `run`, then its forward hooks (see
   * module-hooks.ts). A hook whose result is not known (it may be a value, which replaces) leaves the call unknown.
   */
  private withHooks(module: Value, args: Value[], kwargs: Map<string, Value>, expr: A.Call, run: (args: Value[], kwargs: Map<string, Value>) => Value): Value {
    const owner = hookOwner(module);
    const hooks = owner ? this.moduleHooks.of(owner) : undefined;
    if (!hooks) return run(args, kwargs);
    let given = args;
    for (const hook of hooks.pre) {
      const changed = this.callValue(hook, [module, { kind: 'tuple', items: given }], new Map(), expr, false);
      if (changed.kind === 'none') continue;
      if (changed.kind === 'unknown' || changed.kind === 'either' || (changed.kind === 'tuple' && changed.element)) return UNKNOWN;
      given = changed.kind === 'tuple' ? changed.items : [changed];
    }
    let output = run(given, kwargs);
    for (const hook of hooks.post) {
      const changed = this.callValue(hook, [module, { kind: 'tuple', items: given }, output], new Map(), expr, false);
      if (changed.kind === 'none') continue;
      output = changed.kind === 'unknown' || changed.kind === 'either' ? UNKNOWN : changed;
    }
    return output;
  }

  callValue(callee: Value, args: Value[], kwargs: Map<string, Value>, expr: A.Call, partial: boolean): Value {
    switch (callee.kind) {
      case 'module':
        return this.callPath(normalisePath(callee.path), args, kwargs, expr, partial);
      case 'layer':
        if (callee.layer.framework === 'keras') this.kerasLayerCalls.add(expr);
        return this.callLayer(callee, args, kwargs, expr);
      case 'class':
        return this.instantiate(callee.cls, partial ? [] : args, partial ? new Map() : kwargs, expr, false, partial);
      case 'instance':
        if (this.moduleHooks.used && callee.cls.isTorchModule) return this.withHooks(callee, args, kwargs, expr, (a, k) => this.callInstance(callee, a, k, expr, partial));
        return this.callInstance(callee, args, kwargs, expr, partial);
      case 'function':
        if (callee.boundClass) {
          // A class method: its first parameter is the class it was read from.
          const cls: Value = { kind: 'class', cls: callee.boundClass };
          return this.callFunction(callee.def, partial ? [] : [cls, ...args], partial ? new Map() : kwargs, undefined, this.ownerOf(callee.boundClass, callee.def), false, { exactArgs: !partial, hidden: partial });
        }
        return this.callFunction(callee.def, partial ? [] : args, partial ? new Map() : kwargs, callee.owner, callee.owner ? this.ownerOf(callee.owner.cls, callee.def) : undefined, false, {
          exactArgs: !partial,
          hidden: partial,
          closure: callee.closure,
        });
      case 'method':
        // A torchtext method reads only its positional arguments before any `*args`, and names its keywords.
        if (callee.receiver.kind === 'qualname' && callee.receiver.torchtext) return torchtextMethod(callee.receiver, callee.name, partial && expr.starArgs.length ? [] : args, kwargs) ?? UNKNOWN;
        if (callee.receiver.kind === 'qualname' && callee.receiver.tokenizer) return (partial ? undefined : tokenizerMethod(callee.receiver, callee.name, args, kwargs)) ?? forgetTokenizer(callee.receiver, callee.name);
        if (partial && callee.receiver.kind === 'dict' && callee.receiver.parser) return partialParserCall(callee.receiver, callee.name);
        // `x.view(-1, *sizes)` with sizes unknown: the visible arguments alone would give a wrong shape.
        if (partial) return partialMethodResult(callee.receiver, callee.name, kwargs);
        return this.callMethod(callee.receiver, callee.name, args, kwargs, expr);
      case 'kmodel':
        return callKerasModel(this, callee.model, args, expr);
      case 'either':
        return this.callEither(callee.options, args, kwargs, expr, partial);
      default:
        return UNKNOWN;
    }
  }

  /**
   * A call of one of several callables (a layer class picked in if/else, then built): each is called, muted since it
   * may never be, and the results are what they all agree on (two layers of one class with their agreed arguments, or
   * a layer that is one of several). One that reports an error, or gives unknown, makes the result unknown. None among
   * them is not called: calling None raises, so the call that goes on is another's, and with one other left it is
   * that one's own call.
   */
  private callEither(allOptions: Value[], args: Value[], kwargs: Map<string, Value>, expr: A.Call, partial: boolean): Value {
    const options = allOptions.filter((option) => option.kind !== 'none');
    if (options.length === 1 && options.length < allOptions.length) return this.callValue(options[0], args, kwargs, expr, partial);
    const results: Value[] = [];
    for (const option of options) {
      const result = this.mutedResult(() => this.callValue(option, args, kwargs, expr, partial), false);
      if (result.kind === 'unknown') return UNKNOWN;
      results.push(result);
    }
    return joinAlternatives(results);
  }

  /**
   * What code that may never run where it is analysed gives (one of alternatives): its reports muted, unknown when it
   * reports an error; `mayNotRun` also makes what it sets on objects a possibility rather than a certainty.
   */
  private mutedResult(run: () => Value, mayNotRun: boolean): Value {
    const errorsBefore = this.ctx.errorCount;
    this.ctx.muted++;
    if (mayNotRun) this.uncertain++;
    try {
      const result = run();
      return this.ctx.errorCount > errorsBefore ? UNKNOWN : result;
    } finally {
      if (mayNotRun) this.uncertain--;
      this.ctx.muted--;
    }
  }

  /**
   * A KerasTuner search: one trial builds the hypermodel's model with hyperparameters not known (a function of hp, or
   * an instance's build(hp)) and fits it with search's own arguments, which search passes on to fit.
   */
  private tunerSearch(hypermodel: Value, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    this.memo.effect();
    const hp: Value = { kind: 'qualname', name: HYPERPARAMETERS_CLASS };
    let model: Value;
    if (hypermodel.kind === 'instance') {
      const build = this.findMethod(hypermodel.cls, 'build');
      model = build ? this.callFunction(build, [hp], new Map(), hypermodel, this.ownerOf(hypermodel.cls, build)) : UNKNOWN;
    } else model = this.callValue(hypermodel, [hp], new Map(), expr, false);
    if (model.kind === 'kmodel' || (model.kind === 'instance' && model.cls.isKerasModel)) this.callMethod(model, 'fit', args, kwargs, expr);
    return NONE;
  }

  /**
   * A Lightning Trainer's fit, validate, test or predict (see lightning.ts): each stage calls the model's step with a
   * batch of its loader, which comes from the call, the datamodule or the model.
   */
  private trainerCall(method: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    const run = trainerRun(method, args, kwargs, (v) => v.kind === 'instance' && v.cls.lightning === 'data');
    const model = run?.model;
    if (!run || model?.kind !== 'instance' || model.cls.lightning !== 'module') return UNKNOWN;
    this.memo.effect();
    const datamodule = run.datamodule?.kind === 'instance' ? run.datamodule : undefined;
    const callOwn = (on: InstanceValue, name: string, callArgs: Value[]): Value | undefined => {
      const def = this.findMethod(on.cls, name);
      return def ? this.callFunction(def, callArgs, new Map(), on, this.ownerOf(on.cls, def)) : undefined;
    };
    if (datamodule) {
      callOwn(datamodule, 'prepare_data', []);
      callOwn(datamodule, 'setup', [{ kind: 'str', value: run.setupStage }]);
    }
    callOwn(model, 'setup', [{ kind: 'str', value: run.setupStage }]);
    for (const stage of run.stages) {
      const loader = stage.loader ?? (datamodule ? callOwn(datamodule, stage.loaderMethod, []) : undefined) ?? callOwn(model, stage.loaderMethod, []);
      if (!loader && !stage.always) continue;
      const batch = loader ? this.iterationValue(loader) : UNKNOWN;
      const index: Value = { kind: 'symint', dim: UNKNOWN_DIM };
      const step = this.findMethod(model.cls, stage.step);
      if (step) this.callFunction(step, [batch, index], new Map(), model, this.ownerOf(model.cls, step));
      // LightningModule.predict_step calls the model on the batch.
      else if (stage.step === 'predict_step') this.callValue(model, [batch], new Map(), expr, false);
    }
    return method === 'fit' ? NONE : UNKNOWN;
  }

  /** `self.save_hyperparameters()`: `self.hparams` holds the calling `__init__`'s arguments (or the one object given). */
  private saveHyperparameters(receiver: InstanceValue, args: Value[], kwargs: Map<string, Value>): void {
    const frame = this.frame;
    const { names, given } = hyperparameterNames(frame.self === receiver ? frame.def : undefined, args, kwargs);
    if (given) {
      this.setAttribute(receiver, 'hparams', given.kind === 'dict' ? { ...given, namespace: true } : given);
      return;
    }
    const entries = new Map<string, Value>();
    let partial = frame.self !== receiver;
    for (const name of names) {
      const value = frame.self === receiver ? frame.scope?.lookup(name) : undefined;
      if (value === undefined) partial = true;
      // **kwargs: its entries are hyperparameters of their own.
      else if (value.kind === 'dict' && frame.def?.params.some((p) => p.name === name && p.stars === 2)) {
        for (const [k, v] of value.entries) entries.set(k, v);
        partial ||= !!value.partial;
      } else entries.set(name, value);
    }
    this.setAttribute(receiver, 'hparams', { kind: 'dict', entries, namespace: true, ...(partial ? { partial: true } : {}) });
  }

  private callMethod(receiver: Value, name: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    const origin = this.originOf(expr);
    switch (receiver.kind) {
      case 'tensor': {
        const errorsBefore = this.ctx.errorCount;
        this.ctx.emit('tensorMethod', { receiver, name, call: expr, args, kwargs });
        // PyTorch raises here: what follows is unknown, so nothing downstream cascades.
        if (this.ctx.errorCount > errorsBefore) return UNKNOWN;
        const own = receiver.numpy ? numpyMethod(receiver, name, args, kwargs, origin) : undefined;
        return own ?? stillNumpy(receiver, tensorMethod(receiver, name, args, kwargs, origin));
      }
      case 'instance':
      case 'layer':
        if (receiver.kind === 'instance' && receiver.cls.isKerasModel && KERAS_MODEL_METHODS.has(name)) {
          this.memo.effect();
          return kerasModelMethod(this, this.kerasView(receiver, expr), name, args, kwargs, expr);
        }
        if (receiver.kind === 'instance' && receiver.cls.lightning === 'module' && name === 'save_hyperparameters' && !this.findMethod(receiver.cls, name)) {
          this.saveHyperparameters(receiver, args, kwargs);
          return NONE;
        }
        // model.to(device), model.eval(), model.cuda(), model.train(), model.type(torch.FloatTensor): the same module
        // (a class's own method of that name comes first for the names a class may well define, such as type).
        if (SAME_MODULE_METHODS.has(name) && !(receiver.kind === 'instance' && OVERRIDABLE_MODULE_METHODS.has(name) && this.findMethod(receiver.cls, name))) return receiver;
        if (receiver.kind === 'instance' && name === TORCH_LAYER_INIT && receiver.cls.torchLayer) {
          const built = this.constructTorchLayer(receiver.cls.torchLayer, `torch.nn.${receiver.cls.torchLayer}`, args, kwargs, expr);
          if (built.kind === 'layer') receiver.torchLayer = built.layer;
          return NONE;
        }
        if (receiver.kind === 'instance' && name === TORCH_LAYER_FORWARD) return receiver.torchLayer ? this.applyLayer(receiver.torchLayer, args, kwargs, expr) : UNKNOWN;
        // `model.__call__(x)`, written out (self.__call__(x) in a training method), is `model(x)`: nn.Module.__call__ runs
        // forward. A class with a __call__ of its own has it found as a method before this.
        if (name === '__call__' && (receiver.kind === 'layer' || (receiver.kind === 'instance' && receiver.cls.isTorchModule && !this.findMethod(receiver.cls, '__call__')))) {
          return this.callValue(receiver, args, kwargs, expr, false);
        }
        // self.register_buffer('pe', pe): the buffer is read back as self.pe; add_module and register_module
        // likewise bind a submodule to its name.
        if (receiver.kind === 'instance' && (name === 'register_buffer' || name === 'add_module' || name === 'register_module') && args[0]?.kind === 'str') {
          this.setAttribute(receiver, args[0].value, args[1] ?? kwargs.get(name === 'register_buffer' ? 'tensor' : 'module') ?? UNKNOWN);
          return NONE;
        }
        // On an instance of a Sequential subclass whose class does not define them: its children grow as a Sequential's
        // do; a child removed or set in place of another leaves them not known.
        if (receiver.kind === 'instance' && receiver.torchLayer?.kind === 'Sequential' && CHILD_CHANGING_METHODS.has(name) && !this.findMethod(receiver.cls, name)) {
          if (SEQUENTIAL_GROWTH.has(name) && !receiver.torchLayer.repeats) {
            this.growSequential(receiver.torchLayer, name, args, kwargs);
            return receiver;
          }
          this.addSequentialChild(receiver.torchLayer, UNKNOWN, UNKNOWN);
          return UNKNOWN;
        }
        if (receiver.kind === 'layer' && receiver.layer.kind === 'Sequential' && (name === 'add_module' || name === 'register_module')) {
          this.addSequentialChild(receiver.layer, args[0] ?? kwargs.get('name') ?? UNKNOWN, args[1] ?? kwargs.get('module') ?? UNKNOWN);
          return NONE;
        }
        if (receiver.kind === 'layer' && receiver.layer.kind === 'Sequential' && !receiver.layer.repeats && SEQUENTIAL_GROWTH.has(name)) {
          this.growSequential(receiver.layer, name, args, kwargs);
          // append and extend return the Sequential itself; insert as well.
          return receiver;
        }
        // `layer.forward(x)` is the layer's call.
        if (receiver.kind === 'layer' && name === 'forward') return this.applyLayer(receiver.layer, args, kwargs, expr);
        if (receiver.kind === 'layer' && name === 'generate_square_subsequent_mask' && receiver.layer.kind === 'Transformer') return subsequentMask(args[0] ?? kwargs.get('sz'), origin);
        if (name === 'register_forward_hook' || name === 'register_forward_pre_hook') return this.registerHook(receiver, name === 'register_forward_pre_hook', args, kwargs);
        if (MODULE_WALKS.has(name)) return walkModules(receiver, name, args, kwargs, this.walkContext);
        return UNKNOWN;
      case 'kmodel':
        this.memo.effect();
        return kerasModelMethod(this, receiver.model, name, args, kwargs, expr);
      case 'qualname':
        if (receiver.hookHandle) {
          if (name !== 'remove') return UNKNOWN;
          if (this.moduleHooks.remove(receiver.hookHandle)) this.memo.layerChanged();
          return NONE;
        }
        if (receiver.torchtext || receiver.tokenizer || receiver.frame) this.memo.effect();
        if (receiver.torchtext) return torchtextMethod(receiver, name, args, kwargs) ?? UNKNOWN;
        if (receiver.name === TUNER_CLASS) return name === 'search' && receiver.hypermodel ? this.tunerSearch(receiver.hypermodel, args, kwargs, expr) : UNKNOWN;
        if (receiver.name === HYPERPARAMETERS_CLASS) return hyperParameterMethod(name, args, kwargs);
        if (receiver.name === TRAINER_CLASS) return this.trainerCall(name, args, kwargs, expr);
        if (receiver.tokenizer) return tokenizerMethod(receiver, name, args, kwargs) ?? forgetTokenizer(receiver, name);
        if (receiver.frame) {
          if (!isFrame(receiver)) return UNKNOWN;
          const changed = frameMethodInPlace(receiver, name, args, kwargs, origin, this.uncertain === 0);
          if (changed) {
            this.memo.mutated(receiver);
            return changed;
          }
          return frameMethod(receiver, name, args, kwargs, origin) ?? UNKNOWN;
        }
        return sklearnMethod(receiver.name, name, asArrays(args, origin), kwargs, receiver, origin) ?? UNKNOWN;
      case 'unknown':
        // Methods only a torch tensor has, whose result's rank follows from the call alone (`h.view(B, -1)`):
        // the receiver is a tensor of unknown shape.
        return TENSOR_ONLY_METHODS.has(name) ? tensorMethod({ kind: 'tensor', shape: UNKNOWN_SHAPE, dtype: 'unknown' }, name, args, kwargs, origin) : UNKNOWN;
      case 'tuple':
        return namedTupleMethod(receiver, name, args, kwargs) ?? UNKNOWN;
      case 'list':
        if (LIST_NONE_METHODS.has(name) || name === 'pop') this.memo.mutated(receiver);
        if (name === 'append' || name === 'extend' || name === 'insert') this.countedAppend(receiver, name, expr);
        if (name === 'append' && args[0]) appendItems(receiver, [args[0]]);
        else if (name === 'extend' && (args[0]?.kind === 'list' || args[0]?.kind === 'tuple')) extendList(receiver, args[0]);
        else if (SEQUENCE_MUTATORS.has(name)) this.mutatedInPlace(receiver, name, name === 'insert' ? args[1] : args[0]);
        if (name === 'copy') return { ...receiver, items: [...receiver.items] };
        // index and count give an int whose value is not followed; pop gives an item. The others give None.
        if (name === 'index' || name === 'count') return { kind: 'symint', dim: UNKNOWN_DIM };
        return LIST_NONE_METHODS.has(name) ? NONE : UNKNOWN;
      case 'str':
      case 'longstr':
        // str.index/find/count give an int, whose value is not followed.
        if (STR_INT_METHODS.has(name)) return { kind: 'symint', dim: UNKNOWN_DIM };
        if (receiver.kind === 'str' && name === 'format') return formatBraces(receiver.value, args, kwargs);
        if (receiver.kind === 'str' && name === 'join' && args.length === 1) return joinStrings(receiver.value, args[0]);
        if (receiver.kind === 'str' && (name === 'split' || name === 'rsplit')) return splitString(receiver.value, args, kwargs, name === 'rsplit');
        if (receiver.kind === 'str' && name === 'replace') return replaceString(receiver.value, args, kwargs);
        if (receiver.kind === 'str' && args.length === 0 && kwargs.size === 0) return changeCase(receiver.value, name);
        return UNKNOWN;
      case 'dict':
        if (receiver.parser || name === 'setdefault' || DICT_MUTATORS.has(name)) this.memo.mutated(receiver);
        if (receiver.parser) return parserMethod(receiver, name, args, kwargs);
        if (receiver.counter) {
          const counted = counterMethod(receiver, name, args, kwargs);
          if (counted) return counted;
          // subtract() adds the keys it is given, with negative counts, as update() adds them.
          if (name === 'subtract') {
            this.memo.mutated(receiver);
            forgetEntries(receiver);
            return NONE;
          }
        }
        // `d.__setitem__(k, v)` (a hook written as a lambda) is `d[k] = v`, and gives None.
        if (name === '__setitem__' && args.length === 2 && kwargs.size === 0 && !receiver.parser && !receiver.counter && !receiver.moduleDict) {
          this.memo.effect();
          this.memo.mutated(receiver);
          storeEntry(receiver, args[0], args[1]);
          return NONE;
        }
        if (name === 'get') {
          const key = args[0];
          if (key && key.kind !== 'str' && key.kind !== 'int') return anyEntry(receiver, args[1] ?? NONE);
          return (key?.kind === 'str' ? receiver.entries.get(key.value) : undefined) ?? (receiver.partial ? UNKNOWN : args[1] ?? (key?.kind === 'str' ? NONE : UNKNOWN));
        }
        // setdefault(key, value) of a key it names: the entry there, or value written there and given back (a vocabulary
        // built with `vocab.setdefault(w, len(vocab))`).
        if (name === 'setdefault' && !receiver.partial && this.uncertain === 0 && args[0]?.kind === 'str' && args.length <= 2 && kwargs.size === 0) {
          const present = receiver.entries.get(args[0].value);
          if (present) return present;
          const value = args[1] ?? NONE;
          setEntry(receiver, args[0].value, value);
          return value;
        }
        // keys(), values() and items() of a dict that lists every key: its entries, in insertion order.
        if (DICT_VIEWS.has(name) && args.length === 0 && kwargs.size === 0 && !receiver.partial && !receiver.namespace && receiver.entries.size <= MAX_DICT_UNROLL) return dictView(receiver, name);
        if (!receiver.counter && !receiver.namespace && !receiver.moduleDict) {
          const changed = changeEntries(receiver, name, args, kwargs, this.uncertain > 0);
          if (changed) return changed;
        }
        // setdefault (of a key it cannot name) and the mutators of a dict it does not follow add or drop keys it does
        // not list: its length is no longer known.
        if (DICT_MUTATORS.has(name)) forgetEntries(receiver);
        return UNKNOWN;
      default:
        return UNKNOWN;
    }
  }

  /** Offers a torch function call to the rules; true when one reported that PyTorch raises there (nothing follows). */
  private raisesAt(path: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): boolean {
    const errorsBefore = this.ctx.errorCount;
    this.ctx.emit('functionCall', { qualname: path, call: expr, args, kwargs });
    return this.ctx.errorCount > errorsBefore;
  }

  private callPath(path: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call, partial: boolean): Value {
    const origin = this.originOf(expr);
    if (path.startsWith('builtins.')) {
      // list(t) and tuple(t) iterate a tensor along its first axis: offered to the rules, which know a 0-D one has none.
      // float(t), int(t) and bool(t) need a tensor of one element.
      if (BUILTINS_OFFERED_A_TENSOR.has(path) && args.length === 1 && args[0].kind === 'tensor') this.ctx.emit('functionCall', { qualname: path, call: expr, args, kwargs });
      return callBuiltin(path.slice(9), args, kwargs, this, expr);
    }
    // An OrderedDict holds what a dict does; dicts keep their insertion order too.
    if (path === 'collections.OrderedDict') return callBuiltin('dict', args, kwargs, this, expr);
    if (path === 'collections.Counter') return partial ? UNKNOWN : counterOf(args, kwargs);
    if (isNamedTupleFactory(path)) return partial ? UNKNOWN : namedTupleClass(path, args, kwargs, expr);
    if (path.startsWith('itertools.')) {
      const items = callItertools(path, args, kwargs);
      if (items) return partial ? UNKNOWN : items;
    }
    const keras = kerasPath(path);
    if (keras) {
      this.memo.effect();
      this.ctx.emit('functionCall', { qualname: path, call: expr, args, kwargs });
      if (/^keras\.layers\.[A-Z]/.test(keras)) this.kerasConstructs.add(expr);
      if (partial) return UNKNOWN;
      const known = callKeras(this, keras, args, kwargs, expr);
      if (known) return known;
      // keras.backend's tensor functions.
      const op = tfOpName(keras);
      return (op ? tfFunction(op[0], op[1], args, kwargs, origin) : undefined) ?? UNKNOWN;
    }
    // A `*seq` the analysis cannot see hides sizes, dims or operands: the result is not computed from the arguments
    // that are visible (`torch.zeros(20, *x.shape[1:])` of an x of unknown rank is not 1-D).
    if (partial && expr.starArgs.length > 0 && (isArrayFactory(path) || (path.startsWith('torch.') && torchLayerKind(path) === undefined))) {
      return path.startsWith('torch.') && path.indexOf('.', 6) === -1 && isTensorFactory(path.slice(6)) ? { kind: 'tensor', dtype: 'unknown', origin, shape: UNKNOWN_SHAPE } : UNKNOWN;
    }
    if (isArrayFactory(path)) return arrayFactory(path, args, kwargs, origin) ?? UNKNOWN;
    const fft = /^(torch|numpy)\.fft\.(\w+)$/.exec(path);
    if (fft) return partial ? UNKNOWN : fftCall(fft[2], args, kwargs, origin, fft[1] === 'numpy') ?? UNKNOWN;
    const kaldi = /^torchaudio\.compliance\.kaldi\.(\w+)$/.exec(path);
    if (kaldi) return partial ? UNKNOWN : kaldiFeatures(kaldi[1], args, kwargs, origin) ?? UNKNOWN;
    // Deltas over time keep the spectrogram's shape.
    if (path === 'torchaudio.functional.compute_deltas' && args[0]?.kind === 'tensor') return { ...args[0], origin };
    // A seeded generator's methods are np.random's functions (`rng = np.random.RandomState(0); rng.randn(120)`).
    if (path === 'numpy.random.RandomState') return { kind: 'module', path: 'numpy.random' };
    // The newer API's generator has its own methods (`rng = np.random.default_rng(0); rng.integers(0, 10, size=5)`).
    if (path === 'numpy.random.default_rng' || path === GENERATOR) return { kind: 'module', path: GENERATOR };
    if (path.startsWith('sklearn.')) return sklearnCall(path, asArrays(args, origin), kwargs, origin) ?? UNKNOWN;
    if (isTunerPath(path)) return partial ? UNKNOWN : tunerOf(args, kwargs);
    if (isTrainerPath(path)) return { kind: 'qualname', name: TRAINER_CLASS };
    if (path.startsWith('pandas.')) {
      if (partial) return UNKNOWN;
      // A reader given a number for its file raises: nothing after it runs on this path.
      if (readerRaises(path, args, kwargs)) {
        this.ctx.raiseSilently();
        return UNKNOWN;
      }
      return pandasCall(path, args, kwargs) ?? UNKNOWN;
    }
    if (path.startsWith('torchtext.')) return partial ? UNKNOWN : torchtextCall(path, args, kwargs, origin) ?? UNKNOWN;
    if (path === 'docopt.docopt') return partial ? { kind: 'dict', entries: new Map(), partial: true } : docoptCall(args, kwargs);
    if (path === 'argparse.ArgumentParser') {
      const parser: Value = { kind: 'dict', entries: new Map(), namespace: true, parser: true };
      // Arguments a parent parser adds, or options spelled with other prefix characters, are not read from a command line.
      if (partial || kwargs.has('parents') || kwargs.has('prefix_chars')) forgetArguments(parser);
      return parser;
    }
    if (path === 'types.SimpleNamespace' || path === 'argparse.Namespace') return { kind: 'dict', entries: new Map(kwargs), namespace: true };
    if (path.startsWith('random.')) {
      const drawn = partial ? undefined : pythonRandomCall(path.slice(7), args, kwargs);
      if (drawn) return drawn;
    }
    if (path.startsWith('string.') && path in STRING_CONSTANTS) return { kind: 'str', value: STRING_CONSTANTS[path] };
    if (path === 'copy.deepcopy' || path === 'copy.copy') return partial || !args[0] ? UNKNOWN : copiedValue(args[0], path === 'copy.deepcopy');
    // The analysis follows the run every program can make, on a machine without a GPU (as the model executor and
    // the PyTorch oracles do): `x.cuda() if USE_CUDA else x` takes its CPU branch, and a bug there raises on any CPU.
    if (path === 'torch.cuda.is_available') return { kind: 'bool', value: false };
    if (Object.hasOwn(MATH_ROUNDINGS, path) && args.length === 1 && !kwargs.size) return roundedToInt(MATH_ROUNDINGS[path], args[0]);
    if ((path === 'numpy.prod' || path === 'math.prod') && args.length === 1 && !kwargs.size) {
      const product = productOfInts(args[0]);
      if (product) return product;
    }
    const math = Object.hasOwn(MATH_FUNCTIONS, path) ? MATH_FUNCTIONS[path] : undefined;
    if (math && args.length === 1 && (args[0].kind === 'int' || args[0].kind === 'float') && args[0].value !== undefined) {
      const v = math(args[0].value);
      return Number.isFinite(v) ? { kind: 'float', value: v } : UNKNOWN;
    }
    // math's functions give a float whatever they are given (or raise); NumPy's give a float for a Python number, but
    // an array for an array or a tensor.
    if (math && args.length === 1 && (path.startsWith('math.') || isPythonNumber(args[0]))) return { kind: 'float' };
    // np.shape(a) and np.ndim(a) of an array or a tensor read its .shape and .ndim (NumPy returns a.shape itself when
    // a has one: a torch.Size for a tensor).
    if ((path === 'numpy.shape' || path === 'numpy.ndim') && !partial && args.length + kwargs.size === 1) {
      const a = args[0] ?? kwargs.get('a');
      if (a?.kind === 'tensor' && a.shape.rankKnown) return path === 'numpy.shape' ? { kind: 'size', dims: a.shape.dims, of: a } : { kind: 'int', value: a.shape.dims.length };
    }
    // NumPy's element-wise functions, reductions and products of arrays.
    if (isNumpyFunction(path)) {
      const computed = partial ? undefined : numpyFunction(path, args, kwargs, origin);
      if (computed) return computed;
    }
    // Transparent wrappers: the old autograd Variable and from_numpy hold the same tensor.
    if (path === 'torch.autograd.Variable' || path === 'torch.autograd.variable.Variable') return args[0] ?? kwargs.get('data') ?? UNKNOWN;
    // torch.from_numpy shares the array's memory, but what it gives is a tensor, with a tensor's methods.
    if (path === 'torch.from_numpy') return args[0]?.kind === 'tensor' && args[0].numpy ? { ...args[0], numpy: undefined } : args[0] ?? UNKNOWN;
    // weight_norm(module) and spectral_norm(module) reparametrise the module's weight and return the module itself.
    if (MODULE_RETURNING_WRAPPERS.has(path)) {
      const module = args[0] ?? kwargs.get('module');
      return module && (module.kind === 'layer' || module.kind === 'instance') ? module : UNKNOWN;
    }
    // Keyword arguments the analysis cannot see may hold a collate_fn or batch_size=None: the batches are then unknown.
    if (path === 'torch.utils.data.DataLoader' || path === 'torch.utils.data.dataloader.DataLoader') return partial ? UNKNOWN : this.dataLoader(args, kwargs, expr);
    if (path === 'torch.utils.data.TensorDataset' || path === 'torch.utils.data.dataset.TensorDataset') return tensorDataset(args);
    if (path === 'torch.utils.data.Subset' || path === 'torch.utils.data.dataset.Subset') {
      const indices = args[1] ?? kwargs.get('indices');
      return partial ? UNKNOWN : subsetOf(this.datasetSample(args[0] ?? kwargs.get('dataset'), subsetIndex(indices)), indices);
    }
    if (path === 'torch.utils.data.random_split' || path === 'torch.utils.data.dataset.random_split') {
      // random_split's subsets index their dataset with a list of ints (a permutation's tolist()).
      const index: Value = { kind: 'symint', dim: UNKNOWN_DIM };
      return partial ? UNKNOWN : randomSplit(this.datasetSample(args[0] ?? kwargs.get('dataset'), index), args[1] ?? kwargs.get('lengths'));
    }
    if (path === 'torch.nn.Transformer.generate_square_subsequent_mask') return subsequentMask(args[0] ?? kwargs.get('sz'), origin);
    if (path === 'torch.nn.Embedding.from_pretrained') return partial ? UNKNOWN : this.pretrainedEmbedding(args, kwargs, expr);
    const einops = /^einops\.(?:einops\.)?(rearrange|repeat|reduce|einsum)$/.exec(path);
    if (einops) return partial ? UNKNOWN : einopsCall(einops[1], args, kwargs, origin) ?? UNKNOWN;
    const einopsLayer = /^einops\.layers\.torch\.(Rearrange|Reduce)$/.exec(path);
    if (einopsLayer) return partial ? UNKNOWN : this.constructTorchLayer(einopsLayer[1], path, args, kwargs, expr);
    const layerKind = torchLayerKind(path);
    if (layerKind !== undefined) return partial ? UNKNOWN : this.constructTorchLayer(layerKind, path, args, kwargs, expr);
    if (path.startsWith('torch.nn.utils.rnn.')) {
      this.ctx.emit('functionCall', { qualname: path, call: expr, args, kwargs });
      return rnnUtility(path.slice('torch.nn.utils.rnn.'.length), args, kwargs, origin);
    }
    if (path.startsWith('torch.nn.init.')) {
      const name = path.slice('torch.nn.init.'.length);
      if (isInitialiser(name)) return partial ? UNKNOWN : initialise(name, args, kwargs);
    }
    // backward() and grad() of outputs: offered to the rules, which know they need a scalar when no gradient is given.
    if (path === 'torch.autograd.backward' || path === 'torch.autograd.grad') {
      this.ctx.emit('functionCall', { qualname: path, call: expr, args, kwargs });
      return UNKNOWN;
    }
    if (path.startsWith('torch.nn.functional.')) {
      if (this.raisesAt(path, args, kwargs, expr)) return UNKNOWN;
      const name = path.slice('torch.nn.functional.'.length);
      return functionalLoss(name, args, kwargs, origin) ?? tensorFunction(name, args, kwargs, origin) ?? UNKNOWN;
    }
    if (path.startsWith('torch.') && path.indexOf('.', 6) === -1) {
      if (this.raisesAt(path, args, kwargs, expr)) return UNKNOWN;
      const name = path.slice(6);
      if (isTensorFactory(name)) return tensorFactory(name, args, kwargs, origin) ?? UNKNOWN;
      if (name === 'Tensor' || name === 'FloatTensor') return tensorFactory('FloatTensor', args, kwargs, origin) ?? UNKNOWN;
      return tensorFunction(name, args, kwargs, origin) ?? UNKNOWN;
    }
    // TensorFlow's tensor functions (its array factories, tf.constant and the others, are read above).
    const tfOp = tfOpName(path);
    if (tfOp) return partial ? UNKNOWN : tfFunction(tfOp[0], tfOp[1], args, kwargs, origin) ?? UNKNOWN;
    return UNKNOWN;
  }

  private constructTorchLayer(kind: string, qualname: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    this.memo.effect();
    if (kind === 'ModuleList') {
      const items = args[0];
      return items?.kind === 'list' || items?.kind === 'tuple' ? { ...items, kind: 'list', items: [...items.items], tag: undefined } : { kind: 'list', items: [] };
    }
    // nn.ModuleDict(d) registers d's modules in a container of its own (a copy: later writes to d do not reach it).
    if (kind === 'ModuleDict') return args[0]?.kind === 'dict' ? { ...args[0], entries: new Map(args[0].entries), moduleDict: true } : { kind: 'dict', entries: new Map(), moduleDict: true };
    if (kind === 'Parameter') return args[0] ?? UNKNOWN;
    const family = torchFamily(kind);
    if (!family) return UNKNOWN;
    const layer: LayerDesc = {
      framework: 'torch',
      kind,
      qualname,
      call: expr,
      args: bindArgs(family.params(kind), expr, args, kwargs),
      children: kind === 'Sequential' ? sequentialChildren(args) : [],
      label: this.originOf(expr).text,
      ...(kind === 'Sequential' && !expr.args.length && !expr.keywords.length && !expr.hasStarArgs && !expr.starKwargs.length ? { builtEmpty: true } : {}),
    };
    const errorsBefore = this.ctx.errorCount;
    this.ctx.emit('layerConstruct', { layer });
    if (this.ctx.errorCount > errorsBefore) layer.broken = true;
    this.ctx.addLayerSite({ range: expr.range, framework: 'torch', kind, describe: () => family.hover(layer) });
    return { kind: 'layer', layer };
  }

  /** nn.Embedding.from_pretrained(weights): a table of weights.size(0) rows of weights.size(1) features. */
  private pretrainedEmbedding(args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    this.memo.effect();
    const weights = args[0] ?? kwargs.get('embeddings');
    const weightsExpr = expr.args[0] ?? expr.keywords.find((k) => k.name === 'embeddings')?.value;
    const dims = weights?.kind === 'tensor' && weights.shape.rankKnown && weights.shape.dims.length === 2 ? weights.shape.dims : undefined;
    const family = torchFamily('Embedding')!;
    const bound = bindArgs(family.params('Embedding'), expr, [], kwargs);
    bound.delete('embeddings');
    bound.delete('freeze');
    for (const [i, name] of (['num_embeddings', 'embedding_dim'] as const).entries()) {
      bound.set(name, { value: dims ? valueFromDim(dims[i]) : UNKNOWN, ...(weightsExpr ? { expr: weightsExpr } : {}) });
    }
    const layer: LayerDesc = { framework: 'torch', kind: 'Embedding', qualname: 'torch.nn.Embedding', call: expr, args: bound, children: [], label: this.originOf(expr).text };
    this.ctx.emit('layerConstruct', { layer });
    this.ctx.addLayerSite({ range: expr.range, framework: 'torch', kind: 'Embedding', describe: () => family.hover(layer) });
    return { kind: 'layer', layer };
  }

  /**
   * `nn.Sequential(*blocks)` with blocks a list of unknown length whose items are all like one layer or module (the
   * list's summary): a Sequential that applies that module as many times as the list holds. Undefined for anything
   * else, which stays unknown.
   */
  private repeatedSequential(blocks: Value, expr: A.Call): Value | undefined {
    if ((blocks.kind !== 'list' && blocks.kind !== 'tuple') || !blocks.element) return undefined;
    const element = blocks.element;
    if (element.kind !== 'layer' && element.kind !== 'instance') return undefined;
    if (element.kind === 'layer' && (element.layer.framework !== 'torch' || element.layer.broken)) return undefined;
    const layer: LayerDesc = {
      framework: 'torch',
      kind: 'Sequential',
      qualname: 'torch.nn.Sequential',
      call: expr,
      args: new Map(),
      children: [],
      repeats: sequentialChildren([element])[0],
      label: this.originOf(expr).text,
    };
    this.ctx.addLayerSite({ range: expr.range, framework: 'torch', kind: 'Sequential', describe: () => torchFamily('Sequential')!.hover(layer) });
    return { kind: 'layer', layer };
  }

  /**
   * A module applied an unknown number of times, 0 included (a Sequential of a list of unknown length): what every
   * count gives, as a loop's second pass finds it. The input joined with one application's output is applied again;
   * when that changes nothing the join holds for every count, otherwise the result is unknown. A module whose output
   * cannot be its next input (a tuple, another rank) gives unknown.
   */
  private applyRepeated(child: LayerDesc, input: Value, expr: A.Call): Value {
    let joined = input;
    for (let pass = 0; pass < 3; pass++) {
      const output = this.applyLayer(child, [joined], new Map(), expr);
      if (output.kind !== 'tensor' || !output.shape.rankKnown) return UNKNOWN;
      const next = joinValues(joined, output);
      if (next.kind !== 'tensor' || !next.shape.rankKnown) return UNKNOWN;
      if (sameValue(next, joined)) return next;
      joined = next;
    }
    return UNKNOWN;
  }

  applyLayer(layer: LayerDesc, rawArgs: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    if (layer.module) return this.callValue(layer.module, rawArgs, kwargs, expr, false);
    if (layer.broken) return UNKNOWN;
    if (layer.repeats) {
      const input = rawArgs[0];
      return rawArgs.length === 1 && kwargs.size === 0 && input.kind === 'tensor' && input.shape.rankKnown ? this.applyRepeated(layer.repeats, input, expr) : UNKNOWN;
    }
    const args = rawArgs.map((a, i) => (i === 0 && a.kind === 'unknown' ? ({ kind: 'tensor', dtype: 'unknown', shape: UNKNOWN_SHAPE } as TensorValue) : i === 0 && layer.framework === 'keras' ? numberAsTensor(a, expr, this) : a));
    if (args.length === 0 && kwargs.has('input')) args.push(kwargs.get('input')!);
    if (layer.alternatives) return this.applyAlternatives(layer.alternatives, args, kwargs, expr);
    const errorsBefore = this.ctx.errorCount;
    this.ctx.emit('layerCall', { layer, call: expr, args, kwargs, loop: this.frame.loops?.at(-1), caller: this.frame.def });
    // PyTorch stops at the first error: what this call would produce is unknown, so nothing downstream cascades.
    if (this.ctx.errorCount > errorsBefore) return UNKNOWN;
    const family = layer.framework === 'torch' ? torchFamily(layer.kind) : kerasFamily(layer.kind);
    if (!family) return UNKNOWN;
    const output = family.apply(layer, args, kwargs, {
      call: expr,
      origin: this.originOf(expr),
      applyLayer: (child, childArgs) => this.callLayer({ kind: 'layer', layer: child }, childArgs, new Map(), expr),
      source: this.ctx.source,
      callValue: (callee, callArgs, callKwargs) => this.callValue(callee, callArgs, callKwargs, expr, false),
    });
    if (layer.framework === 'torch') kindAfterLayer(output, args[0], layer.kind, this.originOf(expr));
    this.ctx.noteLayerCall(layer.call.range, () => {
      const shapes = describeCall(args[0], output);
      return shapes ? `\`${this.originOf(expr).text}\` (line ${expr.range.start.line + 1}): ${shapes}` : undefined;
    });
    return layer.framework === 'keras' ? withKerasNode(output, layer, args, kwargs) : output;
  }

  readonly moduleHooks = new ModuleHooks();

  private readonly walkContext: WalkContext = {
    maybe: (object, name) => this.maybeAttrs.get(object)?.has(name) === true,
    childNames: (layer) => this.sequentialNames.get(layer),
  };

  /**
   * `module.register_forward_hook(hook)` / `register_forward_pre_hook(hook)` (see module-hooks.ts): the handle, or
   * unknown when the hook is not run (a condition not decided, `with_kwargs=True`, a hook the analysis cannot call).
   */
  private registerHook(receiver: Value, before: boolean, args: Value[], kwargs: Map<string, Value>): Value {
    const owner = hookOwner(receiver);
    const hook = args[0] ?? kwargs.get('hook');
    const prepend = args[1] ?? kwargs.get('prepend') ?? { kind: 'bool', value: false };
    const withKwargs = kwargs.get('with_kwargs') ?? { kind: 'bool', value: false };
    if (!owner || !hook || this.uncertain > 0 || prepend.kind !== 'bool' || withKwargs.kind !== 'bool' || withKwargs.value || args.length > 2) return UNKNOWN;
    if (hook.kind !== 'function' && hook.kind !== 'method' && hook.kind !== 'instance') return UNKNOWN;
    this.memo.layerChanged();
    return { kind: 'qualname', name: HOOK_HANDLE_CLASS, hookHandle: this.moduleHooks.register(owner, hook, before, prepend.value) };
  }

  /**
   * A layer called as `layer(x)`, by the program or by the container it sits in: with its hooks. A user module placed
   * in a container runs its hooks as the instance it is.
   */
  private callLayer(module: Extract<Value, { kind: 'layer' }>, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    if (!this.moduleHooks.used || module.layer.module) return this.applyLayer(module.layer, args, kwargs, expr);
    return this.withHooks(module, args, kwargs, expr, (a, k) => this.applyLayer(module.layer, a, k, expr));
  }

  /**
   * A module that is one of several (built on paths not decided): what every alternative's output agrees on. Rules do
   * not see these calls, since a finding on an alternative that is never taken would be false: a built-in layer's
   * shape rule is applied alone, and a container or a user module runs muted and as code that may not run (what it
   * reports still makes its output unknown). An alternative that cannot be computed makes the whole unknown.
   */
  private applyAlternatives(alternatives: LayerDesc[], args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    const outputs: Value[] = [];
    for (const layer of alternatives) {
      const output =
        layer.module || layer.children.length || layer.repeats ? this.mutedResult(() => this.applyLayer(layer, args, kwargs, expr), true) : this.applyShapeRule(layer, args, kwargs, expr);
      if (output.kind === 'unknown') return UNKNOWN;
      outputs.push(output);
    }
    return joinAlternatives(outputs);
  }

  private applyShapeRule(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    const family = torchFamily(layer.kind);
    return family ? family.apply(layer, args, kwargs, { call: expr, origin: this.originOf(expr), applyLayer: () => UNKNOWN }) : UNKNOWN;
  }

  // ── user classes and functions ────────────────────────────────────────────────

  /** The first answer along the class and its bases, depth-first as Python's MRO is for single inheritance. */
  private inMro<T>(cls: ClassInfo, pick: (c: ClassInfo) => T | undefined, seen = new Set<ClassInfo>()): T | undefined {
    if (seen.has(cls)) return undefined;
    seen.add(cls);
    const own = pick(cls);
    if (own !== undefined) return own;
    for (const base of cls.bases) {
      const found = this.inMro(base, pick, seen);
      if (found !== undefined) return found;
    }
    return undefined;
  }

  // A class with no user-defined base (most are: nn.Module is no ClassInfo) is its own MRO: asked directly.

  findMethod(cls: ClassInfo, name: string): A.FunctionDef | undefined {
    if (cls.bases.length === 0) return cls.methods.get(name);
    return this.inMro(cls, (c) => c.methods.get(name));
  }

  private ownerOf(cls: ClassInfo, def: A.FunctionDef): ClassInfo | undefined {
    if (cls.bases.length === 0) return cls.methods.get(def.name) === def ? cls : undefined;
    return this.inMro(cls, (c) => (c.methods.get(def.name) === def ? c : undefined));
  }

  private findClassAttr(cls: ClassInfo, name: string): Value | undefined {
    if (cls.bases.length === 0) return cls.classAttrs.get(name);
    return this.inMro(cls, (c) => c.classAttrs.get(name));
  }

  instantiate(cls: ClassInfo, args: Value[], kwargs: Map<string, Value>, expr: A.Call | undefined, symbolic: boolean, partial = false): Value {
    // Python refuses the arguments before __init__ runs (a TypeError): no instance is made and nothing is assigned.
    // A namedtuple class's instance is a tuple (see named-tuples.ts).
    if (cls.namedTupleFactory) return partial || symbolic ? UNKNOWN : namedTupleInstance(cls, args, kwargs);
    const init = this.findMethod(cls, '__init__');
    if (init && !partial && !symbolic && !cls.namedTupleFields && bindingRaises(init, args.length, kwargs.keys(), true)) return UNKNOWN;
    const instance: InstanceValue = { kind: 'instance', cls, attrs: new InstanceAttrs(), site: expr?.range };
    this.memo.effect();
    const list = this.instances.get(cls) ?? [];
    list.push(instance);
    this.instances.set(cls, list);
    if (cls.namedTupleFields && !partial) bindNamedTupleFields(instance, cls.namedTupleFields, cls.namedTupleDefaults, args, kwargs);
    // Every argument of a call written out is visible: `*layers` and `**kwargs` of __init__ hold the rest, as in a call
    // of a function.
    else if (init) this.callFunction(init, args, kwargs, instance, this.ownerOf(cls, init), symbolic, partial ? { hidden: true } : { exactArgs: expr !== undefined });
    // A class extending a torch layer with no __init__ of its own: the arguments build the layer, when all are visible.
    else if (cls.torchLayer && expr && !symbolic && !partial) this.callMethod(instance, TORCH_LAYER_INIT, args, kwargs, expr);
    else if (cls.def.body.length && !cls.isTorchModule) {
      // Dataclass-style configs: keyword arguments become attributes.
      for (const [k, v] of kwargs) instance.attrs.set(k, v);
    }
    return instance;
  }

  /**
   * Runs a function with bound arguments. Parameters without an argument take their default, or,
   * when `symbolic` (a model nobody instantiates in this file), a named symbol: sizes stay unknown
   * numbers that can still be compared by name.
   */
  callFunction(
    def: A.FunctionDef,
    args: Value[],
    kwargs: Map<string, Value>,
    self: InstanceValue | undefined,
    cls?: ClassInfo,
    symbolic: boolean | 'tensors' = false,
    call: CallOptions = {},
  ): Value {
    const site = this.callSite;
    this.callSite = undefined;
    this.calledFunctions.add(def);
    if (call.closure) this.memo.closureCalled(call.closure);
    const below = this.frame;
    const context = { inForward: below.inForward === true, inKerasCall: below.inKerasCall === true, muted: this.ctx.muted > 0, uncertain: this.uncertain > 0, asScript: this.runningAsScript };
    const key = this.memo.keyOf(def, args, kwargs, self, cls, symbolic, call, context);
    const kept = key && this.memo.find(key);
    if (kept) return kept;
    const runs = this.runs.get(def) ?? 0;
    if (!this.mayRunAgain(def, runs) || this.frames.length > MAX_DEPTH || recursionDepth(this.frames, def) >= MAX_RECURSION) {
      // A run that gives up on a call is not followed to its end: a later one may do better.
      this.memo.effect();
      return UNKNOWN;
    }
    this.runs.set(def, runs + 1);
    if (!key) return this.runFunction(def, args, kwargs, self, cls, symbolic, call, site);
    const recording = this.memo.begin();
    const reportsBefore = this.ctx.reportCount;
    let result: Value;
    try {
      result = this.runFunction(def, args, kwargs, self, cls, symbolic, call, site);
    } catch (error) {
      this.memo.abort(recording);
      throw error;
    }
    this.memo.end(recording, key, result, this.ctx.reportCount > reportsBefore);
    return result;
  }

  /** One run of a function (see callFunction). */
  private runFunction(
    def: A.FunctionDef,
    args: Value[],
    kwargs: Map<string, Value>,
    self: InstanceValue | undefined,
    cls: ClassInfo | undefined,
    symbolic: boolean | 'tensors',
    call: CallOptions,
    site: Scope | undefined,
  ): Value {
    // Python refuses these arguments with a TypeError before the body runs: binding them anyway would run the body on
    // values shifted into the wrong parameters.
    if (symbolic === false && !call.hidden && bindingRaises(def, args.length, kwargs.keys(), self !== undefined)) return UNKNOWN;
    const globals = this.globalsOf.get(def) ?? this.module;
    const enclosing = call.closure ? closureView(call.closure, site) : undefined;
    const scope = new Scope(enclosing ?? globals);
    const params = [...def.params];
    if (self && params.length && !params[0].variadic) scope.set(params.shift()!.name, self);
    // `*args` and `**kwargs` hold what the call passed beyond the named parameters, when every argument is visible.
    const exact = call.exactArgs === true && symbolic === false && !(self && def.params[0]?.variadic);
    let position = 0;
    for (const param of params) {
      if (param.variadic) {
        if (exact && param.stars === 1) {
          scope.set(param.name, sequence('tuple', args.slice(position)));
          position = args.length;
        } else if (exact && param.stars === 2) {
          const named = new Set(params.filter((p) => !p.variadic).map((p) => p.name));
          scope.set(param.name, { kind: 'dict', entries: new Map([...kwargs].filter(([k]) => !named.has(k))) });
        } else scope.set(param.name, UNKNOWN);
        continue;
      }
      let value: Value | undefined;
      if (position < args.length) value = args[position++];
      if (kwargs.has(param.name)) value = kwargs.get(param.name);
      // A call that hides some of its arguments (`f(**config)` of a dict not known) may pass any parameter it does not
      // show: the default is only one of the values it can take, so the parameter is unknown.
      if (value === undefined && param.default && !call.hidden) {
        value = this.eval(param.default, globals);
        if (symbolic === true && (value.kind === 'int' || value.kind === 'float')) value = { ...value, assumedDefault: param.name };
      }
      if (value === undefined && symbolic === 'tensors') value = { kind: 'tensor', shape: UNKNOWN_SHAPE, dtype: 'unknown', origin: { range: param.range, text: param.name }, name: param.name };
      if (value === undefined && symbolic) {
        const dim = symDim(param.name, { origin: { range: param.range, text: param.name } });
        // Only assumed to be an int, unless the function itself gives it as a size to a layer it always builds.
        value = paramsUsedAsSizes(def, (r) => this.ctx.text(r)).has(param.name) ? { kind: 'symint', dim } : { kind: 'symint', dim, assumed: param.name };
      }
      if (value === undefined) value = UNKNOWN;
      scope.set(param.name, value);
    }
    this.refineRanksByUse(def, params, scope, self);
    if (self && def.name === '__init__' && !self.initArgs) {
      self.initArgs = new Map(params.filter((p) => !p.variadic).map((p): [string, Value] => [p.name, scope.lookup(p.name) ?? UNKNOWN]));
    }
    const below = this.frame;
    const frame: Frame = {
      def,
      cls,
      self,
      scope,
      outerNames: this.outerNamesOf(def, enclosing, globals),
      returns: [],
      inForward: below.inForward === true || (def.name === 'forward' && cls?.isTorchModule === true),
      inKerasCall: below.inKerasCall === true || (def.name === 'call' && cls?.isKerasModel === true),
    };
    this.frames.push(frame);
    if (frame.inForward && siteTrace.param) for (const p of params) if (!p.variadic) siteTrace.param(def, p.name, scope.vars.get(p.name) ?? UNKNOWN, symbolic);
    const caller = { module: this.currentModule, script: this.runningAsScript };
    this.currentModule = globals;
    const stepsBefore = this.ctx.steps;
    const errorsBefore = this.ctx.errorCount;
    try {
      this.execBlock(def.body, scope);
    } finally {
      this.stepsIn.set(def, (this.stepsIn.get(def) ?? 0) + this.ctx.steps - stepsBefore);
      this.frames.pop();
      this.currentModule = caller.module;
      this.runningAsScript = caller.script;
    }
    if (def.generator) {
      // A generator: iterating it gives the yielded values, as many as the loops run (unknown).
      const yields = frame.yields ?? [];
      return listOf(yields.length && yields.every((v) => sameValue(v, yields[0])) ? yields[0] : UNKNOWN);
    }
    // PyTorch raised in this run (an error was reported in its body or the calls it made): the call never returns, so
    // its caller gets nothing to build on, as after a layer call that raises.
    if (this.ctx.errorCount > errorsBefore) return UNKNOWN;
    if (frame.returns.length === 0) return NONE;
    return joinAll(frame.returns)!;
  }

  /** The scope of the call being made now, for a closure's view of its enclosing function (set by `call`). */
  private callSite: Scope | undefined;

  private readonly declaredOuter = new WeakMap<A.FunctionDef, Map<string, 'nonlocal' | 'global'>>();

  /** The names a function declares `nonlocal` or `global`, with the scope Python writes each in. */
  private outerNamesOf(def: A.FunctionDef, enclosing: Scope | undefined, globals: Scope): Frame['outerNames'] {
    let declared = this.declaredOuter.get(def);
    if (!declared) this.declaredOuter.set(def, (declared = declaredOuterNames(def.body, this.ctx)));
    if (declared.size === 0) return undefined;
    const out = new Map<string, { kind: 'nonlocal' | 'global'; scope: Scope }>();
    for (const [name, kind] of declared) {
      if (kind === 'global') out.set(name, { kind, scope: globals });
      else if (enclosing) out.set(name, { kind, scope: enclosing });
    }
    return out;
  }

  /** Steps spent in each function's runs, the functions it called included. */
  private readonly stepsIn = new Map<A.FunctionDef, number>();

  /**
   * Whether a function may run once more. Every function gets MAX_RUNS_PER_FUNCTION runs; a cheap one (a helper such
   * as `to_var(x)`, called at every step of a decoding loop) keeps running while all its runs together stay within
   * CHEAP_RUN_STEPS, so its result is computed rather than given up as unknown, at a cost bounded per function.
   */
  private mayRunAgain(def: A.FunctionDef, runs: number): boolean {
    if (runs < MAX_RUNS_PER_FUNCTION) return true;
    return runs < MAX_CHEAP_RUNS && (this.stepsIn.get(def) ?? 0) < CHEAP_RUN_STEPS;
  }

  /**
   * Parameters holding a tensor of unknown rank whose rank the body itself proves (`x.permute(1, 0, 2)`, an LSTM's
   * output indexed `out[:, -1, :]`): from the start of the body they have that rank, their sizes the symbols
   * `x.size(i)` (see ops/rank-from-use).
   */
  private refineRanksByUse(def: A.FunctionDef, params: A.Param[], scope: Scope, self: InstanceValue | undefined): void {
    const open = params.filter((p) => {
      const v = !p.variadic ? scope.vars.get(p.name) : undefined;
      return v?.kind === 'tensor' && !v.shape.rankKnown;
    });
    if (open.length === 0) return;
    const ranks = this.provenRanks(def, self).params;
    for (const [name, rank] of ranks) {
      if (!open.some((p) => p.name === name)) continue;
      const value = scope.vars.get(name) as TensorValue;
      const refined = refineRankByUnpacking(value, rank, true, name);
      if (refined) scope.set(name, refined);
    }
  }

  private readonly provenCache = new WeakMap<A.FunctionDef, Map<InstanceValue | undefined, ProvenRanks>>();

  /** What a function's body proves of ranks (ops/rank-from-use), run as a method of `self` or as a plain function. */
  private provenRanks(def: A.FunctionDef, self: InstanceValue | undefined): ProvenRanks {
    let bySelf = this.provenCache.get(def);
    if (!bySelf) this.provenCache.set(def, (bySelf = new Map()));
    let proven = bySelf.get(self);
    if (!proven) {
      const own = def.params.filter((p) => !p.variadic);
      const selfName = self && own.length ? own[0].name : undefined;
      const params = (selfName !== undefined ? own.slice(1) : own).map((p) => p.name);
      proven = ranksProvenByUse(def, params, this.staticContext(selfName, self, this.globalsOf.get(def) ?? this.module), selfName);
      bySelf.set(self, proven);
    }
    return proven;
  }

  /**
   * How ops/rank-from-use sees a function's names: `self` and the module's globals, read without running anything,
   * and the function a call of a user module or method runs.
   */
  private staticContext(selfName: string | undefined, selfValue: Value | undefined, globals: Scope): StaticContext {
    const names = new Scope(globals);
    if (selfName !== undefined && selfValue) names.set(selfName, selfValue);
    const resolve = (e: A.Expr): Value | undefined => {
      if (e.kind === 'name') return names.lookup(e.id);
      if (e.kind !== 'attribute') return undefined;
      const object = resolve(e.object);
      return object ? this.attribute(e, object) : undefined;
    };
    const callee = (value: Value): ReturnType<StaticContext['callee']> => {
      let def: A.FunctionDef | undefined;
      let self: InstanceValue | undefined;
      if (value.kind === 'function') {
        def = value.def;
        self = value.owner;
      } else if (value.kind === 'layer' && value.layer.module) {
        self = value.layer.module;
        def = this.findMethod(self.cls, 'forward');
      } else if (value.kind === 'instance' && value.cls.isTorchModule) {
        self = value;
        def = this.findMethod(value.cls, 'forward');
      }
      if (!def) return undefined;
      const own = def.params.filter((p) => !p.variadic);
      const calleeSelf = self && own.length ? own[0].name : undefined;
      const params = (calleeSelf !== undefined ? own.slice(1) : own).map((p) => p.name);
      return { def, params, selfName: calleeSelf, context: this.staticContext(calleeSelf, self, this.globalsOf.get(def) ?? this.module) };
    };
    return { resolve, callee };
  }

  /**
   * Iterating a DataLoader yields batches of its dataset's samples: a user Dataset's __getitem__ result, or a
   * sequence's item (a TensorDataset's rows). default_collate gives each tensor a leading batch axis; a collate_fn
   * defined in the project (a function, or an object whose class defines __call__) is run on a list of such samples.
   */
  private dataLoader(args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
    const dataset = args[0] ?? kwargs.get('dataset');
    // A batch_sampler only chooses which samples make a batch (and how many): they are collated all the same.
    if (!dataset) return UNKNOWN;
    let sample: Value | undefined;
    if (dataset.kind === 'instance') {
      const getitem = this.findMethod(dataset.cls, '__getitem__');
      if (getitem) sample = this.callFunction(getitem, [this.sampleIndex(dataset, args, kwargs)], new Map(), dataset, this.ownerOf(dataset.cls, getitem));
    } else sample = sampleOfSequence(dataset);
    const collateFn = kwargs.get('collate_fn');
    // A sample the analysis cannot see (a dataset from a library, an iterable) still goes through a collate_fn
    // defined in the project, whose own ops may fix what a batch is (`pad_sequence(...)` gives (T, B)).
    if (!sample && collateFn && (collateFn.kind === 'function' || collateFn.kind === 'instance')) sample = UNKNOWN;
    if (!sample) return UNKNOWN;
    // batch_size=None turns batching off: samples come one by one.
    if (kwargs.get('batch_size')?.kind === 'none') return collateFn ? UNKNOWN : listOf(sample);
    if (collateFn && collateFn.kind !== 'none') {
      // The collate_fn is given the batch's samples as a list. An explicit batch_size=1 (no batch_sampler) makes every
      // batch one sample, the last one too: a list of one. Otherwise how many it holds is left unknown.
      const batch = loaderBatch(dataset, args, kwargs);
      const samples = batch.kind === 'int' && batch.value === 1 ? sequence('list', [sample]) : listOf(sample);
      if (collateFn.kind === 'function') return listOf(this.callValue(collateFn, [samples], new Map(), expr, false));
      // An object whose class defines __call__ (`collate_fn=PadCollate(pad_id)`): its __call__ runs on the list.
      const call = collateFn.kind === 'instance' ? this.findMethod(collateFn.cls, '__call__') : undefined;
      if (collateFn.kind !== 'instance' || !call) return UNKNOWN;
      return listOf(this.callFunction(call, [samples], new Map(), collateFn, this.ownerOf(collateFn.cls, call)));
    }
    return listOf(defaultCollate(sample, loaderBatch(dataset, args, kwargs, this.originOf(expr))));
  }

  /**
   * One sample of a dataset, as a Subset holds it: a user Dataset's __getitem__ run on `index`, one of the subset's
   * indices, or a sequence's item (a TensorDataset's rows, another subset's samples).
   */
  private datasetSample(dataset: Value | undefined, index: Value): Value | undefined {
    if (!dataset) return undefined;
    if (dataset.kind !== 'instance') return sampleOfSequence(dataset);
    const getitem = this.findMethod(dataset.cls, '__getitem__');
    return getitem ? this.callFunction(getitem, [index], new Map(), dataset, this.ownerOf(dataset.cls, getitem)) : undefined;
  }

  /**
   * The index a DataLoader's own sampler gives a map-style dataset's __getitem__: an int in [0, len(dataset) - 1] when
   * the dataset's __len__ gives a known length; unknown with a sampler or batch_sampler of the caller's, which may
   * yield other keys, or a length the analysis cannot count.
   */
  private sampleIndex(dataset: InstanceValue, args: Value[], kwargs: Map<string, Value>): Value {
    if (kwargs.has('sampler') || kwargs.has('batch_sampler') || args.length > 3) return UNKNOWN;
    const len = this.findMethod(dataset.cls, '__len__');
    const n = len ? intValue(this.callFunction(len, [], new Map(), dataset, this.ownerOf(dataset.cls, len))) : undefined;
    return n !== undefined && n >= 1 ? { kind: 'symint', dim: UNKNOWN_DIM, bounds: { min: 0, max: n - 1 } } : UNKNOWN;
  }

  private readonly kerasViews = new WeakMap<InstanceValue, KerasModel>();

  /** A subclassed keras.Model seen as a model: its layers in assignment order and what call() returns. */
  private kerasView(instance: InstanceValue, expr: A.Call): KerasModel {
    let view = this.kerasViews.get(instance);
    if (!view) {
      const call = this.findMethod(instance.cls, 'call');
      const output = call ? this.callFunction(call, [], new Map(), instance, this.ownerOf(instance.cls, call), 'tensors') : UNKNOWN;
      this.calledInstances.add(instance);
      const layers = [...instance.attrs.values()].filter((v): v is Extract<Value, { kind: 'layer' }> => v.kind === 'layer').map((v) => v.layer);
      view = { call: expr, layers, output, summary: [], labels: [] };
      this.kerasViews.set(instance, view);
    }
    return view;
  }

  /** The instance whose method is running, for `super()`. */
  get currentSelf(): InstanceValue | undefined {
    return this.frame.self;
  }
}

/** What a list's items are like: its summary's element, or the join of its listed items; undefined when it is empty. */
function itemsAlike(list: Extract<Value, { kind: 'list' | 'tuple' }>): Value | undefined {
  return list.element ?? joinAll(list.items);
}

/**
 * `zip(*batch)` over a list of samples whose count is not known, each a tuple of k items (a collate_fn's batch of
 * (ids, label) pairs): k tuples, the j-th holding every sample's j-th item, as many as there are samples. Undefined
 * when the samples are not tuples of a known length.
 */
function transposedSamples(batch: Value): Value | undefined {
  if ((batch.kind !== 'list' && batch.kind !== 'tuple') || !batch.element) return undefined;
  const sample = batch.element;
  if ((sample.kind !== 'tuple' && sample.kind !== 'list') || sample.element || sample.items.length === 0) return undefined;
  const count = sequenceLength(batch);
  return sequence('list', sample.items.map((item) => summary('tuple', count, item)));
}

/**
 * What a closure reads of its enclosing function: the names as they are at the call. A call made in that function
 * (its own scope or a branch of it) sees them as the call site does; a call made elsewhere, or after the function
 * returned, sees the function's own scope, where its last values are.
 */
function closureView(closure: Scope, site: Scope | undefined): Scope {
  const root = closure.root();
  return site && site.root() === root ? site : root;
}

/** `nonlocal a, b` and `global c` anywhere in a function's body (not in the functions and classes it defines). */
function declaredOuterNames(body: A.Stmt[], ctx: AnalysisContext): Map<string, 'nonlocal' | 'global'> {
  const out = new Map<string, 'nonlocal' | 'global'>();
  walkStatements(body, (s) => {
    if (s.kind !== 'other') return;
    const m = /^(nonlocal|global)\s+([\w\s,]+)$/.exec(ctx.text(s.range).trim());
    if (m) for (const name of m[2].split(',')) if (name.trim()) out.set(name.trim(), m[1] as 'nonlocal' | 'global');
  });
  return out;
}

/** A tensor of unknown rank, or a tuple holding one: what a rank proven by use can refine. */
function hasOpenRank(v: Value, depth = 0): boolean {
  if (v.kind === 'tensor') return !v.shape.rankKnown;
  if ((v.kind === 'tuple' || v.kind === 'list') && !v.element && depth < 2) {
    // A loop: an arrow function reading `depth` made every call (one per assignment) allocate a context.
    for (const item of v.items) if (hasOpenRank(item, depth + 1)) return true;
  }
  return false;
}

type IntValue = Extract<Value, { kind: 'int' }>;
type FloatValue = Extract<Value, { kind: 'float' }>;

/** A Python number given to a Keras layer, which converts it to a 0-D tensor (and then usually refuses its rank). */
function numberAsTensor(value: Value, expr: A.Call, interpreter: Interpreter): Value {
  if (value.kind !== 'int' && value.kind !== 'float') return value;
  return { kind: 'tensor', dtype: value.kind === 'int' ? 'long' : 'float', shape: shapeOf([]), origin: interpreter.originOf(expr.args[0] ?? expr) };
}

/** A window of `length` entries starting at a loop index of known bounds, min ≥ 0: it ends by max + length. */
function windowOf(index: Value, length: number | undefined): { length: number; maxStop: number } | undefined {
  if (index.kind !== 'symint' || !index.bounds || index.bounds.min < 0 || length === undefined || length < 0) return undefined;
  const maxStop = index.bounds.max + length;
  return Number.isSafeInteger(maxStop) ? { length, maxStop } : undefined;
}

/**
 * `i + k`, `k + i` or `i - k` of an int i not known and a known k: i shifted by ±k. An i that is itself a shift of
 * another int j gives a shift of j, so a chain of shifts (`s_end = s_begin + 96; r_begin = s_end - 48`) keeps one base.
 */
function shiftOfSum(op: string, left: Value, right: Value): { base: Value; by: number } | undefined {
  const shifted = (base: Extract<Value, { kind: 'symint' }>, by: number) => {
    const total = (base.shiftOf?.by ?? 0) + by;
    return Number.isSafeInteger(total) ? { base: base.shiftOf?.base ?? base, by: total } : undefined;
  };
  if (op === '+' && left.kind === 'symint' && right.kind === 'int') return shifted(left, right.value);
  if (op === '+' && right.kind === 'symint' && left.kind === 'int') return shifted(right, left.value);
  if (op === '-' && left.kind === 'symint' && right.kind === 'int') return shifted(left, -right.value);
  return undefined;
}

/** `i * 1`, `1 * i` or `i // 1` of an int i not known: i itself. */
function unitProduct(op: string, left: Value, right: Value): Value | undefined {
  if ((op === '*' || op === '//') && left.kind === 'symint' && right.kind === 'int' && right.value === 1) return left;
  if (op === '*' && right.kind === 'symint' && left.kind === 'int' && left.value === 1) return right;
  return undefined;
}

/** A slice bound evaluating it again shows the rules nothing twice: a name, or a sum of names and int literals. */
function shiftBound(expr: A.Expr): boolean {
  if (expr.kind === 'name' || expr.kind === 'int') return true;
  if (expr.kind === 'attribute') return expr.object.kind === 'name';
  return expr.kind === 'binop' && (expr.op === '+' || expr.op === '-') && shiftBound(expr.left) && shiftBound(expr.right);
}

/**
 * The window between two ints that are one index shifted by a and by b (b ≥ a): b - a entries, when the index is known
 * to lie in [min, max] with min + a ≥ 0, so that the start never wraps around from the end; it ends by max + b.
 */
function shiftedWindowOf(start: Value, stop: Value): { length: number; maxStop: number } | undefined {
  if (start.kind !== 'symint' || stop.kind !== 'symint') return undefined;
  const base = start.shiftOf?.base ?? start;
  if ((stop.shiftOf?.base ?? stop) !== base || base.kind !== 'symint' || !base.bounds) return undefined;
  const from = start.shiftOf?.by ?? 0;
  const to = stop.shiftOf?.by ?? 0;
  if (to < from || base.bounds.min + from < 0) return undefined;
  const maxStop = base.bounds.max + to;
  return Number.isSafeInteger(maxStop) ? { length: to - from, maxStop } : undefined;
}

/**
 * An attribute's plain number named by the attribute when nothing named it before: `batch_size = 64` in the body of a
 * `class Config`, read as `config.batch_size`, is a batch size as the variable would be. A name it already carries
 * (`self.hidden = hidden_size`) is kept.
 */
function namedAttributeInt(value: Value | undefined, name: string): Value | undefined {
  return value?.kind === 'int' && value.label === undefined ? labelledInt(value, name, value.origin) : value;
}

/**
 * The int named `label`, built field by field: a spread of values of many shapes (`{ ...value, label }`) takes
 * V8's slow generic copy, and name lookups are frequent.
 */
function labelledInt(value: IntValue, label: string, origin: IntValue['origin']): IntValue {
  const out: IntValue = { kind: 'int', value: value.value };
  if (origin !== undefined || 'origin' in value) out.origin = origin;
  out.label = label;
  if ('assumedDefault' in value) out.assumedDefault = value.assumedDefault;
  if ('role' in value) out.role = value.role;
  return out;
}

/**
 * `b * k`: a batch size times a count that is no time axis (windows, heads, sentences per document) counts sequences
 * again, a batch, as einops' `(b h1)` and `bsz * num_heads` do. A batch times a length (`batch_size * seq_len`) merges
 * the two and is neither.
 */
function productRole(op: string, left: Value, right: Value): DimRole | undefined {
  if (op !== '*') return undefined;
  const a = intRole(left);
  const b = intRole(right);
  return (a === 'batch' && b === undefined) || (b === 'batch' && a === undefined) ? 'batch' : undefined;
}

/** The layers whose `weight` is a matrix of two of their sizes: its rows' and its columns'. */
const WEIGHT_SIZES: Record<string, [string, string]> = {
  Embedding: ['num_embeddings', 'embedding_dim'],
  Linear: ['out_features', 'in_features'],
};

function dimOf(v: Value | undefined): Dim {
  if (v?.kind === 'int') return { kind: 'int', value: v.value };
  return UNKNOWN_DIM;
}

const INTEGER_OPS = new Set(['+', '-', '*', '//', '%', '<<', '>>', '&', '|', '^']);
/** The bitwise operators, which give a bool when both operands are bools (`True & False` is False, not 0). */
const BOOL_BITWISE_OPS = new Set(['&', '|', '^']);

function isInteger(v: Value): boolean {
  return v.kind === 'int' || v.kind === 'symint';
}

/** The list methods that return None. */
const LIST_NONE_METHODS = new Set(['append', 'extend', 'insert', 'remove', 'clear', 'sort', 'reverse']);

/** Methods of a list or a set that change it in place (append and extend by a listed sequence are followed exactly). */
const SEQUENCE_MUTATORS = new Set(['extend', 'insert', 'remove', 'pop', 'clear', 'sort', 'reverse', 'add', 'update', 'discard', 'difference_update', 'intersection_update', 'symmetric_difference_update']);
/** Of those, the ones that add the one item given last, and the ones that add the items of an iterable. */
const ADDING_ONE = new Set(['insert', 'add']);
const ADDING_MANY = new Set(['extend', 'update', 'symmetric_difference_update']);

function integerOp(op: string, l: number, r: number): number | undefined {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '//': return r === 0 ? undefined : Math.floor(l / r);
    case '%': return r === 0 ? undefined : ((l % r) + r) % r;
    case '**': return boundedPower(l, r);
    case '<<':
    case '>>':
    case '&':
    case '|':
    case '^':
      return bitwiseOp(op, l, r);
    default: return undefined;
  }
}

/**
 * Python's shifts and bitwise operators on ints, exact on arbitrarily large ints (BigInt, as Python's are unbounded),
 * NaN past 2^53 (unknown to the caller). A negative shift count raises ValueError in Python: undefined. A left shift
 * by more than 64 is never computed.
 */
function bitwiseOp(op: string, l: number, r: number): number | undefined {
  if (!Number.isSafeInteger(l) || !Number.isSafeInteger(r)) return undefined;
  const a = BigInt(l);
  const b = BigInt(r);
  let exact: bigint;
  switch (op) {
    case '<<':
      if (r < 0) return undefined;
      if (l === 0) return 0;
      if (r >= 64) return NaN;
      exact = a << b;
      break;
    case '>>':
      if (r < 0) return undefined;
      // Python's >> floors, as BigInt's does for negative numbers too; past 64 bits only the sign is left.
      exact = r >= 64 ? (l < 0 ? -1n : 0n) : a >> b;
      break;
    case '&': exact = a & b; break;
    case '|': exact = a | b; break;
    default: exact = a ^ b; break;
  }
  return exact <= BigInt(Number.MAX_SAFE_INTEGER) && exact >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(exact) : NaN;
}

/** l ** r exactly, or NaN past 2^53 (unknown to the caller); a large exponent is never computed. */
function boundedPower(l: number, r: number): number | undefined {
  if (r < 0) return undefined;
  if (l === 0 || l === 1) return r === 0 ? 1 : l;
  if (l === -1) return r % 2 === 0 ? 1 : -1;
  if (r >= 64) return NaN;
  const exact = BigInt(l) ** BigInt(r);
  return exact <= BigInt(Number.MAX_SAFE_INTEGER) && exact >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(exact) : NaN;
}

/** Functions of one Python number that give a float (numpy's give a numpy float, which broadcasts as one). */
const MATH_FUNCTIONS: Record<string, (x: number) => number> = {
  'math.sqrt': Math.sqrt, 'math.exp': Math.exp, 'math.log': Math.log, 'math.log2': Math.log2, 'math.log10': Math.log10,
  'math.tanh': Math.tanh, 'math.sin': Math.sin, 'math.cos': Math.cos,
  'numpy.sqrt': Math.sqrt, 'numpy.exp': Math.exp, 'numpy.log': Math.log,
};

/** math.floor, math.ceil and math.trunc: Python 3 gives an int for an int, a bool or a float (or raises for inf, nan). */
const MATH_ROUNDINGS: Record<string, (x: number) => number> = { 'math.floor': Math.floor, 'math.ceil': Math.ceil, 'math.trunc': Math.trunc };

/**
 * numpy.prod and math.prod of a shape written out (`np.prod(state_shape)` of a tuple of ints, a list, a torch.Size of
 * known sizes): the int they multiply to. Empty, or any item not a known int, is left to the caller (np.prod(()) is the
 * float 1.0; an array is reduced as an array).
 */
function productOfInts(v: Value): Value | undefined {
  let items: Value[] | undefined;
  if ((v.kind === 'list' || v.kind === 'tuple') && !v.element) items = v.items;
  else if (v.kind === 'size') items = v.dims.map((d) => (d.kind === 'int' ? { kind: 'int' as const, value: d.value } : UNKNOWN));
  if (!items || items.length === 0) return undefined;
  let product = 1;
  for (const item of items) {
    if (item.kind !== 'int') return undefined;
    product *= item.value;
  }
  return Number.isSafeInteger(product) ? { kind: 'int', value: product } : undefined;
}

/** What rounding a Python number to an int gives: the int itself, the rounded float, an int of unknown value. */
function roundedToInt(round: (x: number) => number, v: Value): Value {
  if (v.kind === 'int' || v.kind === 'symint') return v;
  if (v.kind === 'bool') return { kind: 'int', value: v.value ? 1 : 0 };
  if (v.kind === 'float') return v.value === undefined ? { kind: 'symint', dim: UNKNOWN_DIM } : Number.isFinite(v.value) ? intOrUnknown(round(v.value)) : UNKNOWN;
  return UNKNOWN;
}

/** A Python number: an int, a bool or a float, known or not. */
function isPythonNumber(v: Value): boolean {
  return v.kind === 'int' || v.kind === 'symint' || v.kind === 'bool' || v.kind === 'float';
}

/**
 * A number known to be 0 or more: a known one, or an int standing for a size (an axis's size, `x.size(-1)`; a parameter
 * the analysis takes for a size).
 */
function nonNegative(v: Value): boolean {
  if (v.kind === 'int' || v.kind === 'float') return v.value !== undefined && v.value >= 0;
  if (v.kind === 'bool') return true;
  if (v.kind === 'symint') return v.of !== undefined || v.dim.kind === 'sym' || (v.bounds !== undefined && v.bounds.min >= 0);
  return false;
}

/**
 * The float `l op r` gave, kept as only assumed when it is a float only because an operand is a parameter's float
 * default (`hidden * ratio` with `ratio=0.5`: a caller passing `ratio=2` makes it an int). True division gives a float
 * whatever its operands, so it never is.
 */
function withAssumedDefault(op: string, left: Value, right: Value, float: FloatValue): FloatValue {
  if (op === '/') return float;
  const from = (left.kind === 'float' && left.assumedDefault) || (right.kind === 'float' && right.assumedDefault);
  return from ? { ...float, assumedDefault: from } : float;
}

/**
 * `l op r` for Python numbers of which at least one is not known, when Python's rules make the result a float whatever
 * the values (or raise): true division always; + - * // % when either is a float; ** of a float to an int, and of a
 * number 0 or more to a float or to a negative int. A negative base to a fractional power would be complex, and an
 * int to an int an int: those stay undefined (the caller's unknown), as does everything that is not two numbers.
 */
function unknownFloatOp(op: string, left: Value, right: Value): FloatValue | undefined {
  if (!isPythonNumber(left) || !isPythonNumber(right)) return undefined;
  const anyFloat = left.kind === 'float' || right.kind === 'float';
  switch (op) {
    case '/':
      return { kind: 'float' };
    case '+':
    case '-':
    case '*':
    case '//':
    case '%':
      return anyFloat ? { kind: 'float' } : undefined;
    case '**': {
      if (left.kind === 'float' && (right.kind === 'int' || right.kind === 'symint' || right.kind === 'bool')) return { kind: 'float' };
      const negativeInt = right.kind === 'int' && right.value < 0;
      return (right.kind === 'float' || negativeInt) && nonNegative(left) ? { kind: 'float' } : undefined;
    }
    default:
      return undefined;
  }
}

function floatOp(op: string, l: number, r: number): number | undefined {
  switch (op) {
    case '+': return l + r;
    case '-': return l - r;
    case '*': return l * r;
    case '/': return r === 0 ? undefined : l / r;
    case '**': {
      // A negative base to a fractional power is complex in Python: not a number here.
      const v = l ** r;
      return Number.isFinite(v) ? v : undefined;
    }
    default: return undefined;
  }
}

function isRankedTensor(v: Value): boolean {
  return v.kind === 'tensor' && v.shape.rankKnown;
}

/** A tensor of unknown rank, or a tuple or list (a few levels deep) or packed sequence holding one. */
function holdsUnrankedTensor(v: Value, depth = 0): boolean {
  switch (v.kind) {
    case 'tensor':
      return !v.shape.rankKnown;
    case 'packed':
      return !v.padded.shape.rankKnown;
    case 'tuple':
    case 'list':
      if (depth > 3) return false;
      if (v.element) return holdsUnrankedTensor(v.element, depth + 1);
      for (const item of v.items) if (holdsUnrankedTensor(item, depth + 1)) return true;
      return false;
    default:
      return false;
  }
}

/**
 * Calls `--stats` does not rank as losing a shape (by their `callName`): they never give a tensor (a type, a bool, a
 * Python number or list), or give back the items they received, regrouped, each as known as it came.
 */
const NO_TENSOR_LOST = new Set([
  'builtins.isinstance', 'builtins.type', 'builtins.len', 'builtins.str', 'builtins.repr', 'builtins.print', 'builtins.hasattr', 'builtins.id', 'builtins.bool', 'builtins.int', 'builtins.float',
  'builtins.zip', 'builtins.enumerate',
  'Tensor.tolist', 'Tensor.item', 'Tensor.dim', 'Tensor.ndimension', 'Tensor.numel', 'Tensor.nelement', 'Tensor.data_ptr', 'Tensor.is_contiguous', 'Tensor.get_device', 'Tensor.element_size', 'Tensor.storage', 'Tensor.stride',
]);

/** Whether a value of the map passes the test, without making an array of them. */
function someValue(map: Map<string, Value>, test: (v: Value) => boolean): boolean {
  for (const v of map.values()) if (test(v)) return true;
  return false;
}

/** How `--stats` names a call: `torch.nn.functional.interpolate`, `Tensor.masked_select`, `nn.Conv2d`, `MyBlock.forward`. */
function callName(callee: Value): string {
  switch (callee.kind) {
    case 'module':
      return normalisePath(callee.path);
    case 'method':
      return `${callee.receiver.kind === 'tensor' ? 'Tensor' : callee.receiver.kind === 'instance' ? callee.receiver.cls.name : callee.receiver.kind === 'layer' ? `nn.${callee.receiver.layer.kind}` : callee.receiver.kind}.${callee.name}`;
    case 'layer':
      return `nn.${callee.layer.kind}`;
    case 'instance':
      return `${callee.cls.name}.forward`;
    case 'function':
      return callee.owner ? `${callee.owner.cls.name}.${callee.def.name}` : `${callee.def.name}()`;
    case 'class':
      return `${callee.cls.name}()`;
    default:
      return `(${callee.kind})`;
  }
}

/** Runs of whitespace as one space (`replace(/\s+/g, ' ')`); a text with only single spaces is kept as it is. */
function collapseSpaces(text: string): string {
  return /\s\s|[^\S ]/.test(text) ? text.replace(/\s+/g, ' ') : text;
}

/**
 * What `copy.deepcopy` (deep) or `copy.copy` gives: values the analysis never changes in place are shared (tensors,
 * layers, numbers, strings), an instance gets its own attributes, lists, tuples and dicts their own items (copied in
 * turn when deep). Past a few levels, or for anything else, unknown.
 */
function copiedValue(v: Value, deep: boolean, depth = 0): Value {
  switch (v.kind) {
    case 'tensor':
    case 'layer':
    case 'int':
    case 'float':
    case 'bool':
    case 'str':
    case 'none':
    case 'dtype':
    case 'size':
    case 'symint':
      return v;
    case 'instance':
      return depth > 3 ? UNKNOWN : { ...v, attrs: new InstanceAttrs(deep ? [...v.attrs].map(([k, a]): [string, Value] => [k, copiedValue(a, true, depth + 1)]) : v.attrs) };
    case 'list':
    case 'tuple':
      if (depth > 3) return UNKNOWN;
      if (v.element) return { ...v, element: deep ? copiedValue(v.element, true, depth + 1) : v.element };
      return sequence(v.kind, deep ? v.items.map((i) => copiedValue(i, true, depth + 1)) : [...v.items], v.tag);
    case 'dict':
      if (depth > 3 || v.parser) return UNKNOWN;
      return { ...v, entries: new Map(deep ? [...v.entries].map(([k, e]) => [k, copiedValue(e, true, depth + 1)]) : v.entries) };
    default:
      return UNKNOWN;
  }
}

/**
 * Tensor methods that change their tensor's shape in place, by the out-of-place method whose shape they give; an empty
 * name is not modelled (the tensor's shape becomes unknown).
 */
const IN_PLACE_RESHAPES: Record<string, string> = {
  t_: 't', transpose_: 'transpose', swapaxes_: 'swapaxes', swapdims_: 'swapdims', squeeze_: 'squeeze', unsqueeze_: 'unsqueeze',
  resize_: '', resize_as_: '', as_strided_: '', set_: '',
};

/** A tensor method that writes new values into its tensor (`sub_`, `clamp_`, `fill_`): not a reshape, not a dunder. */
function writesValuesInPlace(name: string): boolean {
  return name.length > 1 && name.endsWith('_') && !name.endsWith('__') && !name.startsWith('_') && !Object.hasOwn(IN_PLACE_RESHAPES, name) && name !== 'requires_grad_' && name !== 'share_memory_';
}

/** torchLayerKind's answers by path (null: not a layer); bounded like every table a file can fill. */
const layerKinds = new Map<string, string | null>();
const MAX_LAYER_PATHS = 4096;

/** `torch.nn.LSTM` → `LSTM`: the class a path names directly under torch.nn, if any. */
function torchLayerKind(path: string): string | undefined {
  let kind = layerKinds.get(path);
  if (kind === undefined) {
    if (layerKinds.size >= MAX_LAYER_PATHS) layerKinds.clear();
    kind = /^torch\.nn\.([A-Z]\w*)$/.exec(path)?.[1] ?? audioTransformKind(path) ?? null;
    layerKinds.set(path, kind);
  }
  return kind ?? undefined;
}

/** torch.nn.modules.rnn.GRU → torch.nn.GRU; keras aliases are left to the Keras analyzer. */
/**
 * The library a module name stands for. TensorFlow 2.0 and 2.1 installed their code as the package `tensorflow_core`,
 * which `tensorflow` re-exported (`tensorflow_core.python.keras.layers.LSTM` is tf.keras's LSTM): IDEs of the time
 * wrote such imports.
 */
export function libraryModule(module: string): string {
  return module === 'tensorflow_core' || module.startsWith('tensorflow_core.') ? `tensorflow${module.slice('tensorflow_core'.length)}` : module;
}

/** The binary operation an augmented assignment performs (`x += y` is `x + y` written back into x), one per statement. */
const AUGMENTED = new WeakMap<A.Assign, A.BinOp>();
function augmentedOperation(stmt: A.Assign): A.BinOp {
  let node = AUGMENTED.get(stmt);
  if (!node) {
    node = { kind: 'binop', op: stmt.op ?? '+', left: stmt.targets[0], right: stmt.value, range: stmt.range };
    AUGMENTED.set(stmt, node);
  }
  return node;
}

/**
 * torch.functional's names are torch's own (`from torch.functional import einsum` is torch.einsum), and its `F` is
 * torch.nn.functional, which it imports under that name (`from torch.functional import F`), as PyTorch 1.13 has them.
 */
const TORCH_FUNCTIONAL = new Set([
  'atleast_1d', 'atleast_2d', 'atleast_3d', 'align_tensors', 'broadcast_shapes', 'broadcast_tensors', 'cartesian_prod', 'block_diag',
  'cdist', 'chain_matmul', 'einsum', 'istft', 'lu', 'norm', 'meshgrid', 'pca_lowrank', 'split', 'stft', 'svd_lowrank', 'tensordot',
  'unique', 'unique_consecutive',
]);
function reexported(path: string): string {
  if (!path.startsWith('torch.functional.')) return path;
  const name = path.slice('torch.functional.'.length);
  if (name === 'F') return 'torch.nn.functional';
  return TORCH_FUNCTIONAL.has(name) ? `torch.${name}` : path;
}

export function normalisePath(path: string): string {
  if (!path.startsWith('torch.nn.modules.')) return path;
  // The package torch.nn.modules re-exports every class of its submodules (torch.nn.modules.Module is torch.nn.Module,
  // torch.nn.modules.GRU is torch.nn.GRU); its lower-case names are the submodules themselves (rnn, conv, …).
  if (/^torch\.nn\.modules\.[A-Z]\w*$/.test(path)) return `torch.nn.${path.slice('torch.nn.modules.'.length)}`;
  return path.replace(/^torch\.nn\.modules\.\w+\./, 'torch.nn.');
}

/**
 * Where a node keeps its origin. A symbol key, rather than a WeakMap (several times slower to fill), keeps it
 * out of what reads a lowered statement as data: JSON, structured clones and the copy of a moved statement
 * (which therefore works its origins out again, at their new place).
 */
const ORIGIN = Symbol('origin');
const LITERAL_ORIGIN = Symbol('literal origin');

/** The keywords of a call that passes none, shared by all such calls: what receives a call's keywords only reads them. */
class NoKeywords extends Map<string, Value> {
  override set(): this {
    throw new TypeError("a call's keywords are read-only");
  }
  override delete(): boolean {
    throw new TypeError("a call's keywords are read-only");
  }
  override clear(): void {
    throw new TypeError("a call's keywords are read-only");
  }
}
const NO_KEYWORDS: Map<string, Value> = new NoKeywords();

const DICT_MUTATORS = new Set(['update', 'setdefault', 'pop', 'popitem', 'clear']);

/**
 * dict.update, pop, popitem and clear, which replace or remove listed entries (the value returned, or undefined when
 * the call is not one of them). `config.update(vars(args))` writes the command line's values over the defaults a dict
 * literal gave; a source the analysis does not list (an unknown mapping, a comprehension's dict) may overwrite any
 * key, so no entry is known past it. Under a condition not decided the written values join the old ones, as a
 * subscript store does; a key popped or cleared there may still be present, so the dict no longer lists its keys.
 */
function changeEntries(dict: Extract<Value, { kind: 'dict' }>, name: string, args: Value[], kwargs: Map<string, Value>, uncertain: boolean): Value | undefined {
  const forgetAll = () => {
    dict.entries.clear();
    dict.partial = true;
    dict.values = undefined;
  };
  if (name === 'update') {
    const written: [string, Value][] = [];
    const source = args[0];
    let unlisted = args.length > 1;
    if (source?.kind === 'dict' && !source.parser && !source.namespace) {
      for (const entry of source.entries) written.push(entry);
      if (source.partial) unlisted = true;
    } else if (source) {
      const pairs = namedPairs(source);
      if (pairs) written.push(...pairs);
      else unlisted = true;
    }
    for (const entry of kwargs) written.push(entry);
    if (unlisted) forgetAll();
    for (const [key, value] of written) {
      const old = dict.entries.get(key);
      setEntry(dict, key, uncertain && old ? joinItems(old, value) : value);
    }
    return NONE;
  }
  if (name === 'clear' && args.length === 0 && kwargs.size === 0) {
    forgetAll();
    if (!uncertain) dict.partial = false;
    return NONE;
  }
  if (name === 'pop' && args[0]?.kind === 'str' && args.length <= 2 && kwargs.size === 0) {
    const key = args[0].value;
    const value = dict.entries.get(key) ?? (dict.partial ? dict.values ?? UNKNOWN : args[1] ?? UNKNOWN);
    dict.entries.delete(key);
    if (uncertain) {
      dict.partial = true;
      dict.values = undefined;
    }
    return value;
  }
  if (name === 'pop' || name === 'popitem') {
    forgetAll();
    return UNKNOWN;
  }
  return undefined;
}

/** Module methods that return the module itself. */
const SAME_MODULE_METHODS = new Set(['to', 'eval', 'train', 'cuda', 'cpu', 'double', 'float', 'half', 'bfloat16', 'type', 'requires_grad_']);
/** Of those, the names a project's class may define for itself. */
const OVERRIDABLE_MODULE_METHODS = new Set(['type']);

const KERAS_MODEL_METHODS = new Set(['compile', 'fit', 'evaluate', 'predict', 'train_on_batch', 'test_on_batch']);

function isMainGuard(test: A.Expr, ctx: AnalysisContext): boolean {
  return /^__name__\s*==\s*['"]__main__['"]$/.test(ctx.text(test.range).trim());
}


/** "(5, 7, 10) → output (5, 7, 20), h_n (1, 5, 20)" for a layer call whose shapes are at least partly known. */
function describeCall(input: Value | undefined, output: Value): string | undefined {
  const shape = (v: Value | undefined): string | undefined =>
    v?.kind === 'tensor' && (v.shape.rankKnown || v.shape.dims.length) ? formatShape(v.shape) : v?.kind === 'packed' ? `PackedSequence ${formatShape(v.padded.shape)}` : undefined;
  const inShape = shape(input);
  if (!inShape) return undefined;
  if (output.kind === 'tuple' && output.tag?.kind === 'rnn-output') {
    const [out, state] = output.items;
    const stateText = state.kind === 'tuple' ? `(h_n ${shape(state.items[0]) ?? '?'}, c_n ${shape(state.items[1]) ?? '?'})` : `h_n ${shape(state) ?? '?'}`;
    return `${inShape} → output ${shape(out) ?? '?'}, ${stateText}`;
  }
  const outShape = shape(output);
  return outShape ? `${inShape} → ${outShape}` : undefined;
}

/**
 * The float constants of math, NumPy and torch (PyTorch 1.13 has torch.pi, torch.e, torch.inf and torch.nan): numbers,
 * so `torch.tensor(2.0 / torch.pi)` is 0-D and `x * math.pi` has x's shape. inf and nan are floats of no value kept.
 */
const FLOAT_CONSTANTS: Record<string, number | undefined> = {
  'math.pi': Math.PI, 'math.e': Math.E, 'math.tau': 2 * Math.PI, 'math.inf': undefined, 'math.nan': undefined,
  'numpy.pi': Math.PI, 'numpy.e': Math.E, 'numpy.inf': undefined, 'numpy.nan': undefined,
  'torch.pi': Math.PI, 'torch.e': Math.E, 'torch.inf': undefined, 'torch.nan': undefined,
};

function floatConstant(path: string): Value | undefined {
  if (!Object.hasOwn(FLOAT_CONSTANTS, path)) return undefined;
  const value = FLOAT_CONSTANTS[path];
  return value === undefined ? { kind: 'float' } : { kind: 'float', value };
}

/** A module's `__doc__`: its docstring, when its first statement is one. */
function bindDocstring(body: readonly A.Stmt[], scope: Scope): void {
  const doc = docstringOf(body);
  if (doc !== undefined) scope.set('__doc__', strValue(doc));
}

const STRING_CONSTANTS: Record<string, string> = {
  'string.ascii_lowercase': 'abcdefghijklmnopqrstuvwxyz',
  'string.ascii_uppercase': 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  'string.ascii_letters': 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ',
  'string.digits': '0123456789',
  'string.punctuation': '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  'string.printable': '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \t\n\r\x0b\x0c',
  'string.whitespace': ' \t\n\r\x0b\x0c',
};

/**
 * argparse: add_argument records defaults; parse_args returns them as a namespace. As argparse does, set_defaults
 * overrides the defaults of the arguments already added, and an argument added later without a default of its own
 * takes the one set_defaults gave. What the command line must give (required=True, a positional) has no default to
 * read: unknown, as is every value when parse_args is given a command line of its own.
 */
function parserMethod(parser: Extract<Value, { kind: 'dict' }>, name: string, args: Value[], kwargs: Map<string, Value>): Value {
  if (name === 'add_argument_group' || name === 'add_mutually_exclusive_group') return parser;
  if (name === 'set_defaults') {
    for (const [key, value] of kwargs) setEntry(parser, key, value);
    return NONE;
  }
  if (name === 'add_argument') {
    const flags = args.filter((a): a is Extract<Value, { kind: 'str' }> => a.kind === 'str').map((a) => a.value);
    const dest = kwargs.get('dest');
    const long = flags.find((f) => f.startsWith('--')) ?? flags.find((f) => !f.startsWith('-')) ?? flags[0];
    const key = dest?.kind === 'str' ? dest.value : long?.replace(/^-+/, '').replace(/-/g, '_');
    if (!key) return NONE;
    // Without a default, store_true gives False and store_false True (store_const, count and the rest: None).
    const action = kwargs.get('action');
    const flagDefault: Value = action?.kind === 'str' && action.value === 'store_true' ? { kind: 'bool', value: false } : action?.kind === 'str' && action.value === 'store_false' ? { kind: 'bool', value: true } : NONE;
    const explicit = kwargs.get('default');
    // required=True (or a value the analysis cannot read), or a positional other than nargs='?': the command line
    // gives it, whatever a default says.
    const required = kwargs.get('required');
    const nargs = kwargs.get('nargs');
    const positional = args.length > 0 && args.length === flags.length && !flags.some((f) => f.startsWith('-'));
    const mustBeGiven = (required !== undefined && !(required.kind === 'bool' && !required.value)) || (positional && !(nargs?.kind === 'str' && nargs.value === '?'));
    let value = mustBeGiven ? UNKNOWN : explicit ?? flagDefault;
    const type = kwargs.get('type');
    recordArgument(parser, argumentSpec(key, flags, positional, action, type, nargs, kwargs.get('choices')));
    // A string default goes through `type`, as argparse converts it.
    if (value.kind === 'str' && type?.kind === 'module' && type.path === 'builtins.int' && /^\s*[-+]?\d+\s*$/.test(value.value)) value = { kind: 'int', value: Number(value.value) };
    else if (value.kind === 'str' && type?.kind === 'module' && type.path === 'builtins.float' && value.value.trim() !== '' && Number.isFinite(Number(value.value))) value = { kind: 'float', value: Number(value.value) };
    // A type the analysis cannot run (a lambda, a function of the program's) converts a string default too.
    else if (value.kind === 'str' && type !== undefined && !(type.kind === 'module' && type.path === 'builtins.str')) value = UNKNOWN;
    const earlier = parser.entries.get(key);
    if (earlier !== undefined) {
      // The key has a value already: set_defaults' (which an argument without a default of its own takes) or an
      // earlier argument's with the same dest (whose default parse_args sets first). A default of its own wins over
      // the first and loses to the second: unknown unless both agree.
      if (explicit === undefined && !mustBeGiven) return NONE;
      if (!sameValue(earlier, value)) value = UNKNOWN;
    }
    setEntry(parser, key, value);
    return NONE;
  }
  if (name === 'parse_args' || name === 'parse_known_args') {
    // parse_args() and parse_args([]) read the defaults; a command line of its own sets values the analysis does not follow.
    const line = args[0] ?? kwargs.get('args');
    const defaults = line === undefined || line.kind === 'none' || ((line.kind === 'list' || line.kind === 'tuple') && !line.element && line.items.length === 0);
    // A command line written out as strings is read as argparse reads it, when its form is a plain one.
    const tokens = !defaults && line && (line.kind === 'list' || line.kind === 'tuple') && !line.element && line.items.every((t) => t.kind === 'str') ? line.items.map((t) => (t as { value: string }).value) : undefined;
    const read = name === 'parse_args' && tokens ? readCommandLine(parser, parser.entries, tokens) : undefined;
    const entries = defaults ? new Map(parser.entries) : read ?? new Map([...parser.entries.keys()].map((k): [string, Value] => [k, UNKNOWN]));
    const namespace: Value = { kind: 'dict', entries, namespace: true };
    return name === 'parse_args' ? namespace : { kind: 'tuple', items: [namespace, UNKNOWN] };
  }
  return UNKNOWN;
}

/** What add_argument's keywords say about reading the argument from a command line (see ops/argparse-command-line). */
function argumentSpec(dest: string, flags: string[], positional: boolean, action: Value | undefined, type: Value | undefined, nargs: Value | undefined, choices: Value | undefined): ArgumentSpec {
  const takes: ArgumentSpec['takes'] = nargs !== undefined ? 'other'
    : action === undefined || (action.kind === 'str' && action.value === 'store') ? 'value'
    : !positional && action.kind === 'str' && action.value === 'store_true' ? 'true'
    : !positional && action.kind === 'str' && action.value === 'store_false' ? 'false' : 'other';
  const typePath = type?.kind === 'module' ? type.path : undefined;
  const convert: ArgumentSpec['convert'] = type === undefined || typePath === 'builtins.str' ? 'str' : typePath === 'builtins.int' ? 'int' : typePath === 'builtins.float' ? 'float' : typePath === 'builtins.bool' ? 'bool' : 'unknown';
  const listed = choices && (choices.kind === 'list' || choices.kind === 'tuple') && !choices.element && choices.items.every((c) => c.kind === 'str' || c.kind === 'int' || c.kind === 'float')
    ? choices.items.map((c) => (c as { value: string | number }).value) : undefined;
  const restricted = choices !== undefined && !listed;
  return { dest, flags: positional ? [] : flags.filter((f) => f.startsWith('-')), takes: restricted ? 'other' : takes, convert, choices: listed };
}

/** A parser method called with `*args` or `**kwargs` the analysis cannot list: set_defaults may have set any value. */
function partialParserCall(parser: Extract<Value, { kind: 'dict' }>, name: string): Value {
  forgetArguments(parser);
  if (name === 'set_defaults') for (const key of [...parser.entries.keys()]) setEntry(parser, key, UNKNOWN);
  return name === 'add_argument_group' || name === 'add_mutually_exclusive_group' ? parser : UNKNOWN;
}

/** Python's own values, whose `== None` is False unless they are None: never an array or a tensor compared element-wise. */
const NONE_COMPARABLE = new Set<Value['kind']>(['none', 'list', 'tuple', 'dict', 'str', 'int', 'float', 'bool', 'symint']);
/** What a layer object is never equal to: Python's own scalars and None. */
const LAYER_UNEQUAL = new Set<Value['kind']>(['none', 'str', 'int', 'float', 'bool']);

/** Comparisons between known scalars; anything else is unknown. */
const ELEMENTWISE_COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
/** What an element-wise comparison with a tensor broadcasts against. */
const BROADCAST_OPERANDS = new Set<Value['kind']>(['tensor', 'int', 'float', 'bool', 'symint']);

/** The least and greatest values of an int, when known. */
function intBounds(v: Value): { min: number; max: number } | undefined {
  if (v.kind === 'int') return { min: v.value, max: v.value };
  return v.kind === 'symint' ? v.bounds : undefined;
}

/**
 * What a list item may hold after `row[i] = 1` at an index not known: either int is still an int, between the least
 * and the greatest of both when known (a one-hot row stays a row of ints); anything else joins as paths do.
 */
function joinItems(a: Value, b: Value): Value {
  if ((a.kind !== 'int' && a.kind !== 'symint') || (b.kind !== 'int' && b.kind !== 'symint')) return joinValues(a, b);
  if (a.kind === 'int' && b.kind === 'int' && a.value === b.value) return a;
  const x = intBounds(a);
  const y = intBounds(b);
  return x && y ? { kind: 'symint', dim: UNKNOWN_DIM, bounds: { min: Math.min(x.min, y.min), max: Math.max(x.max, y.max) } } : { kind: 'symint', dim: UNKNOWN_DIM };
}

/** `x op y` with x from `min` to `max`: decided when it holds (or fails) for every such x, otherwise undefined. */
function compareBounds(op: string, { min, max }: { min: number; max: number }, y: number): boolean | undefined {
  switch (op) {
    case '<': return max < y ? true : min >= y ? false : undefined;
    case '<=': return max <= y ? true : min > y ? false : undefined;
    case '>': return min > y ? true : max <= y ? false : undefined;
    case '>=': return min >= y ? true : max < y ? false : undefined;
    case '==': return y < min || y > max ? false : min === max && min === y ? true : undefined;
    case '!=': return y < min || y > max ? true : min === max && min === y ? false : undefined;
    default: return undefined;
  }
}

/** Values that are never the bool True or False, whatever they hold: `x is True` is False for them. */
const IDENTITY_NOT_BOOL: ReadonlySet<Value['kind']> = new Set<Value['kind']>(['int', 'float', 'str']);

/** `y op x` as `x op' y`. */
const MIRRORED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '==': '==', '!=': '!=' };

function compareValues(ops: string[], values: Value[]): Value {
  let result = true;
  for (let i = 0; i < ops.length; i++) {
    const a = values[i];
    const b = values[i + 1];
    const op = ops[i];
    let r: boolean | undefined;
    if (op === 'is' || op === 'is not') {
      if (a.kind === 'unknown' || b.kind === 'unknown') return UNKNOWN;
      // One of several values, None among them (`self.proj = nn.Linear(…) if c else None`): not decided.
      if ((a.kind === 'either' && a.options.some((o) => o.kind === 'none')) || (b.kind === 'either' && b.options.some((o) => o.kind === 'none'))) return UNKNOWN;
      if (b.kind === 'none' || a.kind === 'none') r = a.kind === b.kind;
      // True and False are the only two bools, so `flag is True` holds exactly when flag is the bool True; an int, a
      // float or a string is never one of them (`1 is True` is False).
      else if (a.kind === 'bool' && b.kind === 'bool') r = a.value === b.value;
      else if ((a.kind === 'bool' && IDENTITY_NOT_BOOL.has(b.kind)) || (b.kind === 'bool' && IDENTITY_NOT_BOOL.has(a.kind))) r = false;
      else return UNKNOWN;
      if (op === 'is not') r = !r;
    } else if (op === 'in' || op === 'not in') {
      if (b.kind === 'dict' && a.kind === 'str' && !b.parser && (!b.partial || b.entries.has(a.value))) r = b.entries.has(a.value);
      else if ((b.kind === 'list' || b.kind === 'tuple') && !b.element && (a.kind === 'int' || a.kind === 'str') && b.items.every((v) => v.kind === 'int' || v.kind === 'str')) r = b.items.some((v) => (v as { value: unknown }).value === a.value);
      // A string in a string is a substring test (`'InceptionV4' in model_name`).
      else if (a.kind === 'str' && b.kind === 'str') r = b.value.includes(a.value);
      else return UNKNOWN;
      if (op === 'not in') r = !r;
    } else if ((op === '==' || op === '!=') && (a.kind === 'none' || b.kind === 'none') && NONE_COMPARABLE.has(a.kind) && NONE_COMPARABLE.has(b.kind)) {
      // `size == None`: Python's own values equal None only when they are None (a list's __eq__ does not compare
      // elements with it as a tensor's or an array's does).
      r = a.kind === b.kind;
      if (op === '!=') r = !r;
    } else if ((op === '==' || op === '!=') && ((a.kind === 'layer' && LAYER_UNEQUAL.has(b.kind)) || (b.kind === 'layer' && LAYER_UNEQUAL.has(a.kind)))) {
      // A layer object (an nn.Module, a Keras Layer) defines no __eq__: compared with a string, a number or None it is
      // never equal (`if criterion == "": criterion = nn.L1Loss()` keeps the BCELoss it was given).
      r = op === '!=';
    } else if (a.kind === 'symint' && a.bounds && numberValue(b) !== undefined) {
      r = compareBounds(op, a.bounds, numberValue(b)!);
      if (r === undefined) return UNKNOWN;
    } else if (b.kind === 'symint' && b.bounds && numberValue(a) !== undefined) {
      r = compareBounds(MIRRORED[op] ?? '', b.bounds, numberValue(a)!);
      if (r === undefined) return UNKNOWN;
    } else {
      const x = a.kind === 'str' ? a.value : numberValue(a);
      const y = b.kind === 'str' ? b.value : numberValue(b);
      if (x === undefined || y === undefined) return UNKNOWN;
      // A string never equals a number or a bool (`padding == 'max_length'` with padding=True); ordering them raises.
      if (typeof x !== typeof y) {
        if (op !== '==' && op !== '!=') return UNKNOWN;
        r = op === '!=';
      } else {
        switch (op) {
          case '==': r = x === y; break;
          case '!=': r = x !== y; break;
          case '<': r = x < y; break;
          case '<=': r = x <= y; break;
          case '>': r = x > y; break;
          case '>=': r = x >= y; break;
          default: return UNKNOWN;
        }
      }
    }
    result &&= r;
  }
  return { kind: 'bool', value: result };
}

/**
 * nn.Sequential's children. A child we cannot follow (a user module, an unsupported layer) becomes an
 * opaque placeholder, so the container's output is unknown rather than the input passed through.
 */
function sequentialChildren(args: Value[]): LayerDesc[] {
  // A dict that may hold modules it does not list: a child not known stands for them, so the output is not claimed.
  if (args.length === 1 && args[0].kind === 'dict' && args[0].partial) return [OPAQUE_LAYER];
  const source = args.length === 1 && args[0].kind === 'dict' ? [...args[0].entries.values()] : args;
  return source.map((a) => (a.kind === 'layer' ? a.layer : a.kind === 'instance' ? moduleLayer(a) : OPAQUE_LAYER));
}

/** What a NumPy array's own method, attribute or index gives is NumPy's too (torch.from_numpy is a function). */
function stillNumpy(from: TensorValue, result: Value): Value {
  return from.numpy && result.kind === 'tensor' && !result.numpy ? { ...result, numpy: true } : result;
}

/** What an attribute held at a point: its value (undefined: not set) and whether it may not exist. */
interface AttributeState {
  value: Value | undefined;
  maybe: boolean;
}

/** The attributes one branch of an if/else sets: what each held before the branch, and at its end. */
/**
 * The lists one if/else branch changed in place: each one's state before its first change in the branch, and at the
 * branch's end (`settle` puts the state before back, so that the next branch starts from it).
 */
class SequenceWrites {
  readonly priors = new Map<ListValue, SequenceState>();
  readonly after = new Map<ListValue, SequenceState>();

  note(list: ListValue): void {
    if (!this.priors.has(list)) this.priors.set(list, sequenceState(list));
  }

  settle(): void {
    for (const [list, prior] of this.priors) {
      this.after.set(list, sequenceState(list));
      restoreSequence(list, prior);
    }
  }
}

/** One state for several of one list: item by item where every state lists as many, else only what the items are like. */
function joinedSequenceStates(states: SequenceState[]): SequenceState {
  const first = states[0];
  if (states.every((st) => !st.element && st.items.length === first.items.length)) {
    const items = first.items.map((_, i) => joinAll(states.map((st) => st.items[i])) ?? UNKNOWN);
    return { items };
  }
  const lengths = states.map((st) => (st.element ? st.length : st.items.length));
  const length = lengths.every((n) => n !== undefined && n === lengths[0]) ? lengths[0] : undefined;
  const element = joinAll(states.flatMap((st) => (st.element ? [st.element] : st.items))) ?? UNKNOWN;
  return { items: [], element, ...(length !== undefined && { length }) };
}

class AttributeWrites {
  readonly priors = new Map<InstanceValue, Map<string, AttributeState>>();
  readonly after = new Map<InstanceValue, Map<string, AttributeState>>();

  /** `level`: the count of paths that may not run inside which the branch's own statements run. */
  constructor(readonly level: number) {}

  note(object: InstanceValue, name: string, value: Value | undefined, maybe: boolean): void {
    let names = this.priors.get(object);
    if (!names) this.priors.set(object, (names = new Map()));
    if (!names.has(name)) names.set(name, { value, maybe });
  }

  /** Keeps each attribute's value at the branch's end (read by `now`), then puts back what it held before. */
  settle(restore: (object: InstanceValue, name: string, prior: AttributeState) => void, now: (object: InstanceValue, name: string) => AttributeState): void {
    for (const [object, names] of this.priors) {
      const after = new Map<string, AttributeState>();
      this.after.set(object, after);
      for (const [name, prior] of names) {
        after.set(name, now(object, name));
        restore(object, name, prior);
      }
    }
  }
}
