// Keras in the interpreter: layer constructors, Sequential and functional models, Input,
// compile/fit/evaluate/predict, and the facts the Keras rules read.
import type * as A from '../parse/ast';
import { LayerDesc, bindArgs } from '../layers/layer';
import { declaredInput, kerasFamily } from '../layers/keras';
import { kerasTensor, noneDim, shapeFromTuple } from '../layers/keras/dims';
import { formatShape, shapeOf, UNKNOWN_SHAPE } from '../shapes/shape';
import { intDim, UNKNOWN_DIM } from '../shapes/dim';
import { KerasModel, UNKNOWN, Value, intValue } from '../values/value';
import type { AnalysisContext } from './context';

/** The part of the interpreter this module needs. */
export interface KerasHost {
  readonly ctx: AnalysisContext;
  applyLayer(layer: LayerDesc, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value;
  originOf(node: { range: A.Call['range'] }): { range: A.Call['range']; text: string };
}

/** tensorflow.keras.layers.LSTM, keras.layers.recurrent.LSTM, keras.models.Sequential → keras.layers.LSTM, keras.Sequential. */
export function kerasPath(path: string): string | undefined {
  let p = path.replace(/^tensorflow\.(python\.)?keras\./, 'keras.').replace(/^tf_keras\./, 'keras.');
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

function newModel(call: A.Call): KerasModel {
  return { call, layers: [], output: UNKNOWN, summary: [], labels: [] };
}

export function callKeras(host: KerasHost, path: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value | undefined {
  const origin = host.originOf(expr);
  if (path === 'keras.Input') {
    const shape = shapeFromTuple(args[0] ?? kwargs.get('shape'), origin, true);
    const batchShape = shapeFromTuple(kwargs.get('batch_shape') ?? kwargs.get('batch_input_shape'), origin, false);
    const dtype = kwargs.get('dtype');
    return kerasTensor(shape ?? batchShape ?? UNKNOWN_SHAPE, origin, dtype?.kind === 'str' && /int/.test(dtype.value) ? 'long' : 'float');
  }
  if (path === 'keras.Sequential') {
    const model = newModel(expr);
    const value: Value = { kind: 'kmodel', model };
    const layers = args[0] ?? kwargs.get('layers');
    if (layers?.kind === 'list' || layers?.kind === 'tuple') for (const item of layers.items) addToSequential(host, model, item);
    recordSummary(host, model);
    return value;
  }
  if (path === 'keras.Model') {
    const model = newModel(expr);
    model.output = args[1] ?? kwargs.get('outputs') ?? UNKNOWN;
    return { kind: 'kmodel', model };
  }
  if (path === 'keras.utils.to_categorical') {
    const y = args[0];
    const classes = intValue(args[1] ?? kwargs.get('num_classes'));
    if (y?.kind !== 'tensor' || !y.shape.rankKnown) return kerasTensor(UNKNOWN_SHAPE, origin);
    const dims = y.shape.dims.length === 2 && y.shape.dims[1].kind === 'int' && y.shape.dims[1].value === 1 ? y.shape.dims.slice(0, 1) : y.shape.dims;
    return kerasTensor(shapeOf([...dims, classes !== undefined ? intDim(classes, { origin }) : UNKNOWN_DIM]), origin);
  }
  if (/^keras\.(preprocessing\.sequence|utils)\.pad_sequences$/.test(path)) return padSequences(args, kwargs, origin);
  const layerMatch = /^keras\.layers\.([A-Z]\w*)$/.exec(path);
  if (layerMatch) return constructKerasLayer(host, layerMatch[1], path, args, kwargs, expr);
  return undefined;
}

/** pad_sequences(seqs, maxlen=M): (number of sequences, M) int32 ids, keeping the literal ids' range. */
function padSequences(args: Value[], kwargs: Map<string, Value>, origin: { range: A.Call['range']; text: string }): Value {
  const seqs = args[0] ?? kwargs.get('sequences');
  const maxlen = intValue(kwargs.get('maxlen') ?? args[1]);
  const rows = (seqs?.kind === 'list' || seqs?.kind === 'tuple') && !seqs.element ? seqs.items : undefined;
  let max: number | undefined;
  if (rows) {
    const ids = rows.flatMap((r) => (r.kind === 'list' || r.kind === 'tuple' ? r.items : [UNKNOWN])).map(intValue);
    if (ids.every((n) => n !== undefined)) max = Math.max(0, ...(ids as number[]));
  }
  const n = rows ? intDim(rows.length, { origin }) : UNKNOWN_DIM;
  const length = maxlen !== undefined ? intDim(maxlen, { origin }) : UNKNOWN_DIM;
  return { kind: 'tensor', dtype: 'long', origin, shape: shapeOf([n, length]), minValue: max === undefined ? undefined : 0, maxValue: max };
}

function constructKerasLayer(host: KerasHost, kind: string, qualname: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
  if (kind === 'InputLayer') {
    const layer: LayerDesc = { framework: 'keras', kind, qualname, call: expr, args: bindArgs([{ name: 'input_shape' }], expr, args, kwargs), children: [], label: host.originOf(expr).text };
    return { kind: 'layer', layer };
  }
  const family = kerasFamily(kind);
  if (!family) return UNKNOWN;
  const inner = args[0]?.kind === 'layer' && (kind === 'Bidirectional' || kind === 'TimeDistributed') ? [args[0].layer] : [];
  const layer: LayerDesc = { framework: 'keras', kind, qualname, call: expr, args: bindArgs(family.params(kind), expr, args, kwargs), children: inner, label: host.originOf(expr).text };
  const errorsBefore = host.ctx.errorCount;
  host.ctx.emit('layerConstruct', { layer });
  if (host.ctx.errorCount > errorsBefore) layer.broken = true;
  host.ctx.addLayerSite({ range: expr.range, framework: 'keras', kind, describe: () => family.hover(layer) });
  return { kind: 'layer', layer };
}

/** Sequential: a first layer may declare the input; each added layer is applied to what came before. */
export function addToSequential(host: KerasHost, model: KerasModel, item: Value): void {
  if (item.kind === 'tensor' && model.layers.length === 0) {
    model.output = item;
    return;
  }
  if (item.kind !== 'layer') {
    model.output = UNKNOWN;
    return;
  }
  const layer = item.layer;
  if (model.layers.length === 0 && model.output.kind !== 'tensor') {
    const declared = declaredInput(layer) ?? assumedInput(layer);
    if (declared) model.output = declared;
  }
  model.layers.push(layer);
  if (layer.kind === 'InputLayer') return;
  const output = model.output.kind === 'tensor' ? host.applyLayer(layer, [model.output], new Map(), layer.call) : UNKNOWN;
  model.output = output;
  model.summary.push({ layer, output });
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
  if (inner && (['SimpleRNN', 'GRU', 'LSTM', 'Conv1D'].includes(inner.kind) || layer.kind === 'TimeDistributed')) return kerasTensor(shapeOf([noneDim('batch'), noneDim('time'), noneDim()]), origin);
  return undefined;
}

/** Runs a Sequential model's layers on data (fit/evaluate/predict), so data-dependent checks see real values. */
export function replaySequential(host: KerasHost, model: KerasModel, data: Value, at: A.Call): void {
  if (data.kind !== 'tensor' || model.layers.length === 0) return;
  let value: Value = data;
  for (const layer of model.layers) {
    if (layer.kind === 'InputLayer') continue;
    if (value.kind !== 'tensor') return;
    value = host.applyLayer(layer, [value], new Map(), at);
  }
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

/** model.add / compile / fit / evaluate / predict / summary. */
export function kerasModelMethod(host: KerasHost, model: KerasModel, name: string, args: Value[], kwargs: Map<string, Value>, expr: A.Call): Value {
  switch (name) {
    case 'add':
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
        lossRange: lossExpr?.range,
        metrics: metrics?.kind === 'list' || metrics?.kind === 'tuple' ? metrics.items.map((m, i) => (m.kind === 'str' ? m.value : metricsExpr?.kind === 'list' || metricsExpr?.kind === 'tuple' ? host.ctx.text(metricsExpr.items[i].range) : '?')) : undefined,
        metricsRange: metricsExpr?.range,
      };
      host.ctx.emit('modelMethod', { model, method: name, call: expr, args, kwargs });
      return { kind: 'none' };
    }
    case 'fit':
    case 'evaluate':
    case 'train_on_batch':
    case 'test_on_batch': {
      const x = args[0] ?? kwargs.get('x');
      const y = args[1] ?? kwargs.get('y');
      if (x) replaySequential(host, model, x, expr);
      if (y) model.labels.push({ value: y, call: expr });
      host.ctx.emit('modelMethod', { model, method: name, call: expr, args, kwargs });
      return UNKNOWN;
    }
    case 'predict':
    case 'predict_on_batch': {
      const x = args[0] ?? kwargs.get('x');
      if (x) replaySequential(host, model, x, expr);
      return model.output;
    }
    case 'build': {
      const shape = shapeFromTuple(args[0] ?? kwargs.get('input_shape'), host.originOf(expr), false);
      if (shape && model.layers.length && model.summary.length === 0) {
        const layers = model.layers.splice(0);
        model.output = kerasTensor(shape, host.originOf(expr));
        for (const layer of layers) addToSequential(host, model, { kind: 'layer', layer });
        recordSummary(host, model);
      }
      return { kind: 'none' };
    }
    default:
      return UNKNOWN;
  }
}

/** Calling a model on a tensor. */
export function callKerasModel(host: KerasHost, model: KerasModel, args: Value[], expr: A.Call): Value {
  if (args[0]) replaySequential(host, model, args[0], expr);
  return model.output;
}

function lossName(loss: Value | undefined, expr: A.Expr | undefined, host: KerasHost): string | undefined {
  if (loss?.kind === 'str') return loss.value.toLowerCase();
  if (!expr) return undefined;
  // keras.losses.SparseCategoricalCrossentropy() or keras.losses.binary_crossentropy
  const text = host.ctx.text(expr.range);
  const m = /losses\.(\w+)/.exec(text) ?? /^(\w+)\(/.exec(text);
  if (!m) return undefined;
  return m[1].replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase().replace(/_?cross_?entropy/, '_crossentropy').replace(/^_/, '');
}
