// An edit of an error-free document re-parses only the top-level statements it touched (parser.ts): the
// module it gives must be the one a fresh parse of the edited text gives, whatever the edit does to the
// statements around it (indenting a line under the definition above, opening a bracket or a string that
// runs on, a backslash that joins the next line, an `else:` that belongs to the `if` above).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SourceEdit } from '../../../src/analysis/findings';
import { DocumentParser } from '../../../src/analysis/parse/parser';
import { TEST_ROOT, pythonFiles, random, randomEdit } from './random-edits';

/** Edits that change how the lines around them group, beside the ordinary typing of randomEdit. */
const JOINING = ['    ', '\t', '(', ')', '[', '"""', "'''", '"', '\\', '\\\n', 'else:\n    pass\n', 'elif x:\n', '@dec\n', 'def f():\n', '#', '  x = 1\n', 'é', '😀'];

function edit(text: string, pick: (n: number) => number): SourceEdit {
  if (pick(3) > 0) return randomEdit(text, pick);
  const at = pick(text.length + 1);
  const lineStart = at === 0 ? 0 : text.lastIndexOf('\n', at - 1) + 1;
  return { rangeOffset: pick(2) ? lineStart : at, rangeLength: pick(4) === 0 ? Math.min(1, text.length - at) : 0, text: JOINING[pick(JOINING.length)] };
}

function apply(text: string, e: SourceEdit): string {
  return text.slice(0, e.rangeOffset) + e.text + text.slice(e.rangeOffset + e.rangeLength);
}

describe('re-parsing the region of an edit', () => {
  it('gives after sequences of edits of model-sized files the module a fresh parse of the same text gives', async function () {
    this.timeout(300_000);
    const pieces = pythonFiles(join(TEST_ROOT, 'examples')).concat(pythonFiles(join(TEST_ROOT, 'fixtures', 'torch')).filter((f) => /clean_/.test(f)));
    const pick = random(77);
    const fresh = await DocumentParser.create();
    for (let file = 0; file < 4; file++) {
      let text = Array.from({ length: 6 }, () => readFileSync(pieces[pick(pieces.length)], 'utf8')).join('\n\n');
      const parser = await DocumentParser.create();
      parser.movesInPlace = true;
      parser.reset(text);
      for (let i = 0; i < 60; i++) {
        // A change (sometimes two edits), then its undo, as retyping does: the text is error-free again.
        const edits: SourceEdit[] = [];
        const undo: SourceEdit[] = [];
        for (let k = pick(4) === 0 ? 2 : 1; k > 0; k--) {
          const e = edit(text, pick);
          undo.unshift({ rangeOffset: e.rangeOffset, rangeLength: e.text.length, text: text.slice(e.rangeOffset, e.rangeOffset + e.rangeLength) });
          text = apply(text, e);
          edits.push(e);
        }
        assert.deepEqual(parser.update(edits, text), fresh.parseAlone(text), `file ${file} after change ${i + 1}: ${JSON.stringify(edits)}`);
        for (const e of undo) text = apply(text, e);
        assert.deepEqual(parser.update(undo, text), fresh.parseAlone(text), `file ${file} after undoing change ${i + 1}: ${JSON.stringify(undo)}`);
        if (pick(3) === 0) {
          // A blank line kept: what follows moves down.
          const at = text.indexOf('\n', pick(text.length)) + 1;
          const blank = { rangeOffset: at, rangeLength: 0, text: '\n' };
          text = apply(text, blank);
          assert.deepEqual(parser.update([blank], text), fresh.parseAlone(text), `file ${file} after a blank line at ${at}`);
        }
      }
      parser.dispose();
    }
    fresh.dispose();
  });

  it('re-parses a statement indented under the definition above it with that definition', async () => {
    const source = 'import torch\n\ndef f(x):\n    return x\n\ny = f(1)\nz = 2\n';
    const parser = await DocumentParser.create();
    parser.reset(source);
    const at = source.indexOf('y = ');
    const text = `${source.slice(0, at)}    ${source.slice(at)}`;
    const module = parser.update([{ rangeOffset: at, rangeLength: 0, text: '    ' }], text);
    const fresh = (await DocumentParser.create()).reset(text);
    assert.deepEqual(module, fresh);
    assert.equal(module.groups?.length, 3);
    parser.dispose();
  });
});
