// Helpers for the tests of incremental interpretation: the split of a module into components, and edits by text.
import type { SourceEdit } from '../../../src/analysis/findings';
import { components } from '../../../src/analysis/interpret/top-level-groups';
import { DocumentParser } from '../../../src/analysis/parse/parser';

/** The components of a module, each as the first line of its groups (imports left out). */
export async function componentLines(source: string): Promise<number[][]> {
  const parser = await DocumentParser.create();
  try {
    const module = parser.reset(source);
    const lines = source.split('\n');
    const groups = module.groups!;
    return components(groups, (r) => lines[r.start.line].slice(r.start.column, r.end.line === r.start.line ? r.end.column : undefined))
      .map((members) => members.filter((g) => groups[g][0].kind !== 'import').map((g) => groups[g][0].range.start.line));
  } finally {
    parser.dispose();
  }
}

/** The edit that replaces the first `from` in `text` by `to`, and the text after it. */
export function replacing(text: string, from: string, to: string): { edit: SourceEdit; text: string } {
  const at = text.indexOf(from);
  if (at < 0) throw new Error(`no ${JSON.stringify(from)} in the text`);
  return { edit: { rangeOffset: at, rangeLength: from.length, text: to }, text: text.slice(0, at) + to + text.slice(at + from.length) };
}
