// CoNLL files as conlleval reads them: one token a line, its fields separated by spaces or tabs,
// the gold tag second to last and the predicted tag last; a blank line (or a line whose first field
// is conlleval's boundary `-X-`) between sentences. `-DOCSTART-` lines separate documents and are
// not tokens. Every line has the same number of fields, at least two.
import { InputError } from '../../errors';
import type { TaggedCorpus } from '../corpus';
import { forEachLine } from './lines';
import { TagCollector } from './tag-collector';

const FIELD_SEPARATOR = /[ \t]+/;

export async function readConll(path: string): Promise<TaggedCorpus> {
  const collector = new TagCollector(path, 'conll');
  let fields = -1;
  let fieldsLine = 0;
  await forEachLine(path, (raw, line) => {
    const text = raw.trim();
    if (text === '') {
      collector.endSentence();
      return;
    }
    const parts = text.split(FIELD_SEPARATOR);
    if (parts[0] === '-X-' || parts[0] === '-DOCSTART-') {
      collector.endSentence();
      return;
    }
    if (parts.length < 2) throw new InputError(path, line, `one field ('${clip(text)}'); each token line needs the gold tag and the predicted tag, last`);
    if (fields < 0) {
      fields = parts.length;
      fieldsLine = line;
    } else if (parts.length !== fields) {
      throw new InputError(path, line, `${parts.length} fields, but line ${fieldsLine} has ${fields}; every token line needs the same fields (token, …, gold tag, predicted tag)`);
    }
    if (!collector.inSentence) collector.beginSentence(line);
    collector.add(parts[parts.length - 2], parts[parts.length - 1], line);
  });
  if (collector.tokens === 0) throw new InputError(path, null, 'no token lines: a CoNLL file has one token a line with its gold and predicted tags last');
  return collector.finish();
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}
