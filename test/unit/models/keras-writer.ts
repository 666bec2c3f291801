// Writes tfjs-layers models as Keras would save them, for fixtures: TensorFlow is not installable
// here, so the files are written with the same HDF5 library SeqLens reads them with (h5wasm), in
// the layouts Keras itself uses:
//   Keras 3 `.keras`: a zip of config.json (module/class_name/config/registered_name entries,
//     DTypePolicy objects, an InputLayer with batch_shape, a full backward_layer in Bidirectional)
//     and model.weights.h5 (layers/<name>/vars/<i>, recurrent weights under cell/, Bidirectional
//     halves under forward_layer/ and backward_layer/);
//   legacy Keras 2 `.h5`: a model_config attribute and model_weights/<layer> groups whose
//     weight_names attribute lists datasets such as gru/gru_cell/kernel:0.
import { writeFileSync } from 'node:fs';
import { buildH5File, H5Group } from '../../../src/evaluation/models/keras/hdf5';
import { RESET_AFTER_GRU } from '../../../src/evaluation/models/keras/reset-after-gru';
import { writeZip } from '../../../src/evaluation/models/keras/zip';
import { tfjs } from '../../../src/evaluation/models/tf';

type LayersModel = import('@tensorflow/tfjs').LayersModel;
type Layer = import('@tensorflow/tfjs').layers.Layer;
type Json = Record<string, unknown>;

const RECURRENT = new Set(['GRU', 'LSTM', 'SimpleRNN', RESET_AFTER_GRU]);

function policy(dtype: unknown): Json {
  return { module: 'keras', class_name: 'DTypePolicy', config: { name: typeof dtype === 'string' ? dtype : 'float32' }, registered_name: null };
}

/** tfjs' Keras-2-style layer entry → a Keras 3 one. */
function keras3Layer(entry: Json): Json {
  let className = String(entry.class_name);
  const config = { ...(entry.config as Json) };
  delete config.batch_input_shape;
  if (className === RESET_AFTER_GRU) {
    className = 'GRU';
    config.reset_after = true;
  } else if (className === 'GRU') {
    config.reset_after = false;
  }
  config.dtype = policy(config.dtype);
  if (className === 'Bidirectional') {
    const inner = keras3Layer(config.layer as Json);
    config.layer = inner;
    const backward = JSON.parse(JSON.stringify(inner)) as Json;
    const backwardConfig = backward.config as Json;
    backwardConfig.go_backwards = !backwardConfig.go_backwards;
    backwardConfig.name = `backward_${String(backwardConfig.name)}`;
    config.backward_layer = backward;
  }
  return { module: 'keras.layers', class_name: className, config, registered_name: null };
}

/** tfjs' Keras-2-style layer entry → what Keras 2 writes in model_config. */
function keras2Layer(entry: Json): Json {
  const config = { ...(entry.config as Json) };
  let className = String(entry.class_name);
  if (className === RESET_AFTER_GRU) {
    className = 'GRU';
    config.reset_after = true;
  } else if (className === 'GRU') {
    config.reset_after = false;
  }
  if (className === 'Bidirectional') config.layer = keras2Layer(config.layer as Json);
  return { class_name: className, config };
}

function topology(model: LayersModel): Json {
  return model.toJSON(null, false) as unknown as Json;
}

function isSequential(model: LayersModel): boolean {
  return model.getClassName() === 'Sequential';
}

export function keras3Config(model: LayersModel): Json {
  if (!isSequential(model)) throw new Error('the fixture writer writes Sequential models');
  const layers = ((topology(model).config as Json).layers as Json[]);
  const inputShape = model.inputs[0].shape;
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: model.name,
      trainable: true,
      dtype: policy('float32'),
      layers: [
        { module: 'keras.layers', class_name: 'InputLayer', config: { batch_shape: inputShape, dtype: 'float32', sparse: false, name: 'input_layer' }, registered_name: null },
        ...layers.map(keras3Layer),
      ],
      build_input_shape: inputShape,
    },
    registered_name: null,
    build_config: { input_shape: inputShape },
  };
}

function writeVars(group: H5Group, weights: { shape: number[]; values: Float32Array }[]): void {
  const vars = group.create_group('vars');
  weights.forEach((w, i) => vars.create_dataset({ name: String(i), data: w.values, shape: w.shape, dtype: '<f' }));
}

function weightsOf(layer: Layer): { shape: number[]; values: Float32Array }[] {
  return layer.getWeights().map((t) => ({ shape: t.shape.slice(), values: t.dataSync() as Float32Array }));
}

export async function writeKeras3(model: LayersModel, path: string): Promise<void> {
  const config = keras3Config(model);
  const weights = await buildH5File((root) => {
    const layers = root.create_group('layers');
    for (const layer of model.layers) {
      const group = layers.create_group(layer.name);
      const className = layer.getClassName();
      const values = weightsOf(layer);
      if (className === 'Bidirectional') {
        const half = values.length / 2;
        writeVars(group.create_group('forward_layer').create_group('cell'), values.slice(0, half));
        writeVars(group.create_group('backward_layer').create_group('cell'), values.slice(half));
        group.create_group('vars');
        (group.get('forward_layer') as H5Group).create_group('vars');
        (group.get('backward_layer') as H5Group).create_group('vars');
      } else if (RECURRENT.has(className)) {
        group.create_group('vars');
        writeVars(group.create_group('cell'), values);
      } else {
        writeVars(group, values);
      }
    }
    root.create_group('vars');
    const optimizer = root.create_group('optimizer');
    optimizer.create_group('vars');
  });
  const metadata = { keras_version: '3.6.0', date_saved: '2026-01-01@00:00:00' };
  writeFileSync(path, writeZip([
    { name: 'metadata.json', data: Buffer.from(JSON.stringify(metadata)) },
    { name: 'config.json', data: Buffer.from(JSON.stringify(config)) },
    { name: 'model.weights.h5', data: weights },
  ]));
}

/** Keras 2's per-weight names: <layer>/<cell>/<weight>:0, with forward_/backward_ prefixes in Bidirectional. */
function keras2WeightNames(layer: Layer): string[] {
  const className = layer.getClassName();
  const cellName = (inner: Layer) => {
    const kind = inner.getClassName() === RESET_AFTER_GRU ? 'GRU' : inner.getClassName();
    return kind === 'SimpleRNN' ? 'simple_rnn_cell' : `${kind.toLowerCase()}_cell`;
  };
  const recurrentNames = ['kernel', 'recurrent_kernel', 'bias'];
  if (className === 'Bidirectional') {
    const inner = (layer as unknown as { forwardLayer: Layer }).forwardLayer;
    const innerName = inner.name.replace(/^forward_/, '');
    const count = layer.getWeights().length / 2;
    const half = (direction: string) => recurrentNames.slice(0, count).map((w) => `${layer.name}/${direction}_${innerName}/${cellName(inner)}/${w}:0`);
    return [...half('forward'), ...half('backward')];
  }
  if (RECURRENT.has(className)) return recurrentNames.slice(0, layer.getWeights().length).map((w) => `${layer.name}/${cellName(layer)}/${w}:0`);
  return layer.weights.map((w) => `${layer.name}/${w.originalName.split('/').pop()}:0`);
}

export async function writeKeras2H5(model: LayersModel, path: string): Promise<void> {
  const json = topology(model);
  const config = { class_name: json.class_name, config: { ...(json.config as Json), layers: ((json.config as Json).layers as Json[]).map(keras2Layer) } };
  const bytes = await buildH5File((root) => {
    root.create_attribute('model_config', JSON.stringify(config));
    root.create_attribute('keras_version', '2.15.0');
    root.create_attribute('backend', 'tensorflow');
    const weightsRoot = root.create_group('model_weights');
    weightsRoot.create_attribute('layer_names', model.layers.map((l) => l.name));
    for (const layer of model.layers) {
      const group = weightsRoot.create_group(layer.name);
      const names = keras2WeightNames(layer);
      const values = weightsOf(layer);
      if (names.length > 0) group.create_attribute('weight_names', names);
      names.forEach((name, i) => {
        const parts = name.split('/');
        let at = group;
        for (const part of parts.slice(0, -1)) at = (at.keys().includes(part) ? at.get(part) : at.create_group(part)) as H5Group;
        at.create_dataset({ name: parts[parts.length - 1], data: values[i].values, shape: values[i].shape, dtype: '<f' });
      });
    }
  });
  writeFileSync(path, bytes);
}

/** model.json + one weights shard, as tfjs' own save writes them. */
export async function writeTfjsModel(model: LayersModel, dir: string): Promise<void> {
  const tf = tfjs();
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const { join } = await import('node:path');
    writeFileSync(join(dir, 'model.json'), JSON.stringify({
      format: 'layers-model',
      generatedBy: artifacts.generatedBy,
      convertedBy: null,
      modelTopology: artifacts.modelTopology,
      weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: artifacts.weightSpecs }],
    }));
    writeFileSync(join(dir, 'group1-shard1of1.bin'), Buffer.from(artifacts.weightData as ArrayBuffer));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
}
