// Malformed and hostile predictions files: each ends in the project's clean error
// (`file[:line]: cause`, an InputError) or in the right answer, with bounded memory.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { main } from '../../../src/cli/main';
import { evaluate } from '../../../src/evaluation/evaluate';
import { InputError } from '../../../src/evaluation/errors';
import type { ClassificationResult } from '../../../src/evaluation/types';
import { readZip as readKerasZip } from '../../../src/evaluation/models/keras/zip';
import { ZipArchive } from '../../../src/evaluation/zip';
import { buildZip, deflateBomb, float64Data, withMemberBody, int64Data, npyBytes, npyHeader, zip64WithSizes } from './archive-builders';
import { FIXTURES, tempFile } from './helpers';
import { peakGrowthMB } from './memory-guard';

const MEMORY_GUARD_MB = 500;

/** Evaluates the file and expects an InputError whose message matches; memory stays bounded. */
async function refuses(path: string, cause: RegExp, options: Parameters<typeof evaluate>[1] = {}): Promise<InputError> {
  const { error, peakMB } = await peakGrowthMB(() => evaluate(path, { backend: 'cpu', ...options }));
  assert.ok(error instanceof InputError, `expected an InputError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  assert.match(error.message, cause);
  assert.ok(error.message.startsWith(path), `the message names the file: ${error.message}`);
  assert.ok(peakMB < MEMORY_GUARD_MB, `memory grew by ${peakMB.toFixed(0)} MB`);
  return error;
}

async function classify(path: string, options: Parameters<typeof evaluate>[1] = {}): Promise<ClassificationResult> {
  const result = await evaluate(path, { backend: 'cpu', ...options });
  assert.equal(result.task, 'classification');
  return result as ClassificationResult;
}

const binaryColumns = (n: number) => ({
  y_true: Array.from({ length: n }, (_, i) => i % 2),
  y_pred: Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 1 : 0)),
});

function npzOf(members: Record<string, Buffer>, method: 0 | 8 = 8) {
  return buildZip(Object.entries(members).map(([name, data]) => ({ name: `${name}.npy`, data, method })));
}

function goodNpz(method: 0 | 8 = 8) {
  const { y_true, y_pred } = binaryColumns(10);
  return npzOf({
    y_true: npyBytes(npyHeader('<i8', [10]), int64Data(y_true)),
    y_pred: npyBytes(npyHeader('<i8', [10]), int64Data(y_pred)),
  }, method);
}

describe('hostile predictions files', () => {
  describe('the shared zip reader', () => {
    it('lists members with their declared sizes and streams them back', async () => {
      const data = Buffer.from('hello, zip');
      const path = tempFile('a.zip', buildZip([{ name: 'a.txt', data }, { name: 'b.txt', data: Buffer.alloc(0), method: 0 }]).bytes);
      const zip = await ZipArchive.open(path);
      try {
        assert.deepEqual(zip.members.map((m) => [m.name, m.size]), [['a.txt', data.length], ['b.txt', 0]]);
        assert.equal((await zip.read(zip.member('a.txt')!)).toString(), 'hello, zip');
        assert.equal((await zip.read(zip.member('b.txt')!)).length, 0);
      } finally {
        zip.close();
      }
    });

    it('refuses members that declare more decompressed bytes than the cap, before inflating', async () => {
      const path = tempFile('a.zip', buildZip([{ name: 'big.bin', data: Buffer.alloc(1 << 20) }]).bytes);
      await assert.rejects(ZipArchive.open(path, { maxMemberBytes: 1000 }), (e: Error) => e instanceof InputError && /declares 1\.0 MiB once decompressed, more than the limit/.test(e.message));
      await assert.rejects(ZipArchive.open(path, { maxTotalBytes: 1000 }), (e: Error) => e instanceof InputError && /the members declare 1\.0 MiB/.test(e.message));
    });

    it('cuts off a member that inflates past its declared size', async () => {
      const built = buildZip([{ name: 'x.bin', data: Buffer.alloc(100_000) }]);
      built.bytes.writeUInt32LE(10, built.central[0] + 24); // declared size 10, real 100,000
      const zip = await ZipArchive.open(tempFile('a.zip', built.bytes));
      try {
        await assert.rejects(zip.read(zip.members[0]), (e: Error) => e instanceof InputError && /inflates past its declared size|longer than its declared/.test(e.message));
      } finally {
        zip.close();
      }
    });
  });

  describe('.keras archives go through the same reader', () => {
    it('a deflate bomb in a .keras file is refused before inflating', async () => {
      const header = Buffer.from('{}');
      const built = buildZip([{ name: 'model.weights.h5', data: header, method: 0 }]);
      const bytes = withMemberBody(built.bytes, built, 0, Buffer.concat([deflateRawSync(header, { finishFlush: constants.Z_SYNC_FLUSH }), deflateBomb(1024)]), 0xfffffffe);
      const { error, peakMB } = await peakGrowthMB(() => readKerasZip(bytes, 'm.keras'));
      assert.ok(error instanceof InputError);
      assert.match(error.message, /^m\.keras: member 'model\.weights\.h5' declares 4\.0 GiB once decompressed, more than the limit of 512\.0 MiB/);
      assert.ok(peakMB < MEMORY_GUARD_MB);
    });
  });

  describe('.npz', () => {
    it('reads a well-formed archive, stored or deflated', async () => {
      for (const method of [0, 8] as const) {
        const result = await classify(tempFile('p.npz', goodNpz(method).bytes));
        assert.equal(result.n, 10);
      }
    });

    it('a corrupt deflate stream', async () => {
      const built = goodNpz();
      built.bytes.fill(0xff, built.data[0], built.data[0] + 8);
      await refuses(tempFile('p.npz', built.bytes), /y_true\.npy.*(damaged compressed data|invalid)/);
    });

    it('a truncated deflate stream', async () => {
      const built = goodNpz();
      const body = deflateRawSync(npyBytes(npyHeader('<i8', [10]), int64Data(binaryColumns(10).y_true)));
      // Same archive with the first member's data cut to half, its sizes left as they were.
      const cut = buildZip([{ name: 'y_true.npy', data: Buffer.alloc(0), method: 0 }]);
      assert.ok(cut.bytes.length > 0 && body.length > 0);
      const truncated = Buffer.concat([built.bytes.subarray(0, built.data[0] + (body.length >> 1))]);
      await refuses(tempFile('p.npz', truncated), /not a zip archive, or a truncated one/);
    });

    it('a member of 0 bytes', async () => {
      const built = npzOf({ y_true: Buffer.alloc(0), y_pred: npyBytes(npyHeader('<i8', [1]), int64Data([1])) }, 0);
      await refuses(tempFile('p.npz', built.bytes), /\[y_true\]: the member is empty \(0 bytes\)/);
    });

    it('a directory that lies about its number of entries', async () => {
      const built = goodNpz();
      built.bytes.writeUInt16LE(200, built.end + 8);
      built.bytes.writeUInt16LE(200, built.end + 10);
      await refuses(tempFile('p.npz', built.bytes), /truncated|damaged zip archive \(invalid central directory file header signature/);
    });

    it('a directory entry whose name length runs past the end of the file', async () => {
      const built = goodNpz();
      built.bytes.writeUInt16LE(0xffff, built.central[1] + 28);
      await refuses(tempFile('p.npz', built.bytes), /truncated|damaged zip archive/);
    });

    it('a directory size of 0xFFFFFFF0 and an offset past the end', async () => {
      const built = goodNpz();
      built.bytes.writeUInt32LE(0xfffffff0, built.end + 12);
      // yauzl reads entries one by one from the offset, so a lying size alone costs nothing;
      // the archive still reads. A lying offset is refused.
      assert.equal((await classify(tempFile('p.npz', built.bytes))).n, 10);
      built.bytes.writeUInt32LE(0xfffffff0, built.end + 16);
      await refuses(tempFile('p.npz', built.bytes), /truncated|damaged zip archive/);
    });

    it('zip64 sizes of 2^63', async () => {
      const data = npyBytes(npyHeader('<i8', [2]), int64Data([0, 1]));
      await refuses(tempFile('p.npz', zip64WithSizes('y_true.npy', data, 2n ** 63n, BigInt(data.length))), /declares 8589934592\.0 GiB once decompressed, more than the limit|size mismatch for stored file/);
      await refuses(tempFile('p.npz', zip64WithSizes('y_true.npy', data, BigInt(data.length), 2n ** 63n)), /damaged zip archive|overflows file bounds/);
    });

    it('a member header that claims (2, 1000000) in a few hundred bytes', async () => {
      const header = npyBytes(npyHeader('<f8', [2, 1_000_000]));
      const built = npzOf({ y_true: npyBytes(npyHeader('<i8', [2]), int64Data([0, 1])), probs: header });
      await refuses(tempFile('p.npz', built.bytes), /\[probs\]: 'probs' has 1000000 columns; at most 65536/);
    });

    it('a member header that claims more rows than its bytes', async () => {
      const built = npzOf({ y_true: npyBytes(npyHeader('<i8', [100_000_000]), int64Data([0, 1])), y_pred: npyBytes(npyHeader('<i8', [2]), int64Data([0, 1])) });
      await refuses(tempFile('p.npz', built.bytes), /\[y_true\]: the header declares 100000000 rows of 8 bytes .* but the member holds 16 bytes/);
    });

    it('a deflate bomb: 2 MB that inflate to 2 GiB', async () => {
      const bomb = deflateBomb(2048);
      const header = npyBytes(npyHeader('|u1', [2 ** 31]));
      // The member is the header, stored, then the bomb; its declared size is the honest 2 GiB and more.
      const built = buildZip([{ name: 'y_true.npy', data: header, method: 0 }]);
      const path = tempFile('p.npz', withMemberBody(built.bytes, built, 0, Buffer.concat([deflateRawSync(header, { finishFlush: constants.Z_SYNC_FLUSH }), bomb]), header.length + 2 ** 31));
      await refuses(path, /\[?.*declares 2\.0 GiB once decompressed, more than the limit of 512\.0 MiB/);
    });

    it('a deflate bomb that declares a small size is cut off at that size', async () => {
      const header = npyBytes(npyHeader('|u1', [2 ** 31]));
      const built = buildZip([{ name: 'y_true.npy', data: header, method: 0 }]);
      const path = tempFile('p.npz', withMemberBody(built.bytes, built, 0, Buffer.concat([deflateRawSync(header, { finishFlush: constants.Z_SYNC_FLUSH }), deflateBomb(2048)]), header.length + 16));
      await refuses(path, /inflates past its declared size|declares 2147483648 rows of 1 bytes .* but the member holds 16 bytes/);
    });

    it('two members for one column (probs as a block and probs_0 alone)', async () => {
      const built = npzOf({
        y_true: npyBytes(npyHeader('<i8', [2]), int64Data([0, 1])),
        probs: npyBytes(npyHeader('<f8', [2, 2]), float64Data([0.9, 0.1, 0.2, 0.8])),
        probs_0: npyBytes(npyHeader('<f8', [2]), float64Data([0.9, 0.2])),
      });
      await refuses(tempFile('p.npz', built.bytes), /the column 'probs_0' appears twice/);
    });
  });

  describe('JSON and JSON Lines', () => {
    it('a bad escape in a column value', async () => {
      await refuses(tempFile('p.json', '{"y_true": ["a", "b\\q"], "y_pred": ["a", "b"]}'), /p\.json:1: not valid JSON \(Bad escaped character/);
    });

    it('a raw control character in a string', async () => {
      await refuses(tempFile('p.json', '{"y_true": ["a", "b\u0001"],\n "y_pred": ["a", "b"]}'), /p\.json:1: not valid JSON \(Bad control character/);
      await refuses(tempFile('p.json', '[{"y_true": "a\u0001", "y_pred": "a"}]'), /p\.json:1: not valid JSON/);
      await refuses(tempFile('p.jsonl', '{"y_true": "a", "y_pred": "a"}\n{"y_true": "a\u0001", "y_pred": "a"}\n'), /p\.jsonl:2: not valid JSON/);
    });

    it('a bad escape in a column name', async () => {
      await refuses(tempFile('p.json', '{"y_\\xtrue": [1, 0], "y_pred": [1, 0]}'), /p\.json:1: not valid JSON/);
    });

    it('bare words in the columns form are not labels', async () => {
      await refuses(tempFile('p.json', '{"y_true": [cat, dog], "y_pred": ["cat", "dog"]}'), /p\.json:1: not valid JSON \('cat' is not a JSON value/);
    });

    it('a four-letter word starting with t is not true, nor one starting with n null', async () => {
      await refuses(tempFile('p.json', '{"y_true": [true, txxx], "y_pred": [true, true]}'), /not valid JSON \('txxx' is not a JSON value/);
      await refuses(tempFile('p.json', '{"y_true": [1, 0], "y_pred": [1, nxxx]}'), /not valid JSON \('nxxx' is not a JSON value/);
      await refuses(tempFile('p.json', '{"y_true": [1, 0], "y_pred": [1, 0], "notes": [NaN, +1]}'), /not valid JSON \('NaN' is not a JSON value/);
    });

    it('still reads true, false, null and every JSON number spelling', async () => {
      const result = await classify(tempFile('p.json', '{"y_true": [true, false, true, false], "y_pred": [true, true, false, false], "w": [-0.5e-3, 1E+2, 0, null]}'));
      assert.deepEqual(result.confusionMatrix, [[1, 1], [1, 1]]);
    });

    it('a column named twice in the columns form', async () => {
      await refuses(tempFile('p.json', '{"y_true": [1, 0],\n "score": [0.9, 0.1],\n "y_true": [0, 1]}'), /p\.json:3: the column 'y_true' appears twice/);
    });

    it('a key named twice in a record, which JSON.parse would resolve silently', async () => {
      await refuses(tempFile('p.json', '[{"y_true": 1, "score": 0.9},\n {"y_true": 0, "score": 0.2, "score": 0.7}]'), /p\.json:2: the key 'score' appears twice in this record/);
      await refuses(tempFile('p.jsonl', '{"y_true": 1, "y_true": 0, "score": 0.9}\n'), /p\.jsonl:1: the key 'y_true' appears twice in this record/);
    });

    it('invalid UTF-8 in a label is refused, not merged with another label into U+FFFD', async () => {
      const two = (a: number, b: number) => Buffer.concat([Buffer.from('[{"y_true": "x'), Buffer.from([a]), Buffer.from('", "y_pred": "y"},\n{"y_true": "x'), Buffer.from([b]), Buffer.from('", "y_pred": "y"}]')]);
      await refuses(tempFile('p.json', two(0xff, 0xfe)), /p\.json:1: invalid UTF-8/);
      await refuses(tempFile('p.jsonl', Buffer.concat([Buffer.from('{"y_true": "a", "y_pred": "a"}\n{"y_true": "\xff'.replace('\xff', '')), Buffer.from([0xff]), Buffer.from('", "y_pred": "a"}\n')])), /p\.jsonl:2: invalid UTF-8/);
    });

    it('a genuine U+FFFD in a label is kept', async () => {
      const result = await classify(tempFile('p.json', '[{"y_true": "\uFFFD", "y_pred": "\uFFFD"}, {"y_true": "b", "y_pred": "b"}]'));
      assert.deepEqual(result.labels, ['b', '\uFFFD']);
    });
  });

  describe('CSV', () => {
    it('two y_true columns are refused, naming the column', async () => {
      await refuses(tempFile('p.csv', 'y_true,score,y_true\n1,0.9,0\n0,0.2,1\n'), /p\.csv: the column 'y_true' appears twice/);
    });

    it('two score columns are refused', async () => {
      await refuses(tempFile('p.csv', 'y_true,score,score\n1,0.9,0.1\n0,0.2,0.3\n'), /the column 'score' appears twice/);
    });

    it('an unused column named twice is harmless', async () => {
      const result = await classify(tempFile('p.csv', 'y_true,y_pred,note,note\n1,1,a,b\n0,1,c,d\n'));
      assert.equal(result.n, 2);
    });

    it('invalid UTF-8 labels are refused with their line, unquoted or quoted', async () => {
      const csv = (a: number[], b: number[]) => Buffer.concat([Buffer.from('y_true,y_pred\nok,ok\n'), Buffer.from(a), Buffer.from(',ok\n'), Buffer.from(b), Buffer.from(',ok\n')]);
      await refuses(tempFile('p.csv', csv([0x61, 0xff], [0x61, 0xfe])), /p\.csv:3: invalid UTF-8/);
      await refuses(tempFile('p.csv', csv([0x22, 0x61, 0xff, 0x22], [0x22, 0x61, 0xfe, 0x22])), /p\.csv:3: invalid UTF-8/);
    });
  });

  describe('class limits and the task', () => {
    const manyIntegers = (n: number) => `y_true,y_pred\n${Array.from({ length: n }, (_, i) => `${i},${(i * 7 + 3) % n}`).join('\n')}\n`;

    it('100,000 distinct integer labels with a y_pred column stay classification and are refused, suggesting --task regression', async () => {
      await refuses(tempFile('p.csv', manyIntegers(100_000)), /the true labels take more than 10000 distinct values, too many classes for a confusion matrix \(at most 4096\); if they are numbers to regress, pass --task regression/);
    });

    it('5,000 distinct integer labels are refused past the matrix limit with the same hint', async () => {
      await refuses(tempFile('p.csv', manyIntegers(5000)), /5000 classes are too many for a confusion matrix \(at most 4096\); if the labels are numbers to regress, pass --task regression/);
    });

    it('--task regression reads them as numbers', async () => {
      const result = await evaluate(tempFile('p.csv', manyIntegers(100_000)), { backend: 'cpu', task: 'regression' });
      assert.equal(result.task, 'regression');
      assert.equal(result.n, 100_000);
    });

    it('non-integer values are still a regression target without --task', async () => {
      const csv = `y_true,y_pred\n${Array.from({ length: 20_000 }, (_, i) => `${i / 10},${i / 10 + 0.5}`).join('\n')}\n`;
      assert.equal((await evaluate(tempFile('p.csv', csv), { backend: 'cpu' })).task, 'regression');
    });
  });

  describe('memory is bounded as soon as the header is read', () => {
    const classes = 100_000;
    it('a CSV header y_true,p_0..p_99999 (1 MB)', async () => {
      const header = ['y_true', ...Array.from({ length: classes }, (_, i) => `p_${i}`)].join(',');
      const row = ['0', ...Array.from({ length: classes }, () => '0')].join(',');
      await refuses(tempFile('p.csv', `${header}\n${row}\n`), /p\.csv: the file has 100001 columns; at most 65536 are read/);
    });

    it('10,000 per-class columns, more classes than a confusion matrix holds', async () => {
      const header = ['y_true', ...Array.from({ length: 10_000 }, (_, i) => `p_${i}`)].join(',');
      await refuses(tempFile('p.csv', `${header}\n0${',0'.repeat(10_000)}\n`), /10000 per-class score columns \(p_0, p_1, …\); a confusion matrix holds at most 4096 classes/);
    });

    it('the same as JSON columns and JSON records', async () => {
      const columns = `{"y_true": [0], ${Array.from({ length: classes }, (_, i) => `"p_${i}": [0]`).join(', ')}}`;
      await refuses(tempFile('p.json', columns), /the file has 100001 columns/);
      const record = `[{"y_true": 0, ${Array.from({ length: classes }, (_, i) => `"p_${i}": 0`).join(', ')}}]`;
      await refuses(tempFile('p.json', record), /the file has 100001 columns/);
    });

    it('4,000 per-class columns reserve nothing before their rows', async function () {
      // The report's matrix is 4,000 × 4,000 (16 M cells, 128 MB as number[][]): building it is the
      // work this case asks for, about 2-5 s on a loaded 2-core machine, so the suite's 20 s default
      // leaves too little room when eight processes share the cores.
      this.timeout(90_000);
      const k = 4000;
      const header = ['y_true', ...Array.from({ length: k }, (_, i) => `p_${i}`)].join(',');
      const row = (t: number) => [String(t), ...Array.from({ length: k }, (_, i) => (i === t ? '1' : '0'))].join(',');
      const path = tempFile('p.csv', `${header}\n${row(0)}\n${row(1)}\n`);
      const { error, peakMB } = await peakGrowthMB(() => evaluate(path, { backend: 'cpu' }));
      assert.equal(error, undefined);
      assert.ok(peakMB < MEMORY_GUARD_MB, `memory grew by ${peakMB.toFixed(0)} MB`);
    });
  });

  describe('.npy headers NumPy refuses', () => {
    const data = int64Data([0, 1, 1, 0]);
    const cases: [string, string, RegExp][] = [
      ['(-1,)', npyHeader('<i8', [-1]), /negative dimension -1/],
      ['(-100,)', npyHeader('<i8', [-100]), /negative dimension -100/],
      ['(abc,)', "{'descr': '<i8', 'fortran_order': False, 'shape': (abc,), }", /not a literal NumPy writes \(an unexpected token/],
      ['(0x10,)', "{'descr': '<i8', 'fortran_order': False, 'shape': (0x10,), }", /not a literal NumPy writes/],
      ['(16.0,)', "{'descr': '<i8', 'fortran_order': False, 'shape': (16.0,), }", /not a literal NumPy writes/],
      ["a missing 'shape'", "{'descr': '<i8', 'fortran_order': False, }", /must have the keys descr, fortran_order and shape/],
      ['<U0', npyHeader('<U0', [4]), /'y_true' has dtype '<U0': elements of 0 bytes hold nothing/],
      ['a field named twice', "{'descr': [('y_true', '<i8'), ('y_true', '<i8')], 'fortran_order': False, 'shape': (2,), }", /names the field 'y_true' twice/],
    ];
    for (const [what, header, cause] of cases) {
      it(`shape or dtype ${what}`, async () => {
        await refuses(tempFile('y_true.npy', npyBytes(header, data)), cause);
      });
    }

    it('a header that declares more rows than the file holds', async () => {
      await refuses(tempFile('y_true.npy', npyBytes(npyHeader('<i8', [1_000_000_000]), data)), /declares 1000000000 rows of 8 bytes .* but the file holds 32 bytes/);
    });

    it('a unicode label with an invalid code point', async () => {
      const bytes = Buffer.alloc(2 * 2 * 4);
      bytes.writeUInt32LE(0x61, 0);
      bytes.writeUInt32LE(0x110000, 8);
      const header = "{'descr': [('y_true', '<U1'), ('y_pred', '<U1')], 'fortran_order': False, 'shape': (2,), }";
      await refuses(tempFile('p.npy', npyBytes(header, bytes)), /'y_true' at row 1: holds the invalid code point 0x110000/);
    });

    it('byte-string labels that are not UTF-8 are refused, not merged into U+FFFD', async () => {
      const header = "{'descr': [('y_true', '|S1'), ('y_pred', '|S1')], 'fortran_order': False, 'shape': (2,), }";
      await refuses(tempFile('p.npy', npyBytes(header, Buffer.from([0xff, 0x61, 0xfe, 0x61]))), /'y_true' at row 0: is not valid UTF-8/);
    });
  });

  describe('valid .npy files NumPy writes', () => {
    // Written by test/fixtures/eval/npy/make.py with NumPy 1.24; the matrix is scikit-learn 1.2's
    // confusion_matrix on the same arrays (argmax of probs, score >= 0.5, and y_pred alike).
    const expected = [[27, 14], [15, 44]];

    it('a sub-array field, probs (2,), read at the row stride of 16 bytes', async () => {
      const result = await classify(join(FIXTURES, 'npy', 'subarray.npy'));
      assert.deepEqual(result.confusionMatrix, expected);
      assert.deepEqual(result.source.columns.classScores, ['probs_0', 'probs_1']);
    });

    it('an aligned struct (align=True: padding between the fields)', async () => {
      assert.deepEqual((await classify(join(FIXTURES, 'npy', 'aligned.npy'))).confusionMatrix, expected);
    });

    it('fields with titles', async () => {
      assert.deepEqual((await classify(join(FIXTURES, 'npy', 'titled.npy'))).confusionMatrix, expected);
    });
  });

  describe('seqlens eval on hostile files: file[:line]: cause, exit 2', () => {
    async function cli(path: string): Promise<{ code: number; err: string }> {
      let err = '';
      const code = await main(['eval', path, '--backend', 'cpu'], { out: () => undefined, err: (t) => { err += t; } });
      return { code, err };
    }
    const cases: [string, () => string, RegExp][] = [
      ['JSON with a raw control character', () => tempFile('p.json', '{"y_true": ["a",\n "b\u0001"], "y_pred": ["a", "b"]}'), /p\.json:2: not valid JSON/],
      ['CSV with two y_true columns', () => tempFile('p.csv', 'y_true,y_true,y_pred\n1,0,1\n'), /p\.csv: the column 'y_true' appears twice/],
      ['.npy with a negative dimension', () => tempFile('p.npy', npyBytes(npyHeader('<i8', [-1]), int64Data([1]))), /p\.npy: the shape has the negative dimension -1/],
      ['.npz whose directory lies about its entries', () => {
        const built = goodNpz();
        built.bytes.writeUInt16LE(9, built.end + 10);
        return tempFile('p.npz', built.bytes);
      }, /p\.npz: (the zip archive is truncated|damaged zip archive)/],
      ['.npz with a corrupt deflate stream', () => {
        const built = goodNpz();
        built.bytes.fill(0xff, built.data[1], built.data[1] + 8);
        return tempFile('p.npz', built.bytes);
      }, /p\.npz: member 'y_pred\.npy': damaged compressed data/],
    ];
    for (const [what, make, cause] of cases) {
      it(what, async () => {
        const path = make();
        const { code, err } = await cli(path);
        assert.equal(code, 2);
        assert.match(err, cause);
        assert.ok(err.startsWith(`seqlens eval: ${path}`), err);
        assert.equal(err.trim().split('\n').length, 1, 'one line');
      });
    }
  });
});
