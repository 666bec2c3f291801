// Every PyTorch layer family SeqLens understands, by class name.
import type { LayerFamily } from '../family';
import { torchAdaptivePooling } from './adaptive-pooling';
import { torchFlatten, torchSequential } from './containers';
import { torchAttention } from './attention';
import { torchAudio } from './audio';
import { torchCells } from './cells';
import { torchConvolution } from './convolution';
import { torchConvolution2d } from './convolution2d';
import { torchEmbedding } from './embedding';
import { torchEinops } from './einops';
import { torchLinear } from './linear';
import { torchLosses } from './losses';
import { torchPadding } from './padding';
import { torchRecurrent } from './recurrent';
import { torchShapePreserving } from './shape-preserving';
import { torchTransposedConvolution } from './transposed-convolution';
import { torchUnfold } from './unfold';

const FAMILIES: LayerFamily[] = [torchRecurrent, torchEmbedding, torchLinear, torchShapePreserving, torchSequential, torchFlatten, torchLosses, torchConvolution, torchConvolution2d, torchCells, torchAttention, torchPadding, torchEinops, torchAudio, torchTransposedConvolution, torchUnfold, torchAdaptivePooling];

const BY_KIND = new Map<string, LayerFamily>();
for (const family of FAMILIES) for (const kind of family.kinds) BY_KIND.set(kind, family);

export function torchFamily(kind: string): LayerFamily | undefined {
  return BY_KIND.get(kind);
}
