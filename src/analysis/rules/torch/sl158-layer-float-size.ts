import type { Expr } from '../../parse/ast';
import type { LayerDesc } from '../../layers/layer';
import { argValue } from '../../layers/layer';
import type { Value } from '../../values/value';
import { fix, replace } from '../edits';
import type { Rule } from '../rule';
import { formatFloat, layerName } from './describe';

/**
 * The arguments each layer turns into the sizes of the tensors it allocates when it is built, so that PyTorch 1.13 raises
 * a TypeError for a float there, whatever its value (`empty() received an invalid combination of arguments`): the
 * `layer_floats` of test/oracle/product_errors.py, built in PyTorch 1.13. Not listed: what only a computation reads
 * (MultiheadAttention's num_heads, a convolution's stride or padding), which takes a float silently.
 */
const SIZES: Record<string, readonly string[]> = {
  Linear: ['in_features', 'out_features'],
  Embedding: ['num_embeddings', 'embedding_dim'],
  LSTM: ['input_size', 'hidden_size', 'num_layers', 'proj_size'],
  GRU: ['input_size', 'hidden_size', 'num_layers'],
  RNN: ['input_size', 'hidden_size', 'num_layers'],
  LSTMCell: ['input_size', 'hidden_size'],
  GRUCell: ['input_size', 'hidden_size'],
  RNNCell: ['input_size', 'hidden_size'],
  Conv1d: ['in_channels', 'out_channels', 'kernel_size', 'groups'],
  Conv2d: ['in_channels', 'out_channels', 'kernel_size', 'groups'],
  Conv3d: ['in_channels', 'out_channels', 'kernel_size', 'groups'],
  LayerNorm: ['normalized_shape'],
  BatchNorm1d: ['num_features'],
  BatchNorm2d: ['num_features'],
  BatchNorm3d: ['num_features'],
  MultiheadAttention: ['embed_dim'],
  TransformerEncoderLayer: ['d_model', 'dim_feedforward'],
  TransformerDecoderLayer: ['d_model', 'dim_feedforward'],
};

/**
 * A float the layer is given as a size: the value itself, or an item of a size written as a sequence
 * (`LayerNorm([d / 2])`, `kernel_size=(3.0,)`).
 */
function floatIn(value: Value): (Value & { kind: 'float' }) | undefined {
  if (value.kind === 'float') return value.assumedDefault ? undefined : value;
  if ((value.kind === 'tuple' || value.kind === 'list') && !value.element) {
    for (const item of value.items) if (item.kind === 'float' && !item.assumedDefault) return item;
  }
  return undefined;
}

/** BatchNorm without affine parameters and running statistics allocates nothing from num_features. */
function allocates(layer: LayerDesc, arg: string): boolean {
  if (arg !== 'num_features') return true;
  const isTrue = (name: string) => {
    const v = argValue(layer, name);
    return v.kind === 'bool' && v.value;
  };
  return isTrue('affine') || isTrue('track_running_stats');
}

/** `a / b` written as `a // b`: the fix for the Python 2 division that meets Python 3. */
function floorDivision(expr: Expr, text: (e: Expr) => string): string | undefined {
  return expr.kind === 'binop' && expr.op === '/' ? `${text(expr.left)} // ${text(expr.right)}` : undefined;
}

export const layerFloatSize: Rule = {
  code: 'SL158',
  name: 'layer-float-size',
  severity: 'error',
  framework: 'torch',
  summary: 'A layer is built with a float as a size (in_features, hidden_size, embedding_dim…), often the result of / between ints; PyTorch raises a TypeError when the layer is built.',
  docs: {
    whatItDoes:
      'Follows Python numbers into the sizes a PyTorch layer allocates its weights from (`nn.Linear`\'s `in_features` and `out_features`, `nn.LSTM`\'s `input_size`, `hidden_size` and `num_layers`, `nn.Embedding`\'s two sizes, a convolution\'s channels and kernel, `nn.LayerNorm`\'s shape, `d_model`…) and flags one that is a float: the result of `/` (true division, even between ints that divide exactly, and whatever their values), a float literal, `float()`, or a `math` function such as `sqrt`. A float that is only the default of a parameter of a model this file never builds is not flagged: a caller may pass an int.',
    whyIsThisBad:
      'PyTorch 1.13 builds the weights with `torch.empty(size)`, which takes only ints, so the constructor raises `TypeError: empty() received an invalid combination of arguments` (or "argument \'size\' must be tuple of SymInts, but found element of type float"). Code written for Python 2, where `/` between ints floored, meets this under Python 3: `nn.LSTM(N_word, N_h / 2, bidirectional=True)`.',
    example: 'self.lstm = nn.LSTM(input_size=N_word, hidden_size=N_h / 2, bidirectional=True)',
    useInstead: 'self.lstm = nn.LSTM(input_size=N_word, hidden_size=N_h // 2, bidirectional=True)',
    references: ['https://pytorch.org/docs/stable/generated/torch.nn.LSTM.html', 'https://peps.python.org/pep-0238/'],
  },
  fixTitles: ['Use floor division (//)', 'Convert the size with int()'],
  hooks: {
    layerConstruct({ layer }, ctx) {
      if (layer.framework !== 'torch' || !Object.hasOwn(SIZES, layer.kind)) return;
      for (const name of SIZES[layer.kind]) {
        const arg = layer.args.get(name);
        if (!arg?.expr || !allocates(layer, name)) continue;
        const float = floatIn(arg.value);
        if (!float) continue;
        const written = ctx.text(arg.expr.range);
        const value = float.value !== undefined ? `the float ${formatFloat(float.value)}${written !== formatFloat(float.value) ? ` (${written})` : ''}` : `a float (${written})`;
        const floor = floorDivision(arg.expr, (e) => ctx.text(e.range));
        ctx.report({
          range: arg.expr.range,
          message: `${layerName(layer)} is given ${value} as ${name}; sizes must be ints, so PyTorch raises a TypeError when the layer is built, as it allocates the weights from it (under Python 3, / between ints gives a float: // gives the int)`,
          related: [],
          fixes: floor ? [fix('Use floor division (//)', [replace(arg.expr.range, floor)], true)] : float === arg.value ? [fix('Convert the size with int()', [replace(arg.expr.range, `int(${written})`)])] : [],
        });
        return;
      }
    },
  },
};
