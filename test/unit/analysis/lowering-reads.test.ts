// What the lowering reads from a statement's text: literal values, and the position of every name.
import { strict as assert } from 'node:assert';
import { DocumentParser } from '../../../src/analysis/parse/parser';
import type * as A from '../../../src/analysis/parse/ast';

async function parse(source: string): Promise<A.Module> {
  const parser = await DocumentParser.create();
  try {
    return parser.reset(source);
  } finally {
    parser.dispose();
  }
}

function assignedValue(module: A.Module, index: number): A.Expr {
  const stmt = module.body[index];
  assert.equal(stmt.kind, 'assign');
  return (stmt as A.Assign).value;
}

/** Every node of the module (statements, expressions and what they hold), each once. */
function nodes(module: A.Module): { kind: string; range: { start: { line: number; column: number }; end: { line: number; column: number } } }[] {
  const out: ReturnType<typeof nodes> = [];
  const seen = new Set<object>();
  const stack: unknown[] = [module.body];
  while (stack.length) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) stack.push(...value);
    else {
      if ('kind' in value && 'range' in value) out.push(value as ReturnType<typeof nodes>[number]);
      stack.push(...Object.values(value));
    }
  }
  return out;
}

describe('lowering literals and positions', () => {
  it('reads integers with digit separators and a Python 2 L suffix as their values', async () => {
    const module = await parse('a = 1_000\nb = 10L\nc = 0x1F\nd = 7\n');
    assert.deepEqual([0, 1, 2, 3].map((i) => (assignedValue(module, i) as A.Num).value), [1000, 10, 31, 7]);
  });

  it('decodes escapes in strings, keeps raw strings and strings without a backslash as written', async () => {
    const module = await parse("a = 'x\\ty\\n'\nb = r'x\\ty'\nc = 'plain text'\nd = '\\x41\\101'\n");
    assert.deepEqual([0, 1, 2, 3].map((i) => (assignedValue(module, i) as A.Str).value), ['x\ty\n', 'x\\ty', 'plain text', 'AA']);
  });

  it('places every name where its text is, in a small statement after a large one', async () => {
    const large = `class Big:\n    def f(self, x):\n${Array.from({ length: 60 }, (_, i) => `        v${i} = self.layer${i}(x, ${i})\n`).join('')}        return x\n`;
    const source = `${large}\nsmall = other(name)\ny = small\n`;
    const lines = source.split('\n');
    const names = nodes(await parse(source)).filter((n): n is A.Name => n.kind === 'name');
    assert.ok(names.length > 120);
    for (const name of names) {
      assert.equal(name.range.start.line, name.range.end.line);
      assert.equal(lines[name.range.start.line].slice(name.range.start.column, name.range.end.column), name.id);
    }
  });
});
