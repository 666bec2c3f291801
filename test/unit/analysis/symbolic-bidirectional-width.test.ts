// SL105 with sizes not known: a class nothing in the file builds, whose Linear takes the very hidden_size its
// bidirectional recurrent layer was given. PyTorch 1.13 refuses hidden_size=0 when the layer is built (a ValueError,
// "proj_size has to be smaller than hidden_size"), so 2 × hidden never equals hidden: built with any size, the forward raises "mat1 and mat2 shapes cannot be
// multiplied" (checked with hidden 1, 7 and 64).
import { strict as assert } from 'node:assert';
import { run, codes } from './helpers';

const MODEL = (rnn: string, linear: string, init = 'hidden') => `import torch
import torch.nn as nn

class Tagger(nn.Module):
    def __init__(self, n_feats, ${init}, n_tags):
        super().__init__()
        self.hidden = hidden
        self.rnn = ${rnn}
        self.out = ${linear}

    def forward(self, x):
        o, _ = self.rnn(x)
        return self.out(o)
`;

describe('SL105 on a bidirectional layer whose hidden_size is not known', () => {
  it('reports in_features given the same hidden_size, through a parameter or the attribute that holds it', async () => {
    const result = await run(MODEL('nn.LSTM(n_feats, hidden, batch_first=True, bidirectional=True)', 'nn.Linear(hidden, n_tags)'));
    assert.deepEqual(result.findings.map((f) => f.code), ['SL105']);
    const finding = result.findings[0];
    assert.match(finding.message, /in_features=hidden .* outputs 2 × hidden features .* whatever hidden is/);
    assert.deepEqual(finding.fixes.map((f) => f.edits.map((e) => e.newText)), [['hidden * 2']]);
    assert.equal(finding.range.start.line, 12);
    assert.deepEqual(await codes(MODEL('nn.GRU(n_feats, self.hidden, bidirectional=True)', 'nn.Linear(self.hidden, n_tags)')), ['SL105']);
  });

  it('stays silent on 2 × hidden, one direction, another size, a projection and sizes that are only equal by name', async () => {
    assert.deepEqual(await codes(MODEL('nn.LSTM(n_feats, hidden, batch_first=True, bidirectional=True)', 'nn.Linear(hidden * 2, n_tags)')), []);
    assert.deepEqual(await codes(MODEL('nn.LSTM(n_feats, hidden, batch_first=True, bidirectional=True)', 'nn.Linear(2 * hidden, n_tags)')), []);
    assert.deepEqual(await codes(MODEL('nn.LSTM(n_feats, hidden, batch_first=True)', 'nn.Linear(hidden, n_tags)')), []);
    assert.deepEqual(await codes(MODEL('nn.LSTM(n_feats, hidden, batch_first=True, bidirectional=True)', 'nn.Linear(n_tags, n_tags)')), []);
    assert.deepEqual(await codes(MODEL('nn.LSTM(n_feats, hidden, batch_first=True, bidirectional=True, proj_size=n_tags)', 'nn.Linear(hidden, n_tags)')), []);
    // A Linear sized by a name of its own that happens to read alike is not the same value.
    const other = `import torch\nimport torch.nn as nn\n\nclass A(nn.Module):\n    def __init__(self, hidden):\n        super().__init__()\n        self.rnn = nn.GRU(4, hidden, bidirectional=True)\n\n    def forward(self, x):\n        return self.rnn(x)[0]\n\nclass B(nn.Module):\n    def __init__(self, hidden):\n        super().__init__()\n        self.fc = nn.Linear(hidden, 1)\n\n    def forward(self, x):\n        return self.fc(x)\n`;
    assert.deepEqual(await codes(other), []);
  });
});
