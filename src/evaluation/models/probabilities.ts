// From a model's outputs to class probabilities, following what the model itself ends with.
import type { ModelSummary } from './types';
import { tfjs, Tensor } from './tf';

export function toProbabilities(raw: Tensor, activation: ModelSummary['outputActivation']): Tensor {
  const tf = tfjs();
  return tf.tidy(() => {
    const units = raw.shape[raw.shape.length - 1];
    let p: Tensor;
    if (activation === 'log_softmax') p = tf.exp(raw);
    else if (activation === 'logits') p = units === 1 ? tf.sigmoid(raw) : tf.softmax(raw);
    else p = raw;
    return units === 1 ? tf.concat([tf.sub(1, p), p], 1) : p;
  });
}
