// Keras models without Python: a Keras 3 `.keras` archive (config.json + model.weights.h5) or a
// legacy Keras 2 `.h5` (model_config attribute + model_weights group). The config becomes a
// tfjs-layers model; the weights are matched to it by layer name, in each layer's own order
// (kernel, recurrent_kernel, bias; a Bidirectional's forward half, then its backward half).
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { InputError } from '../../errors';
import { wrapLayersModel } from '../layers-model';
import { tfjs } from '../tf';
import type { SequenceModel } from '../types';
import { kerasToTfjsTopology, UnsupportedLayerError } from './config';
import { attributeList, attributeText, datasetValues, H5Group, isDataset, isGroup, ValueBudget, withH5File } from './hdf5';
import { registerResetAfterGru } from './reset-after-gru';
import { readZip } from './zip';

export interface WeightArray {
  name: string;
  shape: number[];
  values: Float32Array;
}

type LayersModel = import('@tensorflow/tfjs').LayersModel;

export async function loadKerasModel(path: string): Promise<SequenceModel> {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new InputError(path, null, `cannot read the model (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const fail = (error: unknown): never => {
    if (error instanceof InputError) throw error;
    throw new InputError(path, null, (error as Error).message.split('\n')[0]);
  };
  try {
    if (extname(path).toLowerCase() === '.keras') {
      const entries = await readZip(bytes, path);
      const configText = entries.get('config.json');
      const weights = entries.get('model.weights.h5');
      if (!configText) throw new InputError(path, null, `the archive has no config.json (it holds: ${[...entries.keys()].join(', ')})`);
      if (!weights) throw new InputError(path, null, `the archive has no model.weights.h5 (it holds: ${[...entries.keys()].join(', ')})`);
      const config = JSON.parse(configText.toString('utf8'));
      const byLayer = await withH5File(weights, (root) => kerasV3Weights(root, ValueBudget.forFile(weights.length)));
      return await build(path, config, 3, byLayer, 'keras');
    }
    const { config, byLayer } = await withH5File(bytes, (root) => {
      const modelConfig = root.attrs.model_config;
      if (!modelConfig) {
        throw new InputError(path, null, root.keys().includes('layers') || root.keys().includes('model_weights') || root.attrs.layer_names
          ? 'this .h5 holds weights only (model.save_weights); SeqLens needs the whole model: model.save("model.h5") or model.save("model.keras")'
          : 'not a Keras model file: it has no model_config attribute');
      }
      const weightsRoot = root.get('model_weights');
      return { config: JSON.parse(attributeText(modelConfig.value)), byLayer: isGroup(weightsRoot) ? kerasV2Weights(weightsRoot, ValueBudget.forFile(bytes.length)) : new Map<string, WeightArray[]>() };
    });
    return await build(path, config, 2, byLayer, 'h5');
  } catch (error) {
    return fail(error);
  }
}

/** Keras 3: layers/<name>/vars/<i>, with sub-objects (cell, forward_layer, backward_layer) below. */
function kerasV3Weights(root: H5Group, budget: ValueBudget): Map<string, WeightArray[]> {
  const out = new Map<string, WeightArray[]>();
  const layers = root.get('layers') ?? root.get('_layer_checkpoint_dependencies');
  if (!isGroup(layers)) return out;
  for (const name of layers.keys()) {
    const group = layers.get(name);
    if (isGroup(group)) out.set(name, collectVars(group, name, budget, 0));
  }
  return out;
}

const CHILD_ORDER = ['cell', 'forward_layer', 'backward_layer', 'layer'];
/** Keras nests a layer's objects a few levels deep (a Bidirectional's LSTM's cell); HDF5 groups can also link back to an ancestor. */
const MAX_GROUP_DEPTH = 16;

function collectVars(group: H5Group, path: string, budget: ValueBudget, depth: number): WeightArray[] {
  if (depth > MAX_GROUP_DEPTH) throw new Error(`the weights of '${path.slice(0, 200)}' are nested more than ${MAX_GROUP_DEPTH} groups deep (a group that links back to its parent?)`);
  const out: WeightArray[] = [];
  const keys = group.keys();
  const vars = group.get('vars');
  if (isGroup(vars)) {
    for (const key of vars.keys().sort((a, b) => Number(a) - Number(b))) {
      const dataset = vars.get(key);
      if (isDataset(dataset)) out.push({ name: `${path}/vars/${key}`, ...datasetValues(dataset, budget) });
    }
  }
  const children = keys.filter((k) => k !== 'vars').sort((a, b) => {
    const ia = CHILD_ORDER.indexOf(a);
    const ib = CHILD_ORDER.indexOf(b);
    return (ia < 0 ? CHILD_ORDER.length : ia) - (ib < 0 ? CHILD_ORDER.length : ib) || a.localeCompare(b);
  });
  for (const child of children) {
    const entry = group.get(child);
    if (isGroup(entry)) out.push(...collectVars(entry, `${path}/${child}`, budget, depth + 1));
  }
  return out;
}

/** Keras 2: model_weights/<layer> with a weight_names attribute listing its datasets in order. */
function kerasV2Weights(root: H5Group, budget: ValueBudget): Map<string, WeightArray[]> {
  const out = new Map<string, WeightArray[]>();
  const names = root.attrs.layer_names ? attributeList(root.attrs.layer_names.value) : root.keys();
  for (const name of names) {
    const group = root.get(name);
    if (!isGroup(group)) continue;
    const weightNames = group.attrs.weight_names ? attributeList(group.attrs.weight_names.value) : [];
    out.set(name, weightNames.map((weightName) => {
      const dataset = group.get(weightName);
      if (!isDataset(dataset)) throw new Error(`layer '${name}' lists weight '${weightName}', which the file does not hold`);
      return { name: weightName, ...datasetValues(dataset, budget) };
    }));
  }
  return out;
}

async function build(path: string, config: unknown, version: 2 | 3, byLayer: Map<string, WeightArray[]>, format: 'keras' | 'h5'): Promise<SequenceModel> {
  const tf = tfjs();
  registerResetAfterGru();
  let topology;
  try {
    topology = kerasToTfjsTopology(config as never, version);
  } catch (error) {
    if (error instanceof UnsupportedLayerError) throw new InputError(path, null, error.message);
    throw error;
  }
  let model: LayersModel;
  try {
    model = await tf.models.modelFromJSON({ modelTopology: topology.topology } as never);
  } catch (error) {
    throw new InputError(path, null, `TensorFlow.js could not rebuild the model from its config: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    setWeights(model, byLayer, path);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return wrapLayersModel(model, format, path);
}

export function setWeights(model: LayersModel, byLayer: Map<string, WeightArray[]>, path: string): void {
  const tf = tfjs();
  for (const layer of model.layers) {
    const expected = layer.weights;
    if (expected.length === 0) continue;
    const arrays = byLayer.get(layer.name);
    if (!arrays) throw new InputError(path, null, `the weights file has nothing for layer '${layer.name}' (${layer.getClassName()}); it holds: ${[...byLayer.keys()].join(', ')}`);
    if (arrays.length !== expected.length) {
      throw new InputError(path, null, `layer '${layer.name}' (${layer.getClassName()}) needs ${expected.length} weight arrays but the file has ${arrays.length} (${arrays.map((a) => a.name).join(', ')})`);
    }
    const tensors = arrays.map((array, i) => {
      const want = expected[i].shape;
      if (array.shape.length !== want.length || array.shape.some((d, k) => d !== want[k])) {
        throw new InputError(path, null, `layer '${layer.name}': weight ${i} ('${array.name}') is (${array.shape.join(', ')}) but the layer's ${expected[i].originalName ?? expected[i].name} needs (${want.join(', ')})`);
      }
      return tf.tensor(array.values, array.shape);
    });
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
}
