// The panel host's pure parts: message validation, the state it restores, where a row sits in its
// file, and the report exports.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { evaluate } from '../../../src/evaluation/evaluate';
import { toPanelRun, type PanelRun } from '../../../src/evaluation/report/panel';
import { lineOfDataRow } from '../../../src/extension/panel/locate-row';
import { modelRunArgs, parsePanelMessage, runsFromState, safeFileName } from '../../../src/extension/panel/messages';
import { reportCsv, reportJson, reportMarkdown } from '../../../src/extension/panel/report-export';
import { contentSecurityPolicy, panelHtml } from '../../../src/extension/panel/html';
import { REPO, tempFile } from '../evaluation/helpers';

const RUNS = [{ n: 100, task: 'classification' as const }, { n: 5, task: 'regression' as const }];
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('panel messages', () => {
  it('accepts a row to open only inside the run it names', () => {
    assert.deepEqual(parsePanelMessage({ type: 'openRow', run: 0, row: 99 }, RUNS), { type: 'openRow', run: 0, row: 99 });
    for (const bad of [
      { type: 'openRow', run: 0, row: 100 },
      { type: 'openRow', run: 0, row: -1 },
      { type: 'openRow', run: 0, row: 1.5 },
      { type: 'openRow', run: 0, row: '3' },
      { type: 'openRow', run: 2, row: 0 },
      { type: 'openRow', run: 1, row: 0 }, // a regression run has no cells to open
    ]) assert.equal(parsePanelMessage(bad, RUNS), undefined, JSON.stringify(bad));
  });

  it('drops unknown types, non-objects and report formats it does not write', () => {
    for (const bad of [null, 'openRow', 42, [], { type: 'runShell', command: 'rm -rf /' }, { type: 'exportReport', run: 0, format: 'html' }, { type: 'evaluateAgain', run: 5 }]) {
      assert.equal(parsePanelMessage(bad, RUNS), undefined, JSON.stringify(bad));
    }
    assert.deepEqual(parsePanelMessage({ type: 'exportReport', run: 1, format: 'csv', extra: true }, RUNS), { type: 'exportReport', run: 1, format: 'csv' });
  });

  it('takes a PNG only as a base64 data URL holding a PNG, and an SVG only as an svg document', () => {
    const png = parsePanelMessage({ type: 'exportImage', format: 'png', dataUrl: `data:image/png;base64,${PNG.toString('base64')}`, name: '../../etc/x.png' }, RUNS);
    assert.ok(png && png.type === 'exportImage');
    assert.deepEqual(Buffer.from(png.data), PNG);
    assert.equal(png.name, 'x.png');
    assert.equal(parsePanelMessage({ type: 'exportImage', format: 'png', dataUrl: `data:image/png;base64,${Buffer.from('GIF89a').toString('base64')}`, name: 'a' }, RUNS), undefined);
    assert.equal(parsePanelMessage({ type: 'exportImage', format: 'png', dataUrl: 'data:text/html;base64,PGI+', name: 'a' }, RUNS), undefined);
    assert.ok(parsePanelMessage({ type: 'exportImage', format: 'svg', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', name: 'm.svg' }, RUNS));
    assert.equal(parsePanelMessage({ type: 'exportImage', format: 'svg', svg: '<html><script>alert(1)</script></html>', name: 'm.svg' }, RUNS), undefined);
  });

  it('names saved files without folders, with the format\'s extension', () => {
    assert.equal(safeFileName('C:\\Users\\x\\report.exe', 'md'), 'report.md');
    assert.equal(safeFileName(undefined, 'csv'), 'seqlens-evaluation.csv');
  });

  it('restores runs from a saved state only when every run has the panel\'s shape', () => {
    const run = { version: 1, task: 'classification', n: 3, source: { path: '/p.csv' }, report: {} };
    assert.equal(runsFromState({ runs: [run] }).length, 1);
    assert.deepEqual(runsFromState({ runs: [run, { version: 2 }] }), []);
    assert.deepEqual(runsFromState('nonsense'), []);
  });
});

describe('running a model again from a saved run', () => {
  it('takes back only model, class, weights and data options', () => {
    const args = ['--model', '/w/m.py', '--class', 'Encoder', '--weights', '/w/m.safetensors', '--data', '/w/x.npy'];
    assert.deepEqual(modelRunArgs(args), args);
    for (const bad of [
      ['--model', '/w/m.py', '--out', '/home/u/.bashrc'],
      ['--model', '/w/m.py', '--predictions-out', '/tmp/x.csv'],
      ['--data', '/w/x.npy'],
      ['--model', '--format'],
      ['--model'],
      'nonsense',
      [],
    ]) assert.equal(modelRunArgs(bad), undefined, JSON.stringify(bad));
  });
});

describe('panel HTML', () => {
  it('allows scripts only by nonce, and no inline styles, eval or remote content', () => {
    const policy = contentSecurityPolicy('https://file+.vscode-resource.vscode-cdn.net', 'abc');
    assert.match(policy, /default-src 'none'/);
    assert.match(policy, /script-src 'nonce-abc'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|https?:\/\/\*|\*/);
    const html = panelHtml({ cspSource: 'vscode-resource:', nonce: 'n0nce', scriptUri: 'vscode-resource:/media/dist/panel.js', styleUri: 'vscode-resource:/media/dist/panel.css' });
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /<script nonce="n0nce" src="vscode-resource:\/media\/dist\/panel.js"><\/script>/);
  });
});

describe('locating a data row in its file', () => {
  it('counts CSV records past the header, blank lines and quoted cells that span lines', async () => {
    const file = tempFile('rows.csv', 'y_true,text\n0,plain\n\n1,"two\nlines"\n0,last\n');
    assert.equal(await lineOfDataRow(file, 'csv', 0), 1);
    assert.equal(await lineOfDataRow(file, 'csv', 1), 3);
    assert.equal(await lineOfDataRow(file, 'csv', 2), 5);
    assert.equal(await lineOfDataRow(file, 'csv', 3), null);
  });

  it('counts JSON Lines records, skipping blank lines, and has no line for a JSON document', async () => {
    const file = tempFile('rows.jsonl', '{"y_true":1}\n\n   \n{"y_true":0}');
    assert.equal(await lineOfDataRow(file, 'jsonl', 1), 3);
    assert.equal(await lineOfDataRow(tempFile('d.json', '[{"y_true":1}]'), 'json', 0), null);
  });

  it('agrees with the row numbers the engine gives the cell samples', async () => {
    const path = join(REPO, 'test', 'examples', 'predictions', 'spam_accuracy_paradox.csv');
    const result = await evaluate(path, { backend: 'cpu', cellSamples: true });
    assert.equal(result.task, 'classification');
    const lines = (await import('node:fs')).readFileSync(path, 'utf8').split('\n');
    const cell = result.task === 'classification' ? result.cellSamples!.cells.find((c) => c.truth === 1 && c.predicted === 0)! : null;
    for (const [i, row] of cell!.rows.slice(0, 5).entries()) {
      const line = await lineOfDataRow(path, 'csv', row);
      assert.ok(lines[line!].startsWith('spam,ham,'), lines[line!]);
      assert.ok(lines[line!].includes(cell!.fields![i][1]));
    }
  });
});

describe('report exports', () => {
  let run: PanelRun;
  before(async () => {
    run = JSON.parse(JSON.stringify(toPanelRun(await evaluate(join(REPO, 'test', 'examples', 'predictions', 'spam_accuracy_paradox.csv'), { backend: 'cpu' }))));
  });

  it('Markdown holds the metrics, the per-class table, the matrix and the warnings', () => {
    const md = reportMarkdown(run);
    assert.match(md, /\| accuracy \| 0\.9800 \|/);
    assert.match(md, /\| spam \| 0\.500 \| 0\.120 \| 0\.194 \| 200 \|/);
    assert.match(md, /\| \*\*spam\*\* \| 176 \| 24 \|/);
    assert.match(md, /\*\*SLE101 accuracy-paradox\*\*/);
  });

  it('CSV has one value per row, the matrix cells included', () => {
    const csv = reportCsv(run).trim().split('\n');
    assert.equal(csv[0], 'section,name,class,predicted,value');
    assert.ok(csv.includes('confusion,count,spam,ham,176'));
    assert.ok(csv.includes('per-class,recall,spam,,0.12'));
  });

  it('JSON is the seqlens eval --format json report', () => {
    const json = JSON.parse(reportJson(run));
    assert.deepEqual(json.confusionMatrix, [[9776, 24], [176, 24]]);
    assert.equal(json.warnings[0].code, 'SLE101');
  });
});
