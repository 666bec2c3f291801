/**
 * A restricted unpickler for PyTorch's `data.pkl`: it accepts what PyTorch 1.13's
 * `torch.load(..., weights_only=True)` accepts (torch/_weights_only_unpickler.py) and builds plain
 * data from it. It never imports, calls or executes anything named by the pickle: a global is a
 * name looked up in a fixed table, and "calling" one of those names is interpreted here, by kind.
 *
 * Accepted opcodes: exactly 1.13's list (PROTO, STOP, MARK, the tuple, list, dict and set
 * builders, the int, long and string pushes, memo get/put, GLOBAL, REDUCE, NEWOBJ, BUILD,
 * BINPERSID), plus BINFLOAT, which PyTorch 2.0 added to the same unpickler so that checkpoint
 * dicts holding a loss or a learning rate load (1.13 refuses them, "Unsupported operand 71").
 *
 * Accepted globals: those of 1.13's `_get_allowed_globals()` (collections.OrderedDict,
 * torch.nn.parameter.Parameter, torch.Size, torch.Tensor, the dtypes, the tensor and storage
 * classes, torch._utils' rebuild functions, torch.serialization._get_layout). Any other global
 * (os.system, builtins.eval, __main__.Net, a torch.nn module class …) is refused by name.
 * Stricter than 1.13 where 1.13 would build something this reader has no use for: only
 * OrderedDict, torch.Size and the dense rebuild functions may be called (sparse and meta tensors,
 * storages and tensors built by calling their class are refused), and BUILD only sets the
 * attributes of an OrderedDict (a state dict's `_metadata`).
 *
 * Bounds: the pickle's length, the opcodes run, the memo's entries, MARK nesting and the
 * elements a tensor view may address are all capped; a storage must be the size its zip member is.
 */

export class PickleError extends Error {
  constructor(readonly cause: string, readonly offset: number) {
    super(`${cause} (data.pkl byte ${offset})`);
    this.name = 'PickleError';
  }
}

export type DType = 'F16' | 'BF16' | 'F32' | 'F64' | 'I8' | 'I16' | 'I32' | 'I64' | 'U8' | 'BOOL';

export const DTYPE_BYTES: Record<DType, number> = { F16: 2, BF16: 2, F32: 4, F64: 8, I8: 1, I16: 2, I32: 4, I64: 8, U8: 1, BOOL: 1 };

/** The storage classes PyTorch saves dense tensors with, and what each holds. */
const STORAGE_DTYPES: Record<string, DType> = {
  HalfStorage: 'F16', BFloat16Storage: 'BF16', FloatStorage: 'F32', DoubleStorage: 'F64',
  CharStorage: 'I8', ShortStorage: 'I16', IntStorage: 'I32', LongStorage: 'I64', ByteStorage: 'U8', BoolStorage: 'BOOL',
};

/** Storage classes 1.13 allows that hold what this reader cannot turn into numbers. */
const OTHER_STORAGES = ['ComplexFloatStorage', 'ComplexDoubleStorage', 'QUInt8Storage', 'QInt8Storage', 'QInt32Storage', 'QUInt4x2Storage', 'QUInt2x4Storage'];

const TENSOR_CLASSES = ['DoubleTensor', 'FloatTensor', 'HalfTensor', 'BFloat16Tensor', 'LongTensor', 'IntTensor', 'ShortTensor', 'CharTensor', 'ByteTensor', 'BoolTensor'];

const DTYPE_NAMES = ['complex32', 'complex64', 'complex128', 'float16', 'float32', 'float64', 'int8', 'int16', 'int32', 'int64'];

type GlobalKind =
  | 'ordered-dict' | 'parameter' | 'size' | 'tensor-class' | 'dtype' | 'storage' | 'other-storage'
  | 'rebuild-tensor-v2' | 'rebuild-tensor' | 'rebuild-parameter' | 'rebuild-unsupported' | 'get-layout';

/** 1.13's allowed globals, by their full dotted name. */
const ALLOWED_GLOBALS: ReadonlyMap<string, GlobalKind> = (() => {
  const table = new Map<string, GlobalKind>([
    ['collections.OrderedDict', 'ordered-dict'],
    ['torch.nn.parameter.Parameter', 'parameter'],
    ['torch.serialization._get_layout', 'get-layout'],
    ['torch.Size', 'size'],
    ['torch.Tensor', 'tensor-class'],
    ['torch._utils._rebuild_tensor_v2', 'rebuild-tensor-v2'],
    ['torch._utils._rebuild_tensor', 'rebuild-tensor'],
    ['torch._utils._rebuild_parameter', 'rebuild-parameter'],
    ['torch._utils._rebuild_sparse_tensor', 'rebuild-unsupported'],
    ['torch._utils._rebuild_meta_tensor_no_storage', 'rebuild-unsupported'],
    ['torch._utils._rebuild_sparse_csr_tensor', 'rebuild-unsupported'],
    ['torch.storage.TypedStorage', 'other-storage'],
    ['torch.storage.UntypedStorage', 'other-storage'],
  ]);
  for (const name of DTYPE_NAMES) table.set(`torch.${name}`, 'dtype');
  for (const name of TENSOR_CLASSES) {
    for (const module of ['torch', 'torch.cuda', 'torch.sparse', 'torch.cuda.sparse']) {
      if (name === 'BoolTensor' && module.endsWith('sparse')) continue;
      table.set(`${module}.${name}`, 'tensor-class');
    }
  }
  for (const name of Object.keys(STORAGE_DTYPES)) {
    table.set(`torch.${name}`, 'storage');
    table.set(`torch.cuda.${name}`, 'storage');
  }
  for (const name of OTHER_STORAGES) table.set(`torch.${name}`, 'other-storage');
  for (const name of ['ComplexFloatStorage', 'ComplexDoubleStorage']) table.set(`torch.cuda.${name}`, 'other-storage');
  return table;
})();

export function isAllowedGlobal(fullName: string): boolean {
  return ALLOWED_GLOBALS.has(fullName);
}

// ---- the values a pickle builds ----------------------------------------------------------------

export class PyTuple {
  constructor(readonly items: PyValue[]) {}
}
export class PyList {
  constructor(readonly items: PyValue[] = []) {}
}
export class PySet {}
/** dict or OrderedDict: keys in insertion order, as Python keeps them. */
export class PyDict {
  private readonly index = new Map<string, number>();
  readonly keys: PyValue[] = [];
  readonly values: PyValue[] = [];
  /** Attributes set by BUILD (a state dict's `_metadata`). */
  readonly attributes = new Map<string, PyValue>();
  constructor(readonly ordered: boolean) {}

  set(key: PyValue, value: PyValue, offset: number): void {
    const id = hashKey(key, offset);
    const at = this.index.get(id);
    if (at !== undefined) {
      this.values[at] = value;
      return;
    }
    this.index.set(id, this.keys.length);
    this.keys.push(key);
    this.values.push(value);
  }

  get size(): number {
    return this.keys.length;
  }
}
export class PyGlobal {
  constructor(readonly fullName: string, readonly kind: GlobalKind) {}
}
/** A storage named by a persistent id: the zip member `data/<key>`, `numel` elements of `dtype`. */
export interface PyStorage {
  readonly kind: 'storage';
  key: string;
  dtype: DType;
  numel: number;
  location: string;
}
/** A dense tensor: a strided view into a storage. */
export class PyTensor {
  constructor(
    readonly storage: PyStorage,
    readonly offset: number,
    readonly shape: number[],
    readonly stride: number[],
  ) {}

  get numel(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }
}

export type PyValue = null | boolean | number | bigint | string | PyTuple | PyList | PySet | PyDict | PyGlobal | PyStorage | PyTensor;

function isStorage(value: PyValue): value is PyStorage {
  return typeof value === 'object' && value !== null && (value as PyStorage).kind === 'storage';
}

/** Dict keys as Python hashes them: 1, 1.0 and True are the same key; lists and dicts are not hashable. */
function hashKey(key: PyValue, offset: number): string {
  if (key === null) return 'N';
  if (typeof key === 'boolean') return `n${key ? 1 : 0}`;
  if (typeof key === 'number') return `n${key}`;
  if (typeof key === 'bigint') return `n${key}`;
  if (typeof key === 'string') return `s${key}`;
  if (key instanceof PyTuple) return `t(${key.items.map((k) => hashKey(k, offset)).join(',')})`;
  if (key instanceof PyGlobal) return `g${key.fullName}`;
  throw new PickleError(`a dict key is ${describeValue(key)}, which Python cannot hash`, offset);
}

export function describeValue(value: PyValue): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return `the number ${value}`;
  if (typeof value === 'string') return `the string '${value.slice(0, 40)}'`;
  if (value instanceof PyTuple) return `a tuple of ${value.items.length}`;
  if (value instanceof PyList) return `a list of ${value.items.length}`;
  if (value instanceof PySet) return 'a set';
  if (value instanceof PyDict) return `a dict of ${value.size}`;
  if (value instanceof PyGlobal) return value.fullName;
  if (value instanceof PyTensor) return `a tensor (${value.shape.join(', ')})`;
  return `a storage (${value.dtype} × ${value.numel})`;
}

// ---- the unpickler ----------------------------------------------------------------------------------

export interface UnpickleLimits {
  /** Opcodes run (each takes at least one byte, so the pickle's length bounds them too). */
  maxOpcodes: number;
  /** Entries in the memo. */
  maxMemo: number;
  /** MARKs open at once. */
  maxMarkDepth: number;
  /** Elements one tensor may have. */
  maxTensorElements: number;
}

export const DEFAULT_UNPICKLE_LIMITS: UnpickleLimits = {
  maxOpcodes: 50_000_000,
  maxMemo: 1_000_000,
  maxMarkDepth: 1000,
  maxTensorElements: 2 ** 31 - 1,
};

/**
 * Resolves a persistent id (`('storage', StorageClass, key, location, numel)`) to the storage it
 * names, checking it against the archive; throws a plain Error to refuse it.
 */
export type StorageResolver = (request: { key: string; dtype: DType; storageClass: string; location: string; numel: number }) => PyStorage;

const OP = {
  MARK: 0x28, STOP: 0x2e, BINFLOAT: 0x47, BININT: 0x4a, BININT1: 0x4b, BININT2: 0x4d, NONE: 0x4e, BINPERSID: 0x51,
  REDUCE: 0x52, SHORT_BINSTRING: 0x55, BINUNICODE: 0x58, APPEND: 0x61, BUILD: 0x62, GLOBAL: 0x63, APPENDS: 0x65,
  BINGET: 0x68, LONG_BINGET: 0x6a, BINPUT: 0x71, LONG_BINPUT: 0x72, SETITEM: 0x73, TUPLE: 0x74, SETITEMS: 0x75,
  EMPTY_DICT: 0x7d, EMPTY_LIST: 0x5d, EMPTY_TUPLE: 0x29, PROTO: 0x80, NEWOBJ: 0x81, TUPLE1: 0x85, TUPLE2: 0x86,
  TUPLE3: 0x87, NEWTRUE: 0x88, NEWFALSE: 0x89, LONG1: 0x8a, EMPTY_SET: 0x8f,
} as const;

/** Names of the opcodes this reader refuses, for the message (pickletools' names). */
const REFUSED_OPCODES: Record<number, string> = {
  0x30: 'POP', 0x31: 'DUP', 0x32: 'POP_MARK', 0x46: 'FLOAT', 0x49: 'INT', 0x4c: 'LONG', 0x50: 'PERSID', 0x53: 'STRING',
  0x54: 'BINSTRING', 0x56: 'UNICODE', 0x64: 'DICT', 0x67: 'GET', 0x69: 'INST', 0x6c: 'LIST', 0x6f: 'OBJ', 0x70: 'PUT',
  0x82: 'EXT1', 0x83: 'EXT2', 0x84: 'EXT4', 0x8b: 'LONG4', 0x42: 'BINBYTES', 0x43: 'SHORT_BINBYTES', 0x8c: 'SHORT_BINUNICODE',
  0x8d: 'BINUNICODE8', 0x8e: 'BINBYTES8', 0x90: 'ADDITEMS', 0x91: 'FROZENSET', 0x92: 'NEWOBJ_EX', 0x93: 'STACK_GLOBAL',
  0x94: 'MEMOIZE', 0x95: 'FRAME', 0x96: 'BYTEARRAY8', 0x97: 'NEXT_BUFFER', 0x98: 'READONLY_BUFFER',
};

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The object a pickle describes, with storages resolved through `resolve`. */
export function unpickle(bytes: Uint8Array, resolve: StorageResolver, limits: UnpickleLimits = DEFAULT_UNPICKLE_LIMITS): PyValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  let opStart = 0;
  let stack: PyValue[] = [];
  const marks: PyValue[][] = [];
  const memo = new Map<number, PyValue>();
  const fail = (cause: string): never => {
    throw new PickleError(cause, opStart);
  };
  const need = (n: number): number => {
    if (n > bytes.length - at) fail(`the pickle ends inside an opcode (it needs ${n} more bytes, ${bytes.length - at} are left)`);
    const start = at;
    at += n;
    return start;
  };
  const pop = (): PyValue => {
    if (stack.length === 0) fail('the pickle pops from an empty stack');
    return stack.pop() as PyValue;
  };
  const top = (): PyValue => {
    if (stack.length === 0) fail('the pickle reads from an empty stack');
    return stack[stack.length - 1];
  };
  const popMark = (): PyValue[] => {
    const items = stack;
    const previous = marks.pop();
    if (previous === undefined) fail('the pickle closes a MARK it never opened');
    stack = previous!;
    return items;
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) fail('a GLOBAL name runs to the end of the pickle without a newline');
    const text = decodeUtf8(bytes.subarray(at, end));
    at = end + 1;
    return text;
  };
  const decodeUtf8 = (raw: Uint8Array): string => {
    try {
      return UTF8.decode(raw);
    } catch {
      return fail('a string is not valid UTF-8');
    }
  };
  const memoPut = (index: number) => {
    if (!memo.has(index) && memo.size >= limits.maxMemo) fail(`the memo holds more than ${limits.maxMemo.toLocaleString('en-US')} entries`);
    memo.set(index, top());
  };
  const memoGet = (index: number) => {
    if (!memo.has(index)) fail(`the pickle reads memo entry ${index}, which it never stored`);
    stack.push(memo.get(index)!);
  };

  let opcodes = 0;
  for (;;) {
    if (at >= bytes.length) fail('the pickle ends without STOP');
    if (++opcodes > limits.maxOpcodes) fail(`the pickle runs more than ${limits.maxOpcodes.toLocaleString('en-US')} opcodes`);
    opStart = at;
    const code = bytes[at++];
    switch (code) {
      case OP.PROTO: {
        const version = bytes[need(1)];
        if (version > 5) fail(`pickle protocol ${version} is newer than any Python writes`);
        break;
      }
      case OP.STOP: {
        const result = pop();
        return result;
      }
      case OP.MARK:
        if (marks.length >= limits.maxMarkDepth) fail(`the pickle nests more than ${limits.maxMarkDepth} MARKs`);
        marks.push(stack);
        stack = [];
        break;
      case OP.NONE: stack.push(null); break;
      case OP.NEWTRUE: stack.push(true); break;
      case OP.NEWFALSE: stack.push(false); break;
      case OP.EMPTY_TUPLE: stack.push(new PyTuple([])); break;
      case OP.EMPTY_LIST: stack.push(new PyList()); break;
      case OP.EMPTY_DICT: stack.push(new PyDict(false)); break;
      case OP.EMPTY_SET: stack.push(new PySet()); break;
      case OP.BININT: stack.push(view.getInt32(need(4), true)); break;
      case OP.BININT1: stack.push(bytes[need(1)]); break;
      case OP.BININT2: stack.push(view.getUint16(need(2), true)); break;
      case OP.BINFLOAT: stack.push(view.getFloat64(need(8), false)); break;
      case OP.LONG1: {
        const n = bytes[need(1)];
        const start = need(n);
        stack.push(decodeLong(bytes.subarray(start, start + n)));
        break;
      }
      case OP.BINUNICODE: {
        const n = view.getUint32(need(4), true);
        const start = need(n);
        stack.push(decodeUtf8(bytes.subarray(start, start + n)));
        break;
      }
      case OP.SHORT_BINSTRING: {
        // torch.load passes encoding='utf-8' to the unpickler, which decodes these bytes with it.
        const n = bytes[need(1)];
        const start = need(n);
        stack.push(decodeUtf8(bytes.subarray(start, start + n)));
        break;
      }
      case OP.TUPLE: {
        const items = popMark(); // before reading `stack`: popMark replaces it
        stack.push(new PyTuple(items));
        break;
      }
      case OP.TUPLE1: { const a = pop(); stack.push(new PyTuple([a])); break; }
      case OP.TUPLE2: { const b = pop(); const a = pop(); stack.push(new PyTuple([a, b])); break; }
      case OP.TUPLE3: { const c = pop(); const b = pop(); const a = pop(); stack.push(new PyTuple([a, b, c])); break; }
      case OP.APPEND: {
        const item = pop();
        const list = top();
        if (!(list instanceof PyList)) fail(`APPEND to ${describeValue(list)}; only lists can be appended to`);
        (list as PyList).items.push(item);
        break;
      }
      case OP.APPENDS: {
        const items = popMark();
        const list = top();
        if (!(list instanceof PyList)) fail(`APPENDS to ${describeValue(list)}; only lists can be extended`);
        for (const item of items) (list as PyList).items.push(item);
        break;
      }
      case OP.SETITEM: {
        const value = pop();
        const key = pop();
        const dict = top();
        if (!(dict instanceof PyDict)) fail(`SETITEM on ${describeValue(dict)}; only dicts take items`);
        (dict as PyDict).set(key, value, opStart);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        const dict = top();
        if (!(dict instanceof PyDict)) fail(`SETITEMS on ${describeValue(dict)}; only dicts take items`);
        if (items.length % 2 !== 0) fail('SETITEMS has a key without a value');
        for (let i = 0; i < items.length; i += 2) (dict as PyDict).set(items[i], items[i + 1], opStart);
        break;
      }
      case OP.BINPUT: memoPut(bytes[need(1)]); break;
      case OP.LONG_BINPUT: memoPut(view.getUint32(need(4), true)); break;
      case OP.BINGET: memoGet(bytes[need(1)]); break;
      case OP.LONG_BINGET: memoGet(view.getUint32(need(4), true)); break;
      case OP.GLOBAL: {
        const module = line();
        const name = line();
        const fullName = `${module}.${name}`;
        const kind = ALLOWED_GLOBALS.get(fullName);
        if (kind === undefined) fail(`refused global ${fullName.slice(0, 200)}: a pickle that names it would run code, and only the names torch.load(weights_only=True) allows are read`);
        stack.push(new PyGlobal(fullName, kind!));
        break;
      }
      case OP.REDUCE: {
        const args = pop();
        const callable = top();
        if (!(callable instanceof PyGlobal)) fail(`REDUCE calls ${describeValue(callable)}, which is not an allowed function`);
        if (!(args instanceof PyTuple)) fail(`REDUCE passes ${describeValue(args)} as the arguments of ${(callable as PyGlobal).fullName}, not a tuple`);
        try {
          stack[stack.length - 1] = call(callable as PyGlobal, (args as PyTuple).items, limits);
        } catch (error) {
          if (error instanceof PickleError) throw error;
          fail((error as Error).message);
        }
        break;
      }
      case OP.NEWOBJ: {
        const args = pop();
        const cls = pop();
        if (!(cls instanceof PyGlobal) || cls.kind !== 'parameter') fail(`NEWOBJ instantiates ${describeValue(cls)}; only torch.nn.Parameter may be`);
        if (!(args instanceof PyTuple) || args.items.length < 1 || !(args.items[0] instanceof PyTensor)) fail('torch.nn.Parameter is built without a tensor');
        stack.push((args as PyTuple).items[0]);
        break;
      }
      case OP.BUILD: {
        const state = pop();
        const target = top();
        if (!(target instanceof PyDict) || !target.ordered) fail(`BUILD sets the state of ${describeValue(target)}; only an OrderedDict's attributes may be set`);
        if (!(state instanceof PyDict)) fail(`BUILD gives an OrderedDict ${describeValue(state)} as its attributes, not a dict`);
        (state as PyDict).keys.forEach((k, i) => {
          if (typeof k !== 'string') fail('an OrderedDict attribute name is not a string');
          (target as PyDict).attributes.set(k as string, (state as PyDict).values[i]);
        });
        break;
      }
      case OP.BINPERSID: {
        const pid = pop();
        try {
          stack.push(persistentLoad(pid, resolve));
        } catch (error) {
          if (error instanceof PickleError) throw error;
          fail((error as Error).message);
        }
        break;
      }
      default: {
        const name = REFUSED_OPCODES[code];
        fail(name
          ? `refused opcode ${name}${name === 'INST' || name === 'OBJ' || name.startsWith('EXT') || name === 'STACK_GLOBAL' || name === 'NEWOBJ_EX' ? ' (it names or builds an object of any class)' : ''}: torch.load(weights_only=True) does not accept it`
          : `byte 0x${code.toString(16).padStart(2, '0')} is not a pickle opcode`);
      }
    }
  }
}

/** Python's decode_long: little-endian two's complement. */
function decodeLong(raw: Uint8Array): number | bigint {
  if (raw.length === 0) return 0;
  let value = 0n;
  for (let i = raw.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(raw[i]);
  if (raw[raw.length - 1] & 0x80) value -= 1n << BigInt(8 * raw.length);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function persistentLoad(pid: PyValue, resolve: StorageResolver): PyStorage {
  if (!(pid instanceof PyTuple)) throw new Error(`a persistent id is ${describeValue(pid)}; PyTorch's are tuples ('storage', class, key, location, numel)`);
  const [tag, cls, key, location, numel] = pid.items;
  if (tag !== 'storage') throw new Error(`only persistent ids of storages are read, not ${describeValue(tag)}`);
  if (pid.items.length !== 5) throw new Error(`a storage's persistent id has ${pid.items.length} fields, not 5 ('storage', class, key, location, numel)`);
  if (!(cls instanceof PyGlobal) || (cls.kind !== 'storage' && cls.kind !== 'other-storage')) throw new Error(`a storage's class is ${describeValue(cls)}, not a torch storage class`);
  if (cls.kind === 'other-storage') throw new Error(`${cls.fullName} holds values SeqLens does not read (dense float, int and bool storages only)`);
  if (typeof key !== 'string') throw new Error(`a storage's key is ${describeValue(key)}, not a string`);
  if (typeof location !== 'string') throw new Error(`storage '${key}' has location ${describeValue(location)}, not a string`);
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) throw new Error(`storage '${key}' declares ${describeValue(numel)} elements`);
  const dtype = STORAGE_DTYPES[cls.fullName.split('.').pop()!];
  return resolve({ key, dtype, storageClass: cls.fullName, location, numel });
}

function intValue(value: PyValue, what: string): number {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new Error(`${what} is ${describeValue(value)}, not an integer`);
  return value;
}

function sizes(value: PyValue, what: string): number[] {
  if (!(value instanceof PyTuple)) throw new Error(`${what} is ${describeValue(value)}, not a tuple`);
  return value.items.map((v, i) => intValue(v, `${what}[${i}]`));
}

/** What calling an allowed global with these arguments gives, interpreted here. */
function call(callable: PyGlobal, args: PyValue[], limits: UnpickleLimits): PyValue {
  switch (callable.kind) {
    case 'ordered-dict': {
      if (args.length > 0) throw new Error('collections.OrderedDict is called with arguments; PyTorch builds it empty and fills it');
      return new PyDict(true);
    }
    case 'size': {
      if (args.length !== 1 || !(args[0] instanceof PyTuple)) throw new Error('torch.Size is called without one tuple of sizes');
      sizes(args[0], 'a torch.Size');
      return args[0];
    }
    case 'rebuild-tensor-v2':
    case 'rebuild-tensor': {
      // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      // _rebuild_tensor(storage, storage_offset, size, stride)
      const least = callable.kind === 'rebuild-tensor' ? 4 : 6;
      if (args.length < least || args.length > least + (callable.kind === 'rebuild-tensor' ? 0 : 1)) {
        throw new Error(`${callable.fullName} is called with ${args.length} arguments`);
      }
      return rebuildTensor(args, callable.fullName, limits);
    }
    case 'rebuild-parameter': {
      // _rebuild_parameter(data, requires_grad, backward_hooks)
      if (args.length !== 3 || !(args[0] instanceof PyTensor)) throw new Error('torch._utils._rebuild_parameter is called without a tensor');
      return args[0];
    }
    case 'rebuild-unsupported':
      throw new Error(`${callable.fullName} builds a sparse or meta tensor; SeqLens reads dense tensors only`);
    default:
      throw new Error(`calling ${callable.fullName} is not supported: only OrderedDict, torch.Size and the dense tensor rebuild functions are called in a state dict`);
  }
}

function rebuildTensor(args: PyValue[], name: string, limits: UnpickleLimits): PyTensor {
  const [storage, offsetValue, sizeValue, strideValue] = args;
  if (!isStorage(storage)) throw new Error(`${name} is given ${describeValue(storage)} as its storage`);
  const offset = intValue(offsetValue, 'the storage offset');
  const shape = sizes(sizeValue, 'the size');
  const stride = sizes(strideValue, 'the stride');
  if (stride.length !== shape.length) throw new Error(`a tensor of size (${shape.join(', ')}) has stride (${stride.join(', ')}): not one stride per dimension`);
  if (offset < 0) throw new Error(`a tensor starts at storage offset ${offset}`);
  if (shape.some((d) => d < 0) || stride.some((s) => s < 0)) throw new Error(`a tensor has size (${shape.join(', ')}) and stride (${stride.join(', ')}); neither may be negative`);
  let numel = 1;
  for (const d of shape) {
    numel *= d;
    if (numel > limits.maxTensorElements) throw new Error(`a tensor of size (${shape.join(', ')}) has more than ${limits.maxTensorElements.toLocaleString('en-US')} elements`);
  }
  if (numel > 0) {
    let last = offset;
    shape.forEach((d, i) => {
      last += (d - 1) * stride[i];
    });
    if (!Number.isSafeInteger(last) || last >= storage.numel) {
      throw new Error(`a tensor of size (${shape.join(', ')}), stride (${stride.join(', ')}) at offset ${offset} reads element ${last} of storage '${storage.key}', which holds ${storage.numel}`);
    }
  }
  return new PyTensor(storage, offset, shape, stride);
}
