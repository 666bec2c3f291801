// HDF5 through h5wasm: the HDF5 C library compiled to WebAssembly. Chosen over jsfive (pure
// JavaScript) because it reads every layout Keras and h5py write (chunked, compressed, variable-
// length string attributes) and because it also writes HDF5, which the Keras fixtures need: they
// are written and read with the same library. Its self-contained browser build is used, run in
// an in-memory file system, so that it needs no native code, no temporary files, and no ESM
// loader (h5wasm ships only ES modules; this program is CommonJS).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInThisContext } from 'node:vm';
import { damagedGlobalHeap } from './hdf5-global-heap';

// The part of h5wasm's API used here. Its own typings declare emscripten globals that clash with
// web-tree-sitter's, so they are not imported.
export interface H5Attribute {
  value: unknown;
}
interface H5Entity {
  path: string;
  attrs: Record<string, H5Attribute>;
  create_attribute(name: string, data: unknown, shape?: number[] | null, dtype?: string | null): void;
}
export interface H5Dataset extends H5Entity {
  shape: number[] | null;
  dtype: unknown;
  value: unknown;
  slice(ranges: unknown[]): unknown;
  resize(shape: number[]): void;
}
export interface H5Group extends H5Entity {
  keys(): string[];
  get(name: string): H5Group | H5Dataset | null;
  create_group(name: string): H5Group;
  create_dataset(args: { name: string; data: unknown; shape?: number[] | null; dtype?: string | null; chunks?: number[] | null; maxshape?: (number | null)[] | null }): H5Dataset;
}
interface H5File extends H5Group {
  close(): number;
}
export interface H5Module {
  ready: Promise<unknown>;
  File: new (name: string, mode: 'r' | 'w') => H5File;
  FS: { writeFile(name: string, data: Uint8Array): void; readFile(name: string): Uint8Array; unlink(name: string): void } | null;
}

let loading: Promise<H5Module> | null = null;

/**
 * What the HDF5 C library prints: its error stack ("HDF5-DIAG: Error detected in …", 30 to 45
 * lines per failure) goes here instead of the user's terminal, and only its innermost cause is
 * reported, in one line. The library reaches the console through Emscripten's print functions,
 * bound when the module starts, so the script is run with this console in scope.
 */
const diagnostics: string[] = [];
const MAX_DIAGNOSTIC_LINES = 400;
function capture(...parts: unknown[]): void {
  if (diagnostics.length < MAX_DIAGNOSTIC_LINES) diagnostics.push(parts.map(String).join(' '));
}
const quietConsole = { log: capture, error: capture, warn: capture, info: capture, debug: capture };

/** The innermost cause of the first error stack printed since the last call, e.g. "truncated file: eof = 2000, …". */
export function takeHdf5Cause(): string | null {
  const lines = diagnostics.splice(0);
  let cause: string | null = null;
  let inFirstStack = false;
  for (const line of lines) {
    if (/HDF5-DIAG: Error detected/.test(line)) {
      if (inFirstStack) break;
      inFirstStack = true;
      continue;
    }
    const frame = /#\d+: .* in [\w.]+\(\): (.*)$/.exec(line);
    if (inFirstStack && frame) cause = frame[1].trim();
  }
  return cause;
}
let counter = 0;

/** The h5wasm browser build: beside the bundle (dist/), else in node_modules. */
function scriptPath(): string {
  const beside = join(__dirname, 'h5wasm.js');
  if (existsSync(beside)) return beside;
  for (const folder of require.resolve.paths('h5wasm') ?? []) {
    const candidate = join(folder, 'h5wasm', 'dist', 'iife', 'h5wasm.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('the HDF5 reader (h5wasm) was not found next to the program or in node_modules');
}

export function loadH5wasm(): Promise<H5Module> {
  loading ??= (async () => {
    const path = scriptPath();
    const wrapped = runInThisContext(`(function (console) {${readFileSync(path, 'utf8')}\n;return h5wasm;\n})`, { filename: path }) as (console: unknown) => H5Module;
    const module = wrapped(quietConsole);
    await module.ready;
    return module;
  })();
  return loading;
}

/**
 * A trap inside the library (an out-of-bounds access or an abort on a damaged file). The C code
 * stopped midway: its stack pointer, open identifiers and caches are left as they were, so every
 * later call into that instance fails or misbehaves, valid files included.
 */
function isWasmFault(error: unknown): boolean {
  return error instanceof Error && (error.name === 'RuntimeError' || /^Aborted\(/.test(error.message));
}

/** Opens HDF5 bytes read-only, hands the root group to `read`, and frees everything after. */
export async function withH5File<T>(bytes: Uint8Array, read: (root: H5File) => T): Promise<T> {
  const damage = damagedGlobalHeap(bytes);
  if (damage !== null) throw new Error(`not a readable HDF5 file: ${damage}`);
  const instance = loadH5wasm();
  const h5 = await instance;
  const name = `/seqlens-read-${process.pid}-${counter++}.h5`;
  h5.FS!.writeFile(name, bytes);
  let file: H5File | null = null;
  let faulted = false;
  takeHdf5Cause();
  try {
    try {
      file = new h5.File(name, 'r');
    } catch (error) {
      faulted = isWasmFault(error);
      throw new Error(`not a readable HDF5 file: ${takeHdf5Cause() ?? (error as Error).message}`);
    }
    try {
      return read(file);
    } catch (error) {
      faulted = isWasmFault(error);
      const cause = takeHdf5Cause();
      if (faulted) throw new Error(`the HDF5 library failed on the file (${cause ?? (error as Error).message}); it is damaged`);
      if (cause === null || (error as Error).name === 'InputError') throw error;
      throw new Error(`the HDF5 library could not read the file: ${cause}`);
    }
  } finally {
    if (faulted) {
      // The instance is left to the garbage collector; the next file gets a fresh one.
      if (loading === instance) loading = null;
    } else {
      try {
        file?.close();
      } finally {
        h5.FS!.unlink(name);
      }
    }
    takeHdf5Cause();
  }
}

/** Builds an HDF5 file in memory with `write` and returns its bytes. */
export async function buildH5File(write: (root: H5File) => void): Promise<Uint8Array> {
  const h5 = await loadH5wasm();
  const name = `/seqlens-write-${process.pid}-${counter++}.h5`;
  const file = new h5.File(name, 'w');
  try {
    write(file);
  } finally {
    file.close();
  }
  const bytes = h5.FS!.readFile(name) as Uint8Array;
  h5.FS!.unlink(name);
  return bytes;
}

export function isGroup(entity: unknown): entity is H5Group {
  return entity !== null && typeof entity === 'object' && typeof (entity as H5Group).keys === 'function' && typeof (entity as H5Group).create_group === 'function';
}

export function isDataset(entity: unknown): entity is H5Dataset {
  return entity !== null && typeof entity === 'object' && 'shape' in (entity as object) && typeof (entity as H5Dataset).slice === 'function';
}

/** The fewest values a file's datasets may hold together, whatever its size (256 MB as float32). */
const MIN_VALUE_BUDGET = 64 * 2 ** 20;

/**
 * The values one file's datasets may hold together, counted before each is read: a chunked
 * dataset can declare far more values than its file stores (unwritten chunks read as the fill
 * value), and the library would allocate them all in its WebAssembly memory, then copy them out.
 * Half a value per byte of file covers float32 and float16 weights stored as they are.
 */
export class ValueBudget {
  private constructor(private remaining: number) {}

  static forFile(fileBytes: number): ValueBudget {
    return new ValueBudget(Math.max(MIN_VALUE_BUDGET, Math.floor(fileBytes / 2)));
  }

  take(dataset: H5Dataset, count: number): void {
    if (count > this.remaining) {
      throw new Error(`dataset ${dataset.path} declares ${count.toLocaleString('en-US')} values (shape [${(dataset.shape ?? []).join(', ')}]), more than the file can hold with the datasets before it`);
    }
    this.remaining -= count;
  }
}

/** A dataset as float32 values with its shape, its size taken from `budget` before it is read. */
export function datasetValues(dataset: H5Dataset, budget: ValueBudget): { shape: number[]; values: Float32Array } {
  const shape = dataset.shape ?? [];
  budget.take(dataset, shape.reduce((a, b) => a * b, 1));
  const value = dataset.value;
  if (value instanceof Float32Array) return { shape, values: value };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return { shape, values: Float32Array.from(value as unknown as ArrayLike<number>, Number) };
  }
  if (typeof value === 'number') return { shape, values: Float32Array.of(value) };
  throw new Error(`dataset ${dataset.path} does not hold numbers`);
}

/** An attribute as text (Keras stores JSON configs and name lists as strings or bytes). */
export function attributeText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  return String(value);
}

export function attributeList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(attributeText);
  if (value === null || value === undefined) return [];
  return [attributeText(value)];
}
