// Reading predictions files: formats, column detection, and bad input that names file, line and cause.
import { strict as assert } from 'node:assert';
import { evaluate } from '../../../src/evaluation/evaluate';
import { InputError } from '../../../src/evaluation/errors';
import { readPredictions } from '../../../src/evaluation/readers/index';
import { parseNumberBytes } from '../../../src/evaluation/readers/numbers';
import { tempFile } from './helpers';

async function rejects(path: string, pattern: RegExp, options = {}): Promise<InputError> {
  try {
    await evaluate(path, { backend: 'cpu', ...options });
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected ${path} to be rejected`);
}

describe('reading predictions files', () => {
  it('parses decimal numbers from bytes exactly as Number() does', () => {
    const samples = ['0.1', '0.5', '1e-7', '-2.5E3', '0.12345678901234567', '123456789012345678', '.5', '5.', '+3', '0', '-0', '1e300', '4.9e-324'];
    for (const text of samples) {
      const buf = Buffer.from(`x${text}y`);
      assert.ok(Object.is(parseNumberBytes(buf, 1, buf.length - 1), Number(text)), text);
    }
    for (let i = 0; i < 2000; i++) {
      const text = String(Math.random() * 10 ** Math.floor(Math.random() * 10 - 5));
      const buf = Buffer.from(text);
      assert.equal(parseNumberBytes(buf, 0, buf.length), Number(text), text);
    }
  });

  it('reads quoted CSV cells with commas, doubled quotes and newlines', async () => {
    const path = tempFile('q.csv', 'text,y_true,y_pred\n"a, b",x,x\n"say ""hi""",y,y\n"two\nlines",x,y\n');
    const table = await readPredictions(path);
    assert.equal(table.rows, 3);
    assert.deepEqual(table.yTrue!.kind === 'labels' && table.yTrue!.dictionary, ['x', 'y']);
    assert.equal(table.choice.key, 'text');
  });

  it('accepts CRLF line ends, a byte-order mark and blank lines', async () => {
    const path = tempFile('crlf.csv', '\ufeffy_true,y_pred\r\n1,1\r\n\r\n0,1\r\n');
    const r = await evaluate(path, { backend: 'cpu' });
    assert.equal(r.n, 2);
    assert.ok(r.task === 'classification');
    assert.deepEqual(r.confusionMatrix, [[0, 1], [0, 1]]);
  });

  it('reads TSV by its extension', async () => {
    const r = await evaluate(tempFile('p.tsv', 'label\tprediction\ncat\tcat\ndog\tcat\n'), { backend: 'cpu' });
    assert.ok(r.task === 'classification');
    assert.deepEqual(r.labels, ['cat', 'dog']);
  });

  it('detects columns by common names and lets options override them', async () => {
    const path = tempFile('cols.csv', 'gold,guess,target,prediction\n1,0,a,a\n0,0,b,a\n');
    const detected = await readPredictions(path);
    assert.equal(detected.choice.true, 'target');
    assert.equal(detected.choice.pred, 'prediction');
    const chosen = await readPredictions(path, { columns: { true: 'gold', pred: 'guess' } });
    assert.equal(chosen.choice.true, 'gold');
    assert.equal(chosen.choice.pred, 'guess');
  });

  it('detects per-class probability columns and the class each names', async () => {
    const table = await readPredictions(tempFile('pc.csv', 'y_true,p_spam,p_ham\nspam,0.9,0.1\nham,0.2,0.8\n'));
    assert.deepEqual(table.choice.classScores.map((c) => [c.name, c.className, c.kind]), [['p_spam', 'spam', 'probability'], ['p_ham', 'ham', 'probability']]);
  });

  it('names an unknown column and lists the columns that exist', async () => {
    await rejects(tempFile('u.csv', 'y_true,y_pred\n1,1\n'), /unknown score column 'prob' \(the columns are: y_true, y_pred\)/, { columns: { score: 'prob' } });
  });

  it('rejects a malformed row with its line number', async () => {
    const error = await rejects(tempFile('bad.csv', 'y_true,y_pred\n1,1\n0\n'), /bad\.csv:3: expected 2 fields \(y_true, y_pred\), found 1/);
    assert.equal(error.line, 3);
  });

  it('rejects a NaN score with its line', async () => {
    await rejects(tempFile('nan.csv', 'y_true,score\n1,0.5\n0,NaN\n'), /nan\.csv:3: column 'score': the score is NaN; scores must be finite/);
  });

  it('rejects an infinite score with its line', async () => {
    await rejects(tempFile('inf.csv', 'y_true,score\n1,inf\n'), /inf\.csv:2: column 'score': the score is inf/);
  });

  it('rejects text in a score column', async () => {
    await rejects(tempFile('t.csv', 'y_true,score\n1,high\n'), /t\.csv:2: column 'score': the score 'high' is not a number/);
  });

  it('rejects a missing label', async () => {
    await rejects(tempFile('m.csv', 'y_true,y_pred\n1,\n'), /m\.csv:2: column 'y_pred': the prediction is missing/);
  });

  it('rejects an empty file, and a header without rows', async () => {
    await rejects(tempFile('empty.csv', ''), /empty\.csv: the file is empty/);
    await rejects(tempFile('header.csv', 'y_true,y_pred\n'), /header\.csv: the file has a header but no rows/);
  });

  it('rejects a file it cannot read, naming it', async () => {
    await rejects('/nonexistent/preds.csv', /\/nonexistent\/preds\.csv: cannot read the file \(ENOENT\)/);
  });

  it('rejects an unknown extension', async () => {
    await rejects(tempFile('p.txt', 'y_true\n1\n'), /unknown file type '\.txt'/);
  });

  it('rejects JSON columns of unequal lengths', async () => {
    await rejects(tempFile('u.json', '{"y_true": [1, 0, 1], "y_pred": [1, 0]}'), /unequal lengths: column 'y_true' has 3 values but 'y_pred' has 2/);
  });

  it('rejects a JSON Lines record without a chosen key, with its line', async () => {
    await rejects(tempFile('k.jsonl', '{"y_true": 1, "y_pred": 1}\n{"y_true": 0}\n'), /k\.jsonl:2: the key 'y_pred' is missing/);
  });

  it('rejects invalid JSON Lines with the line', async () => {
    await rejects(tempFile('j.jsonl', '{"y_true": 1, "y_pred": 1}\n{"y_true": 0, \n'), /j\.jsonl:2: not valid JSON/);
  });

  it('reads a JSON array of records', async () => {
    const r = await evaluate(tempFile('r.json', '[{"y_true": "a", "y_pred": "a"},\n {"y_true": "b", "y_pred": "a"}]'), { backend: 'cpu' });
    assert.ok(r.task === 'classification');
    assert.deepEqual(r.confusionMatrix, [[1, 0], [1, 0]]);
  });

  it('rejects numbers in one label column and text in the other', async () => {
    await rejects(tempFile('mix.csv', 'y_true,y_pred\n1,spam\n0,ham\n'), /the true labels are numbers but the predictions are text/);
  });

  it('rejects a single score column over more than two classes', async () => {
    await rejects(tempFile('3.csv', 'y_true,score\n0,0.1\n1,0.5\n2,0.9\n'), /one score column needs two classes, but the labels hold 3/);
  });

  it('rejects a positive log-probability in a language-model file', async () => {
    await rejects(tempFile('lm.csv', 'logprob\n-1.2\n0.5\n'), /row 2: log-probability 0\.5 is above 0/);
  });

  it('rejects a .npy file whose magic string is wrong', async () => {
    await rejects(tempFile('x.npy', 'not numpy at all'), /not a NumPy \.npy array/);
  });

  it('streams a file larger than its read block', async () => {
    const rows = 500_000; // about 6 MB, past the 4 MB read block
    const lines = ['y_true,y_pred,score'];
    for (let i = 0; i < rows; i++) lines.push(`${i % 3 === 0 ? 1 : 0},${i % 2},${((i * 7919) % 1000) / 1000}`);
    const table = await readPredictions(tempFile('big.csv', `${lines.join('\n')}\n`));
    assert.equal(table.rows, rows);
    assert.equal(table.score![rows - 1], (((rows - 1) * 7919) % 1000) / 1000);
  });
});
