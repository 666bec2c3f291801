// Keras model.predict gives NumPy arrays: too many indices on its output are refused in NumPy's words (SL123), not
// PyTorch's.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const PROGRAM =
  'import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Conv2D\n' +
  'model = Sequential()\nmodel.add(Conv2D(1, (1, 1), input_shape=(12, 12, 1)))\n' +
  'p = model.predict(np.zeros((1, 12, 12, 1)))\n';

describe('Keras predict output indexed', () => {
  it('reports five indices on the 4-D prediction with NumPy\'s message', async () => {
    const loud = (await run(PROGRAM + 'q = p[0, 4, :, :, 0]\n')).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    assert.deepEqual(loud.map((f) => f.code), ['SL123']);
    assert.match(loud[0].message, /numpy raises "too many indices for array: array is 4-dimensional, but 5 were indexed"/);
    assert.doesNotMatch(loud[0].message, /PyTorch/);
  });

  it('stays silent on four indices', async () => {
    const loud = (await run(PROGRAM + 'q = p[0, :, :, 0]\n')).findings.filter((f) => f.severity === 'error' || f.severity === 'warning');
    assert.deepEqual(loud, []);
  });
});
