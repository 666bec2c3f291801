// A lambda expression is the function it makes (parse/lower.ts lowers it to a def named `<lambda>`): calling it runs
// its body, inside a function it closes over that function's names, and the incremental split follows the names its
// body reads whenever it may be called.
import { strict as assert } from 'node:assert';
import { IncrementalInterpreter } from '../../../src/analysis/interpret/incremental';
import { DocumentParser } from '../../../src/analysis/parse/parser';
import { analyzer, run } from './helpers';
import { componentLines, replacing } from './incremental-helpers';

const HEADER = 'import torch\nimport torch.nn as nn\n';

async function shapes(body: string): Promise<Map<string, string>> {
  const result = await run(HEADER + body);
  return new Map(result.tensors.map((t) => [t.name, t.shape]));
}

describe('lambda expressions as values', () => {
  it('a lambda called by name, called where it stands, or stored on a module runs its body on the arguments', async () => {
    const s = await shapes(`flat = lambda x: torch.relu(x).view(x.size(0), -1)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 4)
        self.head = lambda z: self.fc(z)

    def forward(self, x):
        y = flat(x)
        w = self.head(y)
        g = (lambda q, dim=1: q.sum(dim))(w)
        return g

net = Net()
r = net(torch.randn(3, 2, 5))
`);
    assert.equal(s.get('y'), '(3, 10)');
    assert.equal(s.get('w'), '(3, 4)');
    assert.equal(s.get('g'), '(3,)');
  });

  it('closes over the names of the function it is made in, as they are when it is called', async () => {
    const s = await shapes(`def pick(x):
    k = 2
    last = lambda t: t[:, -k:]
    k = 3
    return last(x)

a = pick(torch.randn(4, 9))
`);
    assert.equal(s.get('a'), '(4, 3)');
  });

  it('reports what its body does wrong where the body says it, and nothing for a lambda nothing calls', async () => {
    const called = await run(`${HEADER}proj = nn.Linear(8, 4)\nf = lambda x: proj(x)\ny = f(torch.randn(2, 6))\n`);
    assert.deepEqual(called.findings.filter((f) => f.severity === 'error').map((f) => [f.code, f.range.start.line]), [['SL106', 3]]);
    const uncalled = await run(`${HEADER}proj = nn.Linear(8, 4)\nf = lambda x: proj(torch.randn(2, 6))\n`);
    assert.deepEqual(uncalled.findings.filter((f) => f.severity === 'error'), []);
  });

  it('joins a lambda that reads a module-level name to every binding of it, as a function that reads it', async () => {
    assert.deepEqual(await componentLines(`${HEADER}n = 50\nf = lambda: n\nn = 60\na = f()\nm = 4\n`), [[2, 3, 4, 5], [6]]);
  });

  it('after an edit to a later binding of a name a lambda reads, gives what a cold analysis gives', async () => {
    const source = `${HEADER}K = 1\nlast = lambda t: t[:, -K:]\nK = 2\nproj = nn.Linear(2, 4)\ny = proj(last(torch.randn(5, 9)))\n`;
    const parser = await DocumentParser.create();
    parser.movesInPlace = true;
    const incremental = new IncrementalInterpreter();
    const a = await analyzer();
    try {
      let text = source;
      incremental.analyze(parser.reset(text), text);
      const counts: number[] = [];
      for (const [from, to] of [['K = 2', 'K = 3'], ['K = 3', 'K = 2'], ['nn.Linear(2, 4)', 'nn.Linear(3, 4)']]) {
        const step = replacing(text, from, to);
        text = step.text;
        const result = incremental.analyze(parser.update([step.edit], text), text);
        assert.deepEqual(result, a.analyze(text, 'm.py'), `after ${from} -> ${to}`);
        counts.push(result.findings.filter((f) => f.code === 'SL106').length);
      }
      assert.deepEqual(counts, [1, 0, 1]);
    } finally {
      parser.dispose();
    }
  });
});
