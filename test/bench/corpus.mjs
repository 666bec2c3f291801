// Builds realistic N-line Python files from the clean fixtures, with class and function names made unique.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures', 'torch');

export function realisticPython(lines) {
  const sources = readdirSync(fixtures).filter((f) => f.startsWith('clean_')).sort().map((f) => readFileSync(join(fixtures, f), 'utf8').replace(/^# oracle.*\n/gm, ''));
  const parts = [];
  let count = 0;
  for (let i = 0; count < lines; i++) {
    const text = sources[i % sources.length].replace(/\b(class|def)\s+(\w+)/g, (_, kw, name) => `${kw} ${name}_${i}`) + '\n';
    parts.push(text);
    count += text.split('\n').length - 1;
  }
  return parts.join('').split('\n').slice(0, lines).join('\n') + '\n';
}
