// The legacy torchtext pipeline (torchtext <= 0.8 `torchtext.data`, 0.9-0.11 `torchtext.legacy.data`): Fields say
// how a column becomes a tensor, Datasets name their columns after the fields, and Iterators yield Batches whose
// attributes are those names. Only ranks and dtypes follow from the code; sizes set by the data (the vocabulary, a
// batch's longest example) stay unknown, except fix_length, which every padded example has.
import type { Origin } from '../shapes/dim';
import { Dim, UNKNOWN_DIM, intDim, symDim } from '../shapes/dim';
import { shapeOf } from '../shapes/shape';
import { DType, InstanceValue, TensorValue, UNKNOWN, Value, intValue, listOf } from '../values/value';

/**
 * How a Field turns a batch of examples into tensors (Field.pad and Field.numericalize). Undefined members of a
 * Field mean its output is not known: a postprocessing pipeline, data that needs no vocabulary (any nesting), a
 * NestedField, or a flag the analysis cannot read.
 */
export interface FieldSpec {
  sequential: boolean;
  batchFirst: boolean;
  includeLengths: boolean;
  /** Every padded example is fix_length long (Field.pad pads and truncates to it, init and eos tokens included). */
  fixLength?: number;
  dtype: DType;
  /** numericalize builds the lengths with the field's dtype (0.4 on) or as a LongTensor (tensor_type, before 0.4). */
  lengthsDtype: DType;
}

export type TorchtextObject =
  | { kind: 'field'; spec: FieldSpec | undefined; vectorsDim?: Dim }
  | { kind: 'vocab'; field: Extract<TorchtextObject, { kind: 'field' }> }
  | { kind: 'dataset'; fields: Map<string, FieldSpec | undefined> }
  /** The base `__init__` of a user subclass of Dataset, bound to the instance it sets up. */
  | { kind: 'dataset-init'; target: InstanceValue }
  /** Pretrained vectors (GloVe(dim=300), FastText): each row has `dim` numbers. */
  | { kind: 'vectors'; dim: Dim };

type Qualname = Extract<Value, { kind: 'qualname' }>;

/** `torchtext[.legacy].(data|datasets|vocab)[.submodule].Name[.method]`, or undefined for another path. */
function parsePath(path: string): { area: string; name: string; method?: string } | undefined {
  const m = /^torchtext\.(?:legacy\.)?(data|datasets|vocab)\.(?:[a-z_0-9]+\.)?([A-Z]\w*)(?:\.(\w+))?$/.exec(path);
  return m ? { area: m[1], name: m[2], method: m[3] } : undefined;
}

function object(name: string, torchtext: TorchtextObject): Value {
  return { kind: 'qualname', name, torchtext };
}

/** A flag given as a known bool or left to its default; undefined when the code passes something else. */
function flag(kwargs: Map<string, Value>, name: string, fallback: boolean): boolean | undefined {
  const v = kwargs.get(name);
  if (v === undefined) return fallback;
  return v.kind === 'bool' ? v.value : undefined;
}

/** The dtype of a field's tensors: `dtype=torch.float`, or the older `tensor_type=torch.FloatTensor`; long by default. */
function fieldDtype(kwargs: Map<string, Value>): DType | undefined {
  const dtype = kwargs.get('dtype');
  const tensorType = kwargs.get('tensor_type');
  if (dtype && tensorType) return undefined;
  if (dtype) return dtype.kind === 'dtype' ? dtype.dtype : 'unknown';
  if (tensorType) {
    const name = tensorType.kind === 'module' ? tensorType.path.split('.').pop()! : '';
    if (/^(Float|Double|Half)Tensor$/.test(name)) return 'float';
    if (/^(Long|Int|Short)Tensor$/.test(name)) return 'long';
    return 'unknown';
  }
  return 'long';
}

/** Field(...) and LabelField(...) (whose sequential is always False); positional arguments are not read. */
function makeField(name: string, args: Value[], kwargs: Map<string, Value>): Value {
  const none = (key: string) => { const v = kwargs.get(key); return v === undefined || v.kind === 'none'; };
  let spec: FieldSpec | undefined;
  const sequential = name === 'LabelField' ? false : flag(kwargs, 'sequential', true);
  const useVocab = flag(kwargs, 'use_vocab', true);
  const batchFirst = flag(kwargs, 'batch_first', false);
  const includeLengths = flag(kwargs, 'include_lengths', false);
  const dtype = fieldDtype(kwargs);
  // Without a vocabulary the column's values become the tensor as they are (they may nest); a postprocessing
  // pipeline may return anything.
  if (args.length === 0 && sequential !== undefined && useVocab === true && batchFirst !== undefined && includeLengths !== undefined && dtype !== undefined && none('postprocessing')) {
    const fix = kwargs.get('fix_length');
    const fixLength = fix && fix.kind !== 'none' ? intValue(fix) : undefined;
    spec = { sequential, batchFirst, includeLengths, dtype, lengthsDtype: kwargs.has('tensor_type') ? 'long' : dtype, ...(fixLength !== undefined && fixLength > 0 ? { fixLength } : {}) };
  }
  return object(`torchtext.data.${name}`, { kind: 'field', spec });
}

/** What one field gives a Batch (`batch.text`): a 2-D id tensor, with its lengths when include_lengths; labels 1-D. */
export function fieldBatch(spec: FieldSpec | undefined, batch: Dim, origin?: Origin): Value {
  if (!spec) return UNKNOWN;
  const tensor = (dims: Dim[], dtype: DType): TensorValue => ({ kind: 'tensor', dtype, shape: shapeOf(dims), ...(origin ? { origin } : {}) });
  // pad() leaves a non-sequential column as it is: numericalize then refuses include_lengths (ValueError).
  if (!spec.sequential) return spec.includeLengths ? UNKNOWN : tensor([batch], spec.dtype);
  const seq = spec.fixLength !== undefined ? intDim(spec.fixLength, origin ? { origin } : {}) : UNKNOWN_DIM;
  const ids = tensor(spec.batchFirst ? [batch, seq] : [seq, batch], spec.dtype);
  return spec.includeLengths ? { kind: 'tuple', items: [ids, tensor([batch], spec.lengthsDtype)] } : ids;
}

function fieldOf(v: Value | undefined): Extract<TorchtextObject, { kind: 'field' }> | undefined {
  return v?.kind === 'qualname' && v.torchtext?.kind === 'field' ? v.torchtext : undefined;
}

/**
 * The columns a dataset's `fields` argument names: a list of (name, field) pairs (None entries are skipped), or a
 * dict from a column key to a (name, field) pair or a list of them. Undefined when any entry cannot be read.
 */
function namedFields(v: Value | undefined): Map<string, FieldSpec | undefined> | undefined {
  if (!v) return undefined;
  const out = new Map<string, FieldSpec | undefined>();
  const pair = (p: Value): boolean => {
    if (p.kind === 'none') return true;
    if ((p.kind !== 'tuple' && p.kind !== 'list') || p.element || p.items.length !== 2 || p.items[0].kind !== 'str') return false;
    if (p.items[1].kind === 'none') return true;
    // A column read by something other than a torchtext Field (a user class, a RawField) holds what it makes.
    out.set(p.items[0].value, fieldOf(p.items[1])?.spec);
    return true;
  };
  if ((v.kind === 'list' || v.kind === 'tuple') && !v.element) return v.items.every(pair) && out.size <= 64 ? out : undefined;
  if (v.kind === 'dict' && !v.partial && !v.namespace && !v.parser) {
    for (const entry of v.entries.values()) {
      const ok = entry.kind === 'tuple' && entry.items.length === 2 && entry.items[0].kind === 'str' ? pair(entry) : (entry.kind === 'list' || entry.kind === 'tuple') && !entry.element && entry.items.every(pair);
      if (!ok) return undefined;
    }
    return out.size <= 64 ? out : undefined;
  }
  return undefined;
}

function dataset(fields: Map<string, FieldSpec | undefined>): Value {
  return object('torchtext.data.Dataset', { kind: 'dataset', fields });
}

/** `count` datasets with these columns, or a list of unknown length when the count is not known. */
function datasets(fields: Map<string, FieldSpec | undefined>, count: number | undefined): Value {
  if (count === undefined) return listOf(dataset(fields));
  return { kind: 'tuple', items: Array.from({ length: count }, () => dataset(fields)) };
}

/**
 * The legacy torchtext.datasets classes: the columns their `splits(...)` gives each example, from the fields passed,
 * and how many splits it returns by default (a split passed as None is dropped, so then the count is not known).
 */
const BUILTIN_DATASETS: Record<string, { columns: (args: Value[], kwargs: Map<string, Value>) => Map<string, FieldSpec | undefined> | undefined; splits: string[] }> = {
  IMDB: { columns: (a, k) => columns(['text', 'label'], a, k, ['text_field', 'label_field']), splits: ['train', 'test'] },
  TREC: { columns: (a, k) => columns(['text', 'label'], a, k, ['text_field', 'label_field']), splits: ['train', 'test'] },
  SST: { columns: (a, k) => columns(['text', 'label'], a, k, ['text_field', 'label_field']), splits: ['train', 'validation', 'test'] },
  SNLI: { columns: (a, k) => nli(a, k), splits: ['train', 'validation', 'test'] },
  MultiNLI: { columns: (a, k) => nli(a, k), splits: ['train', 'validation', 'test'] },
  WikiText2: { columns: (a, k) => columns(['text'], a, k, ['text_field']), splits: ['train', 'validation', 'test'] },
  WikiText103: { columns: (a, k) => columns(['text'], a, k, ['text_field']), splits: ['train', 'validation', 'test'] },
  PennTreebank: { columns: (a, k) => columns(['text'], a, k, ['text_field']), splits: ['train', 'validation', 'test'] },
  Multi30k: { columns: (_a, k) => translation(k), splits: ['train', 'validation', 'test'] },
  IWSLT: { columns: (_a, k) => translation(k), splits: ['train', 'validation', 'test'] },
  WMT14: { columns: (_a, k) => translation(k), splits: ['train', 'validation', 'test'] },
};

function columns(names: string[], args: Value[], kwargs: Map<string, Value>, params: string[]): Map<string, FieldSpec | undefined> | undefined {
  const out = new Map<string, FieldSpec | undefined>();
  for (let i = 0; i < names.length; i++) {
    const f = fieldOf(args[i] ?? kwargs.get(params[i]));
    if (!f) return undefined;
    out.set(names[i], f.spec);
  }
  return out;
}

/** SNLI/MultiNLI.splits(text_field, label_field, parse_field=None): premise and hypothesis share the text field. */
function nli(args: Value[], kwargs: Map<string, Value>): Map<string, FieldSpec | undefined> | undefined {
  const parse = args[2] ?? kwargs.get('parse_field');
  if (parse && parse.kind !== 'none') return undefined;
  const text = fieldOf(args[0] ?? kwargs.get('text_field'));
  const label = fieldOf(args[1] ?? kwargs.get('label_field'));
  if (!text || !label) return undefined;
  return new Map([['premise', text.spec], ['hypothesis', text.spec], ['label', label.spec]]);
}

/** TranslationDataset.splits(exts, fields=(SRC, TRG)): columns src and trg. */
function translation(kwargs: Map<string, Value>): Map<string, FieldSpec | undefined> | undefined {
  const fields = kwargs.get('fields');
  if ((fields?.kind !== 'tuple' && fields?.kind !== 'list') || fields.element || fields.items.length !== 2) return undefined;
  const [src, trg] = fields.items.map(fieldOf);
  if (!src || !trg) return undefined;
  return new Map([['src', src.spec], ['trg', trg.spec]]);
}

/** How many of the named splits a `splits(...)` call keeps: each given (or defaulted) and not None. */
function splitCount(splits: string[], kwargs: Map<string, Value>, defaults: boolean): number | undefined {
  let n = 0;
  for (const s of splits) {
    const v = kwargs.get(s);
    if (v === undefined) { if (defaults) n++; continue; }
    if (v.kind === 'none') continue;
    if (v.kind !== 'str') return undefined;
    n++;
  }
  return n;
}

/**
 * Iterating an Iterator/BucketIterator gives Batches: one attribute per column, each made by its field with a
 * shared batch axis (a symbol: the last batch may be smaller), and `batch_size`.
 */
function iterator(ds: Value | undefined, origin: Origin): Value {
  const d = datasetOf(ds);
  if (!d) return UNKNOWN;
  const batch = symDim('batch', { role: 'batch' });
  const entries = new Map<string, Value>();
  for (const [name, spec] of d.fields) entries.set(name, fieldBatch(spec, batch, origin));
  entries.set('batch_size', { kind: 'symint', dim: batch });
  return listOf({ kind: 'dict', entries, namespace: true });
}

/**
 * BPTTIterator(dataset, batch_size, bptt_len): the dataset's `text` column numericalized as one stream, viewed as
 * batch_size columns, cut into (seq, batch_size) windows: batch.text and batch.target (seq is at most bptt_len).
 * With batch_first, later releases transpose the windows and earlier ones do not: both axes are then unknown.
 */
function bpttIterator(ds: Value | undefined, batchSize: Value | undefined, origin: Origin): Value {
  const d = datasetOf(ds);
  if (!d) return UNKNOWN;
  const spec = d.fields.get('text');
  if (!spec || !spec.sequential || spec.includeLengths) return UNKNOWN;
  const n = intValue(batchSize);
  const batch = n !== undefined && n > 0 ? intDim(n, { origin, role: 'batch' }) : symDim('batch', { role: 'batch' });
  const dims = spec.batchFirst ? [UNKNOWN_DIM, UNKNOWN_DIM] : [UNKNOWN_DIM, batch];
  const window = (): TensorValue => ({ kind: 'tensor', dtype: spec.dtype, shape: shapeOf(dims), origin });
  return listOf({ kind: 'dict', entries: new Map<string, Value>([['text', window()], ['target', window()]]), namespace: true });
}

/** The datasets a `splits(datasets, ...)` call of an iterator class is given. */
function datasetItems(v: Value | undefined): Value[] | undefined {
  if ((v?.kind !== 'tuple' && v?.kind !== 'list') || v.element || v.items.length > 16) return undefined;
  return v.items;
}

/** Where an instance of a user subclass of Dataset keeps the columns its base `__init__` was given. */
const COLUMNS = '__torchtext_columns__';

/** The legacy torchtext data class a base path names ('Dataset', 'Field', ...), or undefined. */
export function torchtextClass(path: string): string | undefined {
  const p = parsePath(path);
  return p && p.area === 'data' && !p.method ? p.name : undefined;
}

/** `super().__init__` of a class extending torchtext's Dataset: a callable that records the columns on the instance. */
export function torchtextSuperInit(base: string, receiver: InstanceValue): Value | undefined {
  if (base !== 'Dataset') return undefined;
  return { kind: 'method', receiver: object('torchtext.data.Dataset.__init__', { kind: 'dataset-init', target: receiver }), name: '__call__' };
}

/** The dataset a value stands for: a torchtext Dataset, or an instance of a subclass whose base __init__ ran. */
function datasetOf(v: Value | undefined): Extract<TorchtextObject, { kind: 'dataset' }> | undefined {
  if (v?.kind === 'qualname' && v.torchtext?.kind === 'dataset') return v.torchtext;
  if (v?.kind === 'instance') {
    const cols = v.attrs.get(COLUMNS);
    if (cols?.kind === 'qualname' && cols.torchtext?.kind === 'dataset') return cols.torchtext;
  }
  return undefined;
}

/** A call of a torchtext path; undefined when the path is not one modelled here (its result is then unknown). */
export function torchtextCall(path: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const p = parsePath(path);
  if (!p) return undefined;
  if (p.area === 'data' && !p.method) {
    if (p.name === 'Field' || p.name === 'LabelField' || p.name === 'ReversibleField') return makeField(p.name, args, kwargs);
    if (p.name === 'TabularDataset' || p.name === 'Dataset') {
      const fields = namedFields(kwargs.get('fields') ?? (p.name === 'Dataset' ? args[1] : args[2]));
      return fields ? dataset(fields) : UNKNOWN;
    }
    if (p.name === 'Iterator' || p.name === 'BucketIterator') return iterator(args[0] ?? kwargs.get('dataset'), origin);
    if (p.name === 'BPTTIterator') return bpttIterator(args[0] ?? kwargs.get('dataset'), args[1] ?? kwargs.get('batch_size'), origin);
    return undefined;
  }
  if (p.area === 'data' && p.method === 'splits') {
    if (p.name === 'TabularDataset') {
      const fields = namedFields(kwargs.get('fields'));
      // splits(path, root, train, validation, test, **kwargs) in 0.4 on; positional splits are not read.
      return fields && args.length <= 1 ? datasets(fields, splitCount(['train', 'validation', 'test'], kwargs, false)) : UNKNOWN;
    }
    if (p.name === 'Iterator' || p.name === 'BucketIterator' || p.name === 'BPTTIterator') {
      const items = datasetItems(args[0] ?? kwargs.get('datasets'));
      if (!items) return UNKNOWN;
      const sizes = kwargs.get('batch_sizes');
      const sizeOf = (i: number) => (sizes?.kind === 'tuple' || sizes?.kind === 'list') && !sizes.element ? sizes.items[i] : kwargs.get('batch_size');
      return { kind: 'tuple', items: items.map((d, i) => (p.name === 'BPTTIterator' ? bpttIterator(d, sizeOf(i), origin) : iterator(d, origin))) };
    }
    return undefined;
  }
  if (p.area === 'datasets' && p.method === 'splits') {
    const known = BUILTIN_DATASETS[p.name];
    const cols = known?.columns(args, kwargs);
    return known && cols ? datasets(cols, splitCount(known.splits, kwargs, true)) : UNKNOWN;
  }
  if (p.area === 'vocab' && !p.method && (p.name === 'GloVe' || p.name === 'FastText' || p.name === 'CharNGram')) {
    const dim = p.name === 'GloVe' ? intValue(kwargs.get('dim') ?? args[1] ?? { kind: 'int', value: 300 }) : p.name === 'FastText' ? 300 : 100;
    return object(`torchtext.vocab.${p.name}`, { kind: 'vectors', dim: dim !== undefined && dim > 0 ? intDim(dim, { origin }) : UNKNOWN_DIM });
  }
  return undefined;
}

function sameColumns(a: Map<string, FieldSpec | undefined>, b: Map<string, FieldSpec | undefined>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.has(k) || JSON.stringify(b.get(k)) !== JSON.stringify(v)) return false;
  return true;
}

/** The width of the vectors build_vocab is given: GloVe(dim=300), or a name such as 'glove.6B.100d'. */
function vectorsWidth(v: Value | undefined): Dim {
  if (v?.kind === 'qualname' && v.torchtext?.kind === 'vectors') return v.torchtext.dim;
  if (v?.kind === 'str') {
    const m = /\.(\d{1,5})d$/.exec(v.value);
    if (m) return intDim(Number(m[1]));
  }
  return UNKNOWN_DIM;
}

/** A method of a torchtext object: Field.build_vocab, Dataset.split; undefined for another. */
export function torchtextMethod(receiver: Qualname, name: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  const t = receiver.torchtext;
  if (!t) return undefined;
  if (t.kind === 'dataset-init' && name === '__call__') {
    // Dataset.__init__(examples, fields, filter_pred=None): a second run with other columns leaves them unknown.
    const fields = namedFields(args[1] ?? kwargs.get('fields'));
    const before = t.target.attrs.get(COLUMNS);
    const value = fields && (!before || before.kind === 'qualname') ? dataset(fields) : UNKNOWN;
    if (before?.kind === 'qualname' && before.torchtext?.kind === 'dataset' && fields && !sameColumns(before.torchtext.fields, fields)) t.target.attrs.set(COLUMNS, UNKNOWN);
    else t.target.attrs.set(COLUMNS, value);
    return { kind: 'none' };
  }
  if (t.kind === 'field' && name === 'build_vocab') {
    const vectors = kwargs.get('vectors');
    if (vectors && vectors.kind !== 'none') t.vectorsDim = vectorsWidth(vectors);
    return { kind: 'none' };
  }
  if (t.kind === 'dataset' && name === 'split') {
    // split_ratio: a float gives (train, test); a list of 2 or 3 gives as many.
    const ratio = args[0] ?? kwargs.get('split_ratio');
    let count: number | undefined;
    if (!ratio || ratio.kind === 'float') count = 2;
    else if ((ratio.kind === 'list' || ratio.kind === 'tuple') && !ratio.element && (ratio.items.length === 2 || ratio.items.length === 3)) count = ratio.items.length;
    return datasets(t.fields, count);
  }
  return undefined;
}

/**
 * An attribute of a torchtext object: a field's vocab, a vocab's stoi/itos/vectors (vectors only when build_vocab
 * was given some: (len(vocab), width) floats). Undefined for a name not modelled (a method, read when called).
 */
export function torchtextAttribute(object_: Qualname, name: string, origin: Origin): Value | undefined {
  const t = object_.torchtext;
  if (!t) return undefined;
  if (t.kind === 'field' && name === 'vocab') return object('torchtext.vocab.Vocab', { kind: 'vocab', field: t });
  if (t.kind === 'vocab') {
    if (name === 'stoi') return { kind: 'dict', entries: new Map(), partial: true, values: { kind: 'symint', dim: UNKNOWN_DIM } };
    if (name === 'itos') return listOf(UNKNOWN);
    // load_vectors/set_vectors replace the vectors in ways not followed: their width is no longer known.
    if (name === 'load_vectors' || name === 'set_vectors') t.field.vectorsDim = undefined;
    if (name === 'vectors') return t.field.vectorsDim ? { kind: 'tensor', dtype: 'float', shape: shapeOf([UNKNOWN_DIM, t.field.vectorsDim]), origin } : UNKNOWN;
    return UNKNOWN;
  }
  if (t.kind === 'dataset' && name === 'fields') return UNKNOWN;
  if (t.kind === 'dataset' && name === 'examples') return UNKNOWN;
  return undefined;
}

