// The three output formats of `seqlens check`. Lines and columns are 1-based in all of them.
import type { Finding, IncompleteAnalysis } from '../analysis/findings';
import { allRules } from '../analysis';

export interface FileReport {
  path: string;
  findings: Finding[];
  /** Where the analysis of the file stopped following a statement (its findings may then be partial). */
  incomplete?: IncompleteAnalysis;
}

export function formatText(reports: FileReport[]): string {
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  for (const { path, findings, incomplete } of reports) {
    if (incomplete) lines.push(`${path}:${incomplete.line + 1}: note: ${incomplete.message}`);
    for (const f of findings) {
      if (f.severity === 'error') errors++;
      if (f.severity === 'warning') warnings++;
      lines.push(`${path}:${f.range.start.line + 1}:${f.range.start.column + 1}: ${f.severity} ${f.code} ${f.message} [${f.name}]`);
      for (const r of f.related) lines.push(`    ${r.path ?? path}:${r.range.start.line + 1}:${r.range.start.column + 1}: note: ${r.message}`);
      const preferred = f.fixes.find((x) => x.isPreferred) ?? f.fixes[0];
      if (preferred) lines.push(`    fix: ${preferred.title}`);
    }
  }
  const total = reports.reduce((n, r) => n + r.findings.length, 0);
  lines.push(`${reports.length} file${reports.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${total - errors - warnings} other`);
  return lines.join('\n') + '\n';
}

export function formatJson(reports: FileReport[]): string {
  return JSON.stringify({
    files: reports.map(({ path, findings, incomplete }) => ({
      path,
      ...(incomplete ? { incomplete: { line: incomplete.line + 1, reason: incomplete.reason, message: incomplete.message } } : {}),
      diagnostics: findings.map((f) => ({
        line: f.range.start.line + 1,
        column: f.range.start.column + 1,
        endLine: f.range.end.line + 1,
        endColumn: f.range.end.column + 1,
        severity: f.severity,
        code: f.code,
        name: f.name,
        message: f.message,
        related: f.related.map((r) => ({ path: r.path ?? path, line: r.range.start.line + 1, column: r.range.start.column + 1, message: r.message })),
        fixes: f.fixes.map((x) => ({ title: x.title, isPreferred: x.isPreferred })),
      })),
    })),
  }, null, 2) + '\n';
}

const SARIF_LEVEL = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;

export function formatSarif(reports: FileReport[]): string {
  const rules = allRules();
  return JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'SeqLens',
          informationUri: 'https://example.invalid/seqlens',
          rules: rules.map((r) => ({
            id: r.code,
            name: r.name,
            shortDescription: { text: r.summary },
            fullDescription: { text: r.docs.whatItDoes },
            help: { text: `${r.docs.whyIsThisBad}\n\nExample:\n${r.docs.example}\n\nUse instead:\n${r.docs.useInstead}` },
            defaultConfiguration: { level: SARIF_LEVEL[r.severity] },
          })),
        },
      },
      invocations: [{
        executionSuccessful: true,
        toolExecutionNotifications: reports.filter((r) => r.incomplete).map(({ path, incomplete }) => ({
          level: 'note',
          message: { text: incomplete!.message },
          locations: [{ physicalLocation: { artifactLocation: { uri: path }, region: { startLine: incomplete!.line + 1 } } }],
        })),
      }],
      results: reports.flatMap(({ path, findings }) => findings.map((f) => ({
        ruleId: f.code,
        ruleIndex: rules.findIndex((r) => r.code === f.code),
        level: SARIF_LEVEL[f.severity],
        message: { text: f.message },
        locations: [{ physicalLocation: { artifactLocation: { uri: path }, region: { startLine: f.range.start.line + 1, startColumn: f.range.start.column + 1, endLine: f.range.end.line + 1, endColumn: f.range.end.column + 1 } } }],
        relatedLocations: f.related.map((r, i) => ({ id: i, message: { text: r.message }, physicalLocation: { artifactLocation: { uri: r.path ?? path }, region: { startLine: r.range.start.line + 1, startColumn: r.range.start.column + 1 } } })),
      }))),
    }],
  }, null, 2) + '\n';
}
