// argparse given a command line the program writes itself (`parser.parse_args(['--emsize', '64'])`, as notebooks and
// rebuilt runs do): each option it names takes the value argparse would store, converted by its `type`, and every
// other key keeps its default. Only the plain forms are read: an option named exactly by one of its flags, given as
// `--name value` or `--name=value`, with the default action (one value) or store_true/store_false, and positionals
// of one value each (`add_argument('path')`), which take the tokens no option takes, in the order they were added,
// as argparse does when every positional takes exactly one. Anything else argparse would have to interpret further
// (nargs, other actions, abbreviations, combined short flags, `--`, a positional token that starts with `-`, more
// or fewer positional tokens than positionals, a value not among the choices, a value it cannot convert) leaves the
// whole command line unread, so every key is unknown, as before. A `type` the analysis cannot run (a lambda, a
// function of the program's) changes only what that option stores: its value is unknown, and the other tokens are
// read as argparse reads them, since it splits the command line before it converts any value.
import { UNKNOWN, Value } from '../values/value';

/** What one add_argument call accepts on a command line, as far as the analysis reads it. */
export interface ArgumentSpec {
  dest: string;
  /** The option strings (`--lr`, `-l`); empty for a positional. */
  flags: string[];
  /** `value`: the default action, one value; `true`/`false`: store_true/store_false; `other`: anything else. */
  takes: 'value' | 'true' | 'false' | 'other';
  /** How the stored value is made from the command-line string. */
  convert: 'str' | 'int' | 'float' | 'bool' | 'unknown';
  /** The values `choices=` allows, when written out; undefined when any value passes. */
  choices?: (string | number)[];
}

/** The arguments added to each parser (keyed by the parser's own value, which add_argument changes in place). */
const SPECS = new WeakMap<object, ArgumentSpec[]>();

export function recordArgument(parser: object, spec: ArgumentSpec): void {
  const specs = SPECS.get(parser) ?? [];
  specs.push(spec);
  SPECS.set(parser, specs);
}

/** A parser whose arguments the analysis did not all see (a `parents=` parser, `*args`) must not be read. */
export function forgetArguments(parser: object): void {
  SPECS.set(parser, [{ dest: '', flags: [], takes: 'other', convert: 'unknown' }]);
}

const INT_TEXT = /^\s*[-+]?\d+(_\d+)*\s*$/;
const FLOAT_TEXT = /^\s*[-+]?((\d+\.?\d*|\.\d+)([eE][-+]?\d+)?|inf|infinity|nan)\s*$/i;
/** argparse reads a token like `-1` or `-.5` as a value, not an option, when no option looks like a number. */
const NEGATIVE_NUMBER = /^-\d+$|^-\d*\.\d+$/;

function converted(text: string, convert: ArgumentSpec['convert']): Value | undefined {
  switch (convert) {
    case 'str': return { kind: 'str', value: text };
    case 'int': return INT_TEXT.test(text) ? { kind: 'int', value: Number(text.replace(/_/g, '')) } : undefined;
    case 'float': return FLOAT_TEXT.test(text) ? { kind: 'float', value: Number(text.trim().replace(/^([-+]?)inf(inity)?$/i, '$1Infinity')) } : undefined;
    // type=bool runs bool() on the string: only the empty string is False.
    case 'bool': return { kind: 'bool', value: text !== '' };
    default: return undefined;
  }
}

/**
 * The values parse_args stores for `tokens`, over the `defaults` already in the namespace; undefined when the
 * command line holds anything the analysis does not read as argparse does.
 */
export function readCommandLine(parser: object, defaults: Map<string, Value>, tokens: string[]): Map<string, Value> | undefined {
  const specs = SPECS.get(parser);
  if (!specs || specs.some((s) => s.takes === 'other' || (s.flags.length === 0 && s.takes !== 'value'))) return undefined;
  if (specs.some((s) => s.flags.some((f) => NEGATIVE_NUMBER.test(f)))) return undefined;
  const byFlag = new Map<string, ArgumentSpec>();
  for (const spec of specs) for (const flag of spec.flags) byFlag.set(flag, spec);
  const positionals = specs.filter((s) => s.flags.length === 0);
  let nextPositional = 0;
  const values = new Map(defaults);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token.startsWith('-')) {
      // A positional token goes to the next positional; one too many is an error argparse exits on.
      const spec = positionals[nextPositional++];
      if (!spec || !store(values, spec, token)) return undefined;
      continue;
    }
    if (token === '-' || token === '--') return undefined;
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const flag = eq === -1 ? token : token.slice(0, eq);
    const spec = byFlag.get(flag);
    if (!spec) return undefined;
    if (spec.takes === 'true' || spec.takes === 'false') {
      if (eq !== -1) return undefined;
      values.set(spec.dest, { kind: 'bool', value: spec.takes === 'true' });
      continue;
    }
    let text: string;
    if (eq !== -1) text = token.slice(eq + 1);
    else {
      const next = tokens[i + 1];
      if (next === undefined || (next.startsWith('-') && !NEGATIVE_NUMBER.test(next))) return undefined;
      text = next;
      i++;
    }
    if (!store(values, spec, text)) return undefined;
  }
  // A positional left without its token is an error argparse exits on ("the following arguments are required").
  return nextPositional === positionals.length ? values : undefined;
}

/** Stores `text` as argparse would for `spec`: false when it cannot convert it or it is not among the choices. */
function store(values: Map<string, Value>, spec: ArgumentSpec, text: string): boolean {
  if (spec.convert === 'unknown') {
    values.set(spec.dest, UNKNOWN);
    return true;
  }
  const value = converted(text, spec.convert);
  if (!value) return false;
  if (spec.choices && !spec.choices.some((c) => (value.kind === 'str' || value.kind === 'int' || value.kind === 'float') && c === value.value)) return false;
  values.set(spec.dest, value);
  return true;
}
