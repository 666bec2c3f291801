// The fast parser gives tree-sitter's tree, node for node, or refuses the text.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Language, Parser } from 'web-tree-sitter';
import { copyTree, CstNode, firstDifference, tablesForLanguage } from '../../../src/analysis/parse/cst';
import { fastCopyTree, Refused } from '../../../src/analysis/parse/fast-parser';
import { DocumentParser, loadPython } from '../../../src/analysis/parse/parser';
import { pythonFiles } from './random-edits';

const root = join(__dirname, '..', '..', '..', '..', 'test');

let language: Language;
let parser: Parser;

before(async () => {
  language = await loadPython();
  parser = new Parser();
  parser.setLanguage(language);
});

after(() => parser.delete());

/** What tree-sitter gives (undefined on a syntax error) and what the fast parser gives. */
function both(source: string): { expected: CstNode[] | undefined; fast: CstNode[] | Refused } {
  const tree = parser.parse(source)!;
  try {
    return { expected: tree.rootNode.hasError ? undefined : copyTree(tree, source, 'memory'), fast: fastCopyTree(tablesForLanguage(language), source) };
  } finally {
    tree.delete();
  }
}

/** The fast parser accepts the source and gives tree-sitter's tree. */
function assertSame(source: string): void {
  const { expected, fast } = both(source);
  assert.ok(expected, 'tree-sitter finds a syntax error');
  assert.ok(!(fast instanceof Refused), `refused: ${fast instanceof Refused ? fast.message : ''}`);
  assert.equal(firstDifference(expected, fast), undefined);
}

function assertRefused(source: string): void {
  assert.ok(both(source).fast instanceof Refused);
}

/** The code cells of the notebooks under a directory. */
function notebookCells(dir: string): string[] {
  const files: string[] = [];
  const walk = (path: string): void => {
    for (const file of pythonFilesAndNotebooks(path)) files.push(file);
  };
  walk(dir);
  return files.flatMap((file) => {
    try {
      const cells = (JSON.parse(readFileSync(file, 'utf8')) as { cells?: { cell_type: string; source: string | string[] }[] }).cells ?? [];
      return cells.filter((cell) => cell.cell_type === 'code').map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));
    } catch {
      return [];
    }
  });
}

function pythonFilesAndNotebooks(dir: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { readdirSync, statSync } = require('node:fs') as typeof import('node:fs');
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return pythonFilesAndNotebooks(path);
    return name.endsWith('.ipynb') ? [path] : [];
  });
}

describe('the fast parser', () => {
  it('gives tree-sitter tree for every fixture, example and notebook cell it accepts, and accepts most', () => {
    const sources = [...pythonFiles(join(root, 'fixtures')), ...pythonFiles(join(root, 'examples'))].map((file) => readFileSync(file, 'utf8'));
    sources.push(...notebookCells(join(root, 'fixtures')), ...notebookCells(join(root, 'examples')));
    assert.ok(sources.length > 250, `only ${sources.length} sources found`);
    let accepted = 0;
    const differing: string[] = [];
    for (const source of sources) {
      const { expected, fast } = both(source);
      if (fast instanceof Refused) continue;
      accepted++;
      const difference = expected ? firstDifference(expected, fast) : 'tree-sitter finds a syntax error';
      if (difference !== undefined) differing.push(`${source.slice(0, 60)}…: ${difference}`);
    }
    assert.deepEqual(differing, []);
    assert.ok(accepted > 0.9 * sources.length, `accepted only ${accepted} of ${sources.length}`);
  });

  const cases: [string, string][] = [
    ['an empty file', ''],
    ['blank lines only', '\n\n  \n'],
    ['no trailing newline', 'x = 1'],
    ['CRLF line ends', 'def f(x):\r\n    # c\r\n    return x\r\n\r\ny = f(1)\r\n'],
    ['a byte order mark', '\ufeffimport torch\nx = 1\n'],
    ['imports', 'import a.b as c, d\nfrom . import x\nfrom ..m import (y as z, w,)\nfrom p.q import *\nfrom __future__ import annotations\n'],
    ['conditional imports', 'try:\n    import a\nexcept ImportError:\n    a = None\nelse:\n    pass\nfinally:\n    b = 1\nif a:\n    from a import b\nelif c:\n    pass\nelse:\n    import d\n'],
    ['decorators', '@property\n# between\n@a.b(1, k=2)  # trailing\nclass A(B, metaclass=M):\n    @staticmethod\n    def f(): pass\n'],
    ['type hints', 'def f(x: int, y: List[int] = [], *args: Any, z: Optional[Dict[str, int]] = None, **kw) -> Tuple[int, ...]:\n    a: int = 1\n    b: "B"\n    c: a.B[int] = 2\n'],
    ['parameters', 'def f(a, b=1, /, c=2, *, d, e=3, **f): pass\nasync def g(*a, **k): await h()\n'],
    ['lambda defaults', 'f = lambda x, y=2, *a, k=lambda: 0, **kw: x if y else k\ng = lambda: (yield)\n'],
    ['walrus', 'if (n := len(a)) > 10:\n    print(n)\nwhile m := f():\n    pass\n'],
    ['star expressions', 'a, *b = c\nfirst, *rest = *x, y\nf(*args, **kwargs)\nd = [*a, *b]\ne = {**m, "k": 1}\n'],
    ['splats of calls and attributes', 'x.view(*x.shape[:2], -1)\nf(a, *g(b), *h.c)\nd = [*a.b, 1]\ne = {1, *f(x)}\nt = (*a.b,)\n'],
    ['slices', 'x[1:2, ::3, :, a:, :b, ..., None]\ny = x[:-1]\nz = x[i, j:k:l]\n'],
    ['dict and set comprehensions', 'a = {k: v for k, v in d.items() if v}\nb = {x for x in y}\nc = [x for xs in xss for x in xs if x if not x]\nd = sum(x for x in y)\ne = (x async for x in y)\n'],
    ['async statements', 'async def f():\n    async with a as b, c:\n        async for x in y:\n            await z\n'],
    ['global and nonlocal', 'def f():\n    global a, b\n    def g():\n        nonlocal c\n'],
    ['semicolon-separated statements', 'a = 1; b = 2;  # c\nif x: y; z\ndef f(): a; return b\n'],
    ['line continuations', 'x = 1 + \\\n    2\nassert x, \\\n    "message"\ny = "a" \\\n    "b"\nif a and \\\n   b:\n    pass\n'],
    ['nested brackets', 'x = f(g(h([1, (2, 3), {4: [5]}])), k=[(a, b) for a, b in c])\n'],
    ['f-strings with nested quotes', 'a = f"{x!r:>{w}} {y=} {d[\'k\']} {{lit}} {z:.2f}"\nb = f\'{"inner"}\'\nc = rf"\\d{x}"\nd = F"""{\n  x\n}"""\n'],
    ['string prefixes and escapes', 'a = r"\\d+" + b"\\x00" + u"é" + Rb"\\\\" + "\\N{DASH}" + "\\\\"\nb = """\nmulti "" line\n"""\nc = \'\'\'x\'\'\' \'y\'\n'],
    ['comments at odd indentation', 'def f():\n    x = 1\n        # deeper\n  # shallower\n    # same\n# column 0\ny = 2\nclass A:\n    def g(self):\n        pass\n    # in class\n        # deeper\n# out\n'],
    ['a comment between if and else', 'if a:\n    b\n# before else\nelse:\n    c\n    # last in else\n'],
    ['comments in brackets', 'x = [  # open\n    1,  # one\n    # alone\n    2\n    # before close\n]\nf(a  # after a\n  , b)\n'],
    ['a trailing comment at the end of the file', 'def f():\n    return 1\n    # end'],
    ['operators', 'x = -a ** -b * c @ d // e % f - g << h >> i & j ^ k | l\ny = not a or b and c < d <= e != f is not g not in h\nz = ~a + +b\nx += 1; x //= 2; x **= 3; x >>= 1\n'],
    ['with and as patterns', 'with open(p) as f, g() as (u, v), h():\n    pass\ntry:\n    pass\nexcept (A, B) as e:\n    raise C from e\nexcept D:\n    raise\n'],
    ['loops with else', 'for i, (a, b) in enumerate(x):\n    continue\nelse:\n    break\nwhile x:\n    pass\nelse:\n    pass\n'],
    ['chained and annotated assignments', 'a = b = c = 1\nx.y, z[0] = 1, 2\n(p, q) = [r, s] = t\nu, = v\nw = yield\n'],
    ['numbers', 'a = [1, 1.5, .5, 1., 1e-3, 1_000, 0x1F, 0o17, 0b101, 3j, 1.5j, 10L]\n'],
    ['print and exec as names', 'print(x)\nprint = log\nexec(code)\ntype(x)\nmatch = re.match(p, s)\n'],
  ];
  for (const [name, source] of cases) it(`reads ${name} as tree-sitter does`, () => assertSame(source));

  const refused: [string, string][] = [
    ['a syntax error', 'def f(:\n    return 1\n'],
    ['a Python 2 print statement', 'print "x"\n'],
    ['a match statement', 'match x:\n    case 1:\n        pass\n'],
    ['backticks', 'x = `y`\n'],
    ['a non-ASCII name', 'é = 1\n'],
    ['an unexpected indent', 'x = 1\n    y = 2\n'],
    ['a bracketed line indented less than its block', 'def f():\n        x = (1 +\n  2)\n'],
    ['a t-string', 'x = t"{y}"\n'],
    ['a lone splat of a call in a list (tree-sitter reads a call of `*f`)', 'x = [*f(y)]\n'],
  ];
  for (const [name, source] of refused) it(`refuses ${name}`, () => assertRefused(source));

  it('makes the same module as tree-sitter, and an edit after it re-parses as a cold parse does', async () => {
    const source = 'import torch\n\nclass M(torch.nn.Module):\n    def forward(self, x):  # shape\n        return x.view(2, -1)\n\n# tail\nm = M()\n';
    const fast = DocumentParser.forLanguage(language);
    const slow = DocumentParser.forLanguage(language);
    slow.useFastParser = false;
    assert.equal(JSON.stringify(fast.reset(source)), JSON.stringify(slow.reset(source)));
    const offset = source.indexOf('2, -1');
    const edited = source.slice(0, offset) + '3' + source.slice(offset + 1);
    const edit = { rangeOffset: offset, rangeLength: 1, text: '3' };
    const cold = DocumentParser.forLanguage(language);
    cold.useFastParser = false;
    assert.equal(JSON.stringify(fast.update([edit], edited)), JSON.stringify(cold.reset(edited)));
    // A syntax error while typing falls back to a whole parse by tree-sitter.
    const broken = edited.replace('m = M()', 'm = M(');
    const at = edited.indexOf('M()') + 2;
    const module = fast.update([{ rangeOffset: at, rangeLength: 1, text: '' }], broken);
    assert.ok(module.syntaxErrors.length > 0);
    for (const p of [fast, slow, cold]) p.dispose();
  });
});
