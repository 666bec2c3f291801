// `seqlens check [--format text|json|sarif] PATH...`
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { projectRootOf, Workspaces } from '../workspace/disk-provider';
import type { Workspace } from '../analysis';
import { Analyzer, createAnalyzer, allRules, ruleByCode } from '../analysis';
import type { AnalysisResult, Finding, IncompleteAnalysis } from '../analysis/findings';
import { CliIO, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE } from './io';
import { formatJson, formatSarif, formatText, FileReport } from './check-formats';
import { readNotebookCells } from './notebook-file';
import { formatStatsText, sumCoverage } from './stats';
import type { CoverageStats } from '../analysis/coverage';

const USAGE = 'Usage: seqlens check [--format text|json|sarif] [--stats] [--root DIR] PATH...\n';
const SKIP_DIRS = new Set(['node_modules', '.git', '__pycache__', '.venv', 'venv', '.tox', 'dist', 'build', '.mypy_cache']);

/** The files under a path. Inside a folder, an entry that cannot be inspected is still listed: reading it reports why. */
function collect(path: string, out: string[]): void {
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path).sort()) {
      if (SKIP_DIRS.has(entry) || entry.startsWith('.')) continue;
      const child = join(path, entry);
      let isDirectory = false;
      try {
        isDirectory = statSync(child).isDirectory();
      } catch {
        // A dangling link or an entry we may not inspect: reported when it is read, if it looks like code.
      }
      if (isDirectory) collect(child, out);
      else if (/\.(py|ipynb)$/.test(entry)) out.push(child);
    }
  } else out.push(path);
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  let format = 'text';
  let stats = false;
  let root: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--format' || arg === '-f') format = argv[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice(9);
    else if (arg === '--stats') stats = true;
    else if (arg === '--root') root = argv[++i];
    else if (arg.startsWith('--root=')) root = arg.slice(7);
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
  if (root !== undefined) {
    let isDirectory = false;
    try {
      isDirectory = statSync(root).isDirectory();
    } catch {
      // reported below
    }
    if (!isDirectory) {
      io.err(`seqlens check: --root must be a folder: '${root}'\n`);
      return EXIT_USAGE;
    }
  }
  // Imports are followed inside a workspace: --root, else the folder given, else the file's project.
  const workspaces = new Workspaces();
  const files: { shown: string; path: string; workspace: Workspace }[] = [];
  for (const given of paths) {
    try {
      const found: string[] = [];
      collect(given, found);
      const givenIsFolder = statSync(given).isDirectory();
      for (const f of found) {
        const path = normalize(f);
        files.push({ shown: f, path, workspace: workspaces.for(root ?? (givenIsFolder ? given : projectRootOf(path))) });
      }
    } catch (error) {
      io.err(`seqlens check: cannot read '${given}': ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (error as Error).message}\n`);
      return EXIT_USAGE;
    }
  }
  const analyzer = await createAnalyzer();
  const reports: FileReport[] = [];
  // One file that cannot be read or analysed is reported on its own; it never hides the other files' findings.
  let failed = false;
  const coverage: (CoverageStats | undefined)[] = [];
  for (const file of files) {
    try {
      const { coverage: fileCoverage, ...report } = checkFile(analyzer, file.path, file.workspace);
      coverage.push(fileCoverage);
      reports.push({ path: file.shown, ...report });
    } catch (error) {
      failed = true;
      io.err(`${file.shown}:1: ${causeOf(error)}\n`);
    }
  }
  const output = format === 'json' ? formatJson(reports) : format === 'sarif' ? formatSarif(reports) : formatText(reports);
  if (stats && format === 'json') io.out(JSON.stringify({ ...JSON.parse(output), stats: sumCoverage(coverage) }) + '\n');
  else io.out(stats && format === 'text' ? output + formatStatsText(sumCoverage(coverage)) : output);
  if (failed) return EXIT_USAGE;
  return reports.some((r) => r.findings.some((f) => f.severity === 'error')) ? EXIT_FINDINGS : EXIT_OK;
}

/** One file's findings, and where its analysis was incomplete (for a notebook, in the first cell concerned). */
function checkFile(analyzer: Analyzer, path: string, workspace: Workspace): { findings: Finding[]; incomplete?: IncompleteAnalysis; coverage?: CoverageStats } {
  const text = readFileSync(path, 'utf8');
  if (extname(path) !== '.ipynb') {
    const { findings, incomplete, coverage } = analyzer.analyze(text, path, workspace);
    return { findings, incomplete, coverage };
  }
  const cells = readNotebookCells(text, path);
  const results = analyzer.analyzeNotebook(cells.map((c) => c.source), path);
  const findings = results.flatMap((result: AnalysisResult, i) => result.findings.map((f) => ({ ...f, message: `[cell ${cells[i].index + 1}] ${f.message}` })));
  const at = results.findIndex((r) => r.incomplete);
  const incomplete = at === -1 ? undefined : { ...results[at].incomplete!, message: `[cell ${cells[at].index + 1}] ${results[at].incomplete!.message}` };
  return { findings, incomplete, coverage: results[0]?.coverage };
}

/** A failure as one clause: system errors by their meaning, anything else by its message. */
function causeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'cannot read: no such file or directory';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read: permission denied';
  if (code === 'EISDIR') return 'cannot read: is a directory';
  if (error instanceof RangeError) return `cannot analyse: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
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
