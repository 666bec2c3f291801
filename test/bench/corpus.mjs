// Builds realistic N-line PyTorch files from the bundled examples and the clean fixtures: model classes
// with their `__init__`/`forward`, helpers and the `__main__` blocks that instantiate the models and run
// a training step. Only top-level names are made unique (methods keep their names, so every forward
// body is interpreted; other script variables, such as loop variables and what `__main__` blocks bind, keep theirs),
// and the imports are gathered once at the top, as in a real module.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const examples = join(here, '..', 'examples');
const fixtures = join(here, '..', 'fixtures', 'torch');

function sources() {
  const read = (dir, keep) => readdirSync(dir).filter(keep).sort().map((f) => readFileSync(join(dir, f), 'utf8'));
  return [
    ...read(examples, (f) => f.endsWith('.py')),
    ...read(fixtures, (f) => f.startsWith('clean_') && f.endsWith('.py')),
  ].map((text) => text.replace(/^# oracle.*\n/gm, ''));
}

const IMPORT = /^(import\s|from\s+\S+\s+import\s)/;

/**
 * Renames the names the block binds at the top level (classes, functions, and upper-case constants such as
 * `VOCAB_SIZE = …`; definitions and uses, not attributes) with a suffix: one module does not bind the same
 * constant twenty times.
 */
function uniqueNames(text, suffix) {
  const defined = [...text.matchAll(/^(?:class|def)\s+(\w+)/gm)].map((m) => m[1]);
  const assigned = [...text.matchAll(/^([A-Z][A-Z0-9_]*(?:\s*,\s*[A-Z][A-Z0-9_]*)*)\s*(?::[^=\n]*)?=(?!=)/gm)].flatMap((m) => m[1].split(',').map((n) => n.trim()));
  const names = [...defined, ...assigned];
  let out = text;
  for (const name of new Set(names)) out = out.replace(new RegExp(`(?<![.\\w])${name}\\b`, 'g'), `${name}_${suffix}`);
  return out;
}

export function realisticPython(lines) {
  const blocks = sources();
  const imports = new Set();
  const body = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const kept = [];
    for (const line of blocks[i % blocks.length].split('\n')) {
      if (IMPORT.test(line)) imports.add(line);
      else kept.push(line);
    }
    const text = uniqueNames(kept.join('\n').replace(/^\s*"""[^]*?"""\n/, '').trim(), i) + '\n\n\n';
    body.push(text);
    count += text.split('\n').length - 1;
  }
  const header = [...imports].join('\n') + '\n\n\n';
  return (header + body.join('')).split('\n').slice(0, lines).join('\n') + '\n';
}
