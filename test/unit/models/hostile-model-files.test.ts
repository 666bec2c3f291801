// Malformed and hostile model files: each ends in the project's clean error (`file: cause`),
// never in a crash, in garbage weights, or in a read outside the model's folder.
import { strict as assert } from 'node:assert';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../../../src/evaluation/errors';
import { buildH5File, datasetValues, type H5Dataset, loadH5wasm, ValueBudget, withH5File } from '../../../src/evaluation/models/keras/hdf5';
import { damagedGlobalHeap } from '../../../src/evaluation/models/keras/hdf5-global-heap';
import { loadKerasModel } from '../../../src/evaluation/models/keras/load';
import { encodeSafetensors, firstDuplicateKey, parseSafetensors } from '../../../src/evaluation/models/safetensors';
import { useBackend } from '../../../src/evaluation/models/tf';
import { loadTfjsModel } from '../../../src/evaluation/models/tfjs/load';
import { MODEL_FIXTURES, tempDir, tempFile } from './helpers';

/** A .safetensors file with this header (as given, not re-validated) and `data` bytes after it. */
function safetensorsWith(header: unknown, dataBytes: number): Buffer {
  const json = Buffer.from(typeof header === 'string' ? header : JSON.stringify(header), 'utf8');
  const out = Buffer.alloc(8 + json.length + dataBytes);
  out.writeBigUInt64LE(BigInt(json.length), 0);
  json.copy(out, 8);
  for (let i = 0; i < dataBytes; i++) out[8 + json.length + i] = i & 0xff;
  return out;
}

function rejectsWith(run: () => unknown, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('safetensors headers are validated as the reference library does', () => {
  const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

  it('reads a well-formed file, with __metadata__ allowed', () => {
    const bytes = encodeSafetensors([{ name: 'a', shape: [2], values: Float32Array.of(1, 2) }, { name: 'b', shape: [1, 1], values: Float32Array.of(3) }]);
    const tensors = parseSafetensors(bytes, 'w.safetensors');
    assert.deepEqual([...tensors.get('a')!.values], [1, 2]);
    assert.deepEqual([...tensors.get('b')!.values], [3]);
    const withMetadata = safetensorsWith({ __metadata__: { format: 'pt' }, a: f32([2], 0, 8) }, 8);
    assert.equal(parseSafetensors(withMetadata, 'w.safetensors').size, 1);
  });

  it('refuses a header that is null, an array or a number', () => {
    for (const header of ['null', '[]', '7']) rejectsWith(() => parseSafetensors(safetensorsWith(header, 0), 'w.safetensors'), /^w\.safetensors: not a \.safetensors file: its header is/);
  });

  it('refuses a null entry, and entries without shape or data_offsets', () => {
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: null }, 0), 'w.safetensors'), /tensor 'a' is null/);
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: { dtype: 'F32', data_offsets: [0, 4] } }, 4), 'w.safetensors'), /tensor 'a' has no shape/);
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: { dtype: 'F32', shape: [1] } }, 4), 'w.safetensors'), /tensor 'a' has no data_offsets/);
  });

  it('refuses a negative or fractional shape', () => {
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([-1], 0, 4) }, 4), 'w.safetensors'), /shape \[-1\]: sizes must be non-negative integers/);
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([1.5], 0, 4) }, 4), 'w.safetensors'), /sizes must be non-negative integers/);
  });

  it('refuses overlapping, negative and gapped data_offsets', () => {
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12), 'w.safetensors'), /tensor 'b' has data_offsets \[4, 12\) overlapping/);
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([1], -4, 0) }, 4), 'w.safetensors'), /0 <= begin <= end/);
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([1], 4, 8) }, 8), 'w.safetensors'), /leaving a gap after byte 0/);
    // Two names for the same bytes: the reference's sort-then-contiguity check refuses it too.
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([1], 0, 4), b: f32([1], 0, 4) }, 4), 'w.safetensors'), /overlapping/);
  });

  it('refuses a byte range that does not match the shape and dtype', () => {
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([3], 0, 8) }, 8), 'w.safetensors'), /needs 12 bytes but its data_offsets \[0, 8\) hold 8/);
  });

  it('refuses data left over after the last tensor, and data missing', () => {
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([1], 0, 4) }, 8), 'w.safetensors'), /cover 4 bytes of data but the file holds 8/);
    rejectsWith(() => parseSafetensors(safetensorsWith({ a: f32([2], 0, 8) }, 4), 'w.safetensors'), /cover 8 bytes of data but the file holds 4/);
  });

  it('refuses a name given twice', () => {
    const text = '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}';
    rejectsWith(() => parseSafetensors(safetensorsWith(text, 8), 'w.safetensors'), /names tensor 'a' twice/);
    assert.equal(firstDuplicateKey('{"a":{"a":1,"b":"a:"},"b":["a","a"]}'), null);
  });

  it('refuses a header length beyond the file or beyond the format limit', () => {
    const big = Buffer.alloc(16);
    big.writeBigUInt64LE(2n ** 63n, 0);
    rejectsWith(() => parseSafetensors(big, 'w.safetensors'), /more than the format's limit/);
    big.writeBigUInt64LE(1000n, 0);
    rejectsWith(() => parseSafetensors(big, 'w.safetensors'), /claims 1000 bytes but the file has 16/);
  });
});

describe('TF.js model.json is checked before any shard is read', () => {
  before(async () => {
    await useBackend('cpu');
  });

  /** A copy of the gru_classic fixture whose model.json `edit` may change; returns its path. */
  function modelCopy(edit: (json: Record<string, any>) => unknown = (j) => j): string {
    const dir = join(tempDir(), 'model');
    mkdirSync(dir);
    const source = join(MODEL_FIXTURES, 'tfjs', 'gru_classic');
    copyFileSync(join(source, 'group1-shard1of1.bin'), join(dir, 'group1-shard1of1.bin'));
    const json = JSON.parse(readFileSync(join(source, 'model.json'), 'utf8'));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(edit(json)));
    return join(dir, 'model.json');
  }

  async function rejects(path: string, pattern: RegExp): Promise<void> {
    await assert.rejects(loadTfjsModel(path), (error: unknown) => {
      assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
      assert.ok(error.message.startsWith(`${path}: `), error.message);
      assert.match(error.message, pattern);
      return true;
    });
  }

  it('loads the untouched copy', async () => {
    const model = await loadTfjsModel(modelCopy());
    assert.equal(model.summary.outputUnits, 4);
    model.dispose();
  });

  it('refuses a model.json that is null', async () => {
    await rejects(modelCopy(() => null), /model\.json holds null/);
  });

  it('refuses a weightsManifest that is not a list, and paths that are null', async () => {
    await rejects(modelCopy((j) => ({ ...j, weightsManifest: { paths: [] } })), /weightsManifest must be a list of groups/);
    await rejects(modelCopy((j) => ({ ...j, weightsManifest: [{ ...j.weightsManifest[0], paths: null }] })), /weightsManifest\[0\]\.paths must be a non-empty list/);
    await rejects(modelCopy((j) => ({ ...j, weightsManifest: [{ ...j.weightsManifest[0], paths: [null] }] })), /paths must be a non-empty list/);
    await rejects(modelCopy((j) => ({ ...j, weightsManifest: [null] })), /weightsManifest\[0\] must be an object/);
  });

  it('refuses shard paths outside the model folder, by .. or by absolute path', async () => {
    for (const shard of ['../../../../etc/passwd', '/etc/passwd', '../model/../../x.bin']) {
      await rejects(modelCopy((j) => ({ ...j, weightsManifest: [{ ...j.weightsManifest[0], paths: [shard] }] })), /is outside the model's folder/);
    }
  });

  it('refuses a shard that is a symbolic link leading outside the folder', async () => {
    const path = modelCopy((j) => ({ ...j, weightsManifest: [{ ...j.weightsManifest[0], paths: ['link.bin'] }] }));
    const outside = join(tempDir(), 'secret.bin');
    writeFileSync(outside, Buffer.alloc(1776));
    symlinkSync(outside, join(path, '..', 'link.bin'));
    await rejects(path, /'link\.bin' is outside the model's folder/);
  });

  it('refuses a uint8-quantized manifest whose shard has the float32 byte count', async () => {
    const path = modelCopy((j) => {
      for (const w of j.weightsManifest[0].weights) w.quantization = { dtype: 'uint8', scale: 0.01, min: -1 };
      return j;
    });
    await rejects(path, /its weights need 444 bytes .* but its shards 'group1-shard1of1\.bin' hold 1776/);
  });

  it('refuses bad weight shapes, dtypes and quantizations', async () => {
    const edit = (change: (w: Record<string, unknown>) => void) => modelCopy((j) => {
      change(j.weightsManifest[0].weights[0]);
      return j;
    });
    await rejects(edit((w) => { w.shape = [-40, 5]; }), /shape \[-40,5\]: sizes must be non-negative integers/);
    await rejects(edit((w) => { w.dtype = 'string'; }), /dtype "string"/);
    await rejects(edit((w) => { w.quantization = { dtype: 'uint8' }; }), /without finite numbers for scale and min/);
    await rejects(edit((w) => { w.quantization = { dtype: 'int4' }; }), /quantized as "int4"/);
  });

  it('refuses a shard shorter than the manifest needs (it used to load zeros)', async () => {
    const path = modelCopy();
    writeFileSync(join(path, '..', 'group1-shard1of1.bin'), Buffer.alloc(100));
    await rejects(path, /need 1776 bytes .* hold 100/);
  });
});

describe('HDF5 files are checked for what the HDF5 library cannot survive', () => {
  const h5 = () => readFileSync(join(MODEL_FIXTURES, 'keras', 'gru_classic.h5'));

  /** The byte offsets of the object headers in the file's (one) global heap collection, in walk order. */
  function globalHeapObjects(bytes: Buffer): { collection: number; objects: { at: number; index: number }[] } {
    const collection = bytes.indexOf('GCOL');
    const end = collection + Number(bytes.readBigUInt64LE(collection + 8));
    const objects: { at: number; index: number }[] = [];
    for (let p = collection + 16; p + 16 <= end;) {
      const index = bytes.readUInt16LE(p);
      const size = Number(bytes.readBigUInt64LE(p + 8));
      objects.push({ at: p, index });
      p += index > 0 ? 16 + Math.ceil(size / 8) * 8 : size;
    }
    return { collection, objects };
  }

  async function refuses(bytes: Buffer, pattern: RegExp): Promise<void> {
    const path = tempFile('model.h5', bytes);
    await assert.rejects(loadKerasModel(path), (error: unknown) => {
      assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
      assert.ok(error.message.startsWith(`${path}: `), error.message);
      assert.match(error.message, pattern);
      return true;
    });
  }

  async function stillLoadsAValidFile(): Promise<void> {
    const model = await loadKerasModel(join(MODEL_FIXTURES, 'keras', 'gru_classic.h5'));
    assert.equal(model.summary.outputUnits, 4);
    model.dispose();
  }

  before(async () => {
    await useBackend('cpu');
  });

  it('finds the fixture\'s global heap sound: a valid file is never refused', () => {
    assert.equal(damagedGlobalHeap(h5()), null);
    assert.ok(globalHeapObjects(h5()).objects.length > 5);
  });

  // The library walks a collection with `p = begin + size` and never advances past a free-space
  // object of size 0: loading such a file used to spin forever inside WebAssembly.
  it('refuses a global heap whose free-space object claims 0 bytes, which the library loops on forever', async () => {
    const bytes = h5();
    const free = globalHeapObjects(bytes).objects.find((o) => o.index === 0)!;
    bytes.writeBigUInt64LE(0n, free.at + 8);
    assert.match(damagedGlobalHeap(bytes)!, /object at byte \d+ \(index 0\) claims 0 bytes, so the walk over the collection never advances/);
    await refuses(bytes, /not a readable HDF5 file: the global heap collection at byte \d+ is damaged/);
    await stillLoadsAValidFile();
  });

  it('refuses an object size that wraps the library\'s 32-bit size to 0', async () => {
    const bytes = h5();
    const second = globalHeapObjects(bytes).objects[1];
    bytes.writeBigUInt64LE(2n ** 32n - 16n, second.at + 8);
    await refuses(bytes, /claims \d+ bytes, so the walk over the collection never advances/);
  });

  it('refuses an object that runs past its collection, which made the library read and write outside it', async () => {
    const bytes = h5();
    const first = globalHeapObjects(bytes).objects[0];
    bytes.writeBigUInt64LE(1_000_000n, first.at + 8);
    await refuses(bytes, /claims 1000000 bytes, past the collection's end/);
    await stillLoadsAValidFile();
  });

  it('refuses a dataset that declares more values than the file can hold, before the library allocates them', async () => {
    // Chunked and resized: the unwritten chunks read as the fill value, 512 MB of it as float32.
    const bytes = await buildH5File((root) => {
      root.create_dataset({ name: 'small', data: Float32Array.of(1, 2, 3, 4), shape: [2, 2], dtype: '<f' });
      const big = root.create_dataset({ name: 'big', data: new Float32Array(1024), shape: [1, 1024], dtype: '<f', chunks: [1, 1024], maxshape: [null, 1024] });
      big.resize([2 ** 17, 1024]);
    });
    const read = (name: string) => withH5File(bytes, (root) => {
      const budget = ValueBudget.forFile(bytes.length);
      return datasetValues(root.get(name) as H5Dataset, budget);
    });
    assert.deepEqual([...(await read('small')).values], [1, 2, 3, 4]);
    await assert.rejects(read('big'), /dataset \/big declares 134,217,728 values \(shape \[131072, 1024\]\), more than the file can hold/);
  });

  it('starts a fresh HDF5 library after a trap inside it, so later files still read', async () => {
    const before = await loadH5wasm();
    const WasmRuntimeError = (globalThis as unknown as { WebAssembly: { RuntimeError: new (message: string) => Error } }).WebAssembly.RuntimeError;
    await assert.rejects(withH5File(h5(), () => { throw new WasmRuntimeError('memory access out of bounds'); }), /the HDF5 library failed on the file \(memory access out of bounds\); it is damaged/);
    assert.notEqual(await loadH5wasm(), before);
    await stillLoadsAValidFile();
  });
});
