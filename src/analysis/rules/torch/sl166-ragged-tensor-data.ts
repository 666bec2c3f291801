import type { Value } from '../../values/value';
import { sequenceLength } from '../../values/value';
import type { Rule } from '../rule';
import { codeText } from './describe';
import { LEGACY_CONSTRUCTORS } from '../../ops/tensor-factory';

/** The functions that read nested Python sequences as a tensor's data (the legacy constructors with one list argument). */
const READERS = new Set(['torch.tensor', 'torch.as_tensor', ...LEGACY_CONSTRUCTORS.map((name) => `torch.${name}`)]);

function isSequence(v: Value | undefined): v is Extract<Value, { kind: 'list' | 'tuple' }> {
  return v?.kind === 'list' || v?.kind === 'tuple';
}

/** Where PyTorch's reader first meets a sequence of another length than the one it expects at that depth. */
interface Ragged {
  dim: number;
  expected: number;
  got: number;
  /** The index of each item on the way down to it. */
  path: number[];
}

/**
 * PyTorch (torch/csrc/utils/tensor_new.cpp) takes the sizes from the first item at every depth, then walks the data
 * depth first and raises at the first sequence of another length: "expected sequence of length {size} at dim {dim}
 * (got {length})". Returns that place when every sequence before it on the walk has a known length and known items,
 * `undefined` when the data fits or the walk reaches something not known first.
 */
function firstRagged(data: Value): Ragged | undefined {
  const sizes: number[] = [];
  for (let v: Value | undefined = data; isSequence(v); v = v.element ?? v.items[0]) {
    const n = sequenceLength(v);
    if (n === undefined) return undefined;
    sizes.push(n);
    if (n === 0) break;
  }
  let unknown = false;
  const walk = (v: Value, dim: number, path: number[]): Ragged | undefined => {
    if (dim >= sizes.length) return undefined;
    if (!isSequence(v)) return undefined;
    const n = sequenceLength(v);
    if (n === undefined) {
      unknown = true;
      return undefined;
    }
    if (n !== sizes[dim]) return { dim, expected: sizes[dim]!, got: n, path };
    // A summary's items are all like its element, which the first item already fixed the sizes from.
    if (v.element) {
      if (dim + 1 < sizes.length && !isSequence(v.element)) unknown = true;
      return undefined;
    }
    for (let i = 0; i < v.items.length; i++) {
      const found = walk(v.items[i]!, dim + 1, [...path, i]);
      if (found || unknown) return found;
    }
    return undefined;
  };
  return walk(data, 0, []);
}

export const raggedTensorData: Rule = {
  code: 'SL166',
  name: 'ragged-tensor-data',
  severity: 'error',
  framework: 'torch',
  summary: 'torch.tensor (or torch.LongTensor, torch.as_tensor…) is given nested lists of unequal lengths, typically token ids of sentences that were never padded to one length.',
  docs: {
    whatItDoes:
      'Follows the nested lists and tuples given to `torch.tensor`, `torch.as_tensor` and the legacy constructors (`torch.LongTensor([...])`, …) the way PyTorch reads them: the first item at each depth fixes the length every other sequence at that depth must have. Only lengths the analysis knows are compared (lists written out, built by appending in a loop over known data, comprehensions over known strings).',
    whyIsThisBad:
      'PyTorch raises `ValueError: expected sequence of length 13 at dim 1 (got 3)`. Sentences tokenized one at a time keep their own lengths (a tokenizer\'s `padding=True` pads to the longest text of that call, so one text is never padded), and a batch of them is not a tensor until every row is padded to one length.',
    example: "ids = [tokenizer.encode_plus(s, padding=True)['input_ids'] for s in texts]\nbatch = torch.tensor(ids)",
    useInstead: "ids = [tokenizer.encode_plus(s, padding='max_length', max_length=64)['input_ids'] for s in texts]\nbatch = torch.tensor(ids)\n# or pad the rows yourself: nn.utils.rnn.pad_sequence([torch.tensor(r) for r in ids], batch_first=True)",
    references: ['https://pytorch.org/docs/stable/generated/torch.tensor.html', 'https://pytorch.org/docs/stable/generated/torch.nn.utils.rnn.pad_sequence.html'],
  },
  fixTitles: [],
  hooks: {
    offers: {
      functionCall: (qualname) => READERS.has(qualname),
    },
    functionCall(event, ctx) {
      if (!READERS.has(event.qualname)) return;
      // The legacy constructors read several arguments (or ints) as sizes; only one sequence argument is data.
      const legacy = event.qualname !== 'torch.tensor' && event.qualname !== 'torch.as_tensor';
      if (legacy && event.args.length !== 1) return;
      const data = event.args[0] ?? (legacy ? undefined : event.kwargs.get('data'));
      if (!isSequence(data)) return;
      const ragged = firstRagged(data);
      if (!ragged) return;
      const first = ragged.path.map(() => '0').join('][');
      const where = `[${ragged.path.join('][')}]`;
      const expr = event.call.args[0];
      const shortName = expr ? codeText(ctx, expr.range) : 'the data';
      ctx.report({
        range: event.call.range,
        message:
          `${event.qualname} reads ${shortName} as a tensor whose axis ${ragged.dim} has ${ragged.expected} entries (the length of ${shortName}[${first}]), ` +
          `but ${shortName}${where} holds ${ragged.got}: the rows are not padded to one length, and PyTorch raises "expected sequence of length ${ragged.expected} at dim ${ragged.dim} (got ${ragged.got})"`,
        related: [],
        fixes: [],
      });
    },
  },
};
