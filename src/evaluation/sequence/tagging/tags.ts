// Tags as seqeval reads them. A tagged corpus holds few distinct tag strings, so each is parsed
// once into its prefix and entity type, and the scans below work on small integer ids.

/** The first code point of a tag and the rest, as Python's `chunk[0]` and `chunk[1:]` split it. */
export function splitFirstCodePoint(tag: string): [string, string] {
  const first = tag.codePointAt(0)!;
  const width = first > 0xffff ? 2 : 1;
  return [tag.slice(0, width), tag.slice(width)];
}

/**
 * Default mode (conlleval-compatible): `tag = chunk[0]`, `type = chunk[1:].split('-', 1)[-1] or '_'`.
 * So `B-PER` is (B, PER), `BPER` is (B, PER), `B-PER-X` is (B, PER-X) and a bare `O` or `I` has type `_`.
 */
export function defaultPrefixAndType(tag: string): [string, string] {
  const [prefix, rest] = splitFirstCodePoint(tag);
  const dash = rest.indexOf('-');
  const type = dash >= 0 ? rest.slice(dash + 1) : rest;
  return [prefix, type === '' ? '_' : type];
}

/** Strict mode: `prefix = token[0]`, `tag = token[1:].strip('-') or '_'`. */
export function strictPrefixAndType(tag: string): [string, string] {
  const [prefix, rest] = splitFirstCodePoint(tag);
  let start = 0;
  let end = rest.length;
  while (start < end && rest.charCodeAt(start) === 45) start++;
  while (end > start && rest.charCodeAt(end - 1) === 45) end--;
  const type = rest.slice(start, end);
  return [prefix, type === '' ? '_' : type];
}

/** Interns strings to dense ids. */
export class Interner {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  get size(): number {
    return this.names.length;
  }
}
