// TensorFlow.js Layers models from disk: model.json plus its weight shards, read with fs and
// handed to tfjs through an in-memory IO handler, so that loading works on every backend
// (tf.loadLayersModel('file://…') needs tfjs-node and fails with "fetch failed" without it).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../../errors';
import { registerResetAfterGru } from '../keras/reset-after-gru';
import { wrapLayersModel } from '../layers-model';
import { tfjs } from '../tf';
import type { SequenceModel } from '../types';

interface ModelJson {
  format?: string;
  modelTopology?: unknown;
  weightsManifest?: { paths: string[]; weights: { name: string; shape: number[]; dtype: string }[] }[];
}

export async function loadTfjsModel(path: string): Promise<SequenceModel> {
  const tf = tfjs();
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as ModelJson;
  } catch (error) {
    throw new InputError(path, null, `cannot read model.json (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (json.format === 'graph-model') throw new InputError(path, null, 'this is a TF.js graph model (a converted SavedModel); SeqLens runs Layers models (converted from Keras)');
  if (!json.modelTopology) throw new InputError(path, null, 'model.json has no modelTopology: it is not a TF.js Layers model');
  const manifest = json.weightsManifest ?? [];
  const shards: Buffer[] = [];
  for (const group of manifest) {
    for (const shard of group.paths) {
      const shardPath = join(dirname(path), shard);
      try {
        shards.push(readFileSync(shardPath));
      } catch (error) {
        throw new InputError(path, null, `weight shard '${shard}' listed in model.json cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
    }
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  registerResetAfterGru();
  let model;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology as object,
      weightSpecs: manifest.flatMap((g) => g.weights) as import('@tensorflow/tfjs').io.WeightsManifestEntry[],
      weightData,
    }));
  } catch (error) {
    throw new InputError(path, null, `TensorFlow.js could not rebuild the model: ${(error as Error).message.split('\n')[0]}`);
  }
  return wrapLayersModel(model, 'tfjs', path);
}
