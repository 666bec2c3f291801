// Validation of everything the panel's webview sends. The webview runs only our script, but its
// messages are still input: each is checked for shape, types and ranges before the host acts on it,
// and anything else is dropped. No vscode import, so the unit tests can call it.
import type { PanelRun } from '../../evaluation/report/panel';

export type ReportFormat = 'markdown' | 'csv' | 'json';

export type PanelMessage =
  | { type: 'ready' }
  | { type: 'rendered'; runs: number; ms: number; painted: boolean; error?: string }
  | { type: 'openRow'; run: number; row: number }
  | { type: 'openLine'; run: number; line: number }
  | { type: 'evaluateAgain'; run: number }
  | { type: 'compare' }
  | { type: 'closeCompare' }
  | { type: 'exportReport'; run: number; format: ReportFormat }
  | { type: 'exportImage'; format: 'png'; data: Uint8Array; name: string }
  | { type: 'exportImage'; format: 'svg'; data: Uint8Array; name: string };

/** Options a saved model run may carry back to `seqlens eval`, each with one value: nothing that writes files. */
const MODEL_RUN_OPTIONS = new Set(['--model', '--class', '--weights', '--state-dict-key', '--data']);

/**
 * The arguments to run a model again, if `rerun` (from a run, possibly restored from the webview's
 * state) holds only model, class, weights and data options; undefined otherwise.
 */
export function modelRunArgs(rerun: unknown): string[] | undefined {
  if (!Array.isArray(rerun) || rerun.length === 0 || rerun.length % 2 !== 0 || rerun[0] !== '--model') return undefined;
  for (let i = 0; i < rerun.length; i += 2) {
    const [option, value] = [rerun[i], rerun[i + 1]];
    if (typeof option !== 'string' || !MODEL_RUN_OPTIONS.has(option) || typeof value !== 'string' || value.startsWith('-') || value.length === 0) return undefined;
  }
  return rerun as string[];
}

/** An exported image larger than this is refused (a 4,096-class matrix PNG stays well below). */
export const MAX_EXPORT_BYTES = 40 * 1024 * 1024;

const REPORT_FORMATS: readonly ReportFormat[] = ['markdown', 'csv', 'json'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown, below: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < below;
}

/** A file name for the save dialog: no folders, no control characters, the format's extension. */
export function safeFileName(name: unknown, extension: string): string {
  const base = typeof name === 'string' ? name.split(/[\\/]/).pop() ?? '' : '';
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f<>:"|?*]/g, '').trim().slice(0, 120);
  const stem = clean.replace(/\.[^.]*$/, '') || 'seqlens-evaluation';
  return `${stem}.${extension}`;
}

/**
 * The message, typed, if it is one the panel may send about these runs; undefined otherwise.
 * `runs` are the runs the host holds: indices and row numbers are checked against them.
 */
/** The last line a tagged file's sentence can begin on that the host opens (an editor's lines are 32-bit). */
const MAX_LINE = 2 ** 31 - 1;

export function parsePanelMessage(raw: unknown, runs: readonly Pick<PanelRun, 'n' | 'task'>[]): PanelMessage | undefined {
  if (!isRecord(raw) || typeof raw.type !== 'string') return undefined;
  switch (raw.type) {
    case 'ready':
    case 'compare':
    case 'closeCompare':
      return { type: raw.type };
    case 'rendered':
      if (!isIndex(raw.runs, 3) || typeof raw.ms !== 'number' || !Number.isFinite(raw.ms) || raw.ms < 0) return undefined;
      return {
        type: 'rendered',
        runs: raw.runs,
        ms: raw.ms,
        painted: raw.painted !== false,
        ...(typeof raw.error === 'string' ? { error: raw.error.slice(0, 500) } : {}),
      };
    case 'openRow': {
      if (!isIndex(raw.run, runs.length)) return undefined;
      const run = runs[raw.run];
      if (run.task !== 'classification' || !isIndex(raw.row, run.n)) return undefined;
      return { type: 'openRow', run: raw.run, row: raw.row };
    }
    case 'openLine': {
      // A sentence of a tagged file, by the 1-based line where it begins.
      if (!isIndex(raw.run, runs.length) || runs[raw.run].task !== 'sequence-labelling') return undefined;
      if (!isIndex(raw.line, MAX_LINE + 1) || raw.line < 1) return undefined;
      return { type: 'openLine', run: raw.run, line: raw.line };
    }
    case 'evaluateAgain':
      return isIndex(raw.run, runs.length) ? { type: 'evaluateAgain', run: raw.run } : undefined;
    case 'exportReport':
      return isIndex(raw.run, runs.length) && REPORT_FORMATS.includes(raw.format as ReportFormat)
        ? { type: 'exportReport', run: raw.run, format: raw.format as ReportFormat }
        : undefined;
    case 'exportImage': {
      if (runs.length === 0) return undefined;
      if (raw.format === 'png') {
        const prefix = 'data:image/png;base64,';
        if (typeof raw.dataUrl !== 'string' || !raw.dataUrl.startsWith(prefix) || raw.dataUrl.length > (MAX_EXPORT_BYTES * 4) / 3 + prefix.length) return undefined;
        const base64 = raw.dataUrl.slice(prefix.length);
        if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
        const data = Buffer.from(base64, 'base64');
        // Every PNG starts with the same eight bytes.
        if (!data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return undefined;
        return { type: 'exportImage', format: 'png', data, name: safeFileName(raw.name, 'png') };
      }
      if (raw.format === 'svg') {
        if (typeof raw.svg !== 'string' || raw.svg.length > MAX_EXPORT_BYTES || !isMatrixSvg(raw.svg)) return undefined;
        return { type: 'exportImage', format: 'svg', data: Buffer.from(raw.svg, 'utf8'), name: safeFileName(raw.name, 'svg') };
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

/** Elements the matrix SVG is made of, each with the attributes it may carry and the elements it may sit in. */
const SVG_ELEMENTS: Record<string, { attributes: Set<string>; parents: Set<string> }> = {
  svg: { attributes: new Set(['xmlns', 'width', 'height', 'viewBox', 'font-family']), parents: new Set(['']) },
  rect: { attributes: new Set(['x', 'y', 'width', 'height', 'fill']), parents: new Set(['svg']) },
  text: { attributes: new Set(['x', 'y', 'font-size', 'text-anchor', 'dominant-baseline', 'fill', 'transform']), parents: new Set(['svg']) },
  title: { attributes: new Set(), parents: new Set(['rect']) },
};
/** Attribute values: numbers, colours (rgb(), #hex, names), keywords and transforms; no url(), quotes, entities or script. */
const SVG_VALUE = /^[-\w\s.,#%()]*$/;
const SVG_TOKEN = /<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z-]+="[^"]*")*)\s*(\/?)>|([^<]+)/g;
/** Text content: characters other than markup, and only the five XML entities. */
const SVG_TEXT = /^(?:[^<>&]|&(?:amp|lt|gt|quot|apos);)*$/;

/**
 * True when `svg` is a confusion-matrix SVG as the panel writes it and nothing else: one root <svg>
 * in the SVG namespace holding <rect> (with an optional <title>) and <text>, attributes from a
 * short allowlist with plain values, and text without markup. Anything else (scripts, foreign
 * objects, event handlers, links, external references, processing instructions) is refused.
 */
export function isMatrixSvg(svg: string): boolean {
  const stack: string[] = [];
  let roots = 0;
  let consumed = 0;
  for (const match of svg.matchAll(SVG_TOKEN)) {
    if (match.index !== consumed) return false;
    consumed += match[0].length;
    const [, closing, name, attributes, selfClosing, text] = match;
    if (text !== undefined) {
      if (stack.length === 0 ? text.trim() !== '' : !SVG_TEXT.test(text)) return false;
      continue;
    }
    const element = SVG_ELEMENTS[name];
    if (!element) return false;
    if (closing) {
      if (attributes || selfClosing || stack.pop() !== name) return false;
      continue;
    }
    if (!element.parents.has(stack[stack.length - 1] ?? '')) return false;
    if (name === 'svg' && ++roots > 1) return false;
    for (const attribute of attributes.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) {
      const [, key, value] = attribute;
      if (!element.attributes.has(key)) return false;
      if (key === 'xmlns' ? value !== 'http://www.w3.org/2000/svg' : !SVG_VALUE.test(value)) return false;
    }
    if (!selfClosing) stack.push(name);
  }
  return consumed === svg.length && roots === 1 && stack.length === 0;
}

/**
 * The runs in a saved webview state, if it holds runs this version of the panel can draw. The state
 * comes back from VS Code after a reload; a state written by another version is ignored.
 */
export function runsFromState(state: unknown): PanelRun[] {
  if (!isRecord(state) || !Array.isArray(state.runs)) return [];
  const runs = state.runs.filter((run): run is PanelRun =>
    isRecord(run) && run.version === 1 &&
    (run.task === 'classification' || run.task === 'regression' || run.task === 'language-model' || run.task === 'sequence-labelling') &&
    typeof run.n === 'number' && isRecord(run.source) && typeof run.source.path === 'string' && isRecord(run.report));
  return runs.length === state.runs.length ? runs.slice(0, 2) : [];
}
