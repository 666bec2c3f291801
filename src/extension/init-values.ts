// Constructor values the editor asks for. When `seqlens eval --model` cannot build a model until it
// is given values that neither the file nor the weights settle (a constructor argument, `args.x`),
// it exits 2 and prints `{"valuesNeeded": {"names": [...], "message": "..."}}` on stdout. The
// extension then asks for them in an input box and runs the model again with `--init`.
// Plain functions, no `vscode`: the prompt itself lives in evaluate.ts.
import { parseInitValues } from '../evaluation/models/torch/constructor-sizes';

export interface ValuesNeeded {
  names: string[];
  /** The refusal, `file:line: cause`. */
  message: string;
  /** Its cause alone, shown as the prompt. */
  cause: string;
}

/** The values the CLI asked for, from its stdout; undefined when it printed no such request. */
export function parseValuesNeeded(stdout: string): ValuesNeeded | undefined {
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{"valuesNeeded"')) continue;
    try {
      const { valuesNeeded } = JSON.parse(line) as { valuesNeeded?: { names?: unknown; message?: unknown; cause?: unknown } };
      const names = Array.isArray(valuesNeeded?.names) ? valuesNeeded.names.filter((n): n is string => typeof n === 'string' && n !== '') : [];
      const text = (value: unknown) => (typeof value === 'string' ? value : '');
      if (names.length > 0) return { names, message: text(valuesNeeded?.message), cause: text(valuesNeeded?.cause) || text(valuesNeeded?.message) };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** The `NAME=VALUE` parts of an `--init` value, as written (`seqlens eval` reads the same comma-separated form). */
function parts(text: string): [string, string][] {
  return text.split(',').map((part) => part.trim()).filter((part) => part !== '').map((part) => {
    const eq = part.indexOf('=');
    return eq > 0 ? [part.slice(0, eq).trim(), part.slice(eq + 1).trim()] : [part, ''];
  });
}

/** What the input box starts with: the values given before, then each missing name with `=` for the user to fill in. */
export function initTemplate(needed: readonly string[], previous: string): string {
  const entries = new Map(parts(previous));
  for (const name of needed) if (!entries.has(name)) entries.set(name, '');
  return [...entries].map(([name, value]) => `${name}=${value}`).join(',');
}

/** Why an answer cannot be run yet (a needed name without a value, or a value `--init` does not take); undefined when it can. */
export function checkInitAnswer(needed: readonly string[], answer: string): string | undefined {
  const empty = parts(answer).filter(([, value]) => value === '').map(([name]) => name);
  if (empty.length > 0) return `give ${empty.map((n) => `${n}=VALUE`).join(', ')}`;
  const values = parseInitValues(answer);
  if (typeof values === 'string') return `${values} (write NAME=VALUE, separated by commas)`;
  const missing = needed.filter((name) => !(name in values));
  if (missing.length > 0) return `give ${missing.map((n) => `${n}=VALUE`).join(', ')}`;
  return undefined;
}

/** The `seqlens eval` arguments run again with the answer as `--init` (replacing an `--init` given before). */
export function withInit(args: readonly string[], answer: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--init') {
      i++;
      continue;
    }
    if (args[i].startsWith('--init=')) continue;
    out.push(args[i]);
  }
  out.push('--init', answer);
  return out;
}

/** The `--init` values among the arguments, as written and joined ('' when there is none). */
export function initOf(args: readonly string[]): string {
  const given: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--init' && i + 1 < args.length) given.push(args[++i]);
    else if (args[i].startsWith('--init=')) given.push(args[i].slice('--init='.length));
  }
  return given.join(',');
}
