// pandas frames as data reaches a model: a DataFrame is (rows, columns) and a Series (rows,); `.values`,
// `.to_numpy()` and `np.array(frame)` give an array of that shape, which is what Keras' fit and the scalers of
// scikit-learn read. Only what fixes a frame's shape is modelled: reading a file (rows and columns unknown), building
// one from an array or a dict, taking columns by name, `.iloc` by position, `len`, `.shape`, `.columns`, and the
// methods that keep the columns. Any other method or indexing gives an unknown value, never a guess: `df.mean()` is
// a Series of one entry per column, `df.T` swaps the axes, `df.loc[label]` may be one row or several.
import type { Origin } from '../shapes/dim';
import { Dim, UNKNOWN_DIM, intDim } from '../shapes/dim';
import { shapeOf } from '../shapes/shape';
import { NONE, TensorValue, UNKNOWN, Value, intValue, sequenceLength } from '../values/value';
import { valueFromDim } from './dims-from-values';

/** What a frame holds: its row count, its column count (a DataFrame), and the column names when all are known. */
export interface FrameState {
  series: boolean;
  rows: Dim;
  width: Dim;
  columns?: string[];
  /**
   * The columns are labelled 0, 1, …, width - 1 (a frame built from an array without names, or read without a
   * header): `frame[[0, 2]]` and `frame[1]` pick columns by those labels.
   */
  rangeLabels?: boolean;
  /** `frame.iloc` / `frame.loc`: an indexer of the frame, read by the subscript that follows. */
  indexer?: 'iloc' | 'loc';
}

export type PandasFrame = { kind: 'qualname'; name: string; frame: FrameState };

/** One item of a subscript's index: a value, or a slice with its bounds' values. */
export type FrameIndex = { slice: true; start?: Value; stop?: Value; step?: Value } | { slice: false; value: Value };

function frame(state: FrameState): PandasFrame {
  return { kind: 'qualname', name: state.series ? 'pandas.Series' : 'pandas.DataFrame', frame: state };
}

function dataFrame(rows: Dim, width: Dim, columns?: string[]): PandasFrame {
  return frame({ series: false, rows, width: columns ? intDim(columns.length) : width, ...(columns ? { columns } : {}) });
}

/** A DataFrame whose columns are labelled 0 … width - 1. */
function rangeLabelled(rows: Dim, width: Dim): PandasFrame {
  return frame({ series: false, rows, width, rangeLabels: true });
}

/** The integer labels of a list of column labels, when every item is a known int. */
function intLabels(value: Value): number[] | undefined {
  if (value.kind !== 'list' || value.element) return undefined;
  const out: number[] = [];
  for (const item of value.items) {
    if (item.kind !== 'int') return undefined;
    out.push(item.value);
  }
  return out;
}

/** Whether `label` is one of a range-labelled frame's columns; undefined when its width is not known. */
function hasRangeLabel(state: FrameState, label: number): boolean | undefined {
  if (label < 0) return false;
  return state.width.kind === 'int' ? label < state.width.value : undefined;
}

function series(rows: Dim): PandasFrame {
  return frame({ series: true, rows, width: intDim(1) });
}

export function isFrame(value: Value | undefined): value is PandasFrame {
  return value?.kind === 'qualname' && value.frame !== undefined && !value.frame.indexer;
}

/** The names of a list of strings, when every item is a known string. */
function names(value: Value | undefined): string[] | undefined {
  if (value?.kind !== 'list' && value?.kind !== 'tuple') return undefined;
  if (value.element) return undefined;
  const out: string[] = [];
  for (const item of value.items) {
    if (item.kind !== 'str') return undefined;
    out.push(item.value);
  }
  return out;
}

/** How many names a list or tuple of names holds, when its length is known. */
function namedCount(value: Value | undefined): number | undefined {
  return value?.kind === 'list' || value?.kind === 'tuple' ? sequenceLength(value) : undefined;
}

/** The files pandas reads into one DataFrame (read_excel only when it reads one sheet). */
const READERS = new Set(['pandas.read_csv', 'pandas.read_table', 'pandas.read_fwf', 'pandas.read_parquet', 'pandas.read_feather', 'pandas.read_pickle', 'pandas.read_excel']);

/** The readers whose file argument pandas checks first, and that argument's keyword. */
const FILE_ARGUMENT = new Map([
  ['pandas.read_csv', 'filepath_or_buffer'],
  ['pandas.read_table', 'filepath_or_buffer'],
  ['pandas.read_fwf', 'filepath_or_buffer'],
  ['pandas.read_pickle', 'filepath_or_buffer'],
  ['pandas.read_excel', 'io'],
]);

/**
 * Whether a reader is certainly given a number for its file: pandas (1.x and 2.x) raises ValueError "Invalid file path
 * or buffer object type" before it reads anything. Only a number known to be one counts: the default of a parameter
 * nothing calls with a known argument (assumedDefault) may stand for a path a caller passes.
 */
export function readerRaises(path: string, args: Value[], kwargs: Map<string, Value>): boolean {
  const name = FILE_ARGUMENT.get(path);
  if (name === undefined) return false;
  const file = args[0] ?? kwargs.get(name);
  if (file?.kind === 'int' || file?.kind === 'float') return file.assumedDefault === undefined;
  return file?.kind === 'bool';
}

/** pandas.read_csv(...), pandas.DataFrame(data, columns=), pandas.Series(data). Undefined for any other function. */
export function pandasCall(path: string, args: Value[], kwargs: Map<string, Value>): Value | undefined {
  if (READERS.has(path)) {
    // read_excel(sheet_name=None or a list) gives a dict of frames; read_pickle gives whatever was pickled.
    if (path === 'pandas.read_pickle') return UNKNOWN;
    if (path === 'pandas.read_excel' && (kwargs.has('sheet_name') || args.length > 1)) return UNKNOWN;
    // iterator= and chunksize= give a reader, not a frame; squeeze= (pandas < 2) may give a Series.
    if (kwargs.has('iterator') || kwargs.has('chunksize') || kwargs.has('squeeze')) return UNKNOWN;
    const usecols = names(kwargs.get('usecols'));
    // header=None without names, usecols or index_col labels the columns by position.
    const header = kwargs.get('header');
    if (header?.kind === 'none' && !kwargs.has('names') && !kwargs.has('usecols') && !kwargs.has('index_col') && path !== 'pandas.read_excel') {
      return rangeLabelled(UNKNOWN_DIM, UNKNOWN_DIM);
    }
    return dataFrame(UNKNOWN_DIM, UNKNOWN_DIM, kwargs.has('usecols') ? usecols : undefined);
  }
  if (path === 'pandas.DataFrame') {
    const data = args[0] ?? kwargs.get('data');
    const columns = kwargs.has('columns') || args.length > 2 ? names(kwargs.get('columns') ?? args[2]) : undefined;
    const columnsGiven = kwargs.has('columns') || args.length > 2;
    if (data?.kind === 'tensor' && data.shape.rankKnown && data.shape.dims.length === 2) {
      const [rows, width] = data.shape.dims;
      // A 2-D array takes one column name per column, or pandas raises: names not all known still leave the array's
      // width (a list comprehension of names, a list of a length not known); named for another width, the frame is
      // not followed.
      const count = columns?.length ?? namedCount(kwargs.get('columns') ?? args[2]);
      if (count !== undefined && width.kind === 'int' && width.value !== count) return UNKNOWN;
      if (!columnsGiven) return rangeLabelled(rows, width);
      return dataFrame(rows, width, columns);
    }
    if (columnsGiven && !columns) return dataFrame(UNKNOWN_DIM, UNKNOWN_DIM);
    if (data?.kind === 'dict' && !data.partial && !data.namespace && !data.parser && !columns) {
      let rows: Dim = UNKNOWN_DIM;
      const first = [...data.entries.values()][0];
      if (first?.kind === 'tensor' && first.shape.rankKnown && first.shape.dims.length === 1) rows = first.shape.dims[0];
      else if ((first?.kind === 'list' || first?.kind === 'tuple') && !first.element) rows = intDim(first.items.length);
      return dataFrame(rows, UNKNOWN_DIM, [...data.entries.keys()]);
    }
    return dataFrame(UNKNOWN_DIM, UNKNOWN_DIM, columns);
  }
  if (path === 'pandas.Series') {
    const data = args[0] ?? kwargs.get('data');
    if (data?.kind === 'tensor' && data.shape.rankKnown && data.shape.dims.length === 1) return series(data.shape.dims[0]);
    if ((data?.kind === 'list' || data?.kind === 'tuple') && !data.element) return series(intDim(data.items.length));
    return series(UNKNOWN_DIM);
  }
  if (path === 'pandas.concat') return UNKNOWN;
  return undefined;
}

/** The array a frame converts to (`.values`, `.to_numpy()`, `np.array(frame)`): (rows, columns), or (rows,). */
export function frameArray(value: PandasFrame, origin: Origin): TensorValue {
  const { rows, width, series: isSeries } = value.frame;
  return { kind: 'tensor', dtype: 'unknown', origin, shape: shapeOf(isSeries ? [rows] : [rows, width]), numpy: true };
}

/**
 * What Keras' fit and scikit-learn read from a value given as data: a frame's array of values, a tuple or list of
 * frames (validation_data) item by item; anything else as it is.
 */
export function asArray(value: Value, origin: Origin): Value {
  if (isFrame(value)) return frameArray(value, origin);
  if ((value.kind === 'tuple' || value.kind === 'list') && !value.element && value.items.some(isFrame)) {
    return { ...value, items: value.items.map((v) => (isFrame(v) ? frameArray(v, origin) : v)) };
  }
  return value;
}

/** asArray of each value. */
export function asArrays(values: Value[], origin: Origin): Value[] {
  return values.map((v) => asArray(v, origin));
}

/** Methods that give a frame of the same columns and rows (unless inplace=True, which gives None). */
const SAME_SHAPE = new Set(['fillna', 'astype', 'copy', 'abs', 'round', 'clip', 'ffill', 'bfill', 'interpolate', 'sort_values', 'sort_index', 'replace', 'pct_change', 'diff', 'shift', 'rank', 'cumsum']);
/** Methods that keep the columns but may keep fewer rows. */
const FEWER_ROWS = new Set(['dropna', 'head', 'tail', 'sample', 'drop_duplicates']);

export function frameAttribute(object: PandasFrame, name: string, origin: Origin): Value | undefined {
  const state = object.frame;
  switch (name) {
    case 'values':
      return frameArray(object, origin);
    case 'shape':
      return { kind: 'tuple', items: (state.series ? [state.rows] : [state.rows, state.width]).map(valueFromDim) };
    case 'columns':
      if (state.series) return UNKNOWN;
      if (state.columns) return { kind: 'list', items: state.columns.map((c) => ({ kind: 'str', value: c })) };
      return state.width.kind === 'int' ? { kind: 'list', items: [], element: UNKNOWN, length: state.width.value } : { kind: 'list', items: [], element: UNKNOWN };
    case 'index':
      return state.rows.kind === 'int' ? { kind: 'list', items: [], element: UNKNOWN, length: state.rows.value } : { kind: 'list', items: [], element: UNKNOWN };
    case 'iloc':
      return { kind: 'qualname', name: 'pandas.iloc', frame: { ...state, indexer: 'iloc' } };
    case 'loc':
      return state.series ? undefined : { kind: 'qualname', name: 'pandas.loc', frame: { ...state, indexer: 'loc' } };
    default:
      return undefined;
  }
}

/** A method of a frame; undefined when it is not modelled (the caller makes that unknown). */
export function frameMethod(object: PandasFrame, name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin): Value | undefined {
  const state = object.frame;
  const inplace = kwargs.get('inplace');
  if (name === 'to_numpy') return frameArray(object, origin);
  if (SAME_SHAPE.has(name) || FEWER_ROWS.has(name) || name === 'drop' || name === 'reset_index') {
    if (inplace && !(inplace.kind === 'bool' && !inplace.value)) return inplace.kind === 'bool' ? NONE : UNKNOWN;
  }
  // axis=1 works on columns: dropna(axis=1) drops some, the others do not change the shape but are rare; leave them.
  const axis = kwargs.get('axis');
  const onRows = !axis || (axis.kind === 'int' && axis.value === 0) || (axis.kind === 'str' && axis.value === 'index');
  if (SAME_SHAPE.has(name)) return onRows ? frame({ ...state }) : undefined;
  if (FEWER_ROWS.has(name)) return onRows ? frame({ ...state, rows: UNKNOWN_DIM }) : undefined;
  if (name === 'reset_index') {
    // Without drop=True the old index becomes a column (a Series becomes a DataFrame).
    const drop = kwargs.get('drop');
    return drop?.kind === 'bool' && drop.value ? frame({ ...state }) : undefined;
  }
  if (name === 'drop' && !state.series) {
    const dropped = kwargs.has('columns') ? kwargs.get('columns') : (axis?.kind === 'int' && axis.value === 1) || (axis?.kind === 'str' && axis.value === 'columns') ? args[0] ?? kwargs.get('labels') : undefined;
    if (dropped === undefined) return kwargs.has('index') || onRows ? frame({ ...state, rows: UNKNOWN_DIM }) : undefined;
    const gone = dropped.kind === 'str' ? [dropped.value] : names(dropped);
    if (!gone || !state.columns) return dataFrame(state.rows, UNKNOWN_DIM);
    // Dropping a column the frame does not have raises (errors='raise' by default): not followed.
    if (gone.some((g) => !state.columns!.includes(g))) return undefined;
    return dataFrame(state.rows, UNKNOWN_DIM, state.columns.filter((c) => !gone.includes(c)));
  }
  return undefined;
}

/** Positions a slice keeps of `n` items, when its bounds and n are known; undefined otherwise. */
function sliceCount(n: Dim, start?: Value, stop?: Value, step?: Value): Dim {
  if (n.kind !== 'int') return UNKNOWN_DIM;
  const read = (v: Value | undefined, fallback: number | undefined): number | undefined => (v === undefined || v.kind === 'none' ? fallback : intValue(v));
  const s = read(step, 1);
  if (s === undefined || s === 0) return UNKNOWN_DIM;
  const len = n.value;
  const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
  const bound = (v: number | undefined, fallback: number) => (v === undefined ? fallback : v < 0 ? clamp(v + len, s > 0 ? 0 : -1, len) : clamp(v, s > 0 ? 0 : -1, s > 0 ? len : len - 1));
  const lo = bound(read(start, undefined), s > 0 ? 0 : len - 1);
  const hi = bound(read(stop, undefined), s > 0 ? len : -1);
  if ((start && start.kind !== 'none' && read(start, undefined) === undefined) || (stop && stop.kind !== 'none' && read(stop, undefined) === undefined)) return UNKNOWN_DIM;
  const count = s > 0 ? Math.ceil(Math.max(0, hi - lo) / s) : Math.ceil(Math.max(0, lo - hi) / -s);
  return intDim(count);
}

/** What one position-indexer does to an axis of `n`: dropped (an int), kept with a count, or not known. */
function positional(item: FrameIndex, n: Dim): { keep: boolean; count: Dim } | undefined {
  if (item.slice) return { keep: true, count: sliceCount(n, item.start, item.stop, item.step) };
  const v = item.value;
  if (v.kind === 'int' || v.kind === 'symint') return { keep: false, count: UNKNOWN_DIM };
  if ((v.kind === 'list' || v.kind === 'tuple') && !v.element && v.items.every((i) => i.kind === 'int' || i.kind === 'symint' || i.kind === 'bool')) {
    return { keep: true, count: v.items.length && v.items.every((i) => i.kind === 'bool') ? UNKNOWN_DIM : intDim(v.items.length) };
  }
  if (v.kind === 'tensor' && v.shape.rankKnown && v.shape.dims.length === 1) return { keep: true, count: v.dtype === 'bool' ? UNKNOWN_DIM : v.shape.dims[0] };
  return undefined;
}

/** `frame[...]` and `frame.iloc[...]`; undefined when not modelled. */
export function frameSubscript(object: Value, index: FrameIndex[]): Value | undefined {
  if (object.kind !== 'qualname' || !object.frame) return undefined;
  const state = object.frame;
  if (state.indexer === 'iloc') {
    const base: FrameState = { series: state.series, rows: state.rows, width: state.width, columns: state.columns };
    if (index.length === 0 || index.length > (base.series ? 1 : 2)) return undefined;
    const rows = positional(index[0], base.rows);
    if (!rows) return undefined;
    if (base.series) return rows.keep ? series(rows.count) : UNKNOWN;
    const cols = index.length === 2 ? positional(index[1], base.width) : { keep: true, count: base.width };
    if (!cols) return undefined;
    const keptNames = index.length === 1 ? base.columns : undefined;
    if (rows.keep && cols.keep) return dataFrame(rows.count, cols.count, keptNames);
    if (rows.keep) return series(rows.count);
    // One row: a Series over the columns.
    if (cols.keep) return series(cols.count);
    return UNKNOWN;
  }
  if (state.indexer === 'loc') return labelSubscript(state, index);
  if (index.length !== 1) return undefined;
  const item = index[0];
  if (state.series) {
    if (item.slice) return series(UNKNOWN_DIM);
    if (item.value.kind === 'tensor' && item.value.dtype === 'bool') return series(UNKNOWN_DIM);
    return undefined;
  }
  if (item.slice) return dataFrame(UNKNOWN_DIM, state.width, state.columns);
  const key = item.value;
  // df['col']: that column. A name the frame is known not to have raises KeyError: not followed.
  if (key.kind === 'str') return state.columns && !state.columns.includes(key.value) ? undefined : series(state.rows);
  if (state.rangeLabels) {
    // df[2] is the column labelled 2; df[[0, 2]] those columns, in that order (a label the frame lacks raises).
    if (key.kind === 'int') return hasRangeLabel(state, key.value) === false ? undefined : series(state.rows);
    const labels = intLabels(key);
    if (labels) {
      if (labels.some((l) => hasRangeLabel(state, l) === false)) return undefined;
      const width = intDim(labels.length);
      return labels.every((l, i) => l === i) ? rangeLabelled(state.rows, width) : dataFrame(state.rows, width);
    }
    // A list of ints whose values are not listed (a long comprehension over a range) still picks one column each.
    if (key.kind === 'list' && key.element && (key.element.kind === 'int' || key.element.kind === 'symint') && key.length !== undefined) {
      return dataFrame(state.rows, intDim(key.length));
    }
  }
  const picked = names(key);
  if (picked) return state.columns && picked.some((p) => !state.columns!.includes(p)) ? undefined : dataFrame(state.rows, UNKNOWN_DIM, picked);
  // A boolean mask of rows (`df[df['y'] > 0]`) keeps the columns.
  if (isFrame(key) && key.frame.series) return dataFrame(UNKNOWN_DIM, state.width, state.columns);
  return undefined;
}

/**
 * `frame.loc[rows, columns]` of a DataFrame, by label. Rows: every row (`:`), or a boolean Series of them (some rows);
 * any other row label or slice of labels is not followed. Columns: `:` keeps them, a list of names picks those in
 * that order, one name gives a Series of the rows; a name the frame is known not to have raises KeyError (not
 * followed).
 */
function labelSubscript(state: FrameState, index: FrameIndex[]): Value | undefined {
  if (index.length === 0 || index.length > 2) return undefined;
  const base: FrameState = { series: false, rows: state.rows, width: state.width, columns: state.columns, rangeLabels: state.rangeLabels };
  const r = index[0];
  const everyRow = r.slice && [r.start, r.stop, r.step].every((v) => v === undefined || v.kind === 'none');
  const maskRows = !r.slice && isFrame(r.value) && r.value.frame.series;
  if (!everyRow && !maskRows) return undefined;
  const rows = everyRow ? base.rows : UNKNOWN_DIM;
  if (index.length === 1) return frame({ ...base, rows });
  const c = index[1];
  if (c.slice) return [c.start, c.stop, c.step].every((v) => v === undefined || v.kind === 'none') ? frame({ ...base, rows }) : undefined;
  if (c.value.kind === 'str') return state.columns && !state.columns.includes(c.value.value) ? undefined : series(rows);
  const picked = names(c.value);
  if (!picked) return undefined;
  return state.columns && picked.some((p) => !state.columns!.includes(p)) ? undefined : dataFrame(rows, UNKNOWN_DIM, picked);
}

/** len(frame): its rows. */
export function frameLength(value: PandasFrame): Value {
  return valueFromDim(value.frame.rows);
}

// A frame changed in place. DataFrames are mutable and shared by every name bound to them, so a change reaches every
// alias; the state gets new arrays, never spliced ones, as frames copied with `{ ...state }` share them. `exact` is
// false where the change may not happen (a branch the analysis cannot decide): the frame then forgets what it changes.

/** The frame now has these columns, and as many. */
function setColumns(state: FrameState, columns: string[]): void {
  delete state.rangeLabels;
  state.columns = columns;
  state.width = intDim(columns.length);
}

/** The columns are no longer known: another count, or other names. */
function forgetColumns(state: FrameState): void {
  delete state.rangeLabels;
  state.width = UNKNOWN_DIM;
  delete state.columns;
}

/** `frame[key] = value`: a column of a new name is added at the end; one the frame has is replaced. */
export function frameStore(object: PandasFrame, index: Value[], exact: boolean): void {
  const state = object.frame;
  if (state.series) return;
  const key = index.length === 1 ? index[0] : undefined;
  if (key?.kind === 'str' && state.columns?.includes(key.value)) return;
  if (key?.kind === 'int' && state.rangeLabels && hasRangeLabel(state, key.value)) return;
  if (key?.kind === 'str' && exact && state.columns) {
    setColumns(state, [...state.columns, key.value]);
    return;
  }
  // A boolean mask or a slice of rows (`df[df.x < 0] = 0`) writes values, not columns.
  if (key && isFrame(key) && key.frame.series) return;
  forgetColumns(state);
}

/**
 * `frame.loc[...] = value` and `frame.at[...] = value`: a label the frame lacks adds a row or a column, which the
 * analysis does not follow, so the frame forgets its rows and columns.
 */
export function frameLabelStore(object: PandasFrame): void {
  forgetColumns(object.frame);
  object.frame.rows = UNKNOWN_DIM;
}

/** `del frame[key]`: that column is removed. */
export function frameDelete(object: PandasFrame, key: Value, exact: boolean): void {
  const state = object.frame;
  if (state.series) return;
  if (key.kind === 'str' && exact && state.columns?.includes(key.value)) {
    setColumns(state, state.columns.filter((c) => c !== key.value));
    return;
  }
  forgetColumns(state);
}

/**
 * Methods that change the frame they are called on: `insert(loc, column, value)` adds a column at loc, `pop(item)`
 * removes one and returns it, and a method given inplace=True applies to the frame what it would return and returns
 * None. Undefined for a call that changes nothing in place (the caller reads it with frameMethod).
 */
export function frameMethodInPlace(object: PandasFrame, name: string, args: Value[], kwargs: Map<string, Value>, origin: Origin, exact: boolean): Value | undefined {
  const state = object.frame;
  if (name === 'insert' && !state.series) {
    const loc = intValue(args[0] ?? kwargs.get('loc') ?? UNKNOWN);
    const column = args[1] ?? kwargs.get('column');
    if (exact && state.columns && column?.kind === 'str' && !state.columns.includes(column.value) && loc !== undefined && loc >= 0 && loc <= state.columns.length) {
      setColumns(state, [...state.columns.slice(0, loc), column.value, ...state.columns.slice(loc)]);
    } else if (exact && state.width.kind === 'int') {
      // insert raises for a name the frame has (allow_duplicates=False): otherwise one more column, names unknown.
      const width = state.width.value + 1;
      delete state.columns;
      delete state.rangeLabels;
      state.width = intDim(width);
    } else forgetColumns(state);
    return NONE;
  }
  if (name === 'pop' && !state.series) {
    const item = args[0] ?? kwargs.get('item') ?? UNKNOWN;
    frameDelete(object, item, exact);
    return series(state.rows);
  }
  const inplace = kwargs.get('inplace');
  if (!inplace || (inplace.kind === 'bool' && !inplace.value)) return undefined;
  const copied = new Map(kwargs);
  copied.delete('inplace');
  const result = frameMethod(object, name, args, copied, origin);
  if (exact && result && isFrame(result) && result.frame.series === state.series) {
    state.rows = result.frame.rows;
    state.width = result.frame.width;
    if (result.frame.columns) state.columns = result.frame.columns;
    else delete state.columns;
    if (result.frame.rangeLabels) state.rangeLabels = true;
    else delete state.rangeLabels;
  } else {
    state.rows = UNKNOWN_DIM;
    if (!state.series) forgetColumns(state);
  }
  return inplace.kind === 'bool' ? NONE : UNKNOWN;
}
