// The module classes torch.nn exports and which of them derive from which, as PyTorch 1.13 defines them
// (test/unit/analysis/torch-classes.test.ts reads both again from PyTorch): what `isinstance(self.rnn, nn.LSTM)`
// answers for a layer whose class the analysis knows.

/** Every nn.Module subclass exported by torch.nn, by name (nn.Module itself aside). */
export const TORCH_NN_CLASSES: ReadonlySet<string> = new Set(
  `AdaptiveAvgPool1d AdaptiveAvgPool2d AdaptiveAvgPool3d AdaptiveLogSoftmaxWithLoss AdaptiveMaxPool1d
   AdaptiveMaxPool2d AdaptiveMaxPool3d AlphaDropout AvgPool1d AvgPool2d AvgPool3d BCELoss BCEWithLogitsLoss
   BatchNorm1d BatchNorm2d BatchNorm3d Bilinear CELU CTCLoss ChannelShuffle ConstantPad1d ConstantPad2d
   ConstantPad3d Container Conv1d Conv2d Conv3d ConvTranspose1d ConvTranspose2d ConvTranspose3d
   CosineEmbeddingLoss CosineSimilarity CrossEntropyLoss CrossMapLRN2d DataParallel Dropout Dropout1d Dropout2d
   Dropout3d ELU Embedding EmbeddingBag FeatureAlphaDropout Flatten Fold FractionalMaxPool2d FractionalMaxPool3d
   GELU GLU GRU GRUCell GaussianNLLLoss GroupNorm Hardshrink Hardsigmoid Hardswish Hardtanh HingeEmbeddingLoss
   HuberLoss Identity InstanceNorm1d InstanceNorm2d InstanceNorm3d KLDivLoss L1Loss LPPool1d LPPool2d LSTM
   LSTMCell LayerNorm LazyBatchNorm1d LazyBatchNorm2d LazyBatchNorm3d LazyConv1d LazyConv2d LazyConv3d
   LazyConvTranspose1d LazyConvTranspose2d LazyConvTranspose3d LazyInstanceNorm1d LazyInstanceNorm2d
   LazyInstanceNorm3d LazyLinear LeakyReLU Linear LocalResponseNorm LogSigmoid LogSoftmax MSELoss
   MarginRankingLoss MaxPool1d MaxPool2d MaxPool3d MaxUnpool1d MaxUnpool2d MaxUnpool3d Mish ModuleDict ModuleList
   MultiLabelMarginLoss MultiLabelSoftMarginLoss MultiMarginLoss MultiheadAttention NLLLoss NLLLoss2d PReLU
   PairwiseDistance ParameterDict ParameterList PixelShuffle PixelUnshuffle PoissonNLLLoss RNN RNNBase RNNCell
   RNNCellBase RReLU ReLU ReLU6 ReflectionPad1d ReflectionPad2d ReflectionPad3d ReplicationPad1d ReplicationPad2d
   ReplicationPad3d SELU Sequential SiLU Sigmoid SmoothL1Loss SoftMarginLoss Softmax Softmax2d Softmin Softplus
   Softshrink Softsign SyncBatchNorm Tanh Tanhshrink Threshold Transformer TransformerDecoder
   TransformerDecoderLayer TransformerEncoder TransformerEncoderLayer TripletMarginLoss
   TripletMarginWithDistanceLoss Unflatten Unfold Upsample UpsamplingBilinear2d UpsamplingNearest2d ZeroPad2d`.split(/\s+/),
);

/** Sub → its bases among TORCH_NN_CLASSES (nn.Module aside). */
const BASES: Record<string, readonly string[]> = {
  GRU: ['RNNBase'], LSTM: ['RNNBase'], RNN: ['RNNBase'],
  GRUCell: ['RNNCellBase'], LSTMCell: ['RNNCellBase'], RNNCell: ['RNNCellBase'],
  LazyConv1d: ['Conv1d'], LazyConv2d: ['Conv2d'], LazyConv3d: ['Conv3d'],
  LazyConvTranspose1d: ['ConvTranspose1d'], LazyConvTranspose2d: ['ConvTranspose2d'], LazyConvTranspose3d: ['ConvTranspose3d'],
  LazyLinear: ['Linear'], NLLLoss2d: ['NLLLoss'], ReLU6: ['Hardtanh'],
  UpsamplingBilinear2d: ['Upsample'], UpsamplingNearest2d: ['Upsample'], ZeroPad2d: ['ConstantPad2d'],
};

/** The (sub, base) pairs of BASES, for the test against PyTorch. */
export function subclassPairs(): [string, string][] {
  return Object.entries(BASES).flatMap(([sub, bases]) => bases.map((b): [string, string] => [sub, b]));
}

/**
 * Whether a layer of class `kind` is an instance of torch.nn's class `name`: true or false when both are torch.nn
 * classes (or `name` is Module), undefined otherwise.
 */
export function torchLayerIsInstance(kind: string, name: string): boolean | undefined {
  if (name === 'Module' || name === kind) return true;
  if (!TORCH_NN_CLASSES.has(kind) || !TORCH_NN_CLASSES.has(name)) return undefined;
  return (Object.hasOwn(BASES, kind) && BASES[kind].includes(name)) || false;
}
