// Python's random module: random.sample and random.choices give a list of k items drawn from the population;
// random.randint and random.randrange one int between known bounds.
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

  // A window around a drawn index: frames[j - a:j + b] holds a + b frames whenever the draw keeps it inside frames.
  const windowProgram = (draw: string, slice: string) =>
    `import random\nimport numpy as np\nimport torch\nframes = np.zeros((300, 64))\nj = ${draw}\nx = torch.from_numpy(frames[${slice}])\n`;

  it('random.randrange(start, stop) is an int of range(start, stop): a window around it that stays inside has its length', async () => {
    assert.equal(await shapeOf(windowProgram('random.randrange(9, len(frames) - 23)', 'j - 9:j + 23'), 'x'), '(32, 64)');
    assert.equal(await shapeOf(windowProgram('random.randrange(len(frames) - 40)', 'j:j + 40'), 'x'), '(40, 64)');
    assert.equal(await shapeOf(windowProgram('random.randrange(0, 250, 7)', 'j:j + 50'), 'x'), '(50, 64)');
  });

  it('random.randint(a, b) includes b: a window that may run past the end is not known', async () => {
    assert.equal(await shapeOf(windowProgram('random.randint(0, 260)', 'j:j + 40'), 'x'), '(40, 64)');
    // j = 261 leaves 39 frames: Python clamps the stop, so the length depends on the draw.
    assert.equal(await shapeOf(windowProgram('random.randint(0, 261)', 'j:j + 40'), 'x'), '(?, 64)');
    assert.equal(await shapeOf(windowProgram('random.randrange(0, 262)', 'j:j + 40'), 'x'), '(?, 64)');
  });

  it('a draw of one possible value is that value; an empty range or a step of 0 is not known', async () => {
    const sized = (draw: string) => `import random\nimport torch\nn = ${draw}\nx = torch.zeros(n, 3)\n`;
    assert.equal(await shapeOf(sized('random.randint(4, 4)'), 'x'), '(4, 3)');
    assert.equal(await shapeOf(sized('random.randrange(4, 5)'), 'x'), '(4, 3)');
    assert.equal(await shapeOf(sized('random.randint(2, 6)'), 'x'), '(?, 3)');
    // An int, even of several possible values, picks one row (one axis less); what Python refuses with ValueError
    // (an empty range, a step of 0) is no int at all.
    const row = (draw: string) => `import random\nimport torch\nrows = torch.zeros(10, 3)\nx = rows[${draw}]\n`;
    assert.equal(await shapeOf(row('random.randint(0, 9)'), 'x'), '(3,)');
    assert.equal(await shapeOf(row('random.randrange(10)'), 'x'), '(3,)');
    for (const refused of ['random.randint(5, 4)', 'random.randrange(3, 3)', 'random.randrange(0, 9, 0)', 'random.randrange(10, step=2)']) {
      assert.equal(await shapeOf(row(refused), 'x'), undefined, refused);
    }
  });
});
