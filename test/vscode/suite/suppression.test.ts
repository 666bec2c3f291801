import * as assert from 'node:assert/strict';
import { activateSeqLens, closeAllEditors, codeOf, hasCode, lineOf, openFixture, waitForDiagnostics } from './helpers';

describe('Suppression comments', () => {
  before(activateSeqLens);
  afterEach(closeAllEditors);

  it('`# seqlens: ignore` and `# seqlens: ignore[SL101]` keep their lines quiet; another code does not', async () => {
    const editor = await openFixture('suppressed.py');
    const diagnostics = await waitForDiagnostics(editor.document.uri, hasCode('SL101'));
    const lines = diagnostics.filter((d) => codeOf(d) === 'SL101').map((d) => d.range.start.line);
    assert.deepEqual(lines, [lineOf(editor.document, 'c, _ = gru(x)')]);
    assert.ok(!lines.includes(lineOf(editor.document, 'a, _ = gru(x)')));
    assert.ok(!lines.includes(lineOf(editor.document, 'b, _ = gru(x)')));
  });
});
