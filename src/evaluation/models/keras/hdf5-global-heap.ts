// A check of the HDF5 global heap collections, made on the file's bytes before the HDF5 library
// sees them. The library (2.0, as h5wasm builds it) walks a collection's objects with
// `p = begin + need`, where `need` comes from the object's own size field and is 0 for a free-space
// object of size 0: on such a file it loops forever, in WebAssembly, where nothing can interrupt
// it. Keras 2 `.h5` files keep their model config and layer names as variable-length strings in
// a global heap, so one damaged byte there hung the whole load.
//
// The walk is redone here the way the library does it (sizes decoded into a 32-bit size_t, objects
// after the first padded to 8 bytes, a tail too short for an object header taken as free space),
// and a collection whose objects do not tile it exactly is refused: a valid file always tiles
// (the library asserts it in debug builds), so no real file is refused.

const SIGNATURE = Buffer.from('GCOL', 'latin1');
const SUPERBLOCK_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);
const VERSION = 1;
const TWO_TO_32 = 2 ** 32;

/** The size of a "length" field in this file (2, 4, 8 or 16 bytes), from its superblock; 8 when unknown. */
export function lengthFieldSize(bytes: Uint8Array): number {
  // The superblock sits at 0, 512, 1024, 2048, … (after a user block).
  for (let at = 0; at + 16 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (!SUPERBLOCK_SIGNATURE.every((b, i) => bytes[at + i] === b)) continue;
    const version = bytes[at + 8];
    const size = version <= 1 ? bytes[at + 14] : bytes[at + 10];
    return [2, 4, 8, 16].includes(size) ? size : 8;
  }
  return 8;
}

/** The low 32 bits of a little-endian field of `width` bytes, as the library's size_t holds it. */
function sizeT(bytes: Uint8Array, at: number, width: number): number {
  let value = 0;
  for (let i = Math.min(width, 4) - 1; i >= 0; i--) value = value * 256 + bytes[at + i];
  return value;
}

/**
 * The first global heap collection the HDF5 library would loop on or overrun, described for the
 * user, or null when every collection in the file is sound.
 */
export function damagedGlobalHeap(bytes: Uint8Array): string | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthSize = lengthFieldSize(bytes);
  const headerSize = 8 + lengthSize;
  const objectHeaderSize = 8 + lengthSize;
  for (let at = buffer.indexOf(SIGNATURE); at >= 0; at = buffer.indexOf(SIGNATURE, at + 1)) {
    if (at + headerSize > bytes.length || bytes[at + 4] !== VERSION) continue;
    const size = sizeT(bytes, at + 8, lengthSize);
    // The library reads the whole collection first; one that runs past the file fails there, cleanly.
    if (size < headerSize || at + size > bytes.length) continue;
    const end = at + size;
    let p = at + headerSize;
    while (p < end) {
      if (p + objectHeaderSize > end) break;
      const index = bytes[p] | (bytes[p + 1] << 8);
      const objectSize = sizeT(bytes, p + 8, lengthSize);
      const need = (index > 0 ? objectHeaderSize + Math.floor(((objectSize + 7) % TWO_TO_32) / 8) * 8 : objectSize) % TWO_TO_32;
      if (need === 0 || p + need > end) {
        return `the global heap collection at byte ${at} is damaged: its object at byte ${p} (index ${index}) claims ${objectSize} bytes, ${need === 0 ? 'so the walk over the collection never advances' : `past the collection's end at byte ${end}`}`;
      }
      p += need;
    }
  }
  return null;
}
