// Keras model configs (Keras 3 `.keras` config.json, Keras 2 `.h5` model_config) turned into the
// Keras-2-style topology tfjs-layers deserialises: module/registered_name wrappers dropped, dtype
// policies reduced to their dtype, batch_shape renamed, Keras 3 inbound nodes rewritten as
// [layer, node, tensor, kwargs] lists, InputLayer folded into Sequential's first layer, and GRUs
// with reset_after=True pointed at SeqLens' own layer. Unsupported layers are refused by name.
import { RESET_AFTER_GRU } from './reset-after-gru';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export class UnsupportedLayerError extends Error {}

/** Layers tfjs-layers runs with Keras semantics (plus the reset-after GRU). */
const SUPPORTED = new Set([
  'InputLayer', 'Embedding', 'Dense', 'Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout', 'Activation', 'Flatten', 'Reshape', 'Permute',
  'GRU', 'LSTM', 'SimpleRNN', 'Bidirectional', 'TimeDistributed', 'GlobalAveragePooling1D', 'GlobalMaxPooling1D', 'GlobalMaxPool1D', 'GlobalAvgPool1D',
  'Concatenate', 'Add', 'Average', 'Multiply', 'Masking', 'BatchNormalization', 'LayerNormalization', 'Conv1D', 'MaxPooling1D', 'AveragePooling1D',
  'RepeatVector', 'ReLU', 'Softmax', 'LeakyReLU', 'ELU',
]);

function isObject(value: Json | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Recursively strips Keras 3's serialisation wrappers from every nested object. */
function strip(value: Json): Json {
  if (Array.isArray(value)) return value.map(strip);
  if (!isObject(value)) return value;
  if (value.class_name === 'DTypePolicy' || value.class_name === 'FloatDTypePolicy') {
    const config = value.config;
    return isObject(config) && typeof config.name === 'string' ? config.name : 'float32';
  }
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === 'module' || key === 'registered_name' || key === 'build_config' || key === 'compile_config' || key === 'shared_object_id') continue;
    out[key] = strip(item);
  }
  return out;
}

export interface TopologyResult {
  topology: JsonObject;
  /** Keras layer names in model order (weights are matched by these). */
  layerNames: string[];
  /** Whether a Keras 3 hard_sigmoid (x/6 + 1/2) met a tfjs layer that computes Keras 2's (0.2x + 0.5). */
  kerasVersion: 2 | 3;
}

export function kerasToTfjsTopology(raw: Json, kerasVersion: 2 | 3): TopologyResult {
  if (!isObject(raw)) throw new UnsupportedLayerError('the model config is not a JSON object');
  const model = strip(raw) as JsonObject;
  const className = model.class_name;
  const config = model.config;
  if (!isObject(config)) throw new UnsupportedLayerError('the model config has no "config" object');
  if (className !== 'Sequential' && className !== 'Functional' && className !== 'Model') {
    throw new UnsupportedLayerError(`the model is a ${String(className)}; SeqLens rebuilds Sequential and functional models (a subclassed model's call() is Python code)`);
  }
  const layers = config.layers;
  if (!Array.isArray(layers)) throw new UnsupportedLayerError('the model config lists no layers');
  const buildShape = isObject(raw) && isObject(raw.build_config) ? (raw.build_config as JsonObject).input_shape : undefined;
  const converted = layers.map((layer) => convertLayer(layer as JsonObject, kerasVersion));
  let out = converted;
  if (className === 'Sequential') {
    out = [];
    let pendingShape: Json | undefined = config.build_input_shape ?? buildShape;
    let pendingDtype: Json | undefined;
    for (const layer of converted) {
      const layerConfig = layer.config as JsonObject;
      if (layer.class_name === 'InputLayer') {
        pendingShape = layerConfig.batch_input_shape;
        pendingDtype = layerConfig.dtype;
        continue;
      }
      if (out.length === 0 && pendingShape !== undefined && layerConfig.batch_input_shape === undefined) {
        layerConfig.batch_input_shape = pendingShape;
        if (pendingDtype !== undefined && layer.class_name !== 'Embedding') layerConfig.dtype = pendingDtype;
      }
      out.push(layer);
    }
  } else {
    for (const key of ['input_layers', 'output_layers'] as const) {
      const refs = config[key];
      // Keras 3 writes a single input as ["name", 0, 0] rather than [["name", 0, 0]].
      if (Array.isArray(refs) && typeof refs[0] === 'string') config[key] = [refs];
    }
  }
  const layerNames = out.map((l) => String((l.config as JsonObject).name));
  return {
    topology: { class_name: className === 'Sequential' ? 'Sequential' : 'Model', config: { ...config, layers: out }, keras_version: kerasVersion === 3 ? '3' : '2', backend: 'tensorflow' },
    layerNames,
    kerasVersion,
  };
}

function convertLayer(layer: JsonObject, kerasVersion: 2 | 3): JsonObject {
  const className = String(layer.class_name);
  const config = { ...(layer.config as JsonObject) };
  const name = String(config.name ?? layer.name ?? className);
  if (!SUPPORTED.has(className)) {
    throw new UnsupportedLayerError(`layer '${name}' is a ${className}, which SeqLens cannot rebuild in TensorFlow.js`);
  }
  if (config.batch_shape !== undefined && config.batch_input_shape === undefined) {
    config.batch_input_shape = config.batch_shape;
    delete config.batch_shape;
  }
  let out: JsonObject = { class_name: className, config };
  if (className === 'GRU' || className === 'LSTM' || className === 'SimpleRNN') out = convertRecurrent(out, name, kerasVersion);
  if (className === 'Bidirectional' || className === 'TimeDistributed') {
    const inner = config.layer;
    if (!isObject(inner)) throw new UnsupportedLayerError(`layer '${name}' (${className}) wraps no layer`);
    config.layer = convertLayer(inner, kerasVersion);
    if (className === 'Bidirectional') {
      // Keras 3 writes the backward copy out in full; tfjs derives it from the forward one.
      const backward = config.backward_layer;
      if (isObject(backward)) {
        const b = backward.config as JsonObject;
        const f = (config.layer as JsonObject).config as JsonObject;
        const mismatch = ['units', 'activation', 'recurrent_activation', 'return_sequences', 'use_bias', 'reset_after'].find((k) => b && k in b && k in f && JSON.stringify(b[k]) !== JSON.stringify(f[k]));
        if (mismatch) throw new UnsupportedLayerError(`layer '${name}' (Bidirectional) has a backward layer that differs from the forward one in ${mismatch}`);
      }
      delete config.backward_layer;
    }
  }
  if (Array.isArray(layer.inbound_nodes)) out.inbound_nodes = layer.inbound_nodes.map((node) => convertNode(node));
  out.name = name;
  return out;
}

function convertRecurrent(layer: JsonObject, name: string, kerasVersion: 2 | 3): JsonObject {
  const config = layer.config as JsonObject;
  if (config.stateful === true) throw new UnsupportedLayerError(`layer '${name}' is stateful, which SeqLens does not run`);
  if (config.return_state === true) throw new UnsupportedLayerError(`layer '${name}' returns its state (return_state=True), which SeqLens does not run`);
  const recurrentActivation = config.recurrent_activation ?? (layer.class_name === 'SimpleRNN' ? undefined : 'sigmoid');
  if (kerasVersion === 3 && recurrentActivation === 'hard_sigmoid') {
    throw new UnsupportedLayerError(`layer '${name}' uses recurrent_activation='hard_sigmoid', which Keras 3 computes as x/6 + 0.5 and TensorFlow.js as 0.2x + 0.5`);
  }
  if (layer.class_name !== 'SimpleRNN') config.recurrent_activation = recurrentActivation ?? 'sigmoid';
  // Keras 2.x+ defaults reset_after to True; an absent key in a Keras 1 config means False.
  if (layer.class_name === 'GRU' && config.reset_after === true) {
    return { class_name: RESET_AFTER_GRU, config };
  }
  return layer;
}

/** Keras 3 {"args": [keras_tensor…], "kwargs": {}} → Keras 2 [[layer, node, tensor, kwargs], …]. */
function convertNode(node: Json): Json {
  if (!isObject(node) || !Array.isArray(node.args)) return node;
  const refs: Json[] = [];
  const visit = (value: Json) => {
    if (Array.isArray(value)) {
      value.forEach(visit);
      return;
    }
    if (isObject(value) && value.class_name === '__keras_tensor__') {
      const history = (value.config as JsonObject | undefined)?.keras_history;
      if (Array.isArray(history)) refs.push([history[0], history[1], history[2], {}]);
    }
  };
  visit(node.args);
  return refs;
}
