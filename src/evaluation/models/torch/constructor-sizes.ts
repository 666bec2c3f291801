/**
 * Constructor arguments given explicitly: `--init name=value` (and a config object's field as
 * `args.hidden=128`, a name the file never defines as `n_class=5`) wins over the file's
 * instantiation site and over the weights. What the file's own instantiation site gives
 * (`Tagger(len(vocab), 128)`: the 128, and any argument whose value the analyser knows there) is
 * kept; what stays unknown is solved from the weights (solve-unknowns.ts).
 */
import type { Analyzer, ArgValue, ModelDescription } from '../../../analysis';
import { InputError } from '../../errors';

export type InitValues = Record<string, number | boolean | string | null>;

export interface SizedModel {
  description: ModelDescription;
}

export interface SizeOptions {
  analyzer: Analyzer;
  source: string;
  path: string;
  /** The class as described from the file. */
  description: ModelDescription;
  /** --init: explicit constructor arguments, config fields and free names. */
  init: InitValues;
}

/** The model described with --init's constructor arguments over the instantiation site's. */
export function withConstructorSizes(options: SizeOptions): SizedModel {
  const { analyzer, source, path, description, init } = options;
  const className = description.className;
  const known = new Set(description.constructorParams.map((p) => p.name));
  for (const name of Object.keys(init)) {
    const owner = name.split('.')[0];
    // A config field (args.hidden) needs its argument; a name the file reads and never defines needs to be read.
    const read = !name.includes('.') && new RegExp(String.raw`(?<![\w.'"])${name}(?![\w'"])`).test(source);
    if (!known.has(owner) && !read) {
      throw new InputError(path, description.range.start.line + 1, `--init ${name}: ${className}'s constructor has no parameter ${owner} (its parameters: ${[...known].join(', ') || 'none'})${name.includes('.') ? '' : ', and the file reads no name ' + name}`);
    }
  }
  const params = Object.fromEntries(Object.entries(init).filter(([k]) => known.has(k)));
  if (Object.keys(params).length === 0) return { description };
  const kwargs: Record<string, ArgValue> = { ...description.constructorArgs, ...params };
  const built = analyzer.describeModels(source, path, { instantiate: { className, kwargs } }).find((m) => m.className === className);
  if (!built) throw new InputError(path, description.range.start.line + 1, `${className}(${formatKwargs(kwargs)}) could not be built by the analyser`);
  return { description: built };
}

function formatKwargs(kwargs: Record<string, ArgValue>): string {
  return Object.entries(kwargs).map(([k, v]) => `${k}=${typeof v === 'boolean' ? (v ? 'True' : 'False') : v === null ? 'None' : typeof v === 'string' ? `'${v}'` : v}`).join(', ');
}

/** `--init vocab_size=5000,hidden=128,bidirectional=True,rnn_type=LSTM,args.dropout=0.5` → values. */
export function parseInitValues(text: string): InitValues | string {
  const out: InitValues = {};
  for (const part of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    const name = eq > 0 ? part.slice(0, eq).trim() : '';
    const value = eq > 0 ? part.slice(eq + 1).trim() : '';
    if (!/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)?$/.test(name)) return `'${part}' is not name=value`;
    if (/^(true|false)$/i.test(value)) out[name] = value.toLowerCase() === 'true';
    else if (value === 'None') out[name] = null;
    else if (/^-?\d+$/.test(value) && Number.isSafeInteger(Number(value))) out[name] = Number(value);
    else if (/^-?(\d+\.\d*|\.\d+)(e-?\d+)?$/i.test(value)) out[name] = Number(value);
    else if (/^(['"])[^'"]*\1$/.test(value)) out[name] = value.slice(1, -1);
    else if (/^[A-Za-z_][\w-]*$/.test(value)) out[name] = value;
    else return `${name}=${value}: the value must be a number, True, False, None or a string`;
  }
  return out;
}
