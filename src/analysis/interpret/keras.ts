// Keras in the interpreter: layer constructors, Sequential and functional models, Input,
// compile/fit/evaluate/predict, and the facts the Keras rules read.
import type * as A from '../parse/ast';
import { docstringOf } from '../parse/walk';
import { LayerDesc, bindArgs } from '../layers/layer';
import { declaredInput, kerasFamily } from '../layers/keras';
import { kerasApplication, kerasApplicationName } from '../layers/keras/applications';
import { kerasTensor, noneDim, shapeFromTuple, withBatchSize } from '../layers/keras/dims';
import { formatShape, shapeOf, UNKNOWN_SHAPE } from '../shapes/shape';
import { Dim, intDim, UNKNOWN_DIM } from '../shapes/dim';
import { KerasModel, TensorValue, UNKNOWN, Value, intValue } from '../values/value';
import type { AnalysisContext } from './context';
import type { ReplayRefusal } from './events';
import type { ModelBranches } from './model-branches';
import { kerasDataset } from '../ops/datasets';
import { kerasTokenizer } from '../ops/keras-text';
import { asArray, asArrays } from '../ops/pandas';
import { kerasListData } from '../ops/keras-list-data';
import { batchStream, timeseriesGenerator } from '../ops/keras-batches';
import { numpyDtype } from '../ops/tensor-methods';

/** The part of the interpreter this module needs. */
export interface KerasHost {
  readonly ctx: AnalysisContext;
  applyLayer(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value;
  originOf(node: { range: A.Call['range'] }): { range: A.Call['range']; text: string };
  /** The Sequential models that the branches of an `if` running now change. */
  readonly modelBranches?: ModelBranches;
}

/** tensorflow.keras.layers.LSTM, tensorflow.contrib.keras.python.keras.layers.LSTM (TF 1.x), keras.layers.recurrent.LSTM, keras.models.Sequential → keras.layers.LSTM, keras.Sequential. */
/** kerasPath's answers by path: every call of a module path asks, and a file calls few distinct paths. */
const kerasPaths = new Map<string, string | undefined>();
/** Distinct paths remembered at most (then the memo starts again): a hostile file can name any number. */
const MAX_KERAS_PATHS = 4096;

export function kerasPath(path: string): string | undefined {
  const known = kerasPaths.get(path);
  if (known !== undefined || kerasPaths.has(path)) return known;
  if (kerasPaths.size >= MAX_KERAS_PATHS) kerasPaths.clear();
  const p = normalisedKerasPath(path);
  kerasPaths.set(path, p);
  return p;
}

function normalisedKerasPath(path: string): string | undefined {
  let p = path.replace(/^tensorflow\.(?:contrib\.keras\.(?:python\.keras\.)?|(?:python\.)?keras\.)/, 'keras.').replace(/^tf_keras\./, 'keras.');
  if (!p.startsWith('keras.')) return undefined;
  p = p.replace(/^keras\.layers\.[a-z_]+\.([A-Z]\w*)$/, 'keras.layers.$1');
  p = p.replace(/^keras\.(models|engine\.sequential|engine\.training)\.(Sequential|Model)$/, 'keras.$2');
  p = p.replace(/^keras\.layers\.Input$/, 'keras.Input');
  p = p.replace(/^keras\.utils\.np_utils\./, 'keras.utils.');
  return p;
}

export function isKerasBase(path: string): boolean {
  const p = kerasPath(path);
  return p === 'keras.Model' || p === 'keras.layers.Layer' || p === 'keras.Sequential';
}

/** Every Keras hover says which version its shapes and findings assume. */
export const KERAS_ASSUMED = '_Keras version assumed: tf.keras 2.x and Keras 3 (findings say where Keras 1, standalone Keras 2 or Keras 3 differ)._';

function newModel(call: A.Call): KerasModel {
  return { call, layers: [], output: UNKNOWN, summary: [], labels: [] };
}

export function callKeras(host: KerasHost, path: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value | undefined {
  const origin = host.originOf(expr);
  if (path === 'keras.Input') {
    const shape = withBatchSize(shapeFromTuple(args[0] ?? kwargs.get('shape'), origin, true), kwargs.get('batch_size'), origin);
    const batchShape = shapeFromTuple(kwargs.get('batch_shape') ?? kwargs.get('batch_input_shape'), origin, false);
    const dtype = kwargs.get('dtype');
    return kerasTensor(shape ?? batchShape ?? UNKNOWN_SHAPE, origin, dtype?.kind === 'str' && /int/.test(dtype.value) ? 'long' : 'float');
  }
  if (path === 'keras.Sequential') {
    const model = newModel(expr);
    host.modelBranches?.created(model);
    const value: Value = { kind: 'kmodel', model };
    const layers = args[0] ?? kwargs.get('layers');
    if (layers?.kind === 'list' || layers?.kind === 'tuple') for (const item of layers.items) addToSequential(host, model, item);
    recordSummary(host, model);
    return value;
  }
  if (path === 'keras.Model') {
    const model = newModel(expr);
    // Keras 1 spelled them input= and output=.
    model.input = args[0] ?? kwargs.get('inputs') ?? kwargs.get('input');
    model.output = args[1] ?? kwargs.get('outputs') ?? kwargs.get('output') ?? UNKNOWN;
    return { kind: 'kmodel', model };
  }
  if (path === 'keras.utils.to_categorical') {
    const y = args[0];
    const classesArg = args[1] ?? kwargs.get('num_classes');
    // Without num_classes, as many columns as the largest class id + 1 (known when the ids' range is).
    const classes = classesArg && classesArg.kind !== 'none' ? intValue(classesArg) : y?.kind === 'tensor' && y.maxValue !== undefined ? y.maxValue + 1 : undefined;
    if (y?.kind !== 'tensor' || !y.shape.rankKnown) return kerasTensor(UNKNOWN_SHAPE, origin);
    // Keras drops a last axis of 1 of ids of two axes or more ((n, 1) ids give (n, classes)); where that axis is not
    // known the result may have either rank.
    const last = y.shape.dims[y.shape.dims.length - 1];
    if (y.shape.dims.length > 1 && last.kind !== 'int') return kerasTensor(UNKNOWN_SHAPE, origin);
    const dims = y.shape.dims.length > 1 && last.kind === 'int' && last.value === 1 ? y.shape.dims.slice(0, -1) : y.shape.dims;
    return kerasTensor(shapeOf([...dims, classes !== undefined ? intDim(classes, { origin }) : UNKNOWN_DIM]), origin);
  }
  const dataset = /^keras\.datasets\.(\w+)\.load_data$/.exec(path);
  if (dataset) return kerasDataset(dataset[1], args, kwargs, origin);
  if (/^keras\.(preprocessing\.sequence|utils)\.pad_sequences$/.test(path)) return padSequences(args, kwargs, origin);
  if (path === 'keras.preprocessing.text.Tokenizer') return kerasTokenizer(args, kwargs);
  if (path === 'keras.preprocessing.sequence.TimeseriesGenerator') return timeseriesGenerator(args, kwargs, origin);
  if (path === 'keras.layers.Merge' || path === 'keras.layers.merge') return legacyMerge(host, args, kwargs, expr);
  const layerMatch = /^keras\.layers\.([A-Z]\w*)$/.exec(path);
  if (layerMatch) return constructKerasLayer(host, layerMatch[1], path, args, kwargs, expr);
  const application = kerasApplicationName(path);
  if (application) {
    const model = newModel(expr);
    Object.assign(model, kerasApplication(application, args, kwargs, origin));
    return { kind: 'kmodel', model };
  }
  // The functional forms: layers.concatenate([a, b], axis=-1) is Concatenate(axis=-1)([a, b]).
  const mergeMatch = /^keras\.layers\.(add|subtract|multiply|average|maximum|minimum|concatenate|dot)$/.exec(path);
  if (mergeMatch && args[0]) {
    const kind = mergeMatch[1][0].toUpperCase() + mergeMatch[1].slice(1);
    const layer = constructKerasLayer(host, kind, `keras.layers.${kind}`, [], kwargs, expr);
    return layer.kind === 'layer' ? host.applyLayer(layer.layer, [args[0]], new Map(), expr) : UNKNOWN;
  }
  return undefined;
}

/** Keras 1's merge modes that combine inputs of one shape element-wise, as the Keras 2 layers that replaced them. */
const LEGACY_MERGE_MODES: Record<string, string> = { sum: 'Add', mul: 'Multiply', ave: 'Average', max: 'Maximum', concat: 'Concatenate' };

/**
 * Keras 1's Merge(layers, mode='sum', concat_axis=-1) (a Sequential model's first layer, joining the outputs of other
 * models) and merge(tensors, …): the outputs of the listed models, or the tensors, joined as the Keras 2 merge layer of
 * that mode joins them (concat on concat_axis). Another mode (dot, cos, a function) makes an unknown tensor.
 */
function legacyMerge(host: KerasHost, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
  const origin = host.originOf(expr);
  const given = args[0] ?? kwargs.get('layers') ?? kwargs.get('inputs');
  const mode = args[1] ?? kwargs.get('mode');
  const kind = mode === undefined || mode.kind === 'none' ? 'Add' : mode.kind === 'str' ? LEGACY_MERGE_MODES[mode.value] : undefined;
  if ((given?.kind !== 'list' && given?.kind !== 'tuple') || given.element || !kind) return kerasTensor(UNKNOWN_SHAPE, origin);
  const items = given.items.map((v) => (v.kind === 'kmodel' ? v.model.output : v));
  if (!items.length || items.some((v) => v.kind !== 'tensor')) return kerasTensor(UNKNOWN_SHAPE, origin);
  const axis = args[2] ?? kwargs.get('concat_axis');
  const layer = constructKerasLayer(host, kind, `keras.layers.${kind}`, [], kind === 'Concatenate' && axis ? new Map([['axis', axis]]) : new Map(), expr);
  const merged = layer.kind === 'layer' ? host.applyLayer(layer.layer, [{ kind: 'list', items }], new Map(), expr) : UNKNOWN;
  return merged.kind === 'tensor' ? merged : kerasTensor(UNKNOWN_SHAPE, origin);
}

/**
 * The axes each step of the sequences has (Keras pads to (n, maxlen, *those)): none for sequences of ids, the trailing
 * axes for sequences of vectors, an array (n, steps, 100) or a list of (steps, 100) arrays.
 */
function stepAxes(seqs: Value | undefined): Dim[] | 'unknown' {
  if (seqs?.kind === 'tensor') return seqs.shape.rankKnown ? seqs.shape.dims.slice(2) : [];
  if (seqs?.kind !== 'list' && seqs?.kind !== 'tuple') return [];
  const first = seqs.element ?? seqs.items[0];
  if (first?.kind === 'tensor') return first.shape.rankKnown ? first.shape.dims.slice(1) : [];
  if (first?.kind !== 'list' && first?.kind !== 'tuple') return [];
  // A sequence held as a list of steps: a step that is an array (a word vector) is kept whole after the padded axis
  // (pad_sequences takes its sample shape from the steps), and a step of unknown rank leaves the result's rank unknown.
  const step = first.element ?? first.items[0];
  if (step?.kind !== 'tensor') return [];
  return step.shape.rankKnown ? step.shape.dims : 'unknown';
}

/** pad_sequences(seqs, maxlen=M): (number of sequences, M) int32 ids, keeping the literal ids' range. */
function padSequences(args: Value[], kwargs: Map<string, Value>, origin: { range: A.Call['range']; text: string }): Value {
  const seqs = args[0] ?? kwargs.get('sequences');
  const maxlen = intValue(kwargs.get('maxlen') ?? args[1]);
  const rows = (seqs?.kind === 'list' || seqs?.kind === 'tuple') && !seqs.element ? seqs.items : undefined;
  const steps = stepAxes(seqs);
  const dtypeGiven = kwargs.get('dtype');
  const dtype = dtypeGiven === undefined ? 'long' : numpyDtype(dtypeGiven);
  if (steps === 'unknown') return kerasTensor(UNKNOWN_SHAPE, origin, dtype);
  if (steps.length) {
    // Sequences of vectors: padded and cut along their steps, each step kept whole.
    const n = seqs?.kind === 'tensor' ? seqs.shape.dims[0] : rows ? intDim(rows.length, { origin }) : UNKNOWN_DIM;
    const length = maxlen !== undefined ? intDim(maxlen, { origin }) : UNKNOWN_DIM;
    return kerasTensor(shapeOf([n, length, ...steps]), origin, dtype);
  }
  if (seqs?.kind === 'tensor') {
    // Sequences already held as an array (load_data's x): the rows and the ids' range are kept.
    const n = seqs.shape.rankKnown ? seqs.shape.dims[0] : UNKNOWN_DIM;
    const length = maxlen !== undefined ? intDim(maxlen, { origin }) : UNKNOWN_DIM;
    return { kind: 'tensor', dtype: 'long', origin, shape: shapeOf([n, length]), minValue: seqs.maxValue === undefined ? undefined : 0, maxValue: seqs.maxValue };
  }
  let max: number | undefined;
  if (rows) {
    const ids = rows.flatMap((r) => (r.kind === 'list' || r.kind === 'tuple' ? r.items : [UNKNOWN])).map(intValue);
    if (ids.every((n) => n !== undefined)) max = Math.max(0, ...(ids as number[]));
  }
  const n = rows ? intDim(rows.length, { origin }) : UNKNOWN_DIM;
  const length = maxlen !== undefined ? intDim(maxlen, { origin }) : UNKNOWN_DIM;
  const result: TensorValue = { kind: 'tensor', dtype: 'long', origin, shape: shapeOf([n, length]), minValue: max === undefined ? undefined : 0, maxValue: max };
  if (stepsNotKnown(seqs)) result.trailingAxesOpen = true;
  return result;
}

/**
 * Sequences built in the code as Python lists whose steps are not known to be numbers (`row.append(lookup[w])`): a
 * step may be a word vector as well as an id, and then pad_sequences keeps its axes after the padded one.
 */
function stepsNotKnown(seqs: Value | undefined): boolean {
  if (seqs?.kind !== 'list' && seqs?.kind !== 'tuple') return false;
  const rows = seqs.element ? [seqs.element] : seqs.items;
  return rows.some((row) => (row.kind === 'list' || row.kind === 'tuple') && (row.element ? [row.element] : row.items).some((step) => step.kind !== 'int' && step.kind !== 'symint' && step.kind !== 'float' && step.kind !== 'bool'));
}

function constructKerasLayer(host: KerasHost, kind: string, qualname: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
  if (kind === 'InputLayer') {
    const layer: LayerDesc = { framework: 'keras', kind, qualname, call: expr, args: bindArgs([{ name: 'input_shape' }], expr, args, kwargs), children: [], label: host.originOf(expr).text };
    return { kind: 'layer', layer };
  }
  const family = kerasFamily(kind);
  if (!family) {
    host.ctx.coverage.kerasLayerUnmodelled(kind);
    return UNKNOWN;
  }
  const inner = args[0]?.kind === 'layer' && (kind === 'Bidirectional' || kind === 'TimeDistributed') ? [args[0].layer] : [];
  const layer: LayerDesc = { framework: 'keras', kind, qualname, call: expr, args: bindArgs(family.params(kind), expr, args, kwargs), children: inner, label: host.originOf(expr).text };
  const errorsBefore = host.ctx.errorCount;
  host.ctx.emit('layerConstruct', { layer });
  if (host.ctx.errorCount > errorsBefore) layer.broken = true;
  host.ctx.addLayerSite({ range: expr.range, framework: 'keras', kind, describe: () => `${family.hover(layer)}\n\n${KERAS_ASSUMED}` });
  return { kind: 'layer', layer };
}

/** Sequential: a first layer may declare the input; each added layer is applied to what came before. */
export function addToSequential(host: KerasHost, model: KerasModel, item: Value): void {
  if (item.kind === 'tensor' && model.layers.length === 0) {
    model.output = item;
    model.input = item;
    return;
  }
  if (item.kind !== 'layer') {
    model.output = UNKNOWN;
    model.opaque = true;
    return;
  }
  const layer = item.layer;
  if (model.layers.length === 0 && model.output.kind !== 'tensor') {
    const declared = declaredInput(layer);
    const input = declared ?? assumedInput(layer);
    // tf.keras 2.x and standalone Keras 2 give an Embedding declared without input_length or input_shape the input
    // (None, None) ids, which the model then declares (Keras 3 builds the model from the first data instead).
    if (declared || (input && layer.kind === 'Embedding')) model.input = input;
    if (input) model.output = input;
  }
  model.layers.push(layer);
  if (layer.kind === 'InputLayer') return;
  const output = model.output.kind === 'tensor' ? host.applyLayer(layer, [model.output], new Map(), layer.call) : UNKNOWN;
  host.ctx.emit('sequentialAdd', { model, layer, output });
  host.ctx.coverage.kerasAssigned(layer.call.range, output);
  // A layer with several outputs (return_state=True) ends what a Sequential model can follow.
  model.output = output.kind === 'list' ? UNKNOWN : output;
  model.summary.push({ layer, output });
}

/** Whether a Sequential model's input is the (None, None) ids an Embedding without input_length gets (not Keras 3). */
export function embeddingDefaultInput(model: KerasModel): boolean {
  const first = model.layers[0];
  return !!model.input && first?.kind === 'Embedding' && !declaredInput(first);
}

/**
 * A model whose input is only fixed at fit time still has a known rank: an Embedding takes (None, None) ids,
 * a recurrent or convolutional layer (None, None, None). Symbols never conflict, so this only lets structure
 * checks (ndim) run.
 */
function assumedInput(layer: LayerDesc): Value | undefined {
  const inner = layer.kind === 'Bidirectional' || layer.kind === 'TimeDistributed' ? layer.children[0] : layer;
  const origin = { range: layer.call.range, text: layer.label };
  if (layer.kind === 'Embedding') return kerasTensor(shapeOf([noneDim('batch'), noneDim('time')]), origin, 'long');
  if (inner && (['SimpleRNN', 'GRU', 'LSTM', 'Conv1D', 'Convolution1D'].includes(inner.kind) || layer.kind === 'TimeDistributed')) return kerasTensor(shapeOf([noneDim('batch'), noneDim('time'), noneDim()]), origin);
  return undefined;
}

/**
 * How data differs from a declared input in a way Keras refuses before any layer runs: another rank, or another
 * number of features (the last axis of a float input; an id input's last axis is a length, which Keras lets vary),
 * or, for data of one axis more or fewer that Keras conforms to the input, another size on an axis after the batch.
 */
export function inputMismatch(declared: Value, data: Value): InputMismatch | undefined {
  return mismatchOf(declared, data, conformed(declared, data));
}

/** How data differs from a declared input (see inputMismatch). */
interface InputMismatch {
  /** Another number of axes. */
  rank: boolean;
  /** The data as Keras conforms it, which still differs from the input. */
  conformed?: TensorValue;
}

/** inputMismatch, given what `conformed(declared, data)` gives. */
function mismatchOf(declared: Value, data: Value, conform: Value | undefined): InputMismatch | undefined {
  if (declared.kind !== 'tensor' || data.kind !== 'tensor' || !declared.shape.rankKnown || !data.shape.rankKnown) return undefined;
  // Data that Keras conforms to the input (a trailing axis of 1 squeezed or added), or may: no claim, unless the
  // conformed data still differs from the input (`conformedMismatch`).
  if (conform) return conform.kind === 'tensor' && conformedMismatch(declared, conform) ? { rank: false, conformed: conform } : undefined;
  if (declared.shape.dims.length !== data.shape.dims.length) return { rank: true };
  if (declared.dtype === 'long' || data.shape.dims.length < 2) return undefined;
  const a = declared.shape.dims[declared.shape.dims.length - 1];
  const b = data.shape.dims[data.shape.dims.length - 1];
  return a.kind === 'int' && b.kind === 'int' && a.value !== b.value ? { rank: false } : undefined;
}

/**
 * Data conformed to a float input that still has another known size than the input on an axis after the batch: an
 * array (1, 49) against an input (None, 1, 1). tf.keras 2.x and Keras 3 compare the two with a last axis of 1 dropped
 * (InputSpec's allow_last_axis_squeeze) and raise "expected shape=(None, 1, 1), found shape=(1, 49)"; standalone Keras
 * and tf.keras up to 2.3 never conform, and raise on the number of axes. An id input is left out, as above.
 */
function conformedMismatch(declared: TensorValue, conform: TensorValue): boolean {
  if (declared.dtype === 'long' || !conform.shape.rankKnown || conform.shape.dims.length !== declared.shape.dims.length) return false;
  return declared.shape.dims.some((d, i) => {
    const g = conform.shape.dims[i];
    return i > 0 && d.kind === 'int' && g.kind === 'int' && d.value !== g.value;
  });
}

/**
 * Runs a Sequential model's layers on data (fit/evaluate/predict), so data-dependent checks see real values; gives
 * the model's output for that data, or undefined when the data is not run through.
 */
export function replaySequential(host: KerasHost, model: KerasModel, data: Value, at: A.Call, refused?: (r: ReplayRefusal) => void): Value | undefined {
  if (data.kind !== 'tensor' || model.layers.length === 0 || model.stopped || model.opaque) return undefined;
  // Data of another rank or width than the declared input fails at the input (SL211), before any layer.
  let value: Value | undefined = model.input ? atInput(model.input, data, () => true) : data;
  if (!value) return undefined;
  const built = builtInputs(model);
  for (const layer of model.layers) {
    if (layer.kind === 'InputLayer') continue;
    if (value.kind !== 'tensor') return undefined;
    const refusal = featuresRefused(layer, built.get(layer), value);
    if (refusal) {
      refused?.(refusal);
      return undefined;
    }
    value = host.applyLayer(layer, [value], new Map(), at);
  }
  return value;
}

/** Layers whose weights are sized by the last axis of their input when they are built (a wrapper: by its layer's). */
const WEIGHTED_BY_FEATURES = new Set(['Dense', 'TimeDistributedDense', 'Conv1D', 'Convolution1D', 'SimpleRNN', 'GRU', 'LSTM', 'CuDNNGRU', 'CuDNNLSTM']);

function weightedByFeatures(layer: LayerDesc): boolean {
  if (layer.kind === 'Bidirectional' || layer.kind === 'TimeDistributed') return layer.children.length === 1 && weightedByFeatures(layer.children[0]);
  return WEIGHTED_BY_FEATURES.has(layer.kind);
}

/** What each layer of a Sequential model received when the model was built on its declared input (model.summary). */
function builtInputs(model: KerasModel): Map<LayerDesc, Value> {
  const inputs = new Map<LayerDesc, Value>();
  if (!model.input) return inputs;
  let previous: Value = model.input;
  for (const { layer, output } of model.summary) {
    inputs.set(layer, previous);
    previous = output;
  }
  return inputs;
}

function lastKnownAxis(v: Value | undefined): number | undefined {
  if (v?.kind !== 'tensor' || !v.shape.rankKnown || v.shape.dims.length < 2) return undefined;
  const d = v.shape.dims[v.shape.dims.length - 1];
  return d.kind === 'int' ? d.value : undefined;
}

/**
 * A layer built (its kernel created) for one number of features that the data brings another: Keras creates a layer's
 * weights at its first call and refuses a later input of another last axis, in every version ("expected axis -1 of
 * input shape to have value 3840"). Data whose steps differ from a fixed declared input reaches such a layer after a
 * Flatten; tf.keras 2.x runs a Sequential model on it with a warning until then.
 */
function featuresRefused(layer: LayerDesc, built: Value | undefined, value: Value): ReplayRefusal | undefined {
  if (!weightedByFeatures(layer)) return undefined;
  const a = lastKnownAxis(built);
  const b = lastKnownAxis(value);
  return a !== undefined && b !== undefined && a !== b ? { layer, built: a, got: b } : undefined;
}

function shapeText(output: Value): string {
  if (output.kind === 'tensor') return formatShape(output.shape);
  if (output.kind === 'list') return output.items.map((o) => (o.kind === 'tensor' ? formatShape(o.shape) : '?')).join(', ');
  return '?';
}

/** The model.summary() table for a Sequential model. */
export function summaryMarkdown(model: KerasModel): string {
  const rows = model.summary.map(({ layer, output }) => `| ${layer.kind} | \`${shapeText(output)}\` |`);
  return ['**Sequential** — as `model.summary()` shows it', '', '| layer | output shape |', '|---|---|', ...rows].join('\n');
}

export function recordSummary(host: KerasHost, model: KerasModel): void {
  if (model.summary.length === 0) return;
  host.ctx.addLayerSite({ range: model.call.range, framework: 'keras', kind: 'Sequential', markdown: summaryMarkdown(model) });
}

/** `model.output_shape`: a hover with the output shape and the summary it comes from. */
export function outputShapeSite(host: KerasHost, model: KerasModel, range: A.Call['range']): void {
  const out = model.output;
  if (out.kind !== 'tensor') return;
  const shape = formatShape(out.shape);
  host.ctx.addTensorSite({ range, name: 'output_shape', shape, describe: () => `**model.output_shape**: \`${shape}\`${model.summary.length ? `\n\n${summaryMarkdown(model)}` : ''}` });
}

/**
 * Whether a Sequential model's add(...) call raises before it adds anything: add takes the layer alone (Keras 1, Keras 2,
 * tf.keras 2.x) or with rebuild= (Keras 3), so another keyword (a layer argument put one parenthesis too far,
 * model.add(LSTM(32), return_sequences=True)) or a third positional argument is a TypeError in every version.
 */
function addRaises(expr: A.Call): boolean {
  return expr.args.length > 2 || expr.keywords.some((k) => k.name !== 'rebuild');
}

/** The methods that take data (x, y), which tf.keras reads as arrays when they are lists of numbers. */
const DATA_METHODS = new Set(['fit', 'evaluate', 'predict', 'train_on_batch', 'test_on_batch', 'predict_on_batch']);

/** model.add / compile / fit / evaluate / predict / summary. */
export function kerasModelMethod(host: KerasHost, model: KerasModel, name: string, rawArgs: Value[], rawKwargs: Map<string, Value>, expr: A.Call): Value {
  // After an add that raised, the program has stopped: nothing later is run, so nothing is claimed about it.
  if (model.stopped) return name === 'add' || name === 'compile' || name === 'build' ? { kind: 'none' } : UNKNOWN;
  // Keras reads a pandas DataFrame or Series given as data as its array of values.
  const origin = host.originOf(expr);
  const framed = { args: asArrays(rawArgs, origin), kwargs: new Map([...rawKwargs].map(([k, v]) => [k, asArray(v, origin)] as [string, Value])) };
  const { args, kwargs, list: listData } = DATA_METHODS.has(name) ? kerasListData(framed.args, framed.kwargs, origin) : { ...framed, list: false };
  switch (name) {
    case 'add':
      host.modelBranches?.beforeChange(model);
      if (addRaises(expr)) {
        model.stopped = true;
        model.output = UNKNOWN;
        return { kind: 'none' };
      }
      if (args[0]) addToSequential(host, model, args[0]);
      recordSummary(host, model);
      return { kind: 'none' };
    case 'compile': {
      const loss = args[1] ?? kwargs.get('loss');
      const lossExpr = expr.args[1] ?? expr.keywords.find((k) => k.name === 'loss')?.value;
      const metrics = kwargs.get('metrics');
      const metricsExpr = expr.keywords.find((k) => k.name === 'metrics')?.value;
      model.compile = {
        call: expr,
        loss: lossName(loss, lossExpr, host),
        ownLoss: loss?.kind === 'function' && !wrappedLoss(loss.def, host),
        lossRange: lossExpr?.range,
        metrics: metrics?.kind === 'list' || metrics?.kind === 'tuple' ? metrics.items.map((m, i) => (m.kind === 'str' ? m.value : metricsExpr?.kind === 'list' || metricsExpr?.kind === 'tuple' ? host.ctx.text(metricsExpr.items[i].range) : '?')) : undefined,
        metricsRange: metricsExpr?.range,
      };
      host.ctx.emit('modelMethod', { model, method: name, call: expr, args, kwargs });
      return { kind: 'none' };
    }
    case 'fit':
    case 'evaluate':
    case 'fit_generator':
    case 'evaluate_generator':
    case 'train_on_batch':
    case 'test_on_batch': {
      noteData(host, expr, args[0] ?? kwargs.get('x'), args[1] ?? kwargs.get('y'));
      const data = fedData(name, args, kwargs);
      const x = data.args[0] ?? data.kwargs.get('x');
      const y = data.args[1] ?? data.kwargs.get('y');
      let refused: ReplayRefusal | undefined;
      const dataOutput = x ? replaySequential(host, model, x, expr, (r) => (refused = r)) ?? (refused ? undefined : replayFunctional(host, model, x, expr)) : undefined;
      if (y) model.labels.push({ value: y, call: expr });
      host.ctx.emit('modelMethod', { model, method: name, call: expr, args: data.args, kwargs: data.kwargs, dataOutput, refused, listData });
      return UNKNOWN;
    }
    case 'predict':
    case 'predict_generator':
    case 'predict_on_batch': {
      noteData(host, expr, args[0] ?? kwargs.get('x'), undefined);
      const data = fedData(name, args, kwargs);
      const x = data.args[0] ?? data.kwargs.get('x');
      let refused: ReplayRefusal | undefined;
      if (x) replaySequential(host, model, x, expr, (r) => (refused = r));
      if (x && !refused) replayFunctional(host, model, x, expr);
      host.ctx.emit('modelMethod', { model, method: name, call: expr, args: data.args, kwargs: data.kwargs, refused, listData });
      // predict gives NumPy arrays: indexing them raises in NumPy's words.
      return model.output?.kind === 'tensor' ? { ...model.output, numpy: true } : model.output;
    }
    case 'build': {
      const shape = shapeFromTuple(args[0] ?? kwargs.get('input_shape'), host.originOf(expr), false);
      if (shape && model.layers.length && model.summary.length === 0) {
        host.modelBranches?.beforeChange(model);
        const layers = model.layers.splice(0);
        model.output = kerasTensor(shape, host.originOf(expr));
        model.input = model.output;
        for (const layer of layers) addToSequential(host, model, { kind: 'layer', layer });
        recordSummary(host, model);
      }
      return { kind: 'none' };
    }
    default:
      return UNKNOWN;
  }
}

/**
 * The arguments a data method reads its x and y from. Data given as a stream of (x, y) batches (a TimeseriesGenerator,
 * a generator function; fit/evaluate/predict take one since tf.keras 2.1, fit_generator and its kin always) become
 * the x and y of one batch, each without its batch size. A *_generator call whose stream is not followed reads no data.
 */
function fedData(name: string, args: Value[], kwargs: Map<string, Value>): { args: Value[]; kwargs: Map<string, Value> } {
  const generator = name.endsWith('_generator');
  const stream = name.endsWith('_on_batch') ? undefined : batchStream(args[0] ?? kwargs.get(generator ? 'generator' : 'x'));
  if (!stream && !generator) return { args, kwargs };
  const rest = new Map([...kwargs].filter(([k]) => k !== 'x' && k !== 'y' && k !== 'generator'));
  return { args: stream ? [stream.x, stream.y] : [], kwargs: rest };
}

/** `--stats`: the x and y given to fit/evaluate/predict, each counted at its argument. */
function noteData(host: KerasHost, call: A.Call, x: Value | undefined, y: Value | undefined): void {
  const at = (i: number, name: string) => call.args[i] ?? call.keywords.find((k) => k.name === name)?.value;
  const xe = at(0, 'x');
  const ye = at(1, 'y');
  if (x && xe) host.ctx.coverage.kerasAssigned(xe.range, x);
  if (y && ye) host.ctx.coverage.kerasAssigned(ye.range, y);
}

/** Calling a model on a tensor. */
export function callKerasModel(host: KerasHost, model: KerasModel, args: Value[], expr: A.Call): Value {
  if (args[0]) replaySequential(host, model, args[0], expr);
  return model.output;
}

/** Records on a functional layer call's output which call made it, so the graph can be replayed on data. */
export function withKerasNode(output: Value, layer: LayerDesc, args: Value[], kwargs: Map<string, Value>): Value {
  if (output.kind === 'tensor') return { ...output, kerasNode: { layer, args, kwargs } };
  if ((output.kind === 'list' || output.kind === 'tuple') && !output.element) {
    return { ...output, items: output.items.map((item, index) => (item.kind === 'tensor' ? { ...item, kerasNode: { layer, args, kwargs, index } } : item)) };
  }
  return output;
}

/** At most this many layer calls are replayed for one fit/evaluate/predict of a functional model. */
const MAX_REPLAYED_CALLS = 400;

/**
 * Runs a functional model's graph again with its Input tensors bound to the data given to fit/evaluate/predict, so
 * data-dependent checks (token ids against an Embedding) see the real values; findings land on that call. Data is
 * conformed to the input as Keras does (a 1-D array for an input of shape (None, 1) gets its last axis).
 */
export function replayFunctional(host: KerasHost, model: KerasModel, data: Value, at: A.Call): Value | undefined {
  if (model.layers.length || !model.input || model.output.kind === 'unknown') return undefined;
  const inputs = listItems(model.input) ?? [model.input];
  const given = listItems(data) ?? [data];
  if (inputs.length !== given.length) return undefined;
  const bound = new Map<TensorValue, Value>();
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    if (input.kind !== 'tensor' || given[i].kind !== 'tensor') return undefined;
    const value = atInput(input, given[i], (m) => m.rank || m.conformed !== undefined);
    if (!value) return undefined;
    bound.set(input, value);
  }
  const done = new Map<TensorValue, Value>();
  let budget = MAX_REPLAYED_CALLS;
  const replay = (v: Value): Value => {
    if (v.kind === 'list' || v.kind === 'tuple') return { ...v, items: v.items.map(replay) };
    if (v.kind !== 'tensor') return v;
    const hit = bound.get(v) ?? done.get(v);
    if (hit) return hit;
    const node = v.kerasNode;
    if (!node) return v;
    if (budget-- <= 0) return UNKNOWN;
    const args = node.args.map(replay);
    // Tensors given by keyword (MultiHeadAttention's value=, attention_mask=) are replayed too.
    const kwargs = new Map([...node.kwargs].map(([k, v]) => [k, replay(v)] as const));
    let out: Value = args.some((a) => a.kind === 'unknown') ? UNKNOWN : host.applyLayer(node.layer, args, kwargs, at);
    if (node.index !== undefined) out = out.kind === 'list' || out.kind === 'tuple' ? out.items[node.index] ?? UNKNOWN : UNKNOWN;
    done.set(v, out);
    return out;
  };
  return replay(model.output);
}

/**
 * The data as a declared input receives it: conformed as Keras conforms it (see conformed), else as given. Undefined
 * when the data differs from the input in a way `refused` says Keras refuses there, or when whether Keras conforms it
 * is not known.
 */
function atInput(declared: Value, data: Value, refused: (m: InputMismatch) => boolean): Value | undefined {
  const conform = conformed(declared, data);
  const mismatch = mismatchOf(declared, data, conform);
  if ((mismatch && refused(mismatch)) || (conform && conform.kind !== 'tensor')) return undefined;
  return conform ?? data;
}

function listItems(v: Value): Value[] | undefined {
  return (v.kind === 'list' || v.kind === 'tuple') && !v.element ? v.items : undefined;
}

/**
 * The data as tf.keras 2.x and Keras 3 conform it to a declared input before any layer runs
 * (Functional._conform_to_reference_input, _adjust_input_rank): with one axis more whose last size is 1 it is
 * squeezed, with one axis fewer against an input whose last size is 1 (a 1-D array for (None, 1)) it gets that axis.
 * UNKNOWN when the size that decides is not known (it may be 1); undefined when nothing is conformed.
 */
function conformed(input: Value, data: Value): Value | undefined {
  if (input.kind !== 'tensor' || data.kind !== 'tensor' || !input.shape.rankKnown || !data.shape.rankKnown) return undefined;
  const want = input.shape.dims;
  const got = data.shape.dims;
  if (got.length !== want.length + 1 && got.length !== want.length - 1) return undefined;
  const extra = got.length > want.length;
  const last = extra ? got[got.length - 1] : want[want.length - 1];
  if (last.kind !== 'int') return UNKNOWN;
  if (last.value !== 1) return undefined;
  return { ...data, shape: shapeOf(extra ? got.slice(0, -1) : [...got, intDim(1)]) };
}

/** A loss's name as lossName gives it: snake case (a class's name too), cross-entropies spelt `_crossentropy`. */
function lossSpelling(name: string): string {
  return name.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/_?cross_?entropy/, '_crossentropy').replace(/^_/, '');
}

/** Words in the names of Keras' loss functions and classes, spelt as lossSpelling gives them. */
const LOSS_WORDS = /crossentropy|squared|absolute|hinge|divergence|poisson|log_?cosh|huber/;
/** Keras' short aliases of losses. */
const LOSS_ALIASES = /^(mse|mae|mape|msle|kld|cosine_similarity|cosine_proximity)$/;

function lossName(loss: Value | undefined, expr: A.Expr | undefined, host: KerasHost): string | undefined {
  if (loss?.kind === 'str') return loss.value.toLowerCase();
  if (loss?.kind === 'function') return wrappedLoss(loss.def, host) ?? loss.def.name.toLowerCase();
  if (!expr) return undefined;
  // keras.losses.SparseCategoricalCrossentropy() or keras.losses.binary_crossentropy
  const text = host.ctx.text(expr.range);
  const m = /losses\.(\w+)/.exec(text) ?? /^(\w+)\(/.exec(text);
  if (m) return lossSpelling(m[1]);
  // A bare name is a loss imported by name (loss=categorical_crossentropy) only when it names one of Keras' losses;
  // another name (loss=loss_object, loss=criterion) is a variable whose value is not followed: the loss is not known.
  const bare = /^([A-Za-z_]\w*)$/.exec(text.trim());
  const spelt = bare ? lossSpelling(bare[1]) : undefined;
  return spelt !== undefined && (LOSS_WORDS.test(spelt) || LOSS_ALIASES.test(spelt)) ? spelt : undefined;
}

/**
 * The loss a loss function of the program computes when its body (after a docstring) is one `return` of a Keras loss
 * applied to its own two parameters in order, `def loss(labels, logits): return
 * tf.keras.losses.sparse_categorical_crossentropy(labels, logits, from_logits=True)`: Keras then compares labels and
 * predictions as that loss does. Any other body is a loss of its own, named by the function.
 */
function wrappedLoss(def: A.FunctionDef, host: KerasHost): string | undefined {
  const body = docstringOf(def.body) === undefined ? def.body : def.body.slice(1);
  const ret = body.length === 1 && body[0].kind === 'return' ? body[0].value : undefined;
  const params = def.params.filter((p) => !p.variadic);
  if (ret?.kind !== 'call' || params.length !== 2 || ret.args.length < 2) return undefined;
  const passes = (i: number) => { const a = ret.args[i]; return a.kind === 'name' && a.id === params[i].name; };
  if (!passes(0) || !passes(1)) return undefined;
  // Only a function of Keras' losses module (keras.losses.x, tf.keras.losses.x, or x imported from it).
  const text = host.ctx.text(ret.func.range);
  const m = /(?:^|\.)losses\.([a-z_]+)$/.exec(text) ?? /^([a-z_]+)$/.exec(text);
  if (!m || !LOSS_WORDS.test(m[1])) return undefined;
  return lossSpelling(m[1]);
}
