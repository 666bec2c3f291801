import type { Rule } from '../rule';

export const shapeAssertionFails: Rule = {
  code: 'SL168',
  name: 'shape-assertion-fails',
  severity: 'error',
  framework: 'torch',
  summary: "An assert on a tensor's sizes that the shapes reaching it make false: the program stops with AssertionError.",
  docs: {
    whatItDoes:
      "Evaluates each `assert` whose test reads a tensor's sizes (`x.size(1) == self.d_model`, `x.dim() == 3`, or a name unpacked from `x.size()` such as a CRNN's `b, c, h, w = conv.size(); assert h == 1`) with the shapes that reach it, and reports one whose test is known to be false. Asserts on other values, and tests whose values are not all known, are left alone.",
    whyIsThisBad:
      'Python raises `AssertionError` there (the message is the assert\'s own, such as "the height of conv must be 1"). The program\'s own shape contract is broken: the sizes coming in are not the ones the model was written for, usually an input of another size than the configuration assumes.',
    example: 'conv = self.cnn(input)            # 64-pixel images leave (B, 512, 3, 17)\nb, c, h, w = conv.size()\nassert h == 1, "the height of conv must be 1"',
    useInstead: 'conv = self.cnn(input)            # 32-pixel images (imgH=32) leave (B, 512, 1, 17)\nb, c, h, w = conv.size()\nassert h == 1, "the height of conv must be 1"',
    references: ['https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement'],
  },
  fixTitles: [],
  hooks: {
    assertion(event, ctx) {
      if (!event.readsSizes) return;
      const held = event.known.map((k) => `${k.name} is ${k.value}`);
      ctx.report({
        range: event.range,
        message: `This assert fails: with the shapes that reach it, ${ctx.text(event.test.range)} is false${held.length ? ` (${held.join(', ')})` : ''}, so Python raises AssertionError here`,
        related: event.known.flatMap((k) => (k.range ? [{ range: k.range, message: `${k.name} = ${k.value} comes from here` }] : [])),
        fixes: [],
      });
    },
  },
};
