/**
 * PyTorch's `.pt`/`.pth` files as `torch.save` writes them since 1.6: a zip archive holding
 * `<name>/data.pkl` (the pickled object), `<name>/data/<key>` (one raw storage per key),
 * `<name>/version` and, from PyTorch 2.1, `<name>/byteorder`. Read without Python: the archive
 * through the engine's bounded zip reader, the pickle through the restricted unpickler of
 * ./pickle, which runs nothing. What comes back is the state dict: parameter name → float32
 * tensor, as the .safetensors reader gives it.
 *
 * A checkpoint dict (`{"model": state_dict, "optimizer": …, "epoch": 3}`) is searched for its
 * state dicts (dicts of name → tensor; an optimizer's own `{state, param_groups}` is left out);
 * when it holds several, `stateDictKey` chooses one. A whole pickled model (`torch.save(model)`)
 * and the legacy non-zip format are refused by name, with what to do instead.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { InputError } from '../../../errors';
import { halfToNumber } from '../../../half-float';
import { tableByteBudget } from '../../../readers/limits';
import { ZipArchive, ZipMember } from '../../../zip';
import type { NamedTensor } from '../../safetensors';
import {
  DEFAULT_UNPICKLE_LIMITS, describeValue, DType, DTYPE_BYTES, PickleError, PyDict, PyList, PyStorage, PyTensor, PyTuple, PyValue, unpickle,
} from './pickle';

export interface TorchCheckpointOptions {
  /** Path of the state dict inside a checkpoint dict, keys joined by '.', e.g. `model` or `model.encoder`. */
  stateDictKey?: string;
}

export interface TorchStateDict {
  tensors: Map<string, NamedTensor>;
  /** Where the state dict sat in a checkpoint dict (`model`), or null when the file is the state dict. */
  key: string | null;
}

/** data.pkl of a state dict takes about 100 bytes a tensor: 64 MiB is over half a million tensors. */
const MAX_PICKLE_BYTES = 64 * 2 ** 20;
/** Containers deep that the search for state dicts looks into. */
const MAX_SEARCH_DEPTH = 16;
/** Containers visited by that search at most (a pickle can reference one container many times). */
const MAX_SEARCH_VISITS = 1_000_000;

const ZIP_MAGIC = [0x50, 0x4b];
/** The legacy format starts with pickle protocol 2 and LONG1 of the magic number 0x1950a86a20f9469cfc6c. */
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const CONVERT = (path: string) => `python -c "import torch; torch.save(torch.load('${path}', map_location='cpu'), '${path.replace(/\.(pth?|bin)$/i, '')}-zip.pt')"`;

export async function readTorchCheckpoint(path: string, options: TorchCheckpointOptions = {}): Promise<TorchStateDict> {
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      head = Buffer.alloc(512);
      head = head.subarray(0, readSync(fd, head, 0, 512, 0));
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw new InputError(path, null, `cannot read the weights file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  checkContainer(head, path);
  const zip = await ZipArchive.open(path);
  try {
    return await readArchive(zip, path, options);
  } finally {
    zip.close();
  }
}

/** The same, from bytes in memory (tests, fuzzing). */
export async function parseTorchCheckpoint(bytes: Buffer, where: string, options: TorchCheckpointOptions = {}): Promise<TorchStateDict> {
  checkContainer(bytes.subarray(0, 512), where);
  const zip = await ZipArchive.fromBuffer(bytes, where);
  try {
    return await readArchive(zip, where, options);
  } finally {
    zip.close();
  }
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);
}

function checkContainer(head: Uint8Array, where: string): void {
  if (startsWith(head, ZIP_MAGIC)) return;
  if (startsWith(head, LEGACY_MAGIC)) {
    throw new InputError(where, null, `this is PyTorch's legacy (pre-1.6, non-zip) serialization format, which SeqLens does not read; convert it once with ${CONVERT(where)}`);
  }
  if (head.length >= 262 && Buffer.from(head.subarray(257, 262)).toString('latin1') === 'ustar') {
    throw new InputError(where, null, `this is PyTorch's oldest (tar) serialization format, which SeqLens does not read; convert it once with ${CONVERT(where)}`);
  }
  throw new InputError(where, null, 'not a PyTorch .pt file: torch.save writes a zip archive, and this file does not start like one');
}

async function readArchive(zip: ZipArchive, where: string, options: TorchCheckpointOptions): Promise<TorchStateDict> {
  if (zip.members.length === 0) throw new InputError(where, null, 'the zip archive is empty; torch.save writes data.pkl and the storages into it');
  // torch's reader takes the archive's folder from its first record (torch.save names it after the file).
  const first = zip.members[0].name;
  const slash = first.indexOf('/');
  if (slash <= 0) throw new InputError(where, null, `not a PyTorch .pt file: its first member '${first.slice(0, 80)}' is not inside the archive's folder (torch.save writes <name>/data.pkl)`);
  const prefix = first.slice(0, slash + 1);
  const pickleMember = zip.member(`${prefix}data.pkl`);
  if (!pickleMember) {
    throw new InputError(where, null, `not a PyTorch .pt file: it has no ${prefix}data.pkl (members: ${zip.members.slice(0, 6).map((m) => m.name).join(', ')}${zip.members.length > 6 ? ', …' : ''})`);
  }
  if (pickleMember.size > MAX_PICKLE_BYTES) {
    throw new InputError(where, null, `${pickleMember.name} is ${pickleMember.size} bytes; a state dict's pickle stays under ${MAX_PICKLE_BYTES} (it holds names and sizes, the numbers are in data/)`);
  }
  const littleEndian = await byteOrder(zip, prefix, where);
  const pickle = await zip.read(pickleMember);

  const storages = new Map<string, PyStorage & { member: ZipMember }>();
  let root: PyValue;
  try {
    root = unpickle(pickle, ({ key, dtype, storageClass, location, numel }) => {
      const known = storages.get(key);
      if (known) {
        if (known.dtype !== dtype || known.numel !== numel) throw new Error(`storage '${key}' is declared twice, as ${known.numel} × ${known.dtype} and as ${numel} × ${dtype}`);
        return known;
      }
      const name = `${prefix}data/${key}`;
      const member = zip.member(name);
      if (!member) throw new Error(`storage '${key}' (${storageClass}) has no member ${name} in the archive`);
      const bytes = numel * DTYPE_BYTES[dtype];
      if (member.size !== bytes) throw new Error(`storage '${key}' declares ${numel} × ${dtype} (${bytes} bytes) but ${name} holds ${member.size} bytes`);
      const storage = { kind: 'storage' as const, key, dtype, numel, location, member };
      storages.set(key, storage);
      return storage;
    }, DEFAULT_UNPICKLE_LIMITS);
  } catch (error) {
    if (error instanceof PickleError) throw new InputError(where, null, explainRefusal(error, pickle));
    throw error;
  }

  const { dict, key } = chooseStateDict(root, options.stateDictKey, where);
  return { tensors: await materialise(zip, dict, littleEndian, where), key };
}

async function byteOrder(zip: ZipArchive, prefix: string, where: string): Promise<boolean> {
  const member = zip.member(`${prefix}byteorder`);
  if (!member) return true; // PyTorch before 2.1 writes none, and writes little-endian
  if (member.size > 16) throw new InputError(where, null, `${member.name} is ${member.size} bytes; it holds 'little' or 'big'`);
  const text = (await zip.read(member)).toString('latin1');
  if (text !== 'little' && text !== 'big') throw new InputError(where, null, `${member.name} says '${text}'; it must say 'little' or 'big'`);
  return text === 'little';
}

/** A refused global that belongs to torch.nn's modules means the file is a whole pickled model. */
function explainRefusal(error: PickleError, pickle: Buffer): string {
  const refused = /^refused global (\S+):/.exec(error.cause)?.[1];
  if (refused !== undefined) {
    const moduleClass = /torch\.nn\.modules\.[\w.]+\n\w+/.exec(pickle.toString('latin1'))?.[0].replace('\n', '.');
    if (moduleClass !== undefined || refused.startsWith('torch.nn.modules.')) {
      return `this file holds a whole pickled model (torch.save(model)), not a state dict: its pickle names the class ${refused}${moduleClass && moduleClass !== refused ? ` and ${moduleClass}` : ''}, and loading it would run their code, which SeqLens never does. Save the weights instead: torch.save(model.state_dict(), "model.pt")`;
    }
  }
  return error.message;
}

// ---- finding the state dict --------------------------------------------------------------------------

function isStateDict(value: PyValue): boolean {
  return value instanceof PyDict && value.size > 0 && value.keys.every((k) => typeof k === 'string') && value.values.every((v) => v instanceof PyTensor);
}

/** torch.optim.Optimizer.state_dict(): its per-parameter state dicts are not a model's. */
function isOptimizerState(value: PyDict): boolean {
  return value.size === 2 && value.keys.includes('state') && value.keys.includes('param_groups');
}

function keyText(key: PyValue): string {
  return typeof key === 'string' ? key : typeof key === 'number' || typeof key === 'bigint' ? String(key) : describeValue(key);
}

function stateDictCandidates(root: PyValue, where: string): { key: string; dict: PyDict }[] {
  const found: { key: string; dict: PyDict }[] = [];
  const visited = new Set<object>();
  let visits = 0;
  const walk = (value: PyValue, path: string[], depth: number) => {
    if (!(value instanceof PyDict || value instanceof PyList || value instanceof PyTuple)) return;
    if (visited.has(value)) return;
    visited.add(value);
    if (++visits > MAX_SEARCH_VISITS) throw new InputError(where, null, `the checkpoint holds more than ${MAX_SEARCH_VISITS.toLocaleString('en-US')} containers`);
    if (depth > MAX_SEARCH_DEPTH) throw new InputError(where, null, `the checkpoint nests containers more than ${MAX_SEARCH_DEPTH} deep before reaching a state dict`);
    if (value instanceof PyDict) {
      if (isStateDict(value)) {
        found.push({ key: path.join('.'), dict: value });
        return;
      }
      if (isOptimizerState(value)) return;
      value.keys.forEach((k, i) => walk(value.values[i], [...path, keyText(k)], depth + 1));
      return;
    }
    value.items.forEach((item, i) => walk(item, [...path, String(i)], depth + 1));
  };
  walk(root, [], 0);
  return found;
}

function chooseStateDict(root: PyValue, wanted: string | undefined, where: string): { dict: PyDict; key: string | null } {
  if (wanted === undefined && isStateDict(root)) return { dict: root as PyDict, key: null };
  const candidates = stateDictCandidates(root, where);
  const list = () => candidates.map((c) => `'${c.key}' (${c.dict.size} tensors)`).join(', ');
  if (wanted !== undefined) {
    const chosen = candidates.find((c) => c.key === wanted);
    if (!chosen) {
      throw new InputError(where, null, candidates.length === 0
        ? `--state-dict-key ${wanted}: the file holds no state dict (a dict of parameter names to tensors)`
        : `--state-dict-key ${wanted}: no state dict there; the file's state dicts are ${list()}`);
    }
    return { dict: chosen.dict, key: chosen.key };
  }
  if (candidates.length === 1) return { dict: candidates[0].dict, key: candidates[0].key };
  if (candidates.length === 0) {
    throw new InputError(where, null, `the file holds no state dict (a dict of parameter names to tensors): its object is ${describeValue(root)}; save one with torch.save(model.state_dict(), "model.pt")`);
  }
  throw new InputError(where, null, `the checkpoint holds several state dicts: ${list()}; choose one with --state-dict-key KEY`);
}

// ---- the numbers -------------------------------------------------------------------------------------

async function materialise(zip: ZipArchive, dict: PyDict, littleEndian: boolean, where: string): Promise<Map<string, NamedTensor>> {
  const tensors = dict.values as PyTensor[];
  const elements = tensors.reduce((sum, t) => sum + t.numel, 0);
  const budget = tableByteBudget(zip.fileSize);
  if (elements * 4 > budget) {
    throw new InputError(where, null, `the state dict's ${elements.toLocaleString('en-US')} values would take ${(elements * 4 / 2 ** 30).toFixed(1)} GiB as float32, more than the ${(budget / 2 ** 30).toFixed(1)} GiB allowed for this file`);
  }
  const storageBytes = new Map<string, Buffer>();
  const out = new Map<string, NamedTensor>();
  for (let i = 0; i < tensors.length; i++) {
    const tensor = tensors[i];
    const storage = tensor.storage as PyStorage & { member: ZipMember };
    let bytes = storageBytes.get(storage.key);
    if (bytes === undefined) {
      bytes = await zip.read(storage.member);
      storageBytes.set(storage.key, bytes);
    }
    const name = dict.keys[i] as string;
    out.set(name, { name, dtype: storage.dtype, shape: tensor.shape, values: gather(bytes, tensor, littleEndian) });
  }
  return out;
}

function elementReader(view: DataView, dtype: DType, little: boolean): (index: number) => number {
  switch (dtype) {
    case 'F32': return (i) => view.getFloat32(4 * i, little);
    case 'F64': return (i) => view.getFloat64(8 * i, little);
    case 'F16': return (i) => halfToNumber(view.getUint16(2 * i, little));
    case 'BF16': {
      const scratch = new DataView(new ArrayBuffer(4));
      return (i) => {
        scratch.setUint32(0, view.getUint16(2 * i, little) << 16);
        return scratch.getFloat32(0);
      };
    }
    case 'I64': return (i) => Number(view.getBigInt64(8 * i, little));
    case 'I32': return (i) => view.getInt32(4 * i, little);
    case 'I16': return (i) => view.getInt16(2 * i, little);
    case 'I8': return (i) => view.getInt8(i);
    case 'U8': return (i) => view.getUint8(i);
    case 'BOOL': return (i) => (view.getUint8(i) !== 0 ? 1 : 0);
  }
}

/** The tensor's elements in row-major order, read through its strides from its storage. */
export function gather(bytes: Uint8Array, tensor: PyTensor, littleEndian: boolean): Float32Array {
  const read = elementReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), tensor.storage.dtype, littleEndian);
  const { shape, stride, offset } = tensor;
  const out = new Float32Array(tensor.numel);
  if (out.length === 0) return out;
  const rank = shape.length;
  const index = new Array<number>(rank).fill(0);
  let at = offset;
  for (let n = 0; n < out.length; n++) {
    out[n] = read(at);
    // Odometer: step the last axis, carrying into earlier ones.
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      at += stride[axis];
      if (index[axis] < shape[axis]) break;
      at -= stride[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return out;
}
