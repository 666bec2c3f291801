#!/usr/bin/env node
// `npm run bench`: runs every benchmark section and prints each figure beside its reference run.
// A section is a module in this folder exporting `title` and `run(options)`, which resolves to rows:
//   { metric, value, unit, reference?: { name, value }, target?: string }
// The ratio column is value / reference.value: below 1 means SeqLens was faster (or smaller).
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const quick = process.argv.includes('--quick');
const sections = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

function fmt(value, unit) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${unit}`;
}

const all = [];
for (const file of sections) {
  // A section that cannot load (a compiled helper missing) is reported like one that fails, and the rest still run.
  let section = { title: file };
  let rows;
  try {
    section = await import(pathToFileURL(join(here, file)).href);
    process.stdout.write(`\n== ${section.title} ==\n`);
    rows = await section.run({ quick });
  } catch (error) {
    if (section.title === file) process.stdout.write(`\n== ${file} ==\n`);
    process.stdout.write(`  section failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
    continue;
  }
  const table = rows.map((r) => [
    r.metric,
    fmt(r.value, r.unit),
    r.reference ? `${fmt(r.reference.value, r.unit)} (${r.reference.name})` : '—',
    r.reference && r.reference.value ? `${(r.value / r.reference.value).toFixed(3)}×` : '—',
    r.target ?? '',
  ]);
  const head = ['metric', 'SeqLens', 'reference', 'ratio', 'target'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((row) => String(row[i]).length)));
  const line = (cells) => '  ' + cells.map((c, i) => String(c).padEnd(widths[i])).join('  ') + '\n';
  process.stdout.write(line(head));
  for (const row of table) process.stdout.write(line(row));
  all.push({ section: section.title, rows });
}
const outDir = join(here, '..', '..', 'test-artifacts');
mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'bench.json'), JSON.stringify({ date: new Date().toISOString(), sections: all }, null, 2));
