// SL156: the last step of pad_packed_sequence's output read as every sequence's last output. test/fixtures/torch/SL156_*
// hold the two layouts with PyTorch 1.13's proof that the shorter sequences' slices are padding (zeros).
import { strict as assert } from 'node:assert';
import { codes, run } from './helpers';

const IMPORTS = 'import torch\nimport torch.nn as nn\nfrom torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence\n';

/** A batch-first LSTM run on a packed batch whose lengths are `lengths`; `read` uses `out` after unpacking. */
const PACKED = (lengths: string, read: string, unpack = 'pad_packed_sequence(out, batch_first=True)', extra = '') => `${IMPORTS}
lstm = nn.LSTM(8, 16, batch_first=True)
fc = nn.Linear(16, 2)
x = torch.randn(3, 10, 8)
packed = pack_padded_sequence(x, ${lengths}, batch_first=True, enforce_sorted=False)
out, (h_n, c_n) = lstm(packed)
out, lens = ${unpack}
${extra}y = ${read}
`;

/** A model whose forward gets lengths from its caller, which reads them from data the analysis does not follow. */
const MODEL = (read: string, rnn = 'nn.GRU(8, 16, batch_first=True)', layout = 'batch_first=True') => `${IMPORTS}
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = ${rnn}
        self.fc = nn.Linear(16, 2)
        self.drop = nn.Dropout(0.1)

    def forward(self, x, lengths):
        packed = pack_padded_sequence(x, lengths, ${layout}, enforce_sorted=False)
        out, h = self.rnn(packed)
        out, _ = pad_packed_sequence(out, ${layout})
        return ${read}

net = Net()
`;

describe('SL156 padded-last-step', () => {
  it('reports the last padded step read batch-first, naming the shorter sequences when the lengths are known', async () => {
    const result = await run(PACKED('[10, 7, 4]', 'fc(out[:, -1, :])'));
    assert.deepEqual(result.findings.map((f) => f.code), ['SL156']);
    const finding = result.findings[0];
    assert.equal(finding.severity, 'warning');
    assert.equal(finding.range.start.line, 10);
    assert.match(finding.message, /out\[:, -1, :\] reads the last of the 10 steps of out \(3, 10, 16\)/);
    assert.match(finding.message, /padded 2 of its 3 sequences \(lengths 10, 7, 4\) to 10 steps/);
    assert.match(finding.message, /out\[torch\.arange\(out\.size\(0\)\), lengths - 1\]/);
    assert.ok(finding.related.some((r) => /pads every sequence to the longest/.test(r.message)));
    // The last index written as a number, and `out[:, -1]` without the features' slice.
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(out[:, 9])')), ['SL156']);
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(out[:, -1])')), ['SL156']);
  });

  it('reports lengths it does not know, sequence-first reads, and the output after dropout, activations and Linear', async () => {
    const unknown = await run(`${MODEL('self.fc(out[:, -1, :])')}y = net(torch.randn(4, 12, 8), lengths_from_data)\n`);
    assert.deepEqual(unknown.findings.map((f) => f.code), ['SL156']);
    assert.match(unknown.findings[0].message, /padded every sequence shorter than the longest/);
    assert.deepEqual(await codes(`${MODEL('self.fc(out[-1])', 'nn.GRU(8, 16)', 'batch_first=False')}y = net(torch.randn(12, 4, 8), lengths_from_data)\n`), ['SL156']);
    assert.deepEqual(await codes(`${MODEL('self.drop(torch.relu(out))[:, -1, :]')}y = net(torch.randn(4, 12, 8), lengths_from_data)\n`), ['SL156']);
    assert.deepEqual(await codes(`${MODEL('self.fc(out.contiguous())[:, -1]')}y = net(torch.randn(4, 12, 8), lengths_from_data)\n`), ['SL156']);
    // total_length pads every sequence past its end, the longest included.
    assert.deepEqual(await codes(PACKED('[10, 10, 10]', 'fc(out[:, -1, :])', 'pad_packed_sequence(out, batch_first=True, total_length=12)')), ['SL156']);
  });

  it('says it once on a bidirectional output, where SL152 would also name the reverse half', async () => {
    const result = await run(`${MODEL('out[:, -1, :]', 'nn.LSTM(8, 8, batch_first=True, bidirectional=True)')}y = net(torch.randn(4, 12, 8), lengths_from_data)\n`);
    assert.deepEqual(result.findings.map((f) => f.code), ['SL156']);
  });

  it('stays silent when nothing is padded, on other steps, on one sequence, and when the steps were reordered or mixed', async () => {
    assert.deepEqual(await codes(PACKED('[10, 10, 10]', 'fc(out[:, -1, :])')), []);
    assert.deepEqual(await codes(PACKED('[n] * 3', 'fc(out[:, -1, :])', undefined, '').replace('x = torch', 'n = int(input())\nx = torch')), []);
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(out[:, 0, :])')), []);
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(out[0, -1])')), []);
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(out[torch.arange(out.size(0)), lens - 1])')), []);
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(h_n[-1])')), []);
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(out.flip(1)[:, -1, :])')), []);
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(torch.softmax(out, 1)[:, -1, :])')), []);
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(out.transpose(0, 1)[-1])')), []);
    // The slice alone on its line is only shown (a notebook cell's value), not read as a summary.
    assert.deepEqual(await codes(PACKED('[10, 7, 4]', 'fc(h_n[-1])', undefined, 'out[:, -1]\n')), []);
    // One sequence is as long as the longest: nothing to pad.
    const one = `${IMPORTS}lstm = nn.LSTM(8, 16, batch_first=True)\npacked = pack_padded_sequence(torch.randn(1, 10, 8), lengths_from_data, batch_first=True)\nout, _ = lstm(packed)\nout, _ = pad_packed_sequence(out, batch_first=True)\ny = out[:, -1, :]\n`;
    assert.deepEqual(await codes(one), []);
    // An output padded on one path only (a flag not known): the join keeps no padding.
    const join = `${IMPORTS}lstm = nn.LSTM(8, 16, batch_first=True)\nx = torch.randn(3, 10, 8)\nif use_packing:\n    out, _ = lstm(pack_padded_sequence(x, [10, 7, 4], batch_first=True))\n    out, _ = pad_packed_sequence(out, batch_first=True)\nelse:\n    out, _ = lstm(x)\ny = out[:, -1, :]\n`;
    assert.deepEqual(await codes(join), []);
  });
});
