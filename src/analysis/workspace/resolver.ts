// Resolves a Python import to a file of the workspace, as Python would find it when the importing script
// (or one of the folders above it, up to the workspace root) is on sys.path. Never outside the root.
import { dirname, isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { ModuleProvider } from './provider';

/**
 * Top-level names the analysis models itself (torch, keras, numpy, argparse…): a file of the workspace
 * with such a name is not followed, so `import torch` always means PyTorch.
 */
const MODELLED = new Set([
  'torch', 'torchvision', 'torchtext', 'torchaudio', 'keras', 'tensorflow', 'tensorflow_core', 'tf', 'numpy', 'np', 'argparse', 'types', 'string',
  'math', 'random', 'builtins', 'os', 'sys', 'typing', 'collections', 'dataclasses', 'functools', 'itertools', 'json', 're',
  'time', 'logging', 'pickle', 'copy', 'sklearn', 'scipy', 'pandas', 'transformers', '__future__',
]);

/** Whether `path` lies under `root` (the root itself included). */
export function insideRoot(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'));
}

/** Folders to search for an absolute import from `fromFile`: its own folder, then each folder above it up to the root. */
function searchBases(root: string, fromFile: string): string[] {
  const bases: string[] = [];
  let dir = dirname(fromFile);
  for (let i = 0; i < 32 && insideRoot(root, dir); i++) {
    bases.push(dir);
    if (normalize(dir) === normalize(root)) break;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return bases;
}

function candidates(base: string, dotted: string): string[] {
  const parts = dotted.split('.');
  const path = join(base, ...parts);
  return [`${path}.py`, join(path, '__init__.py')];
}

/**
 * The file an import names: `config`, `pkg.sub`, `.utils`, `..models.rnn`, `.` (the package itself).
 * Undefined when Python would not find it in the workspace (a library, or a name the analysis models).
 */
export function resolveModule(module: string, fromFile: string, root: string, provider: ModuleProvider): string | undefined {
  const level = /^\.*/.exec(module)![0].length;
  const dotted = module.slice(level);
  if (dotted && !/^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(dotted)) return undefined;
  let bases: string[];
  if (level > 0) {
    let dir = dirname(fromFile);
    for (let i = 1; i < level; i++) dir = dirname(dir);
    if (!insideRoot(root, dir)) return undefined;
    if (!dotted) {
      const init = join(dir, '__init__.py');
      return provider.read(init) !== undefined ? init : undefined;
    }
    bases = [dir];
  } else {
    if (!dotted || MODELLED.has(dotted.split('.')[0])) return undefined;
    bases = searchBases(root, fromFile);
  }
  for (const base of bases) {
    for (const candidate of candidates(base, dotted)) {
      if (insideRoot(root, candidate) && normalize(candidate) !== normalize(fromFile) && provider.read(candidate) !== undefined) return candidate;
    }
  }
  return undefined;
}
