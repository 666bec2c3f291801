// Collects what one analysis run produces: findings (deduplicated, suppressions applied),
// layer sites for hovers and tensor sites for hovers and inlay hints.
import type { AnalysisResult, Finding, IncompleteAnalysis, LayerSite, Range, RelatedLocation, TensorSite } from '../findings';
import { isSuppressed } from '../parse/suppressions';
import type { Rule } from '../rules/rule';
import type { EventName, FunctionCallEvent, KeyedEventName, LayerCallEvent, LayerConstructEvent, Report, RuleContext, TensorMethodEvent } from './events';
import type { LayerDesc } from '../layers/layer';
import type { TensorValue } from '../values/value';
import type { Origin } from '../shapes/dim';
import { CoverageCollector, CoverageStats } from '../coverage';
import { foreignFileOf } from '../workspace/modules';

/** Upper bound on interpreted steps until the interpreter sets its own (per statement), so that pathological input cannot stall the editor. */
const STEP_BUDGET = 200_000;

const INCOMPLETE_CAUSES: Record<IncompleteAnalysis['reason'], string> = {
  budget: 'the analysis budget ran out',
  'too-large': 'code nested too deeply (or a value too large) to follow',
  internal: 'the analyzer failed on a statement',
};

export class AnalysisContext {
  private readonly findings = new Map<string, Finding>();
  /** What forward's assignments hold, for `seqlens check --stats`. */
  readonly coverage = new CoverageCollector();
  /** Each layer site with the descriptions offered for it, in order (built only when the hover is read). */
  private readonly layerSites = new Map<string, { site: Omit<LayerSite, 'markdown'>; descriptions: (() => string)[] }>();
  private readonly tensorSites = new Map<string, TensorSite & { describe?: () => string }>();
  /** Shapes seen at each layer's calls, keyed like layerSites, appended to its hover. */
  private readonly layerCalls = new Map<string, Set<string>>();
  private readonly lineStarts: number[];
  private spent = 0;
  private limit = STEP_BUDGET;
  private incomplete: IncompleteAnalysis | undefined;
  /** One rule context per rule, made once: events are frequent. */
  private readonly contexts: Map<Rule, RuleContext>;

  constructor(
    readonly source: string,
    private readonly rules: readonly Rule[],
    private readonly suppressions: Map<number, Set<string>>,
  ) {
    this.lineStarts = lineStartsOf(source);
    this.contexts = new Map(rules.map((rule) => [rule, { report: (r: Report) => this.add(rule, r), refute: (range: Range) => this.refute(rule, range), text: (range: Range) => this.text(range), source }]));
  }

  private errorReports = 0;
  private reports = 0;

  /** Findings of any severity reported so far, repeats, muted and suppressed ones included. */
  get reportCount(): number {
    return this.reports;
  }

  private loudReports = 0;

  /**
   * Errors reported so far, counting repeats of one finding (the same code runs once per instantiation):
   * a layer call that reports one poisons its output.
   */
  get errorCount(): number {
    return this.errorReports;
  }

  /**
   * Notes that Python raises here though no rule reports it (pandas given a number for the file it reads): it counts
   * as an error does, so the statement leaves its block and the call gives nothing to build on, and, as a finding
   * would, it keeps the run that raised from being reused for a later call.
   */
  raiseSilently(): void {
    this.reports++;
    this.errorReports++;
  }

  /** Errors and warnings reported so far, repeats included. */
  get loudCount(): number {
    return this.loudReports;
  }

  /** Whether a range lies in another file of the workspace (imported, or importing this one). */
  inOtherFile(range: Range): boolean {
    return foreignFileOf(range) !== undefined;
  }

  text(range: Range): string {
    const other = foreignFileOf(range);
    if (other) {
      const start = (other.lineStarts[range.start.line] ?? other.source.length) + range.start.column;
      const end = (other.lineStarts[range.end.line] ?? other.source.length) + range.end.column;
      return other.source.slice(start, end);
    }
    const start = (this.lineStarts[range.start.line] ?? this.source.length) + range.start.column;
    const end = (this.lineStarts[range.end.line] ?? this.source.length) + range.end.column;
    return this.source.slice(start, end);
  }

  /** Counts one interpreted step; false once the current budget is spent. */
  step(): boolean {
    return ++this.spent <= this.limit;
  }

  /** Steps interpreted so far. */
  get steps(): number {
    return this.spent;
  }

  /** Steps left in the current budget. */
  get budgetLeft(): number {
    return this.limit - this.spent;
  }

  /** Gives the next piece of work `steps` more steps. */
  startBudget(steps: number): void {
    this.limit = this.spent + steps;
  }

  /** Notes (once, at the first place) that part of the file was not followed to its end. */
  markIncomplete(reason: IncompleteAnalysis['reason'], line: number): void {
    this.incomplete ??= {
      reason,
      line,
      message: `${INCOMPLETE_CAUSES[reason]} in the statement at this line; later definitions were analysed separately`,
    };
  }

  emit<E extends EventName>(event: E, payload: Parameters<NonNullable<Rule['hooks'][E]>>[0]): void {
    if (event === 'layerConstruct') this.notePassedSizes((payload as LayerConstructEvent).layer);
    // Only the rules that subscribe to the event are offered it; a layer's, function's or method's call, only those whose filter accepts it.
    const listeners =
      event === 'layerCall' ? this.keyedListeners(event, (payload as LayerCallEvent).layer.kind)
      : event === 'functionCall' ? this.keyedListeners(event, (payload as FunctionCallEvent).qualname)
      : event === 'tensorMethod' ? this.keyedListeners(event, (payload as TensorMethodEvent).name)
      : (this.listeners[event] ??= this.listenersOf(event, subscribers(this.rules, event)));
    for (let i = 0; i < listeners.length; i++) {
      try {
        listeners[i].hook(payload, listeners[i].context);
      } catch {
        // A rule that trips over an odd value must not take the others down with it.
      }
    }
  }

  /** Each event's subscribed hooks with their rule's context, worked out at the event's first emit. */
  private readonly listeners: Partial<Record<EventName, Listener[]>> = {};

  /** For the events offered by key (RuleHooks.offers): the hooks offered each key, worked out at its first emit. */
  private readonly keyed: Record<KeyedEventName, Map<string, Listener[]>> = { layerCall: new Map(), functionCall: new Map(), tensorMethod: new Map() };

  private keyedListeners(event: KeyedEventName, key: string): Listener[] {
    const byKey = this.keyed[event];
    let listeners = byKey.get(key);
    if (!listeners) {
      listeners = this.listenersOf(event, subscribers(this.rules, event, key));
      byKey.set(key, listeners);
    }
    return listeners;
  }

  private listenersOf(event: EventName, rules: Rule[]): Listener[] {
    return rules.map((rule) => ({ hook: rule.hooks[event] as Listener['hook'], context: this.contexts.get(rule)! }));
  }

  /** Argument expressions of this file whose number was written in another file (`Tagger(len(vocab), 128)` in train.py). */
  private readonly passedFrom = new WeakMap<Range, Origin>();

  private notePassedSizes(layer: LayerDesc): void {
    if (foreignFileOf(layer.call.range)) return;
    for (const arg of layer.args.values()) {
      const origin = arg.value.kind === 'int' ? arg.value.origin : undefined;
      if (arg.expr && origin && foreignFileOf(origin.range)) this.passedFrom.set(arg.expr.range, origin);
    }
  }

  /** A location, named by its file when it is another one, followed by where its number was written in another file. */
  private located(location: RelatedLocation): RelatedLocation[] {
    const passed = location.path === undefined ? this.passedFrom.get(location.range) : undefined;
    const own = inWhichFile(location);
    if (!passed) return [own];
    return [own, { range: passed.range, path: foreignFileOf(passed.range)!.path, message: `the value comes from here (${passed.text})` }];
  }

  /**
   * Above 0 while code runs that may never run where it is analysed (an `except` handler): what it reports still
   * counts (a layer call that reports an error poisons its output) but is not shown.
   */
  muted = 0;

  /**
   * Set while a pass runs with what one particular iteration holds (a DataLoader's last, smaller batch): said after
   * each message reported then, since the sizes it names are that iteration's. Hovers and `--stats` keep the sizes of
   * the other passes meanwhile (see `sitesPaused`).
   */
  passNote: string | undefined;

  /** Above 0 while such a pass runs: its sizes are not offered to hovers, inlay hints or `--stats`. */
  sitesPaused = 0;

  private add(rule: Rule, report: Report): void {
    this.reports++;
    const severity = report.severity ?? rule.severity;
    if (severity === 'error') this.errorReports++;
    if (severity === 'error' || severity === 'warning') this.loudReports++;
    if (this.muted > 0) return;
    // A finding in another file belongs to that file's analysis: only its consequence (the call's output is
    // not followed further) counts here.
    if (foreignFileOf(report.range)) return;
    const line = report.range.start.line;
    if (isSuppressed(this.suppressions, line, rule.code)) return;
    const key = findingKey(rule, report.range);
    if (this.findings.has(key) || this.refuted?.has(key)) return;
    this.findings.set(key, {
      code: rule.code,
      name: rule.name,
      severity,
      range: report.range,
      message: withVersions(rule, this.passNote && !report.passExplained ? report.message + this.passNote : report.message),
      related: withoutRepeats((report.related ?? []).flatMap((location) => this.located(location))),
      fixes: (report.fixes ?? []).filter((fix) => fix.edits.every((edit) => !foreignFileOf(edit.range))),
    });
  }

  /** The findings (keyed as `findings`) that a run showed not to hold every time (see RuleContext.refute). */
  private refuted: Set<string> | undefined;

  private refute(rule: Rule, range: Range): void {
    if (foreignFileOf(range)) return;
    const key = findingKey(rule, range);
    (this.refuted ??= new Set()).add(key);
    this.findings.delete(key);
  }

  /** `describe` builds the hover text; it runs only when the result's hover is read. */
  addLayerSite(site: Omit<LayerSite, 'markdown'> & { markdown?: string; describe?: () => string }): void {
    if (foreignFileOf(site.range) || this.sitesPaused > 0) return;
    const key = `${site.range.start.line}:${site.range.start.column}`;
    const { markdown, describe } = site;
    const where = { range: site.range, framework: site.framework, kind: site.kind };
    const description = describe ?? (() => markdown ?? '');
    const existing = this.layerSites.get(key);
    if (!existing) this.layerSites.set(key, { site: where, descriptions: [description] });
    else if (existing.descriptions.length < MAX_DESCRIPTIONS) existing.descriptions.push(description);
  }

  /**
   * Records "at `self.gru(e)`, line 12: (5, 7, 10) → (5, 7, 20)" for the hover of the layer built at `constructor`.
   * `line` builds the text, or undefined when the call shows no shapes; it runs only while the hover wants more lines.
   */
  noteLayerCall(constructor: Range, line: () => string | undefined): void {
    if (foreignFileOf(constructor) || this.sitesPaused > 0) return;
    const key = `${constructor.start.line}:${constructor.start.column}`;
    const lines = this.layerCalls.get(key);
    if (lines && lines.size >= 3) return;
    const text = line();
    if (text === undefined) return;
    if (lines) lines.add(text);
    else this.layerCalls.set(key, new Set<string>().add(text));
  }

  /** `describe` builds the hover text; it runs only for the sites kept in the result. */
  addTensorSite(site: Omit<TensorSite, 'markdown'> & { markdown?: string; describe?: () => string }): void {
    const key = this.siteKey(site.range, site.shape);
    if (key === undefined) return;
    // The site is the caller's fresh object: kept as it is rather than copied.
    site.markdown ??= '';
    this.tensorSites.set(key, site as TensorSite & { describe?: () => string });
  }

  /**
   * addTensorSite for a name bound to a tensor, the most frequent site (each run of a line offers it again): the site,
   * and what builds its hover, are made only when it is kept.
   */
  addNamedTensor(range: Range, name: string, shape: string, tensor: TensorValue, describe: (name: string, tensor: TensorValue) => string): void {
    const key = this.siteKey(range, shape);
    if (key !== undefined) this.tensorSites.set(key, { range, name, shape, describe: describer(describe, name, tensor), markdown: '' });
  }

  /** The key a tensor site at `range` is kept under, unless it is in another file or a site there knows as many sizes. */
  private siteKey(range: Range, shape: string): string | undefined {
    if (foreignFileOf(range) || this.sitesPaused > 0) return undefined;
    const key = `${range.start.line}:${range.start.column}`;
    const existing = this.tensorSites.get(key);
    return existing && knownDims(shape) <= knownDims(existing.shape) ? undefined : key;
  }

  result(): AnalysisResult & { coverage: CoverageStats } {
    return resultOf(this.collected());
  }

  /** What this run collected, for merging with the runs of other parts of the module (see incremental.ts). */
  collected(): Collected {
    return { findings: this.findings, layerSites: this.layerSites, layerCalls: this.layerCalls, tensorSites: this.tensorSites, incomplete: this.incomplete, coverage: this.coverage };
  }
}

/** `describe(name, tensor)`, deferred; made out here, since a closure inside addNamedTensor made each of its calls allocate. */
function describer(describe: (name: string, tensor: TensorValue) => string, name: string, tensor: TensorValue): () => string {
  return () => describe(name, tensor);
}

/** The key of a rule's finding at a position (`code@line:column`), in `findings` and the refuted ones alike. */
function findingKey(rule: Rule, range: Range): string {
  return `${rule.code}@${range.start.line}:${range.start.column}`;
}

/** A rule's hook for one event, with the context its reports go through. */
interface Listener {
  hook: (payload: unknown, ctx: RuleContext) => void;
  context: RuleContext;
}

/** The raw findings and sites of one run, keyed by position. */
export interface Collected {
  findings: Map<string, Finding>;
  layerSites: Map<string, { site: Omit<LayerSite, 'markdown'>; descriptions: (() => string)[] }>;
  layerCalls: Map<string, Set<string>>;
  tensorSites: Map<string, TensorSite & { describe?: () => string }>;
  incomplete?: IncompleteAnalysis;
  coverage: CoverageCollector;
}

/** The analysis result of what a run collected; `suppressions`, when given, are applied to its findings here. */
export function resultOf(collected: Collected, suppressions?: Map<number, Set<string>>): AnalysisResult & { coverage: CoverageStats } {
  const { findings, layers, tensors } = entriesOf(collected);
  return {
    findings: (suppressions ? findings.filter((f) => !isSuppressed(suppressions, f.range.start.line, f.code)) : findings).sort(byPosition),
    layers: layers.sort(byPosition),
    tensors: tensors.sort(byPosition),
    ...(collected.incomplete ? { incomplete: collected.incomplete } : {}),
    coverage: collected.coverage.result(),
  };
}

/** A result's entries in file order. */
export function byPosition(a: { range: Range }, b: { range: Range }): number {
  return a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column;
}

/** A result's findings, layer sites and tensor sites. */
export interface ResultEntries {
  findings: Finding[];
  layers: LayerSite[];
  tensors: TensorSite[];
}

/**
 * Where the statements of a run that its sites point into are: `moves` counts the times they were moved in place
 * since it ran. A site's hover text, built from those positions, is built again when they moved since it was built.
 */
export interface Placement {
  moves: number;
}

/**
 * The findings, layer sites and tensor sites of what a run collected, in the order they were collected (not
 * sorted, no suppression applied): the entries of a result, which the runs of parts of a module keep between edits.
 * `callText` gives the text of a layer's call where it is now (its statement moved since it ran); with `placed`,
 * the sites are kept while their statements move (see Placement).
 */
export function entriesOf(collected: Collected, callText: (text: string) => string = (text) => text, placed?: Placement): ResultEntries {
  return {
    findings: [...collected.findings.values()],
    layers: [...collected.layerSites.entries()].map(([key, { site, descriptions }]) => layerWithMarkdown(site, placed, () => {
      // The first description wins unless a later one knows more numbers (an instantiation site filled them in).
      let markdown = descriptions[0]();
      for (const next of descriptions.slice(1)) {
        const text = next();
        if (countDigits(text) > countDigits(markdown)) markdown = text;
      }
      const calls = collected.layerCalls.get(key);
      return calls ? `${markdown}\n\n**In this file**\n${[...calls].map((c) => `- ${callText(c)}`).join('\n')}` : markdown;
    })),
    tensors: [...collected.tensorSites.values()].map((site) => (site.describe ? tensorWithMarkdown(site, placed, site.describe) : withoutDescribe(site))),
  };
}

function withoutRepeats(locations: RelatedLocation[]): RelatedLocation[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = `${l.path ?? ''}:${l.range.start.line}:${l.range.start.column}:${l.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A related location in another workspace file names that file. */
function inWhichFile(location: RelatedLocation): RelatedLocation {
  if (location.path !== undefined) return location;
  const other = foreignFileOf(location.range);
  return other ? { ...location, path: other.path } : location;
}

/** Descriptions kept per layer site: one per instantiation, and instantiations are few. */
const MAX_DESCRIPTIONS = 32;

/*
 * A result site's hover text is a property computed on first read: most hovers are never asked for. The site
 * stays plain data for readers (spread, JSON and deep equality all see the text). The accessor is one pair of
 * functions shared by every site, added to a literal written out field by field: all sites then share one
 * hidden class. An accessor written in each literal (new functions per site) turns every site into a
 * dictionary-mode object, slower to make and to read (sorting the sites reads their ranges); a rest copy is slow.
 */

/**
 * The hover text of a lazy site of a run whose statements move in place (see Placement): what builds it, and the
 * text last built with the moves it was built at. It is built again once they moved since.
 */
interface PlacedMarkdown {
  placed: Placement;
  build: () => string;
  text?: string;
  at?: number;
}

/** Each lazy site's hover text once built, or what builds it. */
const markdownOf = new WeakMap<object, string | (() => string) | PlacedMarkdown>();

const LAZY_MARKDOWN: PropertyDescriptor = {
  get(this: object): string {
    const held = markdownOf.get(this);
    if (typeof held === 'object') {
      if (held.text === undefined || held.at !== held.placed.moves) {
        held.text = held.build();
        held.at = held.placed.moves;
      }
      return held.text;
    }
    if (typeof held !== 'function') return held ?? '';
    const text = held();
    markdownOf.set(this, text);
    return text;
  },
  set(this: object, value: string) {
    markdownOf.set(this, value);
  },
  enumerable: true,
  configurable: true,
};

function withLazyMarkdown<T extends object>(site: T, placed: Placement | undefined, build: () => string): T & { markdown: string } {
  Object.defineProperty(site, 'markdown', LAZY_MARKDOWN);
  markdownOf.set(site, placed ? { placed, build } : build);
  return site as T & { markdown: string };
}

function layerWithMarkdown(site: Omit<LayerSite, 'markdown'>, placed: Placement | undefined, build: () => string): LayerSite {
  return withLazyMarkdown({ range: site.range, framework: site.framework, kind: site.kind }, placed, build);
}

function tensorWithMarkdown(site: TensorSite, placed: Placement | undefined, build: () => string): TensorSite {
  return withLazyMarkdown({ range: site.range, name: site.name, shape: site.shape }, placed, build);
}

function withoutDescribe(site: TensorSite & { describe?: () => string }): TensorSite {
  const { describe: _, ...plain } = site;
  return plain;
}

const subscribersByRules = new WeakMap<readonly Rule[], Map<EventName, Rule[]>>();
const keyedSubscribersByRules = new WeakMap<readonly Rule[], Record<KeyedEventName, Map<string, Rule[]>>>();

/**
 * The rules (in their order) that have a hook for the event, worked out once per rule list; with a key, those whose
 * filter for the event (RuleHooks.offers) accepts it, worked out once per key.
 */
function subscribers(rules: readonly Rule[], event: EventName, key?: string): Rule[] {
  if (key !== undefined) return keyedSubscribers(rules, event as KeyedEventName, key);
  let byEvent = subscribersByRules.get(rules);
  if (!byEvent) {
    byEvent = new Map();
    subscribersByRules.set(rules, byEvent);
  }
  let list = byEvent.get(event);
  if (!list) {
    list = rules.filter((rule) => rule.hooks[event]);
    byEvent.set(event, list);
  }
  return list;
}

function keyedSubscribers(rules: readonly Rule[], event: KeyedEventName, key: string): Rule[] {
  let byEvent = keyedSubscribersByRules.get(rules);
  if (!byEvent) {
    byEvent = { layerCall: new Map(), functionCall: new Map(), tensorMethod: new Map() };
    keyedSubscribersByRules.set(rules, byEvent);
  }
  const byKey = byEvent[event];
  let list = byKey.get(key);
  if (!list) {
    // Keys are names from the analysed code: the cache is emptied rather than left to grow without bound.
    if (byKey.size >= MAX_CACHED_KEYS) byKey.clear();
    list = subscribers(rules, event).filter((rule) => offered(rule, event, key));
    byKey.set(key, list);
  }
  return list;
}

/** Keys whose subscribers are kept per keyed event and rule list. */
const MAX_CACHED_KEYS = 4096;

/** Whether a rule's filter for a keyed event accepts the key (no filter accepts every key; one that throws, too). */
function offered(rule: Rule, event: KeyedEventName, key: string): boolean {
  const filter = rule.hooks.offers?.[event];
  if (!filter) return true;
  try {
    return filter(key);
  } catch {
    return true;
  }
}

let lastSource: string | undefined;
let lastLineStarts: number[] = [0];

/** Line-start offsets, remembered for the last text (re-analysis of one text happens often). */
export function lineStartsOf(source: string): number[] {
  if (source === lastSource) return lastLineStarts;
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  lastSource = source;
  lastLineStarts = starts;
  return starts;
}

function countDigits(text: string): number {
  return (text.match(/\d+/g) ?? []).length;
}

/** How many whole numbers a formatted shape shows: the matches of /\b\d+\b/g, counted without building them. */
function knownDims(shape: string): number {
  let count = 0;
  for (let i = 0; i < shape.length; i++) {
    if (!isDigit(shape.charCodeAt(i)) || (i > 0 && isWordChar(shape.charCodeAt(i - 1)))) continue;
    let end = i + 1;
    while (end < shape.length && isDigit(shape.charCodeAt(end))) end++;
    if (end === shape.length || !isWordChar(shape.charCodeAt(end))) count++;
    i = end;
  }
  return count;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A character of \w (ASCII letters, digits and the underscore). */
function isWordChar(code: number): boolean {
  return isDigit(code) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** A Keras finding names the versions it holds for, unless its message already does. */
function withVersions(rule: Rule, message: string): string {
  if (rule.framework !== 'keras' || !rule.kerasVersions || /tf\.keras|Keras [123]\b/.test(message)) return message;
  return `${message} (${rule.kerasVersions})`;
}
