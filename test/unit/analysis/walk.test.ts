// parse/walk: statements as Python runs them, and every expression inside them except in nested defs, classes and
// lambdas (their bodies run at another time).
import { strict as assert } from 'node:assert';
import { DocumentParser } from '../../../src/analysis/parse/parser';
import { walkExpressions, walkStatements } from '../../../src/analysis/parse/walk';
import type { Expr, Module } from '../../../src/analysis/parse/ast';

async function parse(lines: string[]): Promise<Module> {
  return (await DocumentParser.create()).reset(lines.join('\n') + '\n');
}

/** The names read or bound in the expressions walkExpressions visits, in visiting order. */
function namesIn(node: Parameters<typeof walkExpressions>[0]): string[] {
  const names: string[] = [];
  walkExpressions(node, (e: Expr) => {
    if (e.kind === 'name') names.push(e.id);
  });
  return names;
}

describe('parse/walk', () => {
  it('walks statements and their nested blocks in source order, not the bodies of defs', async () => {
    const module = await parse(['if a:', '    b = 1', 'else:', '    for c in d:', '        e = 2', 'def f():', '    g = 3']);
    const kinds: string[] = [];
    walkStatements(module.body, (s) => kinds.push(s.kind));
    assert.deepEqual(kinds, ['if', 'assign', 'for', 'assign', 'def']);
  });

  it('visits every expression of statements and nested blocks: calls, their arguments, keywords, subscripts, comprehensions', async () => {
    const module = await parse([
      'for t in range(n):',
      '    out, (h, c) = lstm(xs[t], hx=(h, c))',
      '    ys = [f(y) for y in out if y > k]',
      '    print(f"{z!r}")',
      'else:',
      '    w += {p: q}[r]',
    ]);
    assert.deepEqual(namesIn(module.body), ['t', 'range', 'n', 'out', 'h', 'c', 'lstm', 'xs', 't', 'h', 'c', 'ys', 'f', 'y', 'y', 'out', 'y', 'k', 'print', 'z', 'w', 'p', 'q', 'r']);
  });

  it('does not enter functions, classes and lambdas defined inside, whose bodies run at another time', async () => {
    const module = await parse(['while go:', '    def inner():', '        return hidden', '    class C:', '        x = hidden', '    key = lambda v: hidden', '    go = step(key)']);
    assert.deepEqual(namesIn(module.body), ['go', 'key', 'go', 'step', 'key']);
  });

  it('enters functions, classes and lambdas defined inside when asked: every name a function\'s code mentions', async () => {
    const module = await parse(['def f(h):', '    def inner(k=default):', '        return hidden', '    key = lambda v: state', '    return key']);
    const f = module.body[0];
    assert.ok(f.kind === 'def');
    const names: string[] = [];
    walkExpressions(f.body, (e) => e.kind === 'name' && names.push(e.id), true);
    assert.deepEqual(names, ['default', 'hidden', 'key', 'state', 'key']);
  });

  it('visits a call before the expressions inside it, and an expression given alone', async () => {
    const module = await parse(['y = cell(x, h)']);
    const order: string[] = [];
    walkExpressions(module.body, (e) => order.push(e.kind === 'name' ? e.id : e.kind));
    assert.deepEqual(order, ['y', 'call', 'cell', 'x', 'h']);
    const assign = module.body[0];
    assert.ok(assign.kind === 'assign');
    assert.deepEqual(namesIn(assign.value), ['cell', 'x', 'h']);
  });
});
