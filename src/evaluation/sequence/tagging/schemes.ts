// The tagging schemes of seqeval 1.2.2's strict mode (seqeval.scheme), as tables. Each pattern is
// (previous prefixes, current prefixes, type condition): a token starts an entity, continues it,
// or shows that the previous token ended it when any of its scheme's patterns matches.
export const P_I = 1;
export const P_O = 2;
export const P_B = 4;
export const P_E = 8;
export const P_S = 16;
export const P_U = 32;
export const P_L = 64;
const ANY = P_I | P_O | P_B | P_E | P_S | P_U | P_L;

export const PREFIX_BITS: Record<string, number> = { I: P_I, O: P_O, B: P_B, E: P_E, S: P_S, U: P_U, L: P_L };

export type TypeCondition = 'same' | 'diff' | 'any';
export type Pattern = readonly [prev: number, current: number, type: TypeCondition];

export interface Scheme {
  name: SchemeName;
  allowed: number;
  start: readonly Pattern[];
  inside: readonly Pattern[];
  end: readonly Pattern[];
}

export const SCHEME_NAMES = ['IOB1', 'IOB2', 'IOE1', 'IOE2', 'IOBES', 'BILOU'] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

export const SCHEMES: Record<SchemeName, Scheme> = {
  IOB1: {
    name: 'IOB1',
    allowed: P_I | P_O | P_B,
    start: [[P_O, P_I, 'any'], [P_I, P_I, 'diff'], [P_B, P_I, 'any'], [P_I, P_B, 'same'], [P_B, P_B, 'same']],
    inside: [[P_B, P_I, 'same'], [P_I, P_I, 'same']],
    end: [[P_I, P_I, 'diff'], [P_I, P_O, 'any'], [P_I, P_B, 'any'], [P_B, P_O, 'any'], [P_B, P_I, 'diff'], [P_B, P_B, 'same']],
  },
  IOE1: {
    name: 'IOE1',
    allowed: P_I | P_O | P_E,
    start: [[P_O, P_I, 'any'], [P_I, P_I, 'diff'], [P_E, P_I, 'any'], [P_E, P_E, 'same']],
    inside: [[P_I, P_I, 'same'], [P_I, P_E, 'same']],
    end: [[P_I, P_I, 'diff'], [P_I, P_O, 'any'], [P_I, P_E, 'diff'], [P_E, P_I, 'same'], [P_E, P_E, 'same']],
  },
  IOB2: {
    name: 'IOB2',
    allowed: P_I | P_O | P_B,
    start: [[ANY, P_B, 'any']],
    inside: [[P_B, P_I, 'same'], [P_I, P_I, 'same']],
    end: [[P_I, P_O, 'any'], [P_I, P_I, 'diff'], [P_I, P_B, 'any'], [P_B, P_O, 'any'], [P_B, P_I, 'diff'], [P_B, P_B, 'any']],
  },
  IOE2: {
    name: 'IOE2',
    allowed: P_I | P_O | P_E,
    start: [[P_O, P_I, 'any'], [P_O, P_E, 'any'], [P_E, P_I, 'any'], [P_E, P_E, 'any'], [P_I, P_I, 'diff'], [P_I, P_E, 'diff']],
    inside: [[P_I, P_E, 'same'], [P_I, P_I, 'same']],
    end: [[P_E, ANY, 'any']],
  },
  IOBES: {
    name: 'IOBES',
    allowed: P_I | P_O | P_B | P_E | P_S,
    start: [[ANY, P_B, 'any'], [ANY, P_S, 'any']],
    inside: [[P_B, P_I, 'same'], [P_B, P_E, 'same'], [P_I, P_I, 'same'], [P_I, P_E, 'same']],
    end: [[P_S, ANY, 'any'], [P_E, ANY, 'any']],
  },
  BILOU: {
    name: 'BILOU',
    allowed: P_B | P_I | P_L | P_O | P_U,
    start: [[ANY, P_B, 'any'], [ANY, P_U, 'any']],
    inside: [[P_B, P_I, 'same'], [P_B, P_L, 'same'], [P_I, P_I, 'same'], [P_I, P_L, 'same']],
    end: [[P_U, ANY, 'any'], [P_L, ANY, 'any']],
  },
};

/** `--scheme` spellings: the scheme names, plus IOE for IOE2 and BIO for IOB2. */
export function parseSchemeName(text: string): SchemeName | null {
  const upper = text.trim().toUpperCase();
  if ((SCHEME_NAMES as readonly string[]).includes(upper)) return upper as SchemeName;
  if (upper === 'IOE') return 'IOE2';
  if (upper === 'BIO') return 'IOB2';
  if (upper === 'BIOES') return 'IOBES';
  return null;
}

/** seqeval's `auto_detect`: the scheme whose prefix sets include exactly the gold tags' prefixes. */
export function autoDetectScheme(prefixes: number): SchemeName | null {
  const sets = (...list: string[][]) => list.map((letters) => letters.reduce((m, l) => m | PREFIX_BITS[l], 0));
  const candidates: [SchemeName, number[]][] = [
    ['IOB2', sets(['I', 'O', 'B'], ['I', 'B'], ['B', 'O'], ['B'])],
    ['IOE2', sets(['I', 'O', 'E'], ['I', 'E'], ['E', 'O'], ['E'])],
    ['IOBES', sets(['I', 'O', 'B', 'E', 'S'], ['I', 'B', 'E', 'S'], ['I', 'O', 'B', 'E'], ['O', 'B', 'E', 'S'], ['I', 'B', 'E'], ['B', 'E', 'S'], ['O', 'B', 'E'], ['B', 'E'], ['S'])],
    ['BILOU', sets(['I', 'O', 'B', 'L', 'U'], ['I', 'B', 'L', 'U'], ['I', 'O', 'B', 'L'], ['O', 'B', 'L', 'U'], ['I', 'B', 'L'], ['B', 'L', 'U'], ['O', 'B', 'L'], ['B', 'L'], ['U'])],
  ];
  for (const [name, allowed] of candidates) if (allowed.includes(prefixes)) return name;
  return null;
}
