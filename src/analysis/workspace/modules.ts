// Parsed workspace modules, kept by path and content: a folder check parses config.py once, not once per
// file that imports it. Each parsed module's positions are registered as belonging to its file, so that
// what the analysis of another file meets there (a finding, a hover, a related location) is placed in
// the right file, or left to that file's own analysis.
import type { Position, Range } from '../findings';
import type { Module } from '../parse/ast';

export interface ForeignFile {
  path: string;
  source: string;
  lineStarts: number[];
}

export interface ParsedModule {
  file: ForeignFile;
  module: Module;
}

const fileOfPosition = new WeakMap<Position, ForeignFile>();
/** Whether any module was registered yet: until then every range is the analysed file's (asked very often). */
let anyRegistered = false;

/** The workspace file (other than the analysed one) a range lies in; undefined for the analysed file. */
export function foreignFileOf(range: Range): ForeignFile | undefined {
  return anyRegistered ? fileOfPosition.get(range.start) : undefined;
}

/** Every position object in a lowered module, registered as the file's. Walks each object once. */
function register(module: Module, file: ForeignFile): void {
  anyRegistered = true;
  const seen = new Set<object>();
  const stack: unknown[] = [module.body];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
      continue;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.line === 'number' && typeof record.column === 'number' && Object.keys(record).length === 2) {
      fileOfPosition.set(value as Position, file);
      continue;
    }
    for (const key in record) stack.push(record[key]);
  }
}

function lineStartsOf(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Parsed modules kept between analyses, by path; a module is parsed again only when its text changed. */
export class ParsedModules {
  private readonly byPath = new Map<string, ParsedModule>();

  /** `parse` must lower afresh (no statement shared with another parse): positions identify the file. */
  constructor(private readonly parse: (source: string) => Module, private readonly capacity = 256) {}

  get(path: string, source: string): ParsedModule {
    const hit = this.byPath.get(path);
    if (hit && hit.file.source === source) {
      // Most recently used last, so the oldest is the one dropped.
      this.byPath.delete(path);
      this.byPath.set(path, hit);
      return hit;
    }
    const file: ForeignFile = { path, source, lineStarts: lineStartsOf(source) };
    this.parses++;
    const parsed: ParsedModule = { file, module: this.parse(source) };
    register(parsed.module, file);
    this.byPath.delete(path);
    this.byPath.set(path, parsed);
    if (this.byPath.size > this.capacity) this.byPath.delete(this.byPath.keys().next().value!);
    return parsed;
  }

  /** How many parses were done (for tests: a module imported by many files is parsed once). */
  parses = 0;
}
