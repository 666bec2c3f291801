// The legacy torchtext pipeline: Fields, datasets, iterators and the Batches they yield into forward.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const HEAD = ['import torch', 'import torch.nn as nn', 'from torchtext import data, datasets'];

async function shapes(lines: string[]): Promise<Map<string, string | undefined>> {
  const { tensors } = await run([...HEAD, ...lines].join('\n'));
  const out = new Map<string, string | undefined>();
  for (const t of tensors) out.set(t.name, t.shape);
  return out;
}

describe('torchtext legacy pipeline', () => {
  it('gives batch.text as (seq, batch) ids and a label field 1-D', async () => {
    const s = await shapes([
      'TEXT = data.Field(tokenize="spacy")',
      'LABEL = data.LabelField(dtype=torch.float)',
      'train, test = datasets.IMDB.splits(TEXT, LABEL)',
      'TEXT.build_vocab(train, max_size=25000)',
      'train_it, test_it = data.BucketIterator.splits((train, test), batch_size=64)',
      'for batch in train_it:',
      '    x = batch.text',
      '    y = batch.label',
    ]);
    assert.equal(s.get('x'), '(?, B)');
    assert.equal(s.get('y'), '(B,)');
  });

  it('follows batch_first, fix_length and include_lengths', async () => {
    const { tensors, findings } = await run([
      ...HEAD,
      'TEXT = data.Field(batch_first=True, include_lengths=True, fix_length=200)',
      'LABEL = data.LabelField()',
      'ds = data.TabularDataset(path="a.csv", format="csv", fields=[("text", TEXT), ("label", LABEL)])',
      'train, valid = ds.split(split_ratio=0.8)',
      'it = data.BucketIterator(train, batch_size=32)',
      'for batch in it:',
      '    x, lengths = batch.text',
      '    y = batch.label',
    ].join('\n'));
    const shape = (n: string) => tensors.find((t) => t.name === n)?.shape;
    assert.equal(shape('x'), '(B, 200)');
    assert.equal(shape('lengths'), '(B,)');
    assert.equal(shape('y'), '(B,)');
    assert.deepEqual(findings.map((f) => f.code), []);
  });

  it('names the batch attributes after the fields of a dict given to TabularDataset.splits', async () => {
    const s = await shapes([
      'SRC = data.Field(batch_first=True)',
      'fields = {"question": ("q", SRC), "answer": ("a", SRC)}',
      'train, test = data.TabularDataset.splits(path="d", train="train.json", test="test.json", format="json", fields=fields)',
      'for batch in data.Iterator(train, batch_size=8):',
      '    q = batch.q',
      '    a = batch.a',
      '    nope = batch.question',
    ]);
    assert.equal(s.get('q'), '(B, ?)');
    assert.equal(s.get('a'), '(B, ?)');
    assert.equal(s.get('nope') ?? '(…)', '(…)');
  });

  it('leaves unknown what a postprocessing pipeline, a vocabulary-free column or an unread flag makes', async () => {
    const s = await shapes([
      'A = data.Field(postprocessing=lambda b, v: b)',
      'B = data.Field(sequential=False, use_vocab=False)',
      'C = data.Field(batch_first=flag)',
      'D = data.LabelField(include_lengths=True)',
      'ds = data.Dataset(examples, [("a", A), ("b", B), ("c", C), ("d", D)])',
      'for batch in data.Iterator(ds, batch_size=4):',
      '    a = batch.a',
      '    b = batch.b',
      '    c = batch.c',
      '    d = batch.d',
    ]);
    for (const n of ['a', 'b', 'c', 'd']) assert.equal(s.get(n) ?? '(…)', '(…)', n);
  });

  it('gives a BPTTIterator (seq, batch_size) windows as text and target', async () => {
    const s = await shapes([
      'TEXT = data.Field(lower=True)',
      'train, valid, test = datasets.WikiText2.splits(TEXT)',
      'train_it, valid_it, test_it = data.BPTTIterator.splits((train, valid, test), batch_size=20, bptt_len=35)',
      'for batch in train_it:',
      '    x = batch.text',
      '    t = batch.target',
    ]);
    assert.equal(s.get('x'), '(?, 20)');
    assert.equal(s.get('t'), '(?, 20)');
  });

  it('reads the legacy namespace and keeps the vocabulary size unknown, the vectors width from their name', async () => {
    const { tensors, findings } = await run([
      'import torch',
      'import torch.nn as nn',
      'from torchtext.legacy import data, datasets',
      'TEXT = data.Field(include_lengths=True)',
      'LABEL = data.LabelField(dtype=torch.float)',
      'train, test = datasets.IMDB.splits(TEXT, LABEL)',
      'TEXT.build_vocab(train, vectors="glove.6B.100d")',
      'vectors = TEXT.vocab.vectors',
      'class Net(nn.Module):',
      '    def __init__(self, vocab_size, dim):',
      '        super().__init__()',
      '        self.emb = nn.Embedding(vocab_size, dim)',
      '        self.rnn = nn.LSTM(dim, 8)',
      '    def forward(self, text, lengths):',
      '        e = self.emb(text)',
      '        out, (h, c) = self.rnn(e)',
      '        return h',
      'net = Net(len(TEXT.vocab), 100)',
      'net.emb.weight.data.copy_(TEXT.vocab.vectors)',
      'for batch in data.BucketIterator(train, batch_size=16, sort_within_batch=True):',
      '    text, lengths = batch.text',
      '    h = net(text, lengths)',
    ].join('\n'));
    const shape = (n: string) => tensors.find((t) => t.name === n)?.shape;
    assert.equal(shape('vectors'), '(?, 100)');
    assert.equal(shape('e'), '(?, B, 100)');
    assert.deepEqual(findings.map((f) => f.code), []);
  });

  it('reads the columns a Dataset subclass gives its base __init__, hidden keyword arguments and all', async () => {
    const s = await shapes([
      'class MR(data.Dataset):',
      '    def __init__(self, text_field, label_field, examples=None, **kwargs):',
      '        fields = [("text", text_field), ("label", label_field)]',
      '        super(MR, self).__init__(examples, fields, **kwargs)',
      'def splits(text_field, label_field, **kwargs):',
      '    examples = MR(text_field, label_field, **kwargs).examples',
      '    return MR(text_field, label_field, examples=examples[:10]), MR(text_field, label_field, examples=examples[10:])',
      'class Other(data.Dataset):',
      '    def __init__(self, f):',
      '        super().__init__([], [("text", f)])',
      '        super().__init__([], [("words", f)])',
      'TEXT = data.Field(batch_first=True)',
      'LABEL = data.Field(sequential=False)',
      'train, dev = splits(TEXT, LABEL)',
      'train_it, dev_it = data.Iterator.splits((train, dev), batch_sizes=(16, 64), repeat=False)',
      'for batch in train_it:',
      '    x = batch.text',
      '    y = batch.label',
      'for batch in data.Iterator(Other(TEXT), batch_size=2):',
      '    w = batch.text',
    ]);
    assert.equal(s.get('x'), '(B, ?)');
    assert.equal(s.get('y'), '(B,)');
    // Two base __init__ runs that disagree leave the columns unknown.
    assert.equal(s.get('w') ?? '(…)', '(…)');
  });

  it('catches an Embedding fed (seq, batch) ids into a batch_first LSTM whose sizes differ', async () => {
    const { findings } = await run([
      ...HEAD,
      'TEXT = data.Field()',
      'LABEL = data.LabelField()',
      'train, test = datasets.IMDB.splits(TEXT, LABEL)',
      'emb = nn.Embedding(1000, 50)',
      'rnn = nn.LSTM(64, 8)',
      'for batch in data.BucketIterator(train, batch_size=16):',
      '    out, _ = rnn(emb(batch.text))',
    ].join('\n'));
    assert.deepEqual(findings.map((f) => f.code), ['SL101']);
  });
});
