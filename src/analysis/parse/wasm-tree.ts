// Reads tree-sitter's syntax tree straight from the wasm module's memory.
// Going through web-tree-sitter's cursor costs one call into wasm per property, each copying the
// cursor in and out of a transfer buffer: as much time as the parse itself. This walks tree-sitter's
// own structures (Subtree, SubtreeHeapData, TSLanguage) the way ts_tree_cursor does. Their layout is
// private to tree-sitter, so the versions are pinned exactly in package.json and a self-check at
// start-up (see cst.ts) compares this reader with the cursor walk, falling back to the cursor if
// anything differs.
import type { Language, Tree } from 'web-tree-sitter';
import type { FlatTree } from './cst';
import { NONE } from './cst';

/** The parts of the emscripten module this reader needs: its memory views, refreshed when memory grows. */
export interface WasmHeap {
  HEAPU8?: Uint8Array;
  HEAPU16?: Uint16Array;
  HEAPU32?: Uint32Array;
}

/** tree-sitter 0.25 (language ABI 15) on wasm32: offsets inside its structs. */
const LAYOUT = {
  tree: { language: 8 },
  heap: { paddingBytes: 4, sizeBytes: 16, childCount: 36, symbol: 40, flags: 44, productionId: 66 },
  language: {
    abiVersion: 0, symbolCount: 4, aliasCount: 8, fieldCount: 32, maxAliasSequenceLength: 36,
    fieldMapSlices: 64, fieldMapEntries: 68, publicSymbolMap: 76, aliasSequences: 84,
  },
  subtreeSize: 8,
} as const;

const ERROR_SYMBOL = 0xffff;

interface LanguageTables {
  fieldCount: number;
  maxAliasLength: number;
  fieldMapSlices: number;
  fieldMapEntries: number;
  publicSymbolMap: number;
  aliasSequences: number;
}

function handle(object: Tree | Language): number {
  return (object as unknown as { 0: number })[0];
}

/** One child slot read from memory: a Subtree is either inline data or a pointer to heap data. */
interface Slot {
  symbol: number;
  visible: boolean;
  extra: boolean;
  missing: boolean;
  padding: number;
  size: number;
  childCount: number;
  /** Address of the heap data (children sit just before it); 0 for an inline leaf. */
  heap: number;
}

/** A subtree whose children are being read. */
interface Frame {
  heap: number;
  childCount: number;
  childIndex: number;
  structuralIndex: number;
  /** Byte offset before the padding of the next child. */
  before: number;
  aliasBase: number;
  fieldStart: number;
  fieldEnd: number;
  /** The nearest visible ancestor's copy (children are appended there); NONE at the module level. */
  target: number;
  /** For a hidden subtree: the field its visible descendants inherit (ts_tree_cursor_current_field_id). */
  inheritedField: number;
  hidden: boolean;
}

/** A top-level statement found in memory, ready to be copied. */
export interface MemoryTop {
  startIndex: number;
  endIndex: number;
  copy(): FlatTree;
}

export class WasmTreeReader {
  private u8!: Uint8Array;
  private u16!: Uint16Array;
  private u32!: Uint32Array;
  private lang!: LanguageTables;
  /** The walk's stack of frames, kept from one walk to the next (walks never overlap). */
  private readonly frames: Frame[] = [];
  private readonly languages = new WeakMap<Language, LanguageTables>();

  constructor(private readonly heap: WasmHeap) {}

  /** True if the module exposes its memory and the language looks like the layout this reader knows. */
  supports(language: Language): boolean {
    if (!this.refresh()) return false;
    const lang = this.tablesOf(language);
    const address = handle(language);
    const u32 = (offset: number) => this.u32[(address + offset) >> 2];
    return u32(LAYOUT.language.abiVersion) === language.abiVersion
      && u32(LAYOUT.language.symbolCount) + u32(LAYOUT.language.aliasCount) === language.nodeTypeCount
      && lang.fieldCount === language.fieldCount;
  }

  private refresh(): boolean {
    const { HEAPU8, HEAPU16, HEAPU32 } = this.heap;
    if (!HEAPU8 || !HEAPU16 || !HEAPU32) return false;
    this.u8 = HEAPU8;
    this.u16 = HEAPU16;
    this.u32 = HEAPU32;
    return true;
  }

  private tablesOf(language: Language): LanguageTables {
    let tables = this.languages.get(language);
    if (!tables) {
      const base = handle(language);
      const u32 = (offset: number) => this.u32[(base + offset) >> 2];
      const L = LAYOUT.language;
      tables = {
        fieldCount: u32(L.fieldCount),
        maxAliasLength: this.u16[(base + L.maxAliasSequenceLength) >> 1],
        fieldMapSlices: u32(L.fieldMapSlices),
        fieldMapEntries: u32(L.fieldMapEntries),
        publicSymbolMap: u32(L.publicSymbolMap),
        aliasSequences: u32(L.aliasSequences),
      };
      this.languages.set(language, tables);
    }
    return tables;
  }

  private read(address: number, out: Slot): Slot {
    const u8 = this.u8;
    const flags = u8[address];
    if (flags & 1) {
      // Inline leaf: bit 0 is_inline, then visible, named, extra, has_changes, is_missing, is_keyword.
      out.symbol = u8[address + 1];
      out.visible = (flags & 2) !== 0;
      out.extra = (flags & 8) !== 0;
      out.missing = (flags & 32) !== 0;
      out.padding = u8[address + 6];
      out.size = u8[address + 7];
      out.childCount = 0;
      out.heap = 0;
      return out;
    }
    const heap = this.u32[address >> 2];
    const H = LAYOUT.heap;
    const bits = this.u16[(heap + H.flags) >> 1];
    out.symbol = this.u16[(heap + H.symbol) >> 1];
    out.visible = (bits & 1) !== 0;
    out.extra = (bits & 4) !== 0;
    out.missing = (bits & 512) !== 0;
    out.padding = this.u32[(heap + H.paddingBytes) >> 2];
    out.size = this.u32[(heap + H.sizeBytes) >> 2];
    out.childCount = this.u32[(heap + H.childCount) >> 2];
    out.heap = heap;
    return out;
  }

  private publicSymbol(symbol: number): number {
    return symbol === ERROR_SYMBOL ? symbol : this.u16[(this.lang.publicSymbolMap >> 1) + symbol];
  }

  private fieldAt(frame: Frame, structuralIndex: number): number {
    for (let entry = frame.fieldStart; entry < frame.fieldEnd; entry += 4) {
      if (this.u8[entry + 2] === structuralIndex && this.u8[entry + 3] === 0) return this.u16[entry >> 1];
    }
    return 0;
  }

  /** Sets `frame` (a new one if not given) to read `slot`'s children. */
  private frame(slot: Slot, before: number, target: number, hidden: boolean, inheritedField: number, frame?: Frame): Frame {
    const productionId = this.u16[(slot.heap + LAYOUT.heap.productionId) >> 1];
    const lang = this.lang;
    let fieldStart = 0;
    let fieldEnd = 0;
    if (lang.fieldCount > 0) {
      const slice = lang.fieldMapSlices + 4 * productionId;
      fieldStart = lang.fieldMapEntries + 4 * this.u16[slice >> 1];
      fieldEnd = fieldStart + 4 * this.u16[(slice + 2) >> 1];
    }
    const aliasBase = productionId && lang.aliasSequences ? lang.aliasSequences + 2 * productionId * lang.maxAliasLength : 0;
    if (!frame) return { heap: slot.heap, childCount: slot.childCount, childIndex: 0, structuralIndex: 0, before, aliasBase, fieldStart, fieldEnd, target, inheritedField, hidden };
    frame.heap = slot.heap;
    frame.childCount = slot.childCount;
    frame.childIndex = 0;
    frame.structuralIndex = 0;
    frame.before = before;
    frame.aliasBase = aliasBase;
    frame.fieldStart = fieldStart;
    frame.fieldEnd = fieldEnd;
    frame.target = target;
    frame.inheritedField = inheritedField;
    frame.hidden = hidden;
    return frame;
  }

  /**
   * The module's visible top-level nodes. `copy` must be called before the tree changes; the
   * memory views are re-read at each call (a parse may have grown the memory).
   */
  topLevel(tree: Tree, flat: FlatTree): MemoryTop[] {
    if (!this.refresh()) throw new Error('wasm memory is not reachable');
    const treeAddress = handle(tree);
    this.lang = this.tablesOf(tree.language);
    const root = this.read(treeAddress, blankSlot());
    const tops: MemoryTop[] = [];
    if (root.childCount === 0) return tops;
    this.walk(this.frame(root, 0, NONE, false, 0), flat, (slot, before, typeId, field) => {
      const startIndex = (before + slot.padding) >> 1;
      const endIndex = (before + slot.padding + slot.size) >> 1;
      const heap = slot.heap;
      const saved = { ...slot };
      tops.push({
        startIndex,
        endIndex,
        copy: () => {
          this.refresh();
          this.lang = this.tablesOf(tree.language);
          return this.copySubtree(saved, before, typeId, field, flat, heap);
        },
      });
    });
    return tops;
  }

  /** Appends the node in `slot` to the flat tree, under `parent`. */
  private node(slot: Slot, before: number, typeId: number, fieldId: number, flat: FlatTree, parent: number): number {
    const startIndex = (before + slot.padding) >> 1;
    const endIndex = (before + slot.padding + slot.size) >> 1;
    return flat.add(parent, typeId, fieldId, startIndex, endIndex, slot.missing);
  }

  private copySubtree(slot: Slot, before: number, typeId: number, fieldId: number, flat: FlatTree, heap: number): FlatTree {
    const root = this.node(slot, before, typeId, fieldId, flat.clear(), NONE);
    if (heap === 0 || slot.childCount === 0 || flat.tables.leaf[typeId] === true) return flat;
    this.walk(this.frame(slot, before, root, false, 0), flat);
    return flat;
  }

  /**
   * Visits the frames' descendants in document order, as ts_tree_cursor does: hidden subtrees are
   * walked through, aliases rename and reveal, fields come from the parent's production (or a hidden
   * ancestor's). With `atTop`, the module's visible children are handed over instead of copied.
   */
  private walk(first: Frame, flat: FlatTree, atTop?: (slot: Slot, before: number, typeId: number, fieldId: number) => void): void {
    const slot = blankSlot();
    const tables = flat.tables;
    // A stack of frames reused from one subtree (and one walk) to the next: only its depth grows.
    const frames = this.frames;
    frames[0] = first;
    let depth = 1;
    const push = (before: number, target: number, hidden: boolean, inheritedField: number) => {
      frames[depth] = this.frame(slot, before, target, hidden, inheritedField, frames[depth]);
      depth++;
    };
    while (depth > 0) {
      const frame = frames[depth - 1];
      if (frame.childIndex === frame.childCount) {
        depth--;
        continue;
      }
      const address = frame.heap - LAYOUT.subtreeSize * (frame.childCount - frame.childIndex);
      frame.childIndex++;
      this.read(address, slot);
      const before = frame.before;
      frame.before += slot.padding + slot.size;
      let alias = 0;
      let fieldId = 0;
      if (!slot.extra) {
        if (frame.aliasBase) alias = this.u16[(frame.aliasBase >> 1) + frame.structuralIndex];
        fieldId = this.fieldAt(frame, frame.structuralIndex) || (frame.hidden ? frame.inheritedField : 0);
        frame.structuralIndex++;
      }
      if (slot.visible || alias) {
        const typeId = this.publicSymbol(alias || slot.symbol);
        if (atTop && frame.target === NONE) {
          atTop(slot, before, typeId, fieldId);
          continue;
        }
        const parent = frame.target;
        const parentType = flat.typeIds[parent];
        if (tables.named[typeId] === false && tables.keepsTokens[parentType] !== true) continue;
        const node = this.node(slot, before, typeId, tables.noFields[parentType] === true ? 0 : fieldId, flat, parent);
        if (slot.childCount > 0 && tables.leaf[typeId] !== true) push(before, node, false, 0);
      } else if (slot.childCount > 0) {
        // Hidden: its children belong to the visible parent; a field on it passes to them.
        push(before, frame.target, true, slot.extra ? 0 : fieldId);
      }
    }
  }
}

function blankSlot(): Slot {
  return { symbol: 0, visible: false, extra: false, missing: false, padding: 0, size: 0, childCount: 0, heap: 0 };
}
