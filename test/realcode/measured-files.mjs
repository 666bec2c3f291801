// What the scripts that trace the analysis over the real-code corpus share (sites.mjs, unknown-args.mjs,
// unknown-self-calls.mjs, unproven-params.mjs): the command line, the compiled analysis in out/, and the measured files of a family's manifest brought into .realcode/<family>.
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve, extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '..', '..');
const require = createRequire(import.meta.url);
const out = join(root, 'out', 'src');

/** A module of the compiled analysis (`analysis/coverage.js`), after checking out/ was built. */
export function compiled(path) {
  if (!existsSync(join(out, 'analysis', 'coverage.js'))) {
    console.error('out/ is missing: run `npx tsc -p .` first');
    process.exit(2);
  }
  return require(join(out, path));
}

/**
 * The files to measure: those named, or else the .py files of the family's manifest under realDir (default
 * .realcode/<family>), with the repository folder each belongs to.
 */
export function measuredFiles(family, named, realDir = join(root, '.realcode', family)) {
  const files = [...named];
  const repoOf = new Map();
  if (!files.length) {
    const manifest = JSON.parse(readFileSync(join(here, `${family}-files.json`), 'utf8'));
    for (const entry of manifest.repos) for (const path of entry.files) {
      const repo = join(realDir, entry.repo.replace('/', '__'));
      const p = join(repo, path);
      if (existsSync(p) && extname(p) === '.py') {
        files.push(p);
        repoOf.set(p, repo);
      }
    }
  }
  return { files, repoOf };
}

/**
 * The command line the tracing scripts share: `[--family torch|attention] [--examples N] [other --flags] [FILE...]`.
 * The family (default torch), the examples to print per cause (default 3), whether a flag was given, and the files
 * to measure (measuredFiles).
 */
export function tracingArgs(argv = process.argv.slice(2)) {
  const valueOf = (flag) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
  const family = valueOf('--family') ?? 'torch';
  const examples = Number(valueOf('--examples') ?? 3);
  const named = argv.filter((a, i) => !a.startsWith('--') && argv[i - 1] !== '--family' && argv[i - 1] !== '--examples');
  return { family, examples, has: (flag) => argv.includes(flag), ...measuredFiles(family, named) };
}
