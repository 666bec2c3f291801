// `--format html`: one self-contained page (no script, no remote content) with the report,
// the confusion matrix as a heat map, and the ROC and PR curves as inline SVG.
import type { ClassificationResult, EvaluationResult, PrCurve, RocCurve } from '../types';
import { WARNING_CATALOGUE } from '../warnings';
import type { CalibrationResult } from '../sequence/calibration-report';
import { bucketName, LengthBuckets } from '../sequence/length-buckets';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function num(value: number): string {
  return Number.isNaN(value) ? 'nan' : value.toFixed(3);
}

export function formatHtml(result: EvaluationResult): string {
  const s = result.source;
  const parts: string[] = [];
  parts.push(`<h1>SeqLens evaluation</h1><p><code>${escapeHtml(s.path)}</code> · ${s.format} · ${result.n} ${result.task === 'language-model' ? 'tokens' : 'rows'} · task ${result.task} · backend <b>${result.backend}</b></p>`);
  if (result.warnings.length > 0) {
    parts.push('<section class="warnings"><h2>Warnings</h2><ul>');
    for (const w of result.warnings) {
      const rule = WARNING_CATALOGUE[w.code];
      parts.push(`<li><b>${w.code} ${escapeHtml(rule?.name ?? '')}</b>: ${escapeHtml(w.message)}${rule ? `<br><small>${escapeHtml(rule.why)} ${escapeHtml(rule.tryThis)}</small>` : ''}</li>`);
    }
    parts.push('</ul></section>');
  }
  if (result.task === 'regression') {
    parts.push(table(['metric', 'value'], [['MSE', num(result.mse)], ['RMSE', num(result.rmse)], ['MAE', num(result.mae)], ['R²', num(result.r2)]]));
    if (result.lengthBuckets) parts.push(...lengthSections(result.lengthBuckets));
  } else if (result.task === 'language-model') {
    parts.push(table(['metric', 'value'], [['cross-entropy (nats/token)', num(result.crossEntropy)], ['perplexity (corpus)', num(result.perplexity)]]));
    if (result.lengthBuckets) parts.push(...lengthSections(result.lengthBuckets));
  } else {
    parts.push(...classificationSections(result));
    if (result.lengthBuckets) parts.push(...lengthSections(result.lengthBuckets));
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SeqLens evaluation</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th{background:#f4f4f4}.warnings{background:#fff6e0;border:1px solid #e0b44c;padding:.5em 1em}
.matrix td{min-width:3em}svg{border:1px solid #ccc;margin-right:1em}
</style></head><body>
${parts.join('\n')}
</body></html>
`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</table>`;
}

function classificationSections(r: ClassificationResult): string[] {
  const out: string[] = [];
  out.push('<h2>Per class</h2>');
  out.push(table(['class', 'precision', 'recall', 'F1', 'support'], [
    ...r.perClass.map((c) => [String(c.label), num(c.precision), num(c.recall), num(c.f1), String(c.support)]),
    ['micro avg', num(r.micro.precision), num(r.micro.recall), num(r.micro.f1), String(r.n)],
    ['macro avg', num(r.macro.precision), num(r.macro.recall), num(r.macro.f1), String(r.n)],
    ['weighted avg', num(r.weighted.precision), num(r.weighted.recall), num(r.weighted.f1), String(r.n)],
  ]));
  out.push(table(['accuracy', 'balanced accuracy', 'MCC', "Cohen's κ"], [[num(r.accuracy), num(r.balancedAccuracy), num(r.mcc), num(r.kappa)]]));
  out.push('<h2>Confusion matrix</h2><p>Rows are true classes, columns predicted; shading is the share of the row (recall).</p>');
  const header = `<tr><th>true \\ predicted</th>${r.labels.map((l) => `<th>${escapeHtml(String(l))}</th>`).join('')}</tr>`;
  const rows = r.confusionMatrix.map((row, t) => {
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((c) => {
      const share = total === 0 ? 0 : c / total;
      return `<td style="background:rgba(31,119,180,${share.toFixed(3)});color:${share > 0.5 ? '#fff' : '#222'}">${c}</td>`;
    });
    return `<tr><th>${escapeHtml(String(r.labels[t]))}</th>${cells.join('')}</tr>`;
  });
  out.push(`<table class="matrix">${header}${rows.join('')}</table>`);
  if (r.scores) {
    const sc = r.scores;
    out.push('<h2>Scores</h2>');
    out.push(table(['ROC AUC', 'average precision', 'log loss', 'threshold'], [[num(sc.rocAuc), num(sc.averagePrecision), num(sc.logLoss), sc.threshold === null ? '—' : String(sc.threshold)]]));
    out.push(`<div>${sc.curves.roc.map(rocSvg).join('')}${sc.curves.pr.map(prSvg).join('')}</div>`);
    if (sc.calibration) out.push(...calibrationSections(sc.calibration));
  }
  return out;
}

function polyline(xs: number[], ys: number[]): string {
  const points: string[] = [];
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i]) || !Number.isFinite(ys[i])) continue;
    points.push(`${(20 + xs[i] * 200).toFixed(1)},${(220 - ys[i] * 200).toFixed(1)}`);
  }
  return `<polyline fill="none" stroke="#1f77b4" stroke-width="1.5" points="${points.join(' ')}"/>`;
}

function frame(title: string, x: string, y: string, body: string): string {
  return `<svg width="240" height="250" viewBox="0 0 240 250" role="img" aria-label="${escapeHtml(title)}"><rect x="20" y="20" width="200" height="200" fill="none" stroke="#999"/>${body}<text x="120" y="14" text-anchor="middle" font-size="11">${escapeHtml(title)}</text><text x="120" y="240" text-anchor="middle" font-size="10">${x}</text><text x="8" y="120" font-size="10" transform="rotate(-90 8 120)" text-anchor="middle">${y}</text></svg>`;
}

function rocSvg(curve: RocCurve): string {
  return frame(`ROC, class ${String(curve.label)}`, 'false positive rate', 'true positive rate', `<line x1="20" y1="220" x2="220" y2="20" stroke="#ddd"/>${polyline(curve.fpr, curve.tpr)}`);
}

function prSvg(curve: PrCurve): string {
  return frame(`PR, class ${String(curve.label)}`, 'recall', 'precision', polyline(curve.recall, curve.precision));
}

function calibrationSections(c: CalibrationResult): string[] {
  const out = [`<h2>Calibration</h2><p>${c.bins} uniform bins, right-closed (a score on an edge goes to the lower bin), as scikit-learn's <code>calibration_curve</code>.</p>`];
  const rows: string[][] = [];
  if (c.topLabel) rows.push(['top label', num(c.topLabel.ece), num(c.topLabel.mce), '—', `confidence ${num(c.topLabel.meanConfidence)}, accuracy ${num(c.topLabel.accuracy)}`]);
  for (const k of c.perClass) rows.push([`class ${String(k.label)}`, num(k.ece), num(k.mce), num(k.brier), 'one versus rest']);
  out.push(table(['', 'ECE', 'MCE', 'Brier', ''], rows));
  const curve = c.topLabel ?? c.perClass[0];
  if (curve) {
    const diagonal = '<line x1="20" y1="220" x2="220" y2="20" stroke="#ddd"/>';
    const bars = curve.binIndex.map((b, i) => {
      const x = 20 + (b / c.bins) * 200;
      const w = 200 / c.bins;
      const h = curve.probTrue[i] * 200;
      return `<rect x="${x.toFixed(1)}" y="${(220 - h).toFixed(1)}" width="${(w - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="rgba(31,119,180,.35)"/>`;
    }).join('');
    out.push(`<div>${frame(c.topLabel ? 'Reliability, top label' : `Reliability, class ${String(c.perClass[0].label)}`, 'mean confidence', 'fraction correct', `${diagonal}${bars}${polyline(curve.probPred, curve.probTrue)}`)}</div>`);
  }
  const t = c.temperature;
  if (t && c.topLabel) {
    out.push(t.temperature === null
      ? '<p>Temperature scaling: no finite temperature minimises the log loss on this data.</p>'
      : `<p><b>Temperature scaling, fitted on this same data</b> (so the figures after it are optimistic; fit T on a validation set): T = ${t.temperature.toFixed(4)}, log loss ${num(t.nllBefore)} → ${num(t.nllAfter)}, top-label ECE ${num(c.topLabel.ece)} → ${num(t.eceAfter)}.</p>`);
  }
  return out;
}

function lengthSections(l: LengthBuckets): string[] {
  if (l.source.kind === 'sequence-id') {
    return [
      `<h2>Perplexity by sequence length</h2><p>Sequences from <code>${escapeHtml(l.source.column)}</code>, their length the tokens each has; buckets right-closed as pandas.cut${l.edgesGiven ? '' : ', at the rounded 20/40/60/80% quantiles'}; perplexity is exp of the bucket's mean NLL per token.${l.unknown > 0 ? ` ${l.unknown} tokens name no sequence and are in no bucket.` : ''}</p>`,
      table(['length', 'sequences', 'tokens', 'mean NLL', 'perplexity'], l.buckets.map((b) => [bucketName(b), String(b.count), String(b.tokens), num(b.crossEntropy!), num(b.perplexity!)])),
    ];
  }
  const regression = l.buckets.some((b) => b.mse !== undefined);
  const out = [`<h2>By sequence length</h2><p>Lengths from <code>${escapeHtml(l.source.column)}</code> (${l.source.kind}); buckets right-closed as pandas.cut${l.edgesGiven ? '' : ', at the rounded 20/40/60/80% quantiles'}.</p>`];
  out.push(table(regression ? ['length', 'count', 'MSE', 'MAE'] : ['length', 'count', 'accuracy', 'macro F1'],
    l.buckets.map((b) => [bucketName(b), String(b.count), ...(regression ? [num(b.mse!), num(b.mae!)] : [num(b.accuracy!), num(b.macroF1!)])])));
  if (!regression) {
    const width = 200 / Math.max(1, l.buckets.length);
    const bars = l.buckets.map((b, i) => {
      const h = Number.isNaN(b.accuracy!) ? 0 : b.accuracy! * 200;
      return `<rect x="${(20 + i * width + 2).toFixed(1)}" y="${(220 - h).toFixed(1)}" width="${(width - 4).toFixed(1)}" height="${h.toFixed(1)}" fill="#1f77b4"><title>${escapeHtml(bucketName(b))}: accuracy ${num(b.accuracy!)}, ${b.count} samples</title></rect>`;
    }).join('');
    out.push(`<div>${frame('Accuracy by length', 'length bucket (short → long)', 'accuracy', bars)}</div>`);
  }
  return out;
}
