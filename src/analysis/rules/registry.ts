// The one list of rules. Codes are stable and never reused; the README's table, the hovers,
// `seqlens rules`/`explain` and the tests all read from here.
import type { Rule, RuleInfo } from './rule';
import { rnnInputSizeMismatch } from './torch/sl101-rnn-input-size-mismatch';
import { batchFirstMismatch } from './torch/sl102-batch-first-mismatch';
import { hiddenStateShape } from './torch/sl103-hidden-state-shape';
import { lstmStateUnpacking } from './torch/sl104-lstm-state-unpacking';
import { bidirectionalOutputSize } from './torch/sl105-bidirectional-output-size';
import { linearInFeaturesMismatch } from './torch/sl106-linear-in-features-mismatch';
import { stackedRnnSizeMismatch } from './torch/sl107-stacked-rnn-size-mismatch';
import { embeddingIndexOutOfRange } from './torch/sl108-embedding-index-out-of-range';
import { embeddingArgumentsSwapped } from './torch/sl109-embedding-arguments-swapped';
import { embeddingFloatInput } from './torch/sl110-embedding-float-input';
import { packedSequenceIndexed } from './torch/sl111-packed-sequence-indexed';
import { unsortedLengths } from './torch/sl112-unsorted-lengths';
import { crossEntropySequenceLayout } from './torch/sl113-cross-entropy-sequence-layout';
import { rnnDropoutSingleLayer } from './torch/sl114-rnn-dropout-single-layer';
import { lossTargetShape } from './torch/sl115-loss-target-shape';
import { rnnInputRank } from './torch/sl116-rnn-input-rank';
import { viewNonContiguous } from './torch/sl117-view-non-contiguous';
import { repeatFewerSizes } from './torch/sl118-repeat-fewer-sizes';
import { broadcastSizeMismatch } from './torch/sl119-broadcast-size-mismatch';
import { viewMixesAxes } from './torch/sl120-view-mixes-axes';
import { matmulSizeMismatch } from './torch/sl121-matmul-size-mismatch';
import { viewSizeMismatch } from './torch/sl122-view-size-mismatch';
import { dimOutOfRange } from './torch/sl123-dim-out-of-range';
import { classTargetOutOfRange } from './torch/sl124-class-target-out-of-range';
import { indexOutOfBoundsRule } from './torch/sl125-index-out-of-bounds';
import { packedLengthsBatchMismatch } from './torch/sl126-packed-lengths-batch-mismatch';
import { softmaxOverSingleEntry } from './torch/sl127-softmax-over-single-entry';
import { attentionBatchFirst } from './torch/sl130-attention-batch-first';
import { positionalEncodingLayout } from './torch/sl131-positional-encoding-layout';
import { keyPaddingMaskShape } from './torch/sl133-key-padding-mask-shape';
import { attnMaskShape } from './torch/sl134-attn-mask-shape';
import { floatAttentionMask } from './torch/sl135-float-attention-mask';
import { subsequentMaskLength } from './torch/sl136-subsequent-mask-length';
import { attentionHeadsDivideEmbed } from './torch/sl137-attention-heads-divide-embed';
import { attentionEmbedSize } from './torch/sl138-attention-embed-size';
import { attentionBatchMismatch } from './torch/sl141-attention-batch-mismatch';
import { catSizeMismatch } from './torch/sl142-cat-size-mismatch';
import { conv1dChannelsLayout } from './torch/sl139-conv1d-channels-layout';
import { convOutputIntoRnn } from './torch/sl140-conv-output-into-rnn';
import { rnnLastUnitAsLastStep } from './torch/sl143-rnn-last-unit-as-last-step';
import { rnnIntegerInput } from './torch/sl144-rnn-integer-input';
import { viewFloatSize } from './torch/sl145-view-float-size';
import { batchnormChannelAxis } from './torch/sl146-batchnorm-channel-axis';
import { gatherIndexSize } from './torch/sl147-gather-index-size';
import { softmaxImplicitDim } from './torch/sl148-softmax-implicit-dim';
import { rnnOutputTupleAsTensor } from './torch/sl149-rnn-output-tuple-as-tensor';
import { convKernelLongerThanInput } from './torch/sl150-conv-kernel-longer-than-input';
import { softmaxOverBatchAxis } from './torch/sl151-softmax-over-batch-axis';
import { bidirectionalLastStep } from './torch/sl152-bidirectional-last-step';
import { attentionSoftmaxAxis } from './torch/sl153-attention-softmax-axis';
import { rnnFlattenedOutputOneColumn } from './torch/sl154-rnn-flattened-output-one-column';
import { packedLengthExceedsSteps } from './torch/sl155-packed-length-exceeds-steps';
import { layerFloatSize } from './torch/sl158-layer-float-size';
import { mergedRowsOrderMismatch } from './torch/sl160-merged-rows-order-mismatch';
import { paddedLastStep } from './torch/sl156-padded-last-step';
import { packedLengthsRank } from './torch/sl159-packed-lengths-rank';
import { layerNormShapeMismatch } from './torch/sl161-layernorm-shape-mismatch';
import { unexpectedKeywordArgument } from './torch/sl162-unexpected-keyword-argument';
import { rnnStateDroppedBetweenSteps } from './torch/sl163-rnn-state-dropped-between-steps';
import { convPoolInputRank } from './torch/sl164-conv-pool-input-rank';
import { lstmCellStateAsInput } from './torch/sl165-lstm-cell-state-as-input';
import { raggedTensorData } from './torch/sl166-ragged-tensor-data';
import { maskedSelectBroadcast } from './torch/sl167-masked-select-broadcast';
import { shapeAssertionFails } from './torch/sl168-shape-assertion-fails';
import { scalarOfManyElements } from './torch/sl169-scalar-of-many-elements';
import { clampedSliceBroadcast } from './torch/sl170-clamped-slice-broadcast';
import { rnnEmptySequence } from './torch/sl171-rnn-empty-sequence';
import { lossInputKind } from './torch/sl172-loss-input-kind';
import { kerasRnn1dInputShape } from './keras/sl201-keras-rnn-1d-input-shape';
import { kerasRnnInputNdim } from './keras/sl202-keras-rnn-input-ndim';
import { kerasEmbeddingIndexOutOfRange } from './keras/sl203-keras-embedding-index-out-of-range';
import { kerasEmbeddingArgumentsSwapped } from './keras/sl204-keras-embedding-arguments-swapped';
import { kerasEmbeddingInputLength } from './keras/sl205-keras-embedding-input-length';
import { kerasBidirectionalOutputSize } from './keras/sl206-keras-bidirectional-output-size';
import { kerasSequenceOutputLabels } from './keras/sl207-keras-sequence-output-labels';
import { kerasLossActivationMismatch } from './keras/sl208-keras-loss-activation-mismatch';
import { kerasAccuracyOnlyMetrics } from './keras/sl209-keras-accuracy-only-metrics';
import { kerasOutputLabelShape } from './keras/sl210-keras-output-label-shape';
import { kerasInputDataShape } from './keras/sl211-keras-input-data-shape';
import { kerasInitialStateShape } from './keras/sl212-keras-initial-state-shape';
import { kerasRecurrentOutputCount } from './keras/sl213-keras-recurrent-output-count';
import { kerasReturnStateInSequential } from './keras/sl214-keras-return-state-in-sequential';
import { kerasLegacyArgument } from './keras/sl215-keras-legacy-argument';
import { kerasConvInputNdim } from './keras/sl216-keras-conv-input-ndim';
import { kerasWindowLongerThanSteps } from './keras/sl217-keras-window-longer-than-steps';
import { kerasAttentionShapes } from './keras/sl218-keras-attention-shapes';
import { kerasAttentionOutputCount } from './keras/sl219-keras-attention-output-count';
import { kerasStatefulBatchSize } from './keras/sl220-keras-stateful-batch-size';
import { kerasMergeShapes } from './keras/sl221-keras-merge-shapes';
import { kerasTimeDistributedInputNdim } from './keras/sl222-keras-timedistributed-input-ndim';
import { kerasReshapeSize } from './keras/sl223-keras-reshape-size';

const RULES: readonly Rule[] = [
  rnnInputSizeMismatch,
  batchFirstMismatch,
  hiddenStateShape,
  lstmStateUnpacking,
  bidirectionalOutputSize,
  linearInFeaturesMismatch,
  stackedRnnSizeMismatch,
  embeddingIndexOutOfRange,
  embeddingArgumentsSwapped,
  embeddingFloatInput,
  packedSequenceIndexed,
  unsortedLengths,
  crossEntropySequenceLayout,
  rnnDropoutSingleLayer,
  lossTargetShape,
  rnnInputRank,
  viewNonContiguous,
  repeatFewerSizes,
  broadcastSizeMismatch,
  viewMixesAxes,
  matmulSizeMismatch,
  viewSizeMismatch,
  dimOutOfRange,
  classTargetOutOfRange,
  indexOutOfBoundsRule,
  packedLengthsBatchMismatch,
  softmaxOverSingleEntry,
  attentionBatchFirst,
  positionalEncodingLayout,
  keyPaddingMaskShape,
  attnMaskShape,
  floatAttentionMask,
  subsequentMaskLength,
  attentionHeadsDivideEmbed,
  attentionEmbedSize,
  conv1dChannelsLayout,
  convOutputIntoRnn,
  attentionBatchMismatch,
  catSizeMismatch,
  rnnLastUnitAsLastStep,
  rnnIntegerInput,
  viewFloatSize,
  batchnormChannelAxis,
  gatherIndexSize,
  softmaxImplicitDim,
  rnnOutputTupleAsTensor,
  convKernelLongerThanInput,
  softmaxOverBatchAxis,
  bidirectionalLastStep,
  attentionSoftmaxAxis,
  rnnFlattenedOutputOneColumn,
  packedLengthExceedsSteps,
  paddedLastStep,
  packedLengthsRank,
  layerNormShapeMismatch,
  unexpectedKeywordArgument,
  rnnStateDroppedBetweenSteps,
  convPoolInputRank,
  lstmCellStateAsInput,
  raggedTensorData,
  maskedSelectBroadcast,
  shapeAssertionFails,
  scalarOfManyElements,
  clampedSliceBroadcast,
  rnnEmptySequence,
  lossInputKind,
  layerFloatSize,
  mergedRowsOrderMismatch,
  kerasRnn1dInputShape,
  kerasRnnInputNdim,
  kerasEmbeddingIndexOutOfRange,
  kerasEmbeddingArgumentsSwapped,
  kerasEmbeddingInputLength,
  kerasBidirectionalOutputSize,
  kerasSequenceOutputLabels,
  kerasLossActivationMismatch,
  kerasAccuracyOnlyMetrics,
  kerasOutputLabelShape,
  kerasInputDataShape,
  kerasInitialStateShape,
  kerasRecurrentOutputCount,
  kerasReturnStateInSequential,
  kerasLegacyArgument,
  kerasConvInputNdim,
  kerasWindowLongerThanSteps,
  kerasAttentionShapes,
  kerasAttentionOutputCount,
  kerasStatefulBatchSize,
  kerasMergeShapes,
  kerasTimeDistributedInputNdim,
  kerasReshapeSize,
];

export function allRules(): readonly Rule[] {
  return RULES;
}

export function ruleByCode(code: string): RuleInfo | undefined {
  return RULES.find((r) => r.code === code.toUpperCase());
}
