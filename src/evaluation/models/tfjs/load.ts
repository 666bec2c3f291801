// TensorFlow.js Layers models from disk: model.json plus its weight shards, read with fs and
// handed to tfjs through an in-memory IO handler, so that loading works on every backend
// (tf.loadLayersModel('file://…') needs tfjs-node and fails with "fetch failed" without it).
// model.json is input like any other: its manifest is checked before a byte of a shard is read
// (structure, dtypes, quantization, shapes), every shard must lie inside the model's folder (after
// symbolic links), and each group's shards must hold exactly the bytes its weights need.
import { closeSync, openSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { InputError } from '../../errors';
import { registerResetAfterGru } from '../keras/reset-after-gru';
import { wrapLayersModel } from '../layers-model';
import { tfjs } from '../tf';
import type { SequenceModel } from '../types';

type WeightsManifestEntry = import('@tensorflow/tfjs').io.WeightsManifestEntry;

/** Bytes per stored value, as tfjs' DTYPE_VALUE_SIZE_MAP has them (strings are not a Layers weight). */
const WEIGHT_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1 };
const QUANTIZED_BYTES: Record<string, number> = { uint8: 1, uint16: 2, float16: 2 };
/** A model.json is a few MB at most; a larger one is refused before it is parsed. */
const MAX_MODEL_JSON_BYTES = 64 << 20;

export interface ManifestGroup {
  paths: string[];
  weights: WeightsManifestEntry[];
  /** The bytes its shards must hold together. */
  bytes: number;
}

export async function loadTfjsModel(path: string): Promise<SequenceModel> {
  const tf = tfjs();
  const json = readModelJson(path);
  if (json.format === 'graph-model') throw new InputError(path, null, 'this is a TF.js graph model (a converted SavedModel); SeqLens runs Layers models (converted from Keras)');
  if (json.modelTopology === null || typeof json.modelTopology !== 'object') throw new InputError(path, null, 'model.json has no modelTopology: it is not a TF.js Layers model');
  const groups = checkManifest(json.weightsManifest, path);
  const weightData = readShards(groups, path);
  registerResetAfterGru();
  let model;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: json.modelTopology as object,
      weightSpecs: groups.flatMap((g) => g.weights),
      weightData,
    }));
  } catch (error) {
    throw new InputError(path, null, `TensorFlow.js could not rebuild the model: ${(error as Error).message.split('\n')[0]}`);
  }
  return wrapLayersModel(model, 'tfjs', path);
}

function readModelJson(path: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    if (statSync(path).size > MAX_MODEL_JSON_BYTES) throw new InputError(path, null, `model.json is larger than ${MAX_MODEL_JSON_BYTES >> 20} MB; a Layers model's topology is far smaller`);
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(path, null, `cannot read model.json (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InputError(path, null, `model.json holds ${parsed === null ? 'null' : Array.isArray(parsed) ? 'an array' : typeof parsed}, not a model object with modelTopology and weightsManifest`);
  }
  return parsed as Record<string, unknown>;
}

/** The weights manifest, checked entry by entry, with the byte count each group's shards must hold. */
export function checkManifest(manifest: unknown, where: string): ManifestGroup[] {
  if (manifest === undefined) return [];
  if (!Array.isArray(manifest)) throw new InputError(where, null, `weightsManifest must be a list of groups ({"paths": [...], "weights": [...]}), not ${manifest === null ? 'null' : typeof manifest}`);
  return manifest.map((group: unknown, g) => {
    const at = `weightsManifest[${g}]`;
    if (group === null || typeof group !== 'object' || Array.isArray(group)) throw new InputError(where, null, `${at} must be an object with paths and weights`);
    const { paths, weights } = group as Record<string, unknown>;
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && p !== '')) {
      throw new InputError(where, null, `${at}.paths must be a non-empty list of shard file names`);
    }
    if (!Array.isArray(weights)) throw new InputError(where, null, `${at}.weights must be a list of {name, shape, dtype}`);
    let bytes = 0;
    const entries = weights.map((weight: unknown, w) => {
      const entry = checkWeight(weight, `${at}.weights[${w}]`, where);
      bytes += entry.bytes;
      if (!Number.isSafeInteger(bytes)) throw new InputError(where, null, `${at}: its weights add up to more bytes than any file holds`);
      return entry.spec;
    });
    return { paths: paths as string[], weights: entries, bytes };
  });
}

function checkWeight(weight: unknown, at: string, where: string): { spec: WeightsManifestEntry; bytes: number } {
  if (weight === null || typeof weight !== 'object' || Array.isArray(weight)) throw new InputError(where, null, `${at} must be an object with name, shape and dtype`);
  const { name, shape, dtype, quantization } = weight as Record<string, unknown>;
  if (typeof name !== 'string') throw new InputError(where, null, `${at} has no name`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new InputError(where, null, `${at} ('${name}') has shape ${JSON.stringify(shape)?.slice(0, 60)}: sizes must be non-negative integers`);
  }
  if (typeof dtype !== 'string' || WEIGHT_BYTES[dtype] === undefined) throw new InputError(where, null, `${at} ('${name}') has dtype ${JSON.stringify(dtype)?.slice(0, 30)}; a Layers model's weights are float32, int32 or bool`);
  let valueBytes = WEIGHT_BYTES[dtype];
  if (quantization !== undefined) {
    if (quantization === null || typeof quantization !== 'object') throw new InputError(where, null, `${at} ('${name}') has a quantization that is not an object`);
    const q = quantization as Record<string, unknown>;
    if (typeof q.dtype !== 'string' || QUANTIZED_BYTES[q.dtype] === undefined) throw new InputError(where, null, `${at} ('${name}') is quantized as ${JSON.stringify(q.dtype)?.slice(0, 30)}; tfjs knows uint8, uint16 and float16`);
    if (q.dtype === 'float16' ? dtype !== 'float32' : (typeof q.scale !== 'number' || typeof q.min !== 'number' || !Number.isFinite(q.scale) || !Number.isFinite(q.min))) {
      throw new InputError(where, null, q.dtype === 'float16' ? `${at} ('${name}') is quantized as float16, which only a float32 weight can be` : `${at} ('${name}') is quantized as ${q.dtype} without finite numbers for scale and min`);
    }
    if (dtype === 'bool') throw new InputError(where, null, `${at} ('${name}') is a bool weight, which cannot be quantized`);
    valueBytes = QUANTIZED_BYTES[q.dtype];
  }
  const count = (shape as number[]).reduce((a, b) => a * b, 1);
  const bytes = count * valueBytes;
  if (!Number.isSafeInteger(bytes)) throw new InputError(where, null, `${at} ('${name}') has shape ${JSON.stringify(shape)}, more values than any file holds`);
  return { spec: weight as WeightsManifestEntry, bytes };
}

/**
 * A shard's real path, if it lies inside the model's folder once `..` and symbolic links are
 * resolved; a shard named by an absolute path, or reaching outside, is refused.
 */
export function confinedShardPath(modelJson: string, shard: string): string {
  const folder = realpathSync(dirname(resolve(modelJson)));
  const outside = () => new InputError(modelJson, null, `weight shard '${shard.slice(0, 200)}' is outside the model's folder; model.json may only name files beside it or below it`);
  if (isAbsolute(shard) || shard.includes('\0')) throw outside();
  const joined = resolve(folder, shard);
  const inside = (candidate: string) => {
    const rel = relative(folder, candidate);
    return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
  };
  if (!inside(joined)) throw outside();
  let real: string;
  try {
    real = realpathSync(joined);
  } catch (error) {
    throw new InputError(modelJson, null, `weight shard '${shard}' listed in model.json cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (!inside(real)) throw outside();
  return real;
}

/** Every group's shards, each group's sizes checked against its weights before anything is read. */
function readShards(groups: ManifestGroup[], path: string): ArrayBuffer {
  const plan = groups.map((group, g) => {
    const files = group.paths.map((shard) => {
      const real = confinedShardPath(path, shard);
      let size: number;
      try {
        const stat = statSync(real);
        if (!stat.isFile()) throw new InputError(path, null, `weight shard '${shard}' is not a file`);
        size = stat.size;
      } catch (error) {
        if (error instanceof InputError) throw error;
        throw new InputError(path, null, `weight shard '${shard}' listed in model.json cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
      }
      return { shard, real, size };
    });
    const held = files.reduce((a, f) => a + f.size, 0);
    if (held !== group.bytes) {
      throw new InputError(path, null, `weightsManifest[${g}]: its weights need ${group.bytes} bytes (from their shapes, dtypes and quantization) but its shards ${files.map((f) => `'${f.shard}'`).join(', ')} hold ${held}`);
    }
    return files;
  });
  const total = groups.reduce((a, g) => a + g.bytes, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const { shard, real, size } of plan.flat()) {
    let fd: number | undefined;
    try {
      fd = openSync(real, 'r');
      let read = 0;
      while (read < size) {
        const n = readSync(fd, out, at + read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      if (read !== size) throw new InputError(path, null, `weight shard '${shard}' changed while it was read`);
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(path, null, `weight shard '${shard}' listed in model.json cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
    at += size;
  }
  return out.buffer;
}
