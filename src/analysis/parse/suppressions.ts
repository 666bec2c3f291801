// `# seqlens: ignore` silences every finding on its line; `# seqlens: ignore[SL101, SL105]` only those codes.
const SUPPRESSION = /#\s*seqlens:\s*ignore(?:\[([^\]]*)\])?/i;

export function parseSuppressions(comments: { line: number; text: string }[], into: Map<number, Set<string>>): void {
  for (const { line, text } of comments) {
    const match = SUPPRESSION.exec(text);
    if (!match) continue;
    const codes = match[1]?.split(',').map((c) => c.trim().toUpperCase()).filter(Boolean) ?? [];
    const existing = into.get(line);
    if (existing && existing.size === 0) continue;
    if (codes.length === 0) into.set(line, new Set());
    else into.set(line, new Set([...(existing ?? []), ...codes]));
  }
}

export function isSuppressed(suppressions: Map<number, Set<string>>, line: number, code: string): boolean {
  const codes = suppressions.get(line);
  return codes !== undefined && (codes.size === 0 || codes.has(code));
}
