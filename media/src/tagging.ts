// Sequence labelling: token accuracy, entity-level precision, recall and F1 per type with the micro,
// macro and weighted averages, the entity-type confusion (click a cell to read the sentences behind
// it, gold and predicted entities marked), and the tag confusion matrix.
import { h } from './dom';
import { count, fixed } from './format';
import { renderMatrix, type MatrixCell } from './matrix';
import type { Normalisation, PanelRun } from './protocol';
import { card } from './widgets';

interface EntityRow { type: string; precision: number; recall: number; f1: number; support: number; predicted: number; correct: number }
interface EntityAverage { precision: number; recall: number; f1: number; support: number }
/** The keys of `seqlens eval --format json` for a tagged file. */
interface TaggingReport {
  sentences: number;
  mode: 'default' | 'strict';
  scheme: string | null;
  schemeDetected: boolean;
  tokenAccuracy: number;
  entities: {
    perType: EntityRow[];
    micro: EntityAverage;
    macro: EntityAverage;
    weighted: EntityAverage;
    confusion: { types: string[]; matrix: number[][]; boundaryErrors: number };
  };
  tags: { labels: string[]; confusion: number[][] };
}

interface Span { start: number; end: number; type: string }
interface ExampleSentence { sentence: number; line: number; offset: number; length: number; tokens: string[] | null; gold: Span[]; predicted: Span[] }
interface EntityExamples {
  perCell: number;
  limit: number;
  sentences: ExampleSentence[];
  cells: { gold: number; predicted: number; items: { sentence: number; start: number; end: number }[] }[];
}

export interface TaggingViewOptions {
  normalisation: Normalisation;
  selected: MatrixCell | null;
  onSelect(cell: MatrixCell): void;
  /** Opens the tagged file at the line where a listed sentence begins. */
  onOpenLine?(line: number): void;
}

const NONE = '(none)';

function modeText(report: TaggingReport): string {
  if (report.mode === 'strict') return `Strict mode, scheme ${report.scheme ?? '?'}${report.schemeDetected ? ' (detected from the gold tags, as seqeval does)' : ''}: only well-formed entities count.`;
  return 'Default mode (seqeval\'s default, conlleval-compatible): B/I/E/S prefixes; an I- with no B- starts an entity.';
}

function entityTable(report: TaggingReport): HTMLElement {
  const e = report.entities;
  const cells = (m: EntityAverage | EntityRow) => [
    h('td', { 'data-col': 'precision', text: fixed(m.precision) }), h('td', { 'data-col': 'recall', text: fixed(m.recall) }),
    h('td', { 'data-col': 'f1', text: fixed(m.f1) }), h('td', { 'data-col': 'support', text: count(m.support) })];
  return h('table', { class: 'metrics entity-table' },
    h('thead', {}, h('tr', {}, ['entity type', 'precision', 'recall', 'F1', 'support', 'predicted', 'correct'].map((name) => h('th', { scope: 'col', text: name })))),
    h('tbody', {},
      e.perType.map((t) => h('tr', { class: 'type-row' }, h('th', { scope: 'row', text: t.type }), cells(t), h('td', { text: count(t.predicted) }), h('td', { text: count(t.correct) }))),
      (['micro', 'macro', 'weighted'] as const).map((a) => h('tr', { class: 'average', 'data-average': a }, h('th', { scope: 'row', text: `${a} avg` }), cells(e[a]), h('td', {}), h('td', {})))));
}

/** One side of a sentence (gold or predicted): its tokens, the entities marked with their type, the listed one emphasised. */
function sentenceLine(example: ExampleSentence, side: 'gold' | 'predicted', focus: { start: number; end: number }): HTMLElement {
  const spans = side === 'gold' ? example.gold : example.predicted;
  const width = example.tokens?.length ?? Math.max(0, ...example.gold.map((s) => s.end + 1), ...example.predicted.map((s) => s.end + 1), focus.end + 1);
  const tokenAt = (i: number) => h('span', { class: `token${i >= focus.start && i <= focus.end ? ' focus' : ''}`, text: example.tokens ? example.tokens[i] : `#${example.offset + i + 1}` });
  const line = h('div', { class: `sentence-line ${side}` }, h('span', { class: 'side', text: side === 'gold' ? 'gold' : 'predicted' }));
  if (example.offset > 0) line.appendChild(h('span', { class: 'elided', text: '…' }));
  let i = 0;
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    for (; i < span.start; i++) line.append(tokenAt(i), ' ');
    const mark = h('mark', { class: `entity ${side}`, 'data-type': span.type, 'data-start': span.start, 'data-end': span.end, title: `${side} ${span.type}` });
    for (let t = span.start; t <= span.end; t++) mark.append(tokenAt(t), t < span.end ? ' ' : '');
    mark.appendChild(h('sub', { class: 'entity-type', text: span.type }));
    line.append(mark, ' ');
    i = span.end + 1;
  }
  for (; i < width; i++) line.append(tokenAt(i), ' ');
  if (example.offset + width < example.length) line.appendChild(h('span', { class: 'elided', text: '…' }));
  return line;
}

function openButton(line: number, onOpenLine: (line: number) => void): HTMLElement {
  const button = h('button', { class: 'open-sentence', type: 'button', title: `Open the file at line ${count(line)}`, text: 'Open in file' });
  button.addEventListener('click', () => onOpenLine(line));
  return button;
}

function examplesView(report: TaggingReport, examples: EntityExamples | null | undefined, cell: MatrixCell, onOpenLine?: (line: number) => void): HTMLElement {
  const names = [...report.entities.confusion.types, NONE];
  const gold = names[cell.truth];
  const predicted = names[cell.predicted];
  const total = report.entities.confusion.matrix[cell.truth]?.[cell.predicted] ?? 0;
  const what = gold === NONE ? `predicted ${predicted} where no gold entity lies on exactly those tokens`
    : predicted === NONE ? `gold ${gold} with no predicted entity on exactly its tokens`
    : gold === predicted ? `gold ${gold} predicted as ${predicted} (correct)` : `gold ${gold} predicted as ${predicted}`;
  const title = h('h3', { tabindex: -1, text: `Sentences: ${what}` });
  const kept = examples?.cells.find((c) => c.gold === cell.truth && c.predicted === cell.predicted);
  let note: string;
  if (!examples) note = 'This evaluation kept no sentences.';
  else if (total === 0) note = 'No entity falls in this cell.';
  else if (!kept) note = `None of this cell's ${count(total)} entities were kept: the panel keeps at most ${count(examples.limit)} sentences in all.`;
  else note = kept.items.length < total ? `The first ${count(kept.items.length)} of ${count(total)} entities; ${count(total - kept.items.length)} left out (at most ${count(examples.perCell)} a cell).` : `All ${count(total)} entities.`;
  const section = h('section', { class: 'entity-examples', 'aria-label': 'Sentences of the selected cell' }, title, h('p', { class: 'note', 'data-examples': 'note', text: note }));
  if (!examples || !kept) return section;
  const list = h('ol', { class: 'sentences' });
  for (const item of kept.items) {
    const example = examples.sentences[item.sentence];
    if (!example) continue;
    list.appendChild(h('li', { class: 'sentence', 'data-sentence': example.sentence },
      h('div', { class: 'sentence-meta', text: `sentence ${count(example.sentence + 1)}, line ${count(example.line)}${example.offset > 0 || example.tokens && example.offset + example.tokens.length < example.length ? ` (tokens ${count(example.offset + 1)}–${count(example.offset + (example.tokens?.length ?? 0))} of ${count(example.length)})` : ''}` }),
      sentenceLine(example, 'gold', item),
      sentenceLine(example, 'predicted', item),
      onOpenLine ? openButton(example.line, onOpenLine) : null));
  }
  section.appendChild(h('div', { class: 'sentences-scroll' }, list));
  return section;
}

export function taggingView(run: PanelRun, options: TaggingViewOptions): HTMLElement {
  const report = run.report as unknown as TaggingReport;
  const e = report.entities;
  const names = [...e.confusion.types, NONE];
  const container = h('div', { class: 'tagging' });
  container.appendChild(h('div', { class: 'cards' },
    card('Token accuracy', fixed(report.tokenAccuracy)),
    card('Entity micro F1', fixed(e.micro.f1)),
    card('Entity macro F1', fixed(e.macro.f1)),
    card('Entity weighted F1', fixed(e.weighted.f1)),
    card('Sentences', count(report.sentences))));
  container.appendChild(h('p', { class: 'note', 'data-meta': 'mode', text: modeText(report) }));
  container.appendChild(h('section', {}, h('h2', { text: 'Entities' }), entityTable(report)));

  const samplesHost = h('div', { class: 'samples-host' });
  const matrixHost = h('div', { class: 'matrix-host entity-confusion' });
  const selected = options.selected && options.selected.truth < names.length && options.selected.predicted < names.length ? options.selected : null;
  const drawEntityMatrix = (cell: MatrixCell | null) => matrixHost.replaceChildren(renderMatrix({ labels: names, counts: e.confusion.matrix }, {
    mode: 'counts',
    zoom: 1,
    selected: cell,
    caption: `Rows: gold entity types; columns: predicted types on exactly the same tokens; ${NONE}: no entity there.`,
    onSelect: (next) => {
      options.onSelect(next);
      drawEntityMatrix(next);
      samplesHost.replaceChildren(examplesView(report, run.entityExamples as EntityExamples | null | undefined, next, options.onOpenLine));
      samplesHost.querySelector<HTMLElement>('h3')?.focus();
    },
    onZoom: () => undefined,
  }));
  drawEntityMatrix(selected);
  if (selected) samplesHost.appendChild(examplesView(report, run.entityExamples as EntityExamples | null | undefined, selected, options.onOpenLine));
  const missed = e.confusion.matrix.slice(0, -1).reduce((sum, row) => sum + row[row.length - 1], 0);
  container.appendChild(h('section', { class: 'entity-types' },
    h('h2', { text: 'Entity types: swapped and missed' }),
    h('p', { class: 'note', text: `Click a cell (or focus it and press Enter) to list the sentences behind it, gold and predicted entities marked.${missed > 0 ? ` ${count(missed)} gold entities have no predicted entity on exactly their tokens; ${count(e.confusion.boundaryErrors)} of them overlap one (a boundary error).` : ''}` }),
    matrixHost, samplesHost));

  container.appendChild(h('section', { class: 'tag-confusion' },
    h('h2', { text: 'Tag confusion matrix' }),
    renderMatrix({ labels: report.tags.labels, counts: report.tags.confusion }, {
      mode: options.normalisation,
      zoom: 1,
      selected: null,
      caption: 'Rows: gold tags; columns: predicted tags, token by token.',
      onSelect: () => undefined,
      onZoom: () => undefined,
    })));
  return container;
}
