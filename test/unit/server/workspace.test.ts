// The language server follows workspace imports: a model in model.py is checked with the sizes train.py gives
// it (from the disk, or from train.py's unsaved text when it is open), and an edit re-analyses the open
// documents that depend on the edited file, and nothing else.
import * as assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspClient } from './lsp-client';

const MODEL = `import torch.nn as nn


class Tagger(nn.Module):
    def __init__(self, vocab_size, emb_dim, input_dim):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, emb_dim)
        self.rnn = nn.GRU(input_dim, 16, batch_first=True)

    def forward(self, ids):
        output, hidden = self.rnn(self.embedding(ids))
        return output
`;
const trainWith = (emb: number, input: number) => `import torch
from model import Tagger

model = Tagger(50, ${emb}, ${input})
scores = model(torch.randint(0, 50, (4, 7)))
`;
const OTHER = 'import torch\nx = torch.zeros(2, 3)\n';
const codes = (diagnostics: any[]) => diagnostics.map((d) => d.code);

describe('Language server: projects of several files', function () {
  this.timeout(60_000);
  let client: LspClient;
  let dir: string;
  const uri = (name: string) => pathToFileURL(path.join(dir, name)).toString();
  const analysedCount = (name: string) => client.notifications.filter((n) => n.method === 'seqlens/analysed' && n.params.uri === uri(name)).length;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'seqlens-lsp-ws-'));
    writeFileSync(path.join(dir, 'model.py'), MODEL);
    writeFileSync(path.join(dir, 'train.py'), trainWith(32, 20));
    writeFileSync(path.join(dir, 'other.py'), OTHER);
    client = new LspClient();
    await client.initialize({}, {}, pathToFileURL(dir).toString());
  });
  after(() => client.shutdown());

  it("finds the bug in model.py with the sizes train.py on disk gives it, pointing at train.py", async () => {
    client.open(uri('model.py'), MODEL);
    const diagnostics = await client.diagnostics(uri('model.py'), (d) => d.length > 0);
    assert.deepEqual(codes(diagnostics), ['SL101']);
    assert.equal(diagnostics[0].range.start.line, 10);
    const inTrain = diagnostics[0].relatedInformation.filter((r: any) => r.location.uri === uri('train.py'));
    assert.deepEqual(inTrain.map((r: any) => r.location.range.start.line), [3, 3]);
  });

  it('an edit of train.py re-analyses model.py with the unsaved text, and leaves unrelated documents alone', async () => {
    client.open(uri('other.py'), OTHER);
    client.open(uri('train.py'), trainWith(32, 20));
    await client.waitFor((n) => n.method === 'seqlens/analysed' && n.params.uri === uri('train.py'));
    await client.waitFor((n) => n.method === 'seqlens/analysed' && n.params.uri === uri('other.py'));
    const otherBefore = analysedCount('other.py');
    const from = client.notifications.length;
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri('train.py'), version: 2 },
      contentChanges: [{ text: trainWith(32, 32) }],
    });
    const fixed = await client.diagnostics(uri('model.py'), (d) => d.length === 0, from);
    assert.deepEqual(codes(fixed), []);
    // Break it again in another way: model.py follows.
    const again = client.notifications.length;
    client.notify('textDocument/didChange', {
      textDocument: { uri: uri('train.py'), version: 3 },
      contentChanges: [{ text: trainWith(24, 32) }],
    });
    const broken = await client.diagnostics(uri('model.py'), (d) => d.length > 0, again);
    assert.match(broken[0].message, /receives 24 features/);
    assert.equal(analysedCount('other.py'), otherBefore, 'other.py imports nothing of these and is not analysed again');
  });

  it('closing train.py unsaved re-analyses model.py with the text on disk', async () => {
    const from = client.notifications.length;
    client.notify('textDocument/didClose', { textDocument: { uri: uri('train.py') } });
    const diagnostics = await client.diagnostics(uri('model.py'), (d) => d.length > 0, from);
    assert.match(diagnostics[0].message, /input_size=20 .* receives 32 features/);
  });
});
