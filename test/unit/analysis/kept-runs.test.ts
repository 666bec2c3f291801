// A run of a function with no effect outside its own frame is kept: a later call with the same arguments, while what the
// run read from outside still holds, takes its result without running again and is not refused by the per-function run
// budget. Everything that could make that result differ from a new run's makes the call run again.
import { strict as assert } from 'node:assert';
import { run, shapeOf } from './helpers';
import { RunMemo } from '../../../src/analysis/interpret/run-memo';
import type * as A from '../../../src/analysis/parse/ast';
import type { Value } from '../../../src/analysis/values/value';

/** A helper whose runs cost more steps than the cheap-run allowance, called `calls` times in forward. */
function costlyHelperProgram(calls: number, argument: (i: number) => string): string {
  const body = Array.from({ length: 300 }, (_, i) => `    y${i} = x`).join('\n');
  const lines = Array.from({ length: calls }, (_, i) => `        a${i} = costly(${argument(i)})`).join('\n');
  return `import torch
import torch.nn as nn

def costly(x):
${body}
    return x.view(4, -1)

class M(nn.Module):
    def forward(self, x):
${lines}
        return x

m = M()
m(torch.randn(4, 16))
`;
}

describe('kept runs of functions without effects', () => {
  it('a call with the same arguments as an earlier run takes its result past the run budget', async () => {
    const source = costlyHelperProgram(30, () => 'x');
    assert.equal(await shapeOf(source, 'a29'), '(4, 16)');
  });

  it('calls with other arguments are still refused past the run budget', async () => {
    const source = costlyHelperProgram(30, (i) => `torch.randn(4, ${i + 1})`);
    assert.equal(await shapeOf(source, 'a0'), '(4, 1)');
    assert.equal(await shapeOf(source, 'a29'), undefined);
  });

  it('a global the function reads, bound again between two calls, makes the second call run again', async () => {
    const source = `N = 4
def fold(x):
    return x.view(N, -1)

t = torch.randn(4, 4)
first = fold(t)
N = 2
second = fold(t)
`;
    assert.equal(await shapeOf(source, 'first'), '(4, 4)');
    assert.equal(await shapeOf(source, 'second'), '(2, 8)');
  });

  it('an attribute of self the method reads, set again between two calls, makes the second call run again', async () => {
    const source = `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.k = 4

    def fold(self, x):
        return x.view(self.k, -1)

    def forward(self, x):
        first = self.fold(x)
        self.k = 2
        second = self.fold(x)
        return second

m = M()
m(torch.randn(4, 4))
`;
    assert.equal(await shapeOf(source, 'first'), '(4, 4)');
    assert.equal(await shapeOf(source, 'second'), '(2, 8)');
  });

  it('a list the function reads, appended to between two calls, makes the second call run again', async () => {
    const source = `SIZES = [4]
def zeros(x):
    return torch.zeros(len(SIZES), 2)

t = torch.randn(3)
first = zeros(t)
SIZES.append(5)
second = zeros(t)
`;
    assert.equal(await shapeOf(source, 'first'), '(1, 2)');
    assert.equal(await shapeOf(source, 'second'), '(2, 2)');
  });

  it('a run that appends to a list from outside is not kept: every call appends', async () => {
    const source = `LOG = []
def note(x):
    LOG.append(x)
    return x

t = torch.randn(3)
note(t)
note(t)
counted = torch.zeros(len(LOG), 1)
`;
    assert.equal(await shapeOf(source, 'counted'), '(2, 1)');
  });

  it("a list a run returns is not shared between calls: appending to one leaves the next call's as it was", async () => {
    const source = `def wrap(x):
    return [x]

t = torch.randn(3)
a = wrap(t)
a.append(t)
b = wrap(t)
counted = torch.zeros(len(b), 1)
`;
    assert.equal(await shapeOf(source, 'counted'), '(1, 1)');
  });

  it("a closure reads the enclosing function's names as they are at each call", async () => {
    const source = `def outer(t):
    k = 4
    def fold(x):
        return x.view(k, -1)
    first = fold(t)
    k = 2
    second = fold(t)
    return second

out = outer(torch.randn(4, 4))
`;
    assert.equal(await shapeOf(source, 'first'), '(4, 4)');
    assert.equal(await shapeOf(source, 'second'), '(2, 8)');
  });

  it('a method that sets an attribute of self is run at every call', async () => {
    const source = `class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.steps = torch.zeros(1)

    def step(self, x):
        self.steps = torch.cat([self.steps, torch.zeros(1)])
        return x

    def forward(self, x):
        self.step(x)
        self.step(x)
        seen = self.steps
        return x

m = M()
m(torch.randn(4, 4))
`;
    assert.equal(await shapeOf(source, 'seen'), '(3,)');
  });

  it('reports a finding in a function at each of its calls, and the findings are the same as without kept runs', async () => {
    const source = `def bad(x):
    return x.view(3, 5)

t = torch.randn(4, 4)
a = bad(t)
b = bad(t)
`;
    const findings = (await run(source)).findings.map((f) => `${f.code}:${f.range.start.line}`);
    assert.deepEqual(findings, ['SL122:3']);
  });

  it('keeps at most a bounded number of runs per function, the oldest making room', () => {
    const memo = new RunMemo(() => false);
    const def = { name: 'f', params: [], body: [], range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } } as unknown as A.FunctionDef;
    const context = { inForward: false, inKerasCall: false, muted: false, uncertain: false, asScript: true };
    const arg = (i: number): Value => ({ kind: 'int', value: i });
    for (let i = 0; i < 40; i++) {
      const key = memo.keyOf(def, [arg(i)], new Map(), undefined, undefined, false, {}, context)!;
      memo.end(memo.begin(), key, arg(i * 2), false);
    }
    const find = (i: number) => memo.find(memo.keyOf(def, [arg(i)], new Map(), undefined, undefined, false, {}, context)!);
    assert.equal(find(0), undefined);
    assert.deepEqual(find(39), arg(78));
    assert.equal(find(23), undefined);
    assert.deepEqual(find(24), arg(48));
  });

  it('neither keeps nor looks up a call given a list, and keeps no mutable result', () => {
    const memo = new RunMemo(() => false);
    const def = { name: 'f', params: [], body: [], range: { start: { line: 0, column: 0 }, end: { line: 0, column: 0 } } } as unknown as A.FunctionDef;
    const context = { inForward: false, inKerasCall: false, muted: false, uncertain: false, asScript: true };
    assert.equal(memo.keyOf(def, [{ kind: 'list', items: [] }], new Map(), undefined, undefined, false, {}, context), undefined);
    const key = memo.keyOf(def, [{ kind: 'int', value: 1 }], new Map(), undefined, undefined, false, {}, context)!;
    memo.end(memo.begin(), key, { kind: 'list', items: [] }, false);
    assert.equal(memo.find(key), undefined);
  });
});
