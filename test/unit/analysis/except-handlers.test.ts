// `try`/`except`: a handler runs only when the body raised, at a point the analysis cannot tell, so it starts from any
// value a name held before or anywhere in the body; past the statement, the body's end and each handler's that falls
// through are joined. A handler may never run where it is analysed, so what it reports is not shown.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

describe('except handlers', () => {
  it('a handler falling through joins what the body held part-way into the state after the statement', async () => {
    // The body may raise after the unsqueeze: x is then (1, 2, 3), not the (2, 3) the body ends with.
    const body = 'x = torch.randn(2, 3)\ntry:\n    x = x.unsqueeze(0)\n    x = x.sum(0)\nexcept RuntimeError:\n    pass\nz = x\n';
    assert.equal(await shapeOf(body, 'z'), undefined);
  });

  it('a handler that rebinds a name joins its value with the body\'s', async () => {
    const body = 'try:\n    x = torch.randn(2, 3)\nexcept ValueError:\n    x = torch.randn(4, 3)\nz = x\n';
    assert.equal(await shapeOf(body, 'z'), '(?, 3)');
  });

  it('a handler that raises leaves the body\'s end as the state after the statement', async () => {
    const body = 'x = torch.randn(5, 7, 1)\ntry:\n    x = torch.randn(2, 3)\nexcept ValueError:\n    raise\nz = x\n';
    assert.equal(await shapeOf(body, 'z'), '(2, 3)');
  });

  it('else runs from the body\'s end, and joins the handlers after the statement', async () => {
    const body = 'try:\n    x = torch.randn(2, 3)\nexcept ValueError:\n    x = torch.randn(4, 3)\nelse:\n    y = x\nz = x\n';
    assert.equal(await shapeOf(body, 'y'), '(2, 3)');
    assert.equal(await shapeOf(body, 'z'), '(?, 3)');
  });

  it('a handler sees a name only as the join of what it held before and in the body', async () => {
    // Were the handler to start from the body's end, x would be (2, 3) there and the view would be checked.
    const body = 'x = torch.randn(4, 5)\ntry:\n    x = torch.randn(2, 3)\nexcept ValueError:\n    y = x\n';
    assert.equal(await shapeOf(body, 'y'), '(?, ?)');
  });

  it('a shape error inside a handler is not reported, as the handler may never run', async () => {
    const error = 'a = torch.randn(2, 3)\nb = torch.randn(4, 5)\nc = a @ b\n';
    assert.deepEqual(await codes(error), ['SL121']);
    const indent = (s: string) => s.trim().split('\n').map((l) => `    ${l}`).join('\n');
    assert.deepEqual(await codes(`try:\n    pass\nexcept Exception:\n${indent(error)}\n`), []);
  });

  it('a shape error in the body of a try is still reported', async () => {
    assert.deepEqual(await codes('try:\n    c = torch.randn(2, 3) @ torch.randn(4, 5)\nexcept ImportError:\n    pass\n'), ['SL121']);
  });

  it('a function defined in a try body at the top level is analysed as the module\'s own', async () => {
    const body = 'try:\n    def f():\n        return torch.randn(2, 3) @ torch.randn(4, 5)\nexcept ImportError:\n    pass\n';
    assert.deepEqual(await codes(body), ['SL121']);
  });
});
