// A class body runs every statement in order, as Python runs it: a configuration class that sums its features' width in
// a loop (`size = 0`, then `for model in models: size += …`) holds the loop's result, not the 0 it started from
// (hobincar/RecNet#10, test/fixtures/attention-reported/q51-recnet-10-*: the body's loop was skipped, so the temporal
// attention's Linear read in_features=0 and its fixed twin drew a false SL106). A string in a string is a substring
// test (`'resnet' in model`), decided when both are known. Checked against PyTorch 1.13: the programs below raise
// "mat1 and mat2 shapes cannot be multiplied (8x4096 and 2048x256)" or run clean.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const program = (models: string, features: number) => `import torch
import torch.nn as nn


class FeatureConfig:
    models = [${models}]
    size = 0
    for model in models:
        if 'resnet' in model:
            size += 2048
        elif 'c3d' in model:
            size += 4096
        else:
            raise NotImplementedError(model)
    if size > 4096:
        wide = True
    else:
        wide = False


attend = nn.Linear(FeatureConfig.size, 256)
y = attend(torch.randn(8, ${features}))
flag = FeatureConfig.wide
`;

const found = async (source: string) => (await run(source)).findings.map((f) => `${f.code}@${f.range.start.line + 1}`);

describe('statements of a class body', () => {
  it('keeps what a loop of the body leaves in a class attribute', async () => {
    assert.deepEqual(await found(program("'c3d'", 4096)), []);
    assert.deepEqual(await found(program("'resnet', 'c3d'", 6144)), []);
    assert.deepEqual(await found(program("'resnet'", 4096)), ['SL106@22']);
  });

  it('decides a substring test between known strings', async () => {
    const source = (name: string) => `import torch
import torch.nn as nn

size = 0
for model in ['${name}']:
    if 'resnet' in model:
        size += 2048
    if 'net' not in model:
        size += 4096
attend = nn.Linear(size, 256)
y = attend(torch.randn(8, 4096))
`;
    assert.deepEqual(await found(source('resnet152')), ['SL106@11']);
    assert.deepEqual(await found(source('c3d_fc6')), []);
  });

  it('leaves a size unknown, not 0, when the loop cannot be followed', async () => {
    const source = `import torch
import torch.nn as nn
import sys


class FeatureConfig:
    models = sys.argv[1:]
    size = 0
    for model in models:
        size += 2048


attend = nn.Linear(FeatureConfig.size, 256)
y = attend(torch.randn(8, 4096))
`;
    assert.deepEqual(await found(source), []);
  });
});
