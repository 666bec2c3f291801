// `seqlens check [--format text|json|sarif] PATH...`
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { createAnalyzer, allRules, ruleByCode } from '../analysis';
import type { AnalysisResult, Finding } from '../analysis/findings';
import { CliIO, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './io';
import { formatJson, formatSarif, formatText, FileReport } from './check-formats';
import { readNotebookCells } from './notebook-file';

const USAGE = 'Usage: seqlens check [--format text|json|sarif] PATH...\n';
const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', 'dist', 'build', '.mypy_cache']);

function collect(path: string, out: string[]): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (SKIP_DIRS.has(entry) || entry.startsWith('.')) continue;
      const child = join(path, entry);
      const s = statSync(child);
      if (s.isDirectory()) collect(child, out);
      else if (/\.(py|ipynb)$/.test(entry)) out.push(child);
    }
  } else out.push(path);
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  let format = 'text';
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--format' || arg === '-f') format = argv[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice(9);
    else if (arg === '--rules') return listRules(io, argv.includes('--markdown'));
    else if (arg === '--explain') return explain(argv[i + 1], io);
    else if (arg === '-h' || arg === '--help') {
      io.out(USAGE);
      return EXIT_OK;
    } else if (arg.startsWith('-')) {
      io.err(`seqlens check: unknown option '${arg}'\n${USAGE}`);
      return EXIT_USAGE;
    } else paths.push(arg);
  }
  if (!['text', 'json', 'sarif'].includes(format)) {
    io.err(`seqlens check: --format must be text, json or sarif, not '${format}'\n`);
    return EXIT_USAGE;
  }
  if (paths.length === 0) {
    io.err(USAGE);
    return EXIT_USAGE;
  }
  const files: { shown: string; path: string }[] = [];
  for (const given of paths) {
    try {
      const found: string[] = [];
      collect(given, found);
      for (const f of found) files.push({ shown: f, path: f });
    } catch (error) {
      io.err(`seqlens check: cannot read '${given}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  const analyzer = await createAnalyzer();
  const reports: FileReport[] = [];
  for (const file of files) {
    let findings: Finding[];
    try {
      const text = readFileSync(file.path, 'utf8');
      if (extname(file.path) === '.ipynb') {
        const cells = readNotebookCells(text, file.path);
        findings = analyzer.analyzeNotebook(cells.map((c) => c.source), file.path).flatMap((result: AnalysisResult, i) =>
          result.findings.map((f) => ({ ...f, message: `[cell ${cells[i].index + 1}] ${f.message}` })));
      } else {
        findings = analyzer.analyze(text, file.path).findings;
      }
    } catch (error) {
      io.err(`seqlens check: cannot read '${file.shown}': ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    reports.push({ path: file.shown, findings });
  }
  io.out(format === 'json' ? formatJson(reports) : format === 'sarif' ? formatSarif(reports) : formatText(reports));
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_FINDINGS : EXIT_OK;
}

function listRules(io: CliIO, markdown: boolean): number {
  io.out(markdown ? rulesMarkdown() : allRules().map((r) => `${r.code}  ${r.severity.padEnd(11)} ${r.name.padEnd(32)} ${r.summary}\n`).join(''));
  return EXIT_OK;
}

/** The README's rule table, generated from the registry (`seqlens rules --markdown`). */
export function rulesMarkdown(): string {
  const rows = allRules().map((r) => `| ${r.code} | \`${r.name}\` | ${r.severity} | ${r.summary.replace(/\|/g, '\\|')} | ${r.fixTitles.length ? r.fixTitles.join('; ') : '—'} |`);
  return ['| code | name | severity | what it catches | quick fixes |', '|---|---|---|---|---|', ...rows].join('\n') + '\n';
}

function explain(code: string | undefined, io: CliIO): number {
  const rule = code ? ruleByCode(code) : undefined;
  if (!rule) {
    io.err(`seqlens explain: unknown rule '${code ?? ''}' (see 'seqlens rules')\n`);
    return EXIT_USAGE;
  }
  const d = rule.docs;
  io.out(`${rule.code} ${rule.name} (${rule.severity})\n\n${rule.summary}\n\n## What it does\n${d.whatItDoes}\n\n## Why is this bad?\n${d.whyIsThisBad}\n\n## Example\n${d.example}\n\n## Use instead\n${d.useInstead}\n\n## References\n${d.references.map((r) => `- ${r}`).join('\n')}\n`);
  return EXIT_OK;
}
