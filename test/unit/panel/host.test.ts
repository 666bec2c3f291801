// The panel host's pure parts: message validation, the state it restores, where a row sits in its
// file, and the report exports.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { evaluate } from '../../../src/evaluation/evaluate';
import { toPanelRun, toTaggingPanelRun, type PanelRun } from '../../../src/evaluation/report/panel';
import { evaluateTaggingFile } from '../../../src/evaluation/sequence/tagging/evaluate';
import { lineOfDataRow } from '../../../src/extension/panel/locate-row';
import { isMatrixSvg, modelRunArgs, parsePanelMessage, runsFromState, safeFileName } from '../../../src/extension/panel/messages';
import { csvField, markdownText, reportCsv, reportJson, reportMarkdown } from '../../../src/extension/panel/report-export';
import { contentSecurityPolicy, panelHtml } from '../../../src/extension/panel/html';
import { RunRegistry, type RunMemento } from '../../../src/extension/panel/run-registry';
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

  it('takes a render report with whether it was painted and why it failed, and nothing else', () => {
    assert.deepEqual(parsePanelMessage({ type: 'rendered', runs: 1, ms: 12.5, painted: true }, RUNS), { type: 'rendered', runs: 1, ms: 12.5, painted: true });
    assert.deepEqual(parsePanelMessage({ type: 'rendered', runs: 1, ms: 1000, painted: false, extra: 'x' }, RUNS), { type: 'rendered', runs: 1, ms: 1000, painted: false });
    const failed = parsePanelMessage({ type: 'rendered', runs: 1, ms: 3, painted: true, error: 'x'.repeat(2000) }, RUNS);
    assert.ok(failed && failed.type === 'rendered' && failed.error?.length === 500);
    for (const bad of [{ type: 'rendered', runs: 4, ms: 1 }, { type: 'rendered', runs: 1, ms: -1 }, { type: 'rendered', runs: 1, ms: Infinity }, { type: 'rendered', runs: 1 }]) {
      assert.equal(parsePanelMessage(bad, RUNS), undefined, JSON.stringify(bad));
    }
  });

  it('takes a line to open only in a tagged file\'s run, from 1', () => {
    const runs = [...RUNS, { n: 40, task: 'sequence-labelling' as const }];
    assert.deepEqual(parsePanelMessage({ type: 'openLine', run: 2, line: 17 }, runs), { type: 'openLine', run: 2, line: 17 });
    for (const bad of [{ type: 'openLine', run: 0, line: 3 }, { type: 'openLine', run: 2, line: 0 }, { type: 'openLine', run: 2, line: 2.5 }, { type: 'openLine', run: 2, line: 2 ** 31 }, { type: 'openLine', run: 3, line: 1 }]) {
      assert.equal(parsePanelMessage(bad, runs), undefined, JSON.stringify(bad));
    }
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

  it('takes an SVG only when every element, attribute and text is one the matrix export writes', () => {
    const ok = [
      '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100" font-family="sans-serif">',
      '<rect width="200" height="100" fill="rgb(30, 30, 30)"/>',
      '<rect x="80" y="40" width="64" height="64" fill="rgb(55, 148, 255)"><title>true &lt;b&gt; → predicted &amp;</title></rect>',
      '<text x="112" y="72" font-size="13" text-anchor="middle" dominant-baseline="central" fill="rgb(204, 204, 204)">9,776</text>',
      '<text transform="translate(112 36) rotate(-60)" font-size="12" fill="rgb(204, 204, 204)">=HYPERLINK(&quot;x&quot;)</text>',
      '</svg>',
    ];
    assert.ok(isMatrixSvg(ok.join('\n')));
    const replace = (at: number, line: string) => ok.map((l, i) => (i === at ? line : l)).join('\n');
    for (const bad of [
      replace(2, '<script>alert(1)</script>'),
      replace(2, '<rect x="1" y="1" width="1" height="1" fill="red" onload="alert(1)"/>'),
      replace(2, '<rect x="1" y="1" width="1" height="1" fill="url(https://evil.example/x)"/>'),
      replace(2, '<foreignObject><div>hi</div></foreignObject>'),
      replace(2, '<a href="javascript:alert(1)"><text>x</text></a>'),
      replace(3, '<text x="1" y="1" font-size="13" fill="red">a<b</text>'),
      replace(3, '<text x="1" y="1" font-size="13" fill="red">&xxe;</text>'),
      replace(2, '<title>loose</title>'),
      `<?xml-stylesheet href="x"?>${ok.join('\n')}`,
      `${ok.join('\n')}<svg xmlns="http://www.w3.org/2000/svg"></svg>`,
      ok.slice(0, -1).join('\n'),
      ok.join('\n').replace('http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml'),
    ]) assert.equal(isMatrixSvg(bad), false, bad);
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

describe('report exports neutralise what the data holds', () => {
  it('CSV: text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers', () => {
    assert.equal(csvField('=HYPERLINK("http://x","y")'), '"\'=HYPERLINK(""http://x"",""y"")"');
    for (const text of ['+1', '-cmd', '@SUM(A1)', '\tx', '\rx']) assert.ok(csvField(text).replace(/^"/, '').startsWith("'"), text);
    assert.equal(csvField(-1), '-1');
    assert.equal(csvField('spam'), 'spam');
  });

  it('Markdown: HTML in labels, paths and warnings is escaped, not passed through', () => {
    assert.equal(markdownText('<img src=x onerror=alert(1)>'), '&lt;img src=x onerror=alert(1)&gt;');
    assert.equal(markdownText('a|b\n`c`'), 'a\\|b \\`c\\`');
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

describe('report exports of a tagged file', () => {
  let run: PanelRun;
  before(async () => {
    run = JSON.parse(JSON.stringify(toTaggingPanelRun(await evaluateTaggingFile(join(REPO, 'test', 'fixtures', 'sequence', 'well_formed_iob2.conll'), { examples: true }))));
  });

  it('Markdown and CSV lead with token accuracy and the entity F1 averages, in tokens and without a backend', () => {
    const report = run.report as { tokenAccuracy: number; entities: { micro: { f1: number } } };
    const md = reportMarkdown(run);
    assert.match(md, new RegExp(`\\| token accuracy \\| ${report.tokenAccuracy.toFixed(4)} \\|`));
    assert.match(md, new RegExp(`\\| entity micro F1 \\| ${report.entities.micro.f1.toFixed(4)} \\|`));
    assert.match(md, /tokens · conll · task sequence-labelling · /);
    assert.doesNotMatch(md, /backend/);
    assert.ok(reportCsv(run).split('\n').includes(`metric,token accuracy,,,${report.tokenAccuracy}`));
  });

  it('is restored from a saved state like the other tasks', () => {
    assert.equal(runsFromState({ runs: [run] }).length, 1);
  });
});

describe('runs restored after a reload', () => {
  function memento(): RunMemento {
    const store = new Map<string, unknown>();
    return { get: <T>(key: string) => store.get(key) as T | undefined, update: async (key: string, value: unknown) => { store.set(key, value); } };
  }
  const run = (path: string, rerun?: string[]) => ({ version: 1, task: 'classification', n: 3, source: { path, format: 'csv' }, report: {}, ...(rerun ? { rerun } : {}) }) as unknown as PanelRun;

  it('take their file path and re-run arguments from the extension\'s record, matched by id, not from the state', async () => {
    const registry = new RunRegistry(memento());
    const shown = await registry.register(run('/work/preds.csv', ['--model', '/work/m.py', '--data', '/work/d.jsonl']));
    assert.match(String(shown.runId), /^[0-9a-f]{24}$/);
    // The webview's saved state was edited: other paths, same id.
    const tampered = { ...shown, source: { ...shown.source, path: '/etc/passwd' }, rerun: ['--model', '/tmp/evil.py', '--data', '/etc/shadow'] };
    const { runs, trusted } = registry.restore(runsFromState({ runs: [tampered] }));
    assert.deepEqual(trusted, [true]);
    assert.equal(runs[0].source.path, '/work/preds.csv');
    assert.deepEqual(runs[0].rerun, ['--model', '/work/m.py', '--data', '/work/d.jsonl']);
  });

  it('are untrusted when the extension has no record of their id, and lose their re-run arguments', async () => {
    const registry = new RunRegistry(memento());
    await registry.register(run('/work/preds.csv'));
    for (const runId of [undefined, 'f'.repeat(24), 42]) {
      const forged = { ...run('/etc/passwd', ['--model', '/tmp/evil.py', '--data', '/x']), runId };
      const { runs, trusted } = registry.restore(runsFromState({ runs: [forged] }));
      assert.deepEqual(trusted, [false]);
      assert.equal(runs[0].rerun, undefined);
    }
  });

  it('keep one record per run shown, the newest 50', async () => {
    const store = memento();
    const registry = new RunRegistry(store);
    const first = await registry.register(run('/w/0.csv'));
    assert.equal((await registry.register(first)).runId, first.runId);
    for (let i = 1; i <= 60; i++) await registry.register(run(`/w/${i}.csv`));
    assert.equal((store.get('seqlens.panel.runs') as unknown[]).length, 50);
    assert.equal(registry.lookup(first.runId), undefined);
  });
});
