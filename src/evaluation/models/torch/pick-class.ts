// Which nn.Module class of a file is the model. A file often defines several: an attention block, an
// encoder, a decoder and the model that holds them, or a positional encoding beside the Transformer
// that uses it. The model is the class no other class of the file holds (the outermost), and among
// several such, the one the file itself builds (`model = Tagger(len(vocab), 128)`). When that still
// leaves several, nothing is guessed: the candidates are listed and --class chooses.
import type { ModelDescription } from '../../../analysis';
import { InputError } from '../../errors';

export interface ClassChoice {
  model: ModelDescription;
  /** Why this class: named by --class, the only candidate, the outermost, or built by the file. */
  reason: 'named' | 'only' | 'outermost' | 'instantiated';
}

/** A class that could be the model: it has a forward method and holds layers or other modules. */
function runnable(model: ModelDescription, all: ModelDescription[]): boolean {
  return model.forward !== undefined && (model.layers.length > 0 || all.some((other) => other.ownedBy.includes(model.className)));
}

function describe(model: ModelDescription): string {
  const where = [`line ${model.range.start.line + 1}`];
  if (model.instantiatedAt.length > 0) where.push(`built at line ${model.instantiatedAt.join(', ')}`);
  if (model.ownedBy.length > 0) where.push(`held by ${model.ownedBy.join(', ')}`);
  return `${model.className} (${where.join('; ')})`;
}

/** The model class of the file, or an error listing the candidates when the file does not say. */
export function chooseModelClass(models: ModelDescription[], className: string | undefined, path: string): ClassChoice {
  if (className !== undefined) {
    const found = models.find((m) => m.className === className);
    if (!found) throw new InputError(path, null, `no nn.Module class '${className}' (the file defines: ${models.map((m) => m.className).join(', ') || 'none'})`);
    return { model: found, reason: 'named' };
  }
  const candidates = models.filter((m) => runnable(m, models));
  if (candidates.length === 0) throw new InputError(path, null, 'the file defines no nn.Module class with layers and a forward method');
  if (candidates.length === 1) return { model: candidates[0], reason: 'only' };
  const names = new Set(candidates.map((m) => m.className));
  const outermost = candidates.filter((m) => !m.ownedBy.some((owner) => names.has(owner)));
  if (outermost.length === 1) return { model: outermost[0], reason: 'outermost' };
  const pool = outermost.length > 0 ? outermost : candidates;
  const built = pool.filter((m) => m.instantiatedAt.length > 0);
  if (built.length === 1) return { model: built[0], reason: 'instantiated' };
  const listed = built.length > 1 ? built : pool;
  throw new InputError(
    path,
    null,
    `the file defines several models and does not say which one to run: ${listed.map(describe).join(', ')}; choose one with --class ${listed.map((m) => m.className).join(' or --class ')}`,
  );
}

/** The model class (see chooseModelClass). */
export function pickModelClass(models: ModelDescription[], className: string | undefined, path: string): ModelDescription {
  return chooseModelClass(models, className, path).model;
}
