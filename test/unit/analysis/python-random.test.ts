// Python's random module: random.sample and random.choices give a list of k items drawn from the population.
import { strict as assert } from 'node:assert';
import { shapeOf } from './helpers';

const program = (line: string) => `import random\nimport numpy as np\n${line}\nx = np.array(drawn)\n`;

describe("Python's random module", () => {
  it('random.sample(population, k) is a list of k items', async () => {
    assert.equal(await shapeOf(program('drawn = random.sample(range(1, 100), 50)'), 'x'), '(50,)');
    assert.equal(await shapeOf(program('drawn = random.sample(population=list(range(8)), k=3)'), 'x'), '(3,)');
  });

  it('random.choices(population, k=k) is a list of k items, one when k is not given', async () => {
    assert.equal(await shapeOf(program('drawn = random.choices(range(10), k=25)'), 'x'), '(25,)');
    assert.equal(await shapeOf(program('drawn = random.choices([1, 2, 3])'), 'x'), '(1,)');
  });

  it('a sample larger than its population, or of a k not known, is not known', async () => {
    // Python raises ValueError for random.sample(range(5), 6).
    assert.equal(await shapeOf(program('drawn = random.sample(range(5), 6)'), 'x'), undefined);
    assert.equal(await shapeOf(program('drawn = random.sample(range(100), int(input()))'), 'x'), undefined);
    // Python 3.11 raises TypeError for a set as the population (one whose items are listed is known to be a set).
    assert.equal(await shapeOf(program('drawn = random.sample(set(["a", "b", "c"]), 2)'), 'x'), undefined);
  });

  it('slices of a sample keep their lengths through a list of rows', async () => {
    const body = 'data = random.sample(range(1, 100), 50)\nrows = []\nfor i in range(2):\n    rows.append(data[i:len(data) - 2 + i])\ndrawn = rows';
    assert.equal(await shapeOf(program(body), 'x'), '(2, 48)');
  });
});
