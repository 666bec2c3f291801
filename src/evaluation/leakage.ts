// Train/test leakage: how many evaluated samples also occur in the training file, comparing
// hashes of the normalised sample text (see KeyColumnBuilder). Sorting the training hashes
// and binary-searching keeps this at O(n log n) in two typed arrays.

export function sharedSamples(testKeys: Float64Array, trainKeys: Float64Array): number {
  const train = trainKeys.slice().sort();
  let shared = 0;
  for (let i = 0; i < testKeys.length; i++) {
    const key = testKeys[i];
    let lo = 0;
    let hi = train.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (train[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    if (lo < train.length && train[lo] === key) shared++;
  }
  return shared;
}
