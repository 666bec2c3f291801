import type { Call, Keyword } from '../../parse/ast';
import { KeywordEntry, keywordsTaken, takesKeyword } from '../../ops/keyword-arguments';
import type { RuleContext } from '../../interpret/events';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';

/**
 * Names users write for a parameter PyTorch spells otherwise, and that spelling (NumPy's, Keras's, a convolution's
 * channels for a Linear's features and back): a suggestion only where the callee takes the spelling.
 */
const SYNONYMS: Record<string, string> = {
  axis: 'dim', axes: 'dim', dims: 'dim', keepdims: 'keepdim', epsilon: 'eps', rate: 'p', use_bias: 'bias',
  in_channels: 'in_features', out_channels: 'out_features', in_features: 'in_channels', out_features: 'out_channels',
};
/** The NumPy names PyTorch's argument parser also takes, and PyTorch's own name for each: right, but not worth
 * listing among what a callee takes nor suggesting where the callee's own name is as near. */
const NUMPY_ALIASES: Record<string, string> = { axis: 'dim', keepdims: 'keepdim', x: 'input', a: 'input', x1: 'input', x2: 'other' };
const MAX_LISTED = 6;

/** Optimal-string-alignment distance: edits, with a swap of two neighbours counted as one (batch_frist). */
function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 4 || a.length > 40 || b.length > 40) return Infinity;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** How near `name` is to a keyword the callee takes: lower is nearer; Infinity when it is no likely misspelling. */
function nearness(name: string, taken: string): number {
  if (Object.hasOwn(SYNONYMS, name) && SYNONYMS[name] === taken) return 0;
  const distance = editDistance(name, taken);
  if (distance <= Math.max(1, Math.floor(Math.max(name.length, taken.length) / 4))) return distance;
  // dropout_rate for dropout, padding_idx_value for padding_idx: one name holds the other.
  const [short, long] = name.length < taken.length ? [name, taken] : [taken, name];
  if (short.length >= 4 && long.includes(short)) return 3;
  return Infinity;
}

function calleeLabel(callee: string): string {
  if (callee.startsWith('torch.nn.functional.')) return `F.${callee.slice(20)}`;
  if (callee.startsWith('torch.nn.')) return `nn.${callee.slice(9)}`;
  return callee;
}

/** The name a call's callee is written as: `LSTM` for nn.LSTM(…) and LSTM(…), undefined for super().__init__-like forms. */
function writtenName(call: Call): string | undefined {
  if (call.func.kind === 'name') return call.func.id;
  if (call.func.kind === 'attribute') return call.func.attr;
  return undefined;
}

function check(callee: string, call: Call, ctx: RuleContext): void {
  // A call that spreads `**options` is left alone: it is usually a wrapper forwarding what it was given.
  if (call.starKwargs.length > 0) return;
  const entry = keywordsTaken(callee);
  if (!entry) return;
  for (const keyword of call.keywords) {
    if (takesKeyword(entry, keyword.name)) continue;
    ctx.report(report(callee, entry, call, keyword));
  }
}

function report(callee: string, entry: KeywordEntry, call: Call, keyword: Keyword) {
  const label = calleeLabel(callee);
  const name = keyword.name;
  const candidates = [...entry.v113, ...entry.later].filter((n, i, all) => all.indexOf(n) === i);
  const ranked = candidates
    .map((n, i) => ({ n, i, near: nearness(name, n) }))
    .sort((p, q) => p.near - q.near || p.i - q.i);
  const nearest = ranked[0] && ranked[0].near !== Infinity ? ranked[0].n : undefined;
  const own = nearest !== undefined && Object.hasOwn(NUMPY_ALIASES, nearest) ? NUMPY_ALIASES[nearest] : undefined;
  const suggestion = own !== undefined && candidates.includes(own) ? own : nearest;
  const listed = ranked.filter((r) => !Object.hasOwn(NUMPY_ALIASES, r.n) || r.n === suggestion);
  const shown = (listed.length > MAX_LISTED ? listed.slice(0, MAX_LISTED) : listed).map((r) => r.n);
  const takes = listed.length === 0 ? 'it takes no keyword arguments' : `it takes ${shown.join(', ')}${listed.length > shown.length ? `, … (${listed.length} in all)` : ''}`;
  const raised = entry.parser === 'python'
    ? `"got an unexpected keyword argument '${name}'"`
    : `"${callee.replace(/^(?:torch|Tensor)\./, '')}() received an invalid combination of arguments"`;
  const alreadyGiven = suggestion !== undefined && call.keywords.some((k) => k.name === suggestion);
  return {
    range: keyword.nameRange,
    message: `${label} has no keyword argument ${name}=${suggestion ? ` (did you mean ${suggestion}=?)` : ''}: ${takes}. PyTorch raises TypeError here (1.13: ${raised}), and no PyTorch release takes ${name}=`,
    fixes: suggestion && !alreadyGiven ? [fix(`Rename ${name} to ${suggestion}`, [replace(keyword.nameRange, suggestion)], true)] : [],
  };
}

export const unexpectedKeywordArgument: Rule = {
  code: 'SL162',
  name: 'unexpected-keyword-argument',
  severity: 'error',
  framework: 'torch',
  summary: 'A keyword argument the PyTorch layer, function or tensor method does not take in any release (batch_frist=, padding_index=, F.softmax(axis=)).',
  docs: {
    whatItDoes: 'Reads the keyword arguments of PyTorch layer constructions (nn.LSTM, nn.GRU, nn.RNN and their cells, nn.Embedding, nn.Linear, nn.Conv1d/2d/3d, the dropout layers, nn.LayerNorm, nn.GroupNorm), of torch.nn.functional activations, softmax and dropout, and of torch functions and tensor methods such as sum, mean, max, softmax, cat, transpose and topk, against the keywords each takes. A keyword is reported only when no PyTorch release takes it: the table holds what PyTorch 1.13 takes (measured, with the NumPy names axis=, keepdims= its argument parser also takes) and what later releases added (LayerNorm(bias=) of 2.1, for one), so code written for a newer PyTorch is not flagged. A call that spreads `**options`, a class of the program\'s own (even one named LSTM), and a callee the analysis cannot name are left alone. The message names the nearest keywords the callee takes, with the likely one ("did you mean batch_first=?").',
    whyIsThisBad: 'PyTorch raises `TypeError: RNNBase.__init__() got an unexpected keyword argument \'batch_frist\'` (or, for a C function, `sum() received an invalid combination of arguments`) when the line runs. nn.LSTM, nn.GRU and nn.RNN take `*args, **kwargs`, so an editor\'s type checker cannot see the misspelling: it shows only when the script reaches the line, often after data loading.',
    example: 'self.lstm = nn.LSTM(100, 128, batch_frist=True)\nprobs = F.softmax(scores, axis=1)',
    useInstead: 'self.lstm = nn.LSTM(100, 128, batch_first=True)\nprobs = F.softmax(scores, dim=1)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html', 'https://pytorch.org/docs/stable/generated/torch.nn.functional.softmax.html'],
  },
  fixTitles: ['Rename the keyword to the one the callee takes'],
  hooks: {
    layerConstruct({ layer }, ctx) {
      if (layer.framework !== 'torch' || layer.alternatives) return;
      // Only a call written as the class itself (nn.LSTM(…), LSTM(…)): not super().__init__(…), whose keywords a
      // subclass may route elsewhere, nor Embedding.from_pretrained(…), which takes its own.
      if (writtenName(layer.call) !== layer.kind) return;
      check(`torch.nn.${layer.kind}`, layer.call, ctx);
    },
    functionCall(event, ctx) {
      check(event.qualname, event.call, ctx);
    },
    tensorMethod(event, ctx) {
      // A NumPy array's methods are NumPy's (a.sum(where=…), a.max(initial=…)).
      if (event.receiver.numpy) return;
      check(`Tensor.${event.name}`, event.call, ctx);
    },
    offers: {
      functionCall: (qualname) => keywordsTaken(qualname) !== undefined,
      tensorMethod: (name) => keywordsTaken(`Tensor.${name}`) !== undefined,
    },
  },
};
