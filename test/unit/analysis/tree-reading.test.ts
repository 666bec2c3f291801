// The syntax tree read straight from tree-sitter's memory is the tree the cursor walk gives.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser } from 'web-tree-sitter';
import { copyTree, firstDifference } from '../../../src/analysis/parse/cst';
import { loadPython, treeReader } from '../../../src/analysis/parse/parser';
import { pythonFiles } from './random-edits';

const root = join(__dirname, '..', '..', '..', '..', 'test');

async function parserFor(): Promise<Parser> {
  const parser = new Parser();
  parser.setLanguage(await loadPython());
  return parser;
}

/** Copies the source's tree with both readers and returns where they differ, if anywhere. */
function difference(parser: Parser, source: string): string | undefined {
  const tree = parser.parse(source)!;
  try {
    return firstDifference(copyTree(tree, source, 'cursor'), copyTree(tree, source, 'memory'));
  } finally {
    tree.delete();
  }
}

describe('reading the syntax tree', () => {
  it('reads from tree-sitter memory with the pinned tree-sitter versions', async () => {
    await loadPython();
    assert.equal(treeReader(), 'memory');
  });

  it('copies every fixture and example node for node as the cursor walk does', async () => {
    const parser = await parserFor();
    const files = [...pythonFiles(join(root, 'fixtures')), ...pythonFiles(join(root, 'examples'))];
    assert.ok(files.length > 250, `only ${files.length} sources found`);
    const differing = files.filter((file) => difference(parser, readFileSync(file, 'utf8')) !== undefined);
    assert.deepEqual(differing, []);
    parser.delete();
  });

  it('copies broken, non-ASCII and CRLF text as the cursor walk does', async () => {
    const parser = await parserFor();
    for (const source of [
      'def f(:\n  é = "ü𝒳"\r\n\tpass\nclass C:\n',
      'a = 1 +\nb = [\n',
      '😀 = 3\nx = "😀" + y  # ü\n',
      'x = f(a,, b)\n@\ndef g(): return',
    ]) assert.equal(difference(parser, source), undefined, JSON.stringify(source));
    parser.delete();
  });

  it('copies 3,000 nested brackets without overflowing the stack', async () => {
    const parser = await parserFor();
    assert.equal(difference(parser, `x = ${'['.repeat(3000)}${']'.repeat(3000)}\n`), undefined);
    assert.equal(difference(parser, `x = ${'('.repeat(3000)}\n`), undefined);
    parser.delete();
  });
});
