// A tagged file (CoNLL or per-token JSONL) to a TaggingResult: token accuracy, entity scores in
// seqeval's default or strict mode, the tag and entity-type confusion matrices, and warnings.
import { InputError } from '../../errors';
import type { EvalWarning } from '../../types';
import { warning } from '../../warnings';
import { sentenceCount, TaggedCorpus } from '../corpus';
import { readTaggedCorpus, TaggingFormat } from '../readers/index';
import { defaultModeEntities } from './default-mode';
import type { EntityList } from './entities';
import { DEFAULT_EXAMPLE_LIMITS, ExampleCollector, ExampleLimits } from './examples';
import { entityScores, tagScores } from './metrics';
import { autoDetectScheme, PREFIX_BITS, SchemeName } from './schemes';
import { strictModeEntities } from './strict-mode';
import { Interner, splitFirstCodePoint } from './tags';
import type { TaggingMode, TaggingResult } from './types';

export interface TaggingOptions {
  mode?: TaggingMode;
  /** Strict mode's scheme; without it, detected from the gold tags as seqeval's auto_detect does. */
  scheme?: SchemeName;
  format?: TaggingFormat;
  /** Keep the sentences behind each entity-type confusion cell (for the panel), with these limits or the defaults. */
  examples?: boolean | ExampleLimits;
}

export async function evaluateTaggingFile(path: string, options: TaggingOptions = {}): Promise<TaggingResult> {
  const started = performance.now();
  const corpus = await readTaggedCorpus(path, options.format);
  const collector = options.examples ? new ExampleCollector(corpus, options.examples === true ? DEFAULT_EXAMPLE_LIMITS : options.examples) : undefined;
  const { result, gold, predicted, typeNames } = taggingOf(corpus, options, collector);
  if (collector) result.examples = await collector.finish(gold, predicted, typeNames, result.entities.confusion.types);
  result.source.elapsedMs = performance.now() - started;
  return result;
}

export function evaluateTagging(corpus: TaggedCorpus, options: TaggingOptions = {}): TaggingResult {
  return taggingOf(corpus, options).result;
}

function taggingOf(corpus: TaggedCorpus, options: TaggingOptions, collector?: ExampleCollector): { result: TaggingResult; gold: EntityList; predicted: EntityList; typeNames: string[] } {
  const mode = options.mode ?? 'default';
  const types = new Interner();
  let scheme: SchemeName | null = null;
  let detected = false;
  let gold: EntityList;
  let predicted: EntityList;
  if (mode === 'strict') {
    scheme = options.scheme ?? detectScheme(corpus);
    detected = options.scheme === undefined;
    gold = strictModeEntities(corpus, corpus.gold, scheme, types, 'gold');
    predicted = strictModeEntities(corpus, corpus.predicted, scheme, types, 'predicted');
  } else {
    gold = defaultModeEntities(corpus, corpus.gold, types);
    predicted = defaultModeEntities(corpus, corpus.predicted, types);
  }
  const n = corpus.gold.length;
  const scores = entityScores(gold, predicted, types.names, n, collector?.visit);
  const tags = tagScores(corpus);
  const warnings = mode === 'default' ? defaultModeWarnings(corpus, gold, predicted, options.scheme) : [];
  const result: TaggingResult = {
    task: 'sequence-labelling',
    n,
    sentences: sentenceCount(corpus),
    source: { path: corpus.path, format: corpus.format, elapsedMs: 0 },
    mode,
    scheme,
    schemeDetected: detected,
    tokenAccuracy: tags.accuracy,
    entities: scores,
    tags: { labels: tags.labels, confusion: tags.confusion, perTag: tags.perTag, macro: tags.macro, weighted: tags.weighted },
    warnings,
  };
  return { result, gold, predicted, typeNames: types.names };
}

function detectScheme(corpus: TaggedCorpus): SchemeName {
  const used = new Uint8Array(corpus.tags.length);
  for (let i = 0; i < corpus.gold.length; i++) used[corpus.gold[i]] = 1;
  let prefixes = 0;
  const letters: string[] = [];
  corpus.tags.forEach((tag, id) => {
    if (!used[id]) return;
    const [letter] = splitFirstCodePoint(tag);
    const bit = PREFIX_BITS[letter];
    if (bit === undefined) throw new InputError(corpus.path, null, `strict mode cannot detect the scheme: the gold tag '${tag}' has no known prefix; name it with --scheme`);
    if (!(prefixes & bit)) letters.push(letter);
    prefixes |= bit;
  });
  const scheme = autoDetectScheme(prefixes);
  if (!scheme) {
    throw new InputError(corpus.path, null, `strict mode cannot detect the scheme from the gold tags' prefixes (${letters.join(', ')}), as seqeval cannot; name it with --scheme IOB1|IOB2|IOE1|IOE2|IOBES|BILOU`);
  }
  return scheme;
}

function defaultModeWarnings(corpus: TaggedCorpus, gold: EntityList, predicted: EntityList, scheme: SchemeName | undefined): EvalWarning[] {
  const warnings: EvalWarning[] = [];
  const bilou = corpus.tags.filter((t) => /^[LU]-/.test(t));
  if (bilou.length > 0 || scheme === 'BILOU') {
    warnings.push(warning('SLE301', `Tags such as ${bilou.slice(0, 3).map((t) => `'${t}'`).join(', ') || 'L-/U-'} use BILOU's L- and U- prefixes, which the default mode (seqeval's and conlleval's) does not know: it reads L- as a continuation and U- as a start only when the type changes, so these entity scores are the default mode's reading, not BILOU's. Run with --mode strict --scheme BILOU for BILOU entities.`));
  }
  const iStarts = (entities: EntityList, side: Int32Array) => {
    let count = 0;
    for (let e = 0; e < entities.start.length; e++) if (corpus.tags[side[entities.start[e]]].startsWith('I')) count++;
    return count;
  };
  const goldI = iStarts(gold, corpus.gold);
  const predI = iStarts(predicted, corpus.predicted);
  if (goldI + predI > 0 && bilou.length === 0) {
    const parts = [predI > 0 ? `${predI} predicted` : '', goldI > 0 ? `${goldI} gold` : ''].filter(Boolean).join(' and ');
    warnings.push(warning('SLE302', `${parts} entities begin with I- and no B- before them. The default mode counts them as entities (as seqeval and conlleval do); strict mode with IOB2 drops them. Under IOB1 this is the normal spelling.`));
  }
  return warnings;
}
