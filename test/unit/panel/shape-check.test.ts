// The shape check the host takes from `seqlens eval --verify-shapes --format json` and the panel lists.
import { strict as assert } from 'node:assert';
import { formatShapeCheckLog, shapeCheckFromState, toShapeCheckView } from '../../../src/extension/panel/shape-check';

const PRINTED = {
  className: 'GRUClassifier',
  batch: 3,
  length: 13,
  inputShape: [3, 13],
  rows: [
    { line: 13, expression: 'self.embedding(x)', kind: 'Embedding', name: 'embedded', analysedShape: '(…, 16)', expectedShape: '(B, T, 16)', realShape: [3, 13, 16], agrees: true },
    { line: 14, expression: 'self.gru(embedded)', kind: 'GRU', name: 'out', analysedShape: null, expectedShape: '(B, T, 24)', realShape: [3, 13, 24], agrees: true },
    { line: 16, expression: 'self.fc(out[:, -1, :])', kind: 'Linear', name: null, analysedShape: '(B, 5)', expectedShape: '(B, 4)', realShape: [3, 4], agrees: false },
  ],
  mismatches: 1,
};

describe('shape check view', () => {
  it('turns each printed step into a row: layer, inferred shape and where it comes from, real shape, match', () => {
    const view = toShapeCheckView(JSON.parse(JSON.stringify(PRINTED)), '/w/model.py');
    assert.ok(view);
    assert.equal(view.className, 'GRUClassifier');
    assert.equal(view.path, '/w/model.py');
    assert.deepEqual(view.rows.map((r) => [r.line, r.layer, r.kind, r.inferred, r.inferredFrom, r.real, r.match]), [
      [13, 'embedded = self.embedding(x)', 'Embedding', '(…, 16)', 'analysis', '(3, 13, 16)', true],
      [14, 'out = self.gru(embedded)', 'GRU', '(B, T, 24)', 'layer sizes', '(3, 13, 24)', true],
      [16, 'self.fc(out[:, -1, :])', 'Linear', '(B, 5)', 'analysis', '(3, 4)', false],
    ]);
    assert.equal(view.mismatches, 1);
  });

  it('refuses output that is not a shape check', () => {
    for (const bad of [null, [], 'text', { ...PRINTED, rows: 'x' }, { ...PRINTED, batch: -1 },
      { ...PRINTED, rows: [{ ...PRINTED.rows[0], realShape: [3, 'T'] }] },
      { ...PRINTED, rows: [{ ...PRINTED.rows[0], agrees: 'yes' }] },
      { ...PRINTED, rows: [{ ...PRINTED.rows[0], name: 7 }] }]) {
      assert.equal(toShapeCheckView(bad, 'm.py'), undefined, JSON.stringify(bad));
    }
  });

  it('is restored from the webview state only when it has the shape this version draws', () => {
    const view = toShapeCheckView(PRINTED, 'm.py')!;
    assert.deepEqual(shapeCheckFromState({ runs: [], shapeCheck: view }), view);
    assert.equal(shapeCheckFromState({ runs: [] }), undefined);
    assert.equal(shapeCheckFromState({ shapeCheck: { ...view, version: 2 } }), undefined);
    assert.equal(shapeCheckFromState({ shapeCheck: { ...view, rows: [{ line: 1 }] } }), undefined);
  });

  it('logs one line per step with mismatches marked', () => {
    const text = formatShapeCheckLog(toShapeCheckView(PRINTED, 'm.py')!);
    const lines = text.split('\n');
    assert.match(lines[0], /GRUClassifier \(m\.py\): dummy batch of 3 sequences of length 13/);
    assert.match(lines[2], /^13\s+embedded = self\.embedding\(x\)\s+Embedding\s+\(…, 16\)\s+\(3, 13, 16\)\s+ok$/);
    assert.match(lines[4], /MISMATCH$/);
    assert.equal(lines[5], '1 inferred shape(s) differ from the real ones.');
  });
});
