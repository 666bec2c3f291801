// Truncated and mutated fixtures: no exception may escape and analysis time stays bounded.
import { strict as assert } from 'node:assert';
import { analyzer } from './helpers';
import { fixtureDir, readFixtures } from './fixture-labels';

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const NOISE = ['(', ')', '[', ']', ':', ',', '\n', '    ', '=', '*', '-1', 'None', 'self.', 'nn.LSTM(', 'torch.randn(', '"', "'''", '\\', 'lambda', '@', '#', '0x'];

function mutate(text: string, rand: () => number): string {
  let out = text;
  const edits = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (out.length + 1));
    const kind = rand();
    if (kind < 0.4) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(rand() * 20));
    else if (kind < 0.8) out = out.slice(0, at) + NOISE[Math.floor(rand() * NOISE.length)] + out.slice(at);
    else {
      const from = Math.floor(rand() * out.length);
      out = out.slice(0, at) + out.slice(from, from + 40) + out.slice(at);
    }
  }
  return out;
}

describe('robustness', () => {
  const fixtures = readFixtures(fixtureDir('fixtures', 'torch'));

  it('survives every prefix of a fixture, cut at every 7th character', async () => {
    const a = await analyzer();
    const text = fixtures.find((f) => f.name.startsWith('clean_'))!.source;
    for (let cut = 0; cut <= text.length; cut += 7) a.analyze(text.slice(0, cut), 'cut.py');
  });

  it('survives 2,000 random mutations of the fixtures within a time bound', async function () {
    // The bound is per mutant, below; the whole run only needs a guard against a hang on a busy machine.
    this.timeout(120_000);
    const a = await analyzer();
    const rand = random(20261123);
    let slowest = 0;
    for (let i = 0; i < 2000; i++) {
      const source = mutate(fixtures[i % fixtures.length].source, rand);
      const start = performance.now();
      const result = a.analyze(source, 'mutant.py');
      slowest = Math.max(slowest, performance.now() - start);
      assert.ok(Array.isArray(result.findings));
    }
    assert.ok(slowest < 1000, `slowest mutant took ${slowest.toFixed(0)} ms`);
  });

  it('bounds pathological input: deep nesting, huge literals and self-recursion', async () => {
    const a = await analyzer();
    const deep = `x = ${'('.repeat(2000)}1${')'.repeat(2000)}\n`;
    const huge = `x = torch.tensor([${Array.from({ length: 50000 }, (_, i) => i).join(', ')}])\n`;
    const recursive = 'import torch.nn as nn\ndef f(n):\n    return f(n - 1) + g(n)\ndef g(n):\n    return f(n)\nclass M(nn.Module):\n    def forward(self, x):\n        return self(x)\nf(3)\nM()(1)\n';
    const loops = 'for i in range(10**9):\n    while True:\n        x = x + 1\n';
    for (const source of [deep, huge, recursive, loops, '\u0000\uffff', '']) a.analyze(source, 'odd.py');
  });

  it('survives mutations of code written to exhaust the analyzer: growth, deep nesting, long chains', async function () {
    // A guard against a hang, not a timing assertion: each input is bounded by the analysis itself.
    this.timeout(120_000);
    const a = await analyzer();
    const hostile = [
      'x = [0]\n' + 'x = x + x\n'.repeat(30),
      's = "ab"\n' + 's = s + s\n'.repeat(40),
      "t = 'a' * 10**9\nu = [0] * 10**9\nv = 10**10**10\nw = 2**100000\n",
      `x = ${'('.repeat(2500)}1${')'.repeat(2500)}\ny = ${'['.repeat(2500)}1${']'.repeat(2500)}\nz = ${'f('.repeat(2500)}1${')'.repeat(2500)}\n`,
      'x = 1\nif x == 0:\n    y = 0\n' + Array.from({ length: 2000 }, (_, i) => `elif x == ${i + 1}:\n    y = [y] * ${i}\n`).join(''),
      'a = []\nfor i in range(16):\n    for j in range(16):\n        a.append(a)\n        a = a + a\n',
    ];
    const rand = random(20261202);
    for (let i = 0; i < 60; i++) {
      const result = a.analyze(mutate(hostile[i % hostile.length], rand) + '\nimport torch.nn as nn\ng = nn.GRU(50, 100)\n', 'hostile.py');
      assert.ok(Array.isArray(result.findings));
    }
  });
});
