// Data that real Keras scripts load instead of building it: keras.datasets' load_data (whose sizes and id ranges
// are fixed by the data set) and scikit-learn's generators and train_test_split.
import type { Origin } from '../shapes/dim';
import { Dim, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { shapeOf } from '../shapes/shape';
import { TensorValue, UNKNOWN, Value, intValue } from '../values/value';

/**
 * The word-index data sets: samples in the train and test split, the number of classes, and the largest word id
 * when load_data keeps every word (imdb.npz: the word index has 88,584 words, ids start at index_from=3, and the
 * largest id in the data is 88,586). Reuters' largest id is not recorded here, so without num_words it is unknown.
 */
const WORD_DATASETS: Record<string, { train: number; test: number; classes: number; maxId?: number }> = {
  imdb: { train: 25000, test: 25000, classes: 2, maxId: 88586 },
  reuters: { train: 8982, test: 2246, classes: 46 },
};

function tensor(dims: Dim[], dtype: TensorValue['dtype'], origin: Origin, minValue?: number, maxValue?: number): TensorValue {
  return { kind: 'tensor', dtype, origin, shape: shapeOf(dims), minValue, maxValue };
}

/**
 * keras.datasets.imdb/reuters.load_data(num_words=N): ((x_train, y_train), (x_test, y_test)). x is one list of ids per
 * sample, read as (samples, ?) ids: with num_words every id is below N (rarer words become oov_char=2); without it,
 * ids reach the data set's largest (unless index_from moves them). Labels are class ids.
 */
export function kerasDataset(name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value {
  const data = WORD_DATASETS[name];
  if (!data) return UNKNOWN;
  const numWordsArg = kwargs.get('num_words') ?? kwargs.get('nb_words') ?? args[1];
  const numWords = intValue(numWordsArg);
  const numWordsGiven = numWordsArg !== undefined && numWordsArg.kind !== 'none';
  const indexFromMoved = kwargs.has('index_from') && intValue(kwargs.get('index_from')) !== 3;
  const maxLen = kwargs.has('maxlen') && kwargs.get('maxlen')?.kind !== 'none';
  const maxId = numWordsGiven ? (numWords !== undefined ? numWords - 1 : undefined) : indexFromMoved ? undefined : data.maxId;
  // maxlen drops the longer reviews, so the sample counts are no longer known.
  const rows = (n: number) => (maxLen || kwargs.has('test_split') ? UNKNOWN_DIM : intDim(n, { origin }));
  const split = (n: number): Value => ({
    kind: 'tuple',
    items: [tensor([rows(n), UNKNOWN_DIM], 'long', origin, 0, maxId), tensor([rows(n)], 'long', origin, 0, data.classes - 1)],
  });
  return { kind: 'tuple', items: [split(data.train), split(data.test)] };
}

function sizeArg(args: Value[], kwargs: Map<string, Value>, index: number, name: string, fallback: number): number | undefined {
  const v = kwargs.get(name) ?? args[index];
  return v === undefined ? fallback : intValue(v);
}

/** sklearn.datasets.make_regression / make_classification, and sklearn.model_selection.train_test_split. */
export function sklearnCall(path: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const dim = (n: number | undefined) => (n === undefined ? UNKNOWN_DIM : intDim(n, { origin }));
  if (path === 'sklearn.datasets.make_regression') {
    const n = sizeArg(args, kwargs, 0, 'n_samples', 100);
    const f = sizeArg(args, kwargs, 1, 'n_features', 100);
    const targets = sizeArg(args, kwargs, 3, 'n_targets', 1);
    const y = targets === 1 ? tensor([dim(n)], 'float', origin) : tensor([dim(n), dim(targets)], 'float', origin);
    return { kind: 'tuple', items: [tensor([dim(n), dim(f)], 'float', origin), y] };
  }
  if (path === 'sklearn.datasets.make_classification') {
    const n = sizeArg(args, kwargs, 0, 'n_samples', 100);
    const f = sizeArg(args, kwargs, 1, 'n_features', 20);
    const classes = sizeArg(args, kwargs, 5, 'n_classes', 2);
    return { kind: 'tuple', items: [tensor([dim(n), dim(f)], 'float', origin), tensor([dim(n)], 'long', origin, 0, classes === undefined ? undefined : classes - 1)] };
  }
  if (SCALERS.has(path) || CROSS_VALIDATORS.has(path) || path === LABEL_ENCODER) return { kind: 'qualname', name: path };
  // OneHotEncoder gives a scipy sparse matrix unless sparse=False (scikit-learn up to 1.3) or sparse_output=False
  // (1.2 on) asks for an array; the sparse matrix is not followed.
  if (path === ONE_HOT_ENCODER) {
    const dense = [kwargs.get('sparse'), kwargs.get('sparse_output')].some((v) => v?.kind === 'bool' && !v.value);
    return dense ? { kind: 'qualname', name: path } : UNKNOWN;
  }
  if (path === 'sklearn.model_selection.train_test_split' || path === 'sklearn.cross_validation.train_test_split') {
    const arrays = args.filter((a) => a.kind === 'tensor') as TensorValue[];
    if (arrays.length !== args.length || !arrays.length) return UNKNOWN;
    const out: Value[] = [];
    for (const a of arrays) {
      const [train, test] = splitRows(a, kwargs, origin);
      out.push(train, test);
    }
    return { kind: 'list', items: out };
  }
  return undefined;
}

/** The scalers of sklearn.preprocessing: each scales every feature on its own, so X keeps its (samples, features) shape. */
const SCALERS = new Set(['MinMaxScaler', 'StandardScaler', 'MaxAbsScaler', 'RobustScaler'].map((n) => `sklearn.preprocessing.${n}`));

const LABEL_ENCODER = 'sklearn.preprocessing.LabelEncoder';
const ONE_HOT_ENCODER = 'sklearn.preprocessing.OneHotEncoder';

/** The cross-validators of sklearn.model_selection, whose split(X, y) yields (train, test) index arrays. */
const CROSS_VALIDATORS = new Set(
  ['KFold', 'StratifiedKFold', 'GroupKFold', 'StratifiedGroupKFold', 'RepeatedKFold', 'RepeatedStratifiedKFold', 'ShuffleSplit', 'StratifiedShuffleSplit', 'GroupShuffleSplit', 'TimeSeriesSplit'].map(
    (n) => `sklearn.model_selection.${n}`,
  ),
);

/**
 * A cross-validator's split(X, y, groups): per fold a (train, test) pair of 1-D integer arrays of row positions in
 * X, each below its row count. How many folds and rows each holds is left unknown (folds differ by a row).
 */
function crossValidationSplits(x: Value | undefined, origin: Origin): Value {
  const n = x?.kind === 'tensor' && x.shape.rankKnown && x.shape.dims.length > 0 && x.shape.dims[0].kind === 'int' ? x.shape.dims[0].value : undefined;
  const positions = (): TensorValue => ({
    kind: 'tensor',
    dtype: 'long',
    origin,
    numpy: true,
    shape: shapeOf([UNKNOWN_DIM]),
    ...(n !== undefined && n > 0 ? { minValue: 0, maxValue: n - 1, minBoundOnly: true, maxBoundOnly: true } : {}),
  });
  return { kind: 'list', items: [], element: { kind: 'tuple', items: [positions(), positions()] } };
}

/**
 * A method of a scikit-learn object made by sklearnCall: a scaler's fit_transform/transform/inverse_transform give
 * floats of X's 2-D shape (scikit-learn 1.2 refuses any other rank), and fit gives the scaler back; a
 * cross-validator's split gives its folds. Undefined otherwise.
 */
export function sklearnMethod(path: string, name: string, args: Value[], kwargs: Map<string, Value>, receiver: Value, origin: Origin): Value | undefined {
  if (CROSS_VALIDATORS.has(path)) return name === 'split' ? crossValidationSplits(args[0] ?? kwargs.get('X'), origin) : undefined;
  if (path === LABEL_ENCODER) return labelEncoderMethod(name, args[0] ?? kwargs.get('y'), receiver, origin);
  if (path === ONE_HOT_ENCODER) return oneHotEncoderMethod(name, args[0] ?? kwargs.get('X'), receiver, origin);
  if (!SCALERS.has(path)) return undefined;
  const x = args[0] ?? kwargs.get('X');
  if (name === 'fit') return receiver;
  if (name !== 'fit_transform' && name !== 'transform' && name !== 'inverse_transform') return undefined;
  if (x?.kind !== 'tensor' || !x.shape.rankKnown || x.shape.dims.length !== 2) return UNKNOWN;
  return { kind: 'tensor', dtype: 'float', origin, shape: shapeOf(x.shape.dims), numpy: true };
}

/**
 * LabelEncoder's fit_transform/transform: one class id per label, (n,) integers from 0 up to at most n − 1 (as many
 * classes as distinct labels). scikit-learn 1.2 takes a 1-D y, and a column (n, 1) with a warning; it refuses any
 * other shape, so labels of unknown shape give (?,) ids. fit gives the encoder back.
 */
function labelEncoderMethod(name: string, y: Value | undefined, receiver: Value, origin: Origin): Value | undefined {
  if (name === 'fit') return receiver;
  if (name !== 'fit_transform' && name !== 'transform') return undefined;
  // Labels of unknown shape (read from a file, built by a long comprehension): the result is still 1-D, as
  // scikit-learn returns nothing else (it raises on any other y), of an unknown number of ids.
  if (!y || y.kind !== 'tensor' || !y.shape.rankKnown) {
    return y ? { kind: 'tensor', dtype: 'long', origin, numpy: true, shape: shapeOf([UNKNOWN_DIM]), minValue: 0, minBoundOnly: true } : UNKNOWN;
  }
  const dims = y.shape.dims;
  if (dims.length !== 1 && !(dims.length === 2 && dims[1].kind === 'int' && dims[1].value === 1)) return UNKNOWN;
  const n = dims[0].kind === 'int' ? dims[0].value : undefined;
  return {
    kind: 'tensor',
    dtype: 'long',
    origin,
    numpy: true,
    shape: shapeOf([dims[0]]),
    minValue: 0,
    minBoundOnly: true,
    ...(n !== undefined && n > 0 ? { maxValue: n - 1, maxBoundOnly: true } : {}),
  };
}

/**
 * A dense OneHotEncoder's fit_transform/transform: one row per sample of X (which must be 2-D), as many float columns
 * as the categories of all the features together, which the data decides (left unknown). fit gives the encoder back.
 */
function oneHotEncoderMethod(name: string, x: Value | undefined, receiver: Value, origin: Origin): Value | undefined {
  if (name === 'fit') return receiver;
  if (name !== 'fit_transform' && name !== 'transform') return undefined;
  if (x?.kind !== 'tensor' || !x.shape.rankKnown || x.shape.dims.length !== 2) return UNKNOWN;
  return { kind: 'tensor', dtype: 'float', origin, numpy: true, shape: shapeOf([x.shape.dims[0], UNKNOWN_DIM]) };
}

/** train_test_split's row counts: test = ceil(test_size · n) (0.25 by default), train = the rest; an int is a count. */
function splitRows(a: TensorValue, kwargs: Map<string, Value>, origin: Origin): [TensorValue, TensorValue] {
  const n = a.shape.rankKnown && a.shape.dims[0]?.kind === 'int' ? a.shape.dims[0].value : undefined;
  const testArg = kwargs.get('test_size');
  const trainArg = kwargs.get('train_size');
  let test: number | undefined;
  if (n !== undefined) {
    const t = testArg && testArg.kind !== 'none' ? testArg : undefined;
    const r = trainArg && trainArg.kind !== 'none' ? trainArg : undefined;
    if (t?.kind === 'int') test = t.value;
    else if (t?.kind === 'float') test = t.value === undefined ? undefined : Math.ceil(t.value * n);
    else if (!t && r?.kind === 'int') test = n - r.value;
    else if (!t && r?.kind === 'float') test = r.value === undefined ? undefined : n - Math.floor(r.value * n);
    else if (!t && !r) test = Math.ceil(0.25 * n);
  }
  const rest = a.shape.rankKnown ? a.shape.dims.slice(1) : undefined;
  const withRows = (rows: number | undefined): TensorValue => ({
    ...a,
    literal: undefined,
    sortedDescending: undefined,
    origin,
    shape: rest ? shapeOf([rows === undefined || rows < 0 ? UNKNOWN_DIM : intDim(rows, { origin }), ...rest]) : a.shape,
  });
  return [withRows(test === undefined || n === undefined ? undefined : n - test), withRows(test)];
}
