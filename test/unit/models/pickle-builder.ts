// Hand-written pickles and .pt archives for the .pt reader's tests: each opcode by name, so a
// test can write exactly the hostile or malformed program it is about.
import { buildZip } from '../evaluation/archive-builders';

export class PickleWriter {
  private readonly parts: Buffer[] = [];

  private op(code: number, ...payload: Buffer[]): this {
    this.parts.push(Buffer.from([code]), ...payload);
    return this;
  }

  proto(version = 2): this { return this.op(0x80, Buffer.from([version])); }
  stop(): this { return this.op(0x2e); }
  mark(): this { return this.op(0x28); }
  none(): this { return this.op(0x4e); }
  bool(value: boolean): this { return this.op(value ? 0x88 : 0x89); }
  int(value: number): this {
    if (value >= 0 && value < 256) return this.op(0x4b, Buffer.from([value]));
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    return this.op(0x4a, b);
  }
  float(value: number): this {
    const b = Buffer.alloc(8);
    b.writeDoubleBE(value);
    return this.op(0x47, b);
  }
  string(text: string): this {
    const bytes = Buffer.from(text, 'utf8');
    const n = Buffer.alloc(4);
    n.writeUInt32LE(bytes.length);
    return this.op(0x58, n, bytes);
  }
  global(module: string, name: string): this { return this.op(0x63, Buffer.from(`${module}\n${name}\n`, 'utf8')); }
  /** INST: the protocol-0 opcode that names a class and instantiates it. */
  inst(module: string, name: string): this { return this.op(0x69, Buffer.from(`${module}\n${name}\n`, 'utf8')); }
  stackGlobal(): this { return this.op(0x93); }
  reduce(): this { return this.op(0x52); }
  newobj(): this { return this.op(0x81); }
  build(): this { return this.op(0x62); }
  tuple(): this { return this.op(0x74); }
  tuple1(): this { return this.op(0x85); }
  tuple2(): this { return this.op(0x86); }
  tuple3(): this { return this.op(0x87); }
  emptyTuple(): this { return this.op(0x29); }
  emptyList(): this { return this.op(0x5d); }
  emptyDict(): this { return this.op(0x7d); }
  append(): this { return this.op(0x61); }
  setitem(): this { return this.op(0x73); }
  setitems(): this { return this.op(0x75); }
  put(index: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(index);
    return this.op(0x72, b);
  }
  get(index: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(index);
    return this.op(0x6a, b);
  }
  persid(): this { return this.op(0x51); }
  raw(bytes: number[] | Buffer): this {
    this.parts.push(Buffer.from(bytes));
    return this;
  }

  /** `_rebuild_tensor_v2(('storage', torch.<cls>, key, 'cpu', numel), offset, size, stride, False, OrderedDict())`. */
  tensor(storageClass: string, key: string, numel: number, offset: number, size: number[], stride: number[]): this {
    this.global('torch._utils', '_rebuild_tensor_v2').mark();
    this.mark().string('storage').global('torch', storageClass).string(key).string('cpu').int(numel).tuple().persid();
    this.int(offset);
    this.mark();
    size.forEach((d) => this.int(d));
    this.tuple();
    this.mark();
    stride.forEach((d) => this.int(d));
    this.tuple();
    this.bool(false).global('collections', 'OrderedDict').emptyTuple().reduce();
    return this.tuple().reduce();
  }

  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A .pt archive as torch.save lays it out: `archive/data.pkl`, the storages, `archive/version`. */
export function ptArchive(pickle: Buffer, storages: Record<string, Buffer> = {}, extra: { name: string; data: Buffer }[] = []): Buffer {
  return buildZip([
    { name: 'archive/data.pkl', data: pickle, method: 0 },
    ...Object.entries(storages).map(([key, data]) => ({ name: `archive/data/${key}`, data, method: 0 as const })),
    { name: 'archive/version', data: Buffer.from('3\n'), method: 0 },
    ...extra.map((e) => ({ ...e, method: 0 as const })),
  ]).bytes;
}

export function float32Bytes(values: number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeFloatLE(v, i * 4));
  return out;
}
