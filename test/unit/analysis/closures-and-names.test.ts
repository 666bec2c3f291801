// Closures (nested defs reading and writing the enclosing function's names), `*args`/`**kwargs` passed through, and
// attribute names built at run time (setattr/getattr/add_module with str.format, `%` and f-strings). Each case is a
// minimal program of the kind real model code writes; the expected values are what Python computes.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

/** The shape of `x = torch.zeros(len(<expr>))`: the length of a string the analysis computed, or undefined. */
async function lengthOf(setup: string, expr: string): Promise<string | undefined> {
  return shapeOf(`${setup}\nx = torch.zeros(len(${expr}))\n`, 'x');
}

/** Whether a string computed by the analysis equals `text`: a dict keyed by the text answers with a known size. */
async function equals(setup: string, expr: string, text: string): Promise<boolean> {
  return (await shapeOf(`${setup}\nx = torch.zeros({${JSON.stringify(text)}: 3}.get(${expr}, 0) + 1)\n`, 'x')) === '(4,)';
}

describe('strings built from known values', () => {
  it("str.format fills positional, numbered and named fields", async () => {
    assert.ok(await equals('i = 2', "'cell_{}'.format(i)", 'cell_2'));
    assert.ok(await equals('i = 2', "'{0}-{0}-{n}'.format(i, n='a')", '2-2-a'));
    assert.ok(await equals('', "'{:03d}|{:>3}|{:<3}|'.format(7, 5, 'a')", '007|  5|a  |'));
  });

  it('% formatting fills %s, %d and %%, padded', async () => {
    assert.ok(await equals('', "'layer%d' % 3", 'layer3'));
    assert.ok(await equals('', "'%s_%03d%%' % ('a', 7)", 'a_007%'));
    assert.ok(await equals('', "'%-3d|' % 5", '5  |'));
  });

  it('f-strings fill their fields, with {{ and }} read as braces', async () => {
    assert.ok(await equals("i = 1\nname = 'gru'", "f'{name}_{i}_{{x}}'", 'gru_1_{x}'));
    assert.ok(await equals('i = 4', "f'{i:02d}' 'b'", '04b'));
    assert.ok(await equals('', "f'{True}{None}{2.0}{0.5}'", 'TrueNone2.00.5'));
  });

  it('str() of ints, bools and floats, and join of known strings', async () => {
    assert.ok(await equals('', "'cell' + str(3)", 'cell3'));
    assert.ok(await equals('', "'_'.join(['a', str(1)])", 'a_1'));
  });

  it('split() on whitespace runs and split(sep) on a known separator, as Python splits', async () => {
    // Python: 'a  b\tc\n'.split() has 3 pieces, ',a,,b,'.split(',') 5, '  '.split() none, 'x--y--'.rsplit('--') 3.
    assert.equal(await lengthOf('', "'a  b\\tc\\n'.split()"), '(3,)');
    assert.equal(await lengthOf('', "',a,,b,'.split(',')"), '(5,)');
    assert.equal(await lengthOf('', "'  '.split()"), '(0,)');
    assert.equal(await lengthOf('', "'x--y--'.rsplit('--')"), '(3,)');
    assert.ok(await equals('', "'i love you'.split()[1]", 'love'));
    // Sentences split into known words, looked up in a vocabulary built from them: a batch of known shape.
    const batch = [
      'sentences = ["i love you", "he loves me", "she likes baseball"]',
      'vocab = {w: i for i, w in enumerate(sorted(set(" ".join(sentences).split())))}',
      'ids = torch.LongTensor([[vocab[w] for w in s.split()] for s in sentences])',
    ].join('\n');
    assert.equal(await shapeOf(batch, 'ids'), '(3, 3)');
    // An empty separator raises; unknown separators are not modelled. Python: 'a b c'.split(maxsplit=1) has 2 pieces.
    assert.equal(await lengthOf('', "'abc'.split('')"), '(?,)');
    assert.equal(await lengthOf('', "'a b c'.split(maxsplit=1)"), '(2,)');
    assert.equal(await lengthOf('sep = input()', "'a b c'.split(sep)"), '(?,)');
  });

  it('leaves unknown what Python would print in a way not modelled', async () => {
    // 1e-05 in Python, 0.00001 in JavaScript; an unknown int; a format specifier not modelled; too many values.
    assert.equal(await lengthOf('', "str(0.00001)"), '(?,)');
    assert.equal(await lengthOf('def f(n):\n    return f\'cell_{n}\'\ns = f(len(input()))', 's'), '(?,)');
    assert.equal(await lengthOf('', "'{:.2f}'.format(1.5)"), '(?,)');
    assert.equal(await lengthOf('', "'%d' % (1, 2)"), '(?,)');
    assert.equal(await lengthOf('', "f'{1=}'"), '(?,)');
  });
});

describe('attributes named at run time', () => {
  it('setattr and getattr with a formatted name reach the same module', async () => {
    const body = [
      'class Stack(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      '        for layer in range(2):',
      "            setattr(self, 'cell_{}'.format(layer), nn.Linear(10 if layer == 0 else 20, 20))",
      '    def forward(self, x):',
      '        for layer in range(2):',
      "            x = getattr(self, 'cell_%d' % layer)(x)",
      '        return x',
      'y = Stack()(torch.randn(3, 10))',
    ].join('\n');
    assert.equal(await shapeOf(body, 'x'), '(3, 20)');
  });

  it('getattr of a module with a known name is that class', async () => {
    assert.equal(await shapeOf("rnn_type = 'GRU'\nrnn = getattr(nn, rnn_type)(8, 16)\ny, h = rnn(torch.randn(5, 2, 8))\n", 'h'), '(1, 2, 16)');
    assert.equal(await shapeOf("cell = ' lstm'\nrnn = getattr(nn, cell.strip().upper())(8, 16)\ny, (h, c) = rnn(torch.randn(5, 2, 8))\n", 'c'), '(1, 2, 16)');
  });

  it('add_module on self binds the attribute', async () => {
    const body = [
      'class M(nn.Module):',
      '    def __init__(self):',
      '        super().__init__()',
      "        self.add_module(f'proj{0}', nn.Linear(4, 6))",
      '    def forward(self, x):',
      '        z = self.proj0(x)',
      '        return z',
      'y = M()(torch.randn(2, 4))',
    ].join('\n');
    assert.equal(await shapeOf(body, 'z'), '(2, 6)');
  });

  it("self.__dict__[name] reads and sets the attribute name; under a name not known, no attribute keeps its value", async () => {
    const body = (name: string) =>
      [
        'class Buffer:',
        '    def __init__(self):',
        '        self.states = torch.zeros(8, 2, 4, 5)',
        '        self.other = torch.zeros(3, 7)',
        '    def flatten(self, name):',
        '        for tensor in ["states"]:',
        '            self.__dict__[tensor] = self.__dict__[tensor].swapaxes(1, 2).reshape(16, 4, 5)',
        `        self.__dict__[${name}] = torch.zeros(1)`,
        'b = Buffer()',
        'b.flatten(input())',
        'x = b.states',
        'y = b.other',
        'z = vars(b)["states"]',
      ].join('\n');
    // Python: states is (16, 4, 5) after the loop; a key the program reads at run time may be either attribute.
    assert.equal(await shapeOf(body('"other"'), 'x'), '(16, 4, 5)');
    assert.equal(await shapeOf(body('"other"'), 'y'), '(1,)');
    assert.equal(await shapeOf(body('"other"'), 'z'), '(16, 4, 5)');
    assert.equal(await shapeOf(body('name'), 'x'), undefined);
    assert.equal(await shapeOf(body('name'), 'y'), undefined);
  });

  it('hasattr is true for an attribute set on every path, and unknown for one set under a condition not decided', async () => {
    const body = (condition: string) =>
      [
        'class A(nn.Module):',
        '    def __init__(self, flag):',
        '        super().__init__()',
        `        if ${condition}:`,
        '            self.proj = nn.Linear(4, 6)',
        '    def forward(self, x):',
        "        if hasattr(self, 'proj'):",
        '            x = self.proj(x)',
        '        y = x',
        '        return y',
        'out = A(input() == "y")(torch.randn(2, 4))',
      ].join('\n');
    assert.equal(await shapeOf(body('True'), 'y'), '(2, 6)');
    assert.equal(await shapeOf(body('flag'), 'y'), '(2, ?)');
  });

  it('getattr of an attribute the analysis does not see gives its default only when one is given', async () => {
    const body = 'class C:\n    pass\nc = C()\nn = getattr(c, "size", 7)\nx = torch.zeros(n)\n';
    assert.equal(await shapeOf(body, 'x'), '(7,)');
  });
});

describe('closures', () => {
  it('a nested helper fills the enclosing function\'s nn.Sequential (crnn.pytorch\'s convRelu)', async () => {
    const body = [
      'class CRNN(nn.Module):',
      '    def __init__(self, nc=3):',
      '        super().__init__()',
      '        nm = [8, 16]',
      '        cnn = nn.Sequential()',
      '        def conv_relu(i, batch_norm=False):',
      '            n_in = nc if i == 0 else nm[i - 1]',
      "            cnn.add_module('conv{0}'.format(i), nn.Conv2d(n_in, nm[i], 3, 1, 1))",
      '            if batch_norm:',
      "                cnn.add_module('batchnorm{0}'.format(i), nn.BatchNorm2d(nm[i]))",
      "            cnn.add_module('relu{0}'.format(i), nn.ReLU(True))",
      '        conv_relu(0)',
      "        cnn.add_module('pooling0', nn.MaxPool2d(2, 2))",
      '        conv_relu(1, True)',
      '        self.cnn = cnn',
      '    def forward(self, x):',
      '        conv = self.cnn(x)',
      '        return conv',
      'y = CRNN()(torch.randn(4, 3, 32, 32))',
    ].join('\n');
    assert.equal(await shapeOf(body, 'conv'), '(4, 16, 16, 16)');
  });

  it('add_module under a condition not decided leaves the container unknown', async () => {
    const body = [
      'def build(flag):',
      '    seq = nn.Sequential()',
      "    seq.add_module('a', nn.Linear(4, 6))",
      '    if flag:',
      "        seq.add_module('b', nn.Linear(6, 8))",
      '    return seq',
      'y = build(input() == "x")(torch.randn(2, 4))',
    ].join('\n');
    assert.equal(await shapeOf(body, 'y'), undefined);
  });

  it('add_module with the name of a child replaces it in place', async () => {
    const body = "seq = nn.Sequential(nn.Linear(4, 6), nn.ReLU())\nseq.add_module('0', nn.Linear(4, 9))\ny = seq(torch.randn(2, 4))\n";
    assert.equal(await shapeOf(body, 'y'), '(2, 9)');
  });

  it('a nested def reads the enclosing function\'s names as they are when it is called', async () => {
    const body = [
      'def outer():',
      '    n = 2',
      '    def make():',
      '        return torch.zeros(n, 3)',
      '    n = 5',
      '    return make()',
      'y = outer()',
    ].join('\n');
    assert.equal(await shapeOf(body, 'y'), '(5, 3)');
  });

  it('a closure returned and called later reads the enclosing function\'s last values', async () => {
    const body = ['def outer(k):', '    def make(m):', '        return torch.zeros(k, m)', '    return make', 'f = outer(4)', 'y = f(2)'].join('\n');
    assert.equal(await shapeOf(body, 'y'), '(4, 2)');
  });

  it('nonlocal writes reach the enclosing function; global writes the module', async () => {
    const body = [
      'def counter():',
      '    n = 0',
      '    def inc():',
      '        nonlocal n',
      '        n += 1',
      '    inc()',
      '    inc()',
      '    return n',
      'size = 1',
      'def grow():',
      '    global size',
      '    size = 6',
      'grow()',
      'x = torch.zeros(counter(), size)',
    ].join('\n');
    assert.equal(await shapeOf(body, 'x'), '(2, 6)');
  });

  it('a name the nested def assigns is its own, and leaves the enclosing one as it was', async () => {
    const body = ['def outer():', '    n = 3', '    def f():', '        n = 7', '        return n', '    f()', '    return torch.zeros(n)', 'x = outer()'].join('\n');
    assert.equal(await shapeOf(body, 'x'), '(3,)');
  });

  it('*args and **kwargs pass known arguments through, and a forward replaced by a closure is called', async () => {
    const body = [
      'def wrap(module):',
      '    original = module.forward',
      '    def forward(*args, **kwargs):',
      '        return original(*args, **kwargs)',
      "    setattr(module, 'forward', forward)",
      '    return forward',
      'class Wrapper(nn.Module):',
      '    def __init__(self, module):',
      '        super().__init__()',
      '        self.forward = wrap(module)',
      'cell = nn.GRUCell(8, 16)',
      'h = Wrapper(cell)(torch.randn(3, 8), hx=torch.randn(3, 16))',
    ].join('\n');
    assert.equal(await shapeOf(body, 'h'), '(3, 16)');
  });

  it('a layer reached through *args gets the arguments the call passed', async () => {
    const body = ['def call(f, *args, **kwargs):', '    return f(*args, **kwargs)', 'gru = nn.GRU(8, 16, batch_first=True)', 'y, h = call(gru, torch.randn(3, 5, 8))'].join('\n');
    assert.equal(await shapeOf(body, 'y'), '(3, 5, 16)');
  });

  it('*args of a function nobody calls is unknown, not empty', async () => {
    const body = ['def f(*args):', '    return torch.zeros(len(args))', ''].join('\n');
    assert.deepEqual(await codes(body), []);
  });
});
