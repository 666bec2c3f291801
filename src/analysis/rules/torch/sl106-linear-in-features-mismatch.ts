import type { Rule } from '../rule';
import { expected, relatedArg, relatedDim, whereFrom } from './describe';
import { inFeaturesFix, isBidirectionalHalf, linearMismatch } from './sl105-bidirectional-output-size';

export const linearInFeaturesMismatch: Rule = {
  code: 'SL106',
  name: 'linear-in-features-mismatch',
  severity: 'error',
  framework: 'torch',
  summary: 'A Linear layer\'s in_features differs from the size of the last dimension it receives.',
  docs: {
    whatItDoes: 'Checks that the last dimension of the tensor reaching `nn.Linear` equals its `in_features`, following the shape through embeddings, recurrent layers, indexing, `view`/`flatten` and `cat`.',
    whyIsThisBad: 'PyTorch raises `RuntimeError: mat1 and mat2 shapes cannot be multiplied (32x64 and 128x10)`.',
    example: 'self.lstm = nn.LSTM(embed_dim, 64, batch_first=True)\nself.fc = nn.Linear(embed_dim, n_classes)',
    useInstead: 'self.lstm = nn.LSTM(embed_dim, 64, batch_first=True)\nself.fc = nn.Linear(64, n_classes)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.Linear.html'],
  },
  fixTitles: ['Set in_features=N'],
  hooks: {
    offers: {
      layerCall: (kind) => kind === 'Linear',
    },
    layerCall(event, ctx) {
      const m = linearMismatch(event);
      if (!m || isBidirectionalHalf(m)) return;
      ctx.report({
        range: event.call.args[0]?.range ?? event.call.range,
        message: `Linear expects ${expected(event.layer, 'in_features', m.want)} but receives ${m.got.value} features${whereFrom(m.got)}`,
        related: [relatedArg(event.layer, 'in_features', `in_features=${m.want} is set here`), ...relatedDim(m.got, `${m.got.value} features come from here`)],
        fixes: inFeaturesFix(event, m.got.value, m.want, ctx),
      });
    },
  },
};
