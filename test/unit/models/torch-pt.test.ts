// The .pt reader against files PyTorch 1.13 wrote itself (test/oracle/torch_pt.py: every tensor
// must equal what torch.load gives), and against hostile and malformed pickles written by hand:
// each gets a clean `file: cause` and nothing runs.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runEval } from '../../../src/cli/eval';
import { readNpyFile } from '../../../src/evaluation/datasets/npy';
import { InputError } from '../../../src/evaluation/errors';
import { loadModel } from '../../../src/evaluation/models';
import { tfjs, useBackend } from '../../../src/evaluation/models/tf';
import { parseTorchCheckpoint, readTorchCheckpoint } from '../../../src/evaluation/models/torch/pt/load';
import { DTYPE_BYTES, unpickle } from '../../../src/evaluation/models/torch/pt/pickle';
import { readZipMembers } from '../../../src/evaluation/zip';
import { buildZip } from '../evaluation/archive-builders';
import { maxAbsDifference, sharedAnalyzer, TORCH_FIXTURES } from './helpers';
import { float32Bytes, PickleWriter, ptArchive } from './pickle-builder';

const PT = join(TORCH_FIXTURES, 'pt');

interface Expected {
  weights_only: { accepted: boolean; error?: string };
  key: string | null;
  tensors?: Record<string, { dtype: string; shape: number[]; values: number[] }>;
}

const DTYPES: Record<string, string> = {
  float32: 'F32', float64: 'F64', float16: 'F16', bfloat16: 'BF16', int8: 'I8', int16: 'I16', int32: 'I32', int64: 'I64', uint8: 'U8', bool: 'BOOL',
};

function expected(name: string): Expected {
  return JSON.parse(readFileSync(join(PT, `${name}.expected.json`), 'utf8')) as Expected;
}

async function rejects(bytes: Buffer, pattern: RegExp, where = 'hostile.pt'): Promise<string> {
  try {
    await parseTorchCheckpoint(bytes, where);
  } catch (error) {
    assert.ok(error instanceof InputError, `not an InputError: ${(error as Error).stack}`);
    assert.ok(error.message.startsWith(`${where}: `), error.message);
    assert.match(error.message, pattern);
    return error.message;
  }
  assert.fail('the file was read');
}

function assertMatchesTorch(name: string, tensors: Map<string, { dtype: string; shape: number[]; values: Float32Array }>, want: Expected): void {
  const names = Object.keys(want.tensors!).sort();
  assert.deepEqual([...tensors.keys()].sort(), names, name);
  for (const key of names) {
    const w = want.tensors![key];
    const got = tensors.get(key)!;
    assert.equal(got.dtype, DTYPES[w.dtype], `${name}: ${key}'s dtype`);
    assert.deepEqual(got.shape, w.shape, `${name}: ${key}'s shape`);
    assert.deepEqual(Array.from(got.values), w.values.map((v) => Math.fround(v)), `${name}: ${key}'s values`);
  }
}

describe('reading .pt files written by PyTorch 1.13', () => {
  for (const name of ['state_dict', 'dtypes', 'views', 'parameters']) {
    it(`${name}.pt: every tensor equals what torch.load gives`, async () => {
      const result = await readTorchCheckpoint(join(PT, `${name}.pt`));
      assert.equal(result.key, null);
      assertMatchesTorch(name, result.tensors, expected(name));
    });
  }

  it('the oracle recorded that torch.load(weights_only=True) accepts the plain state dicts and refuses a whole model', () => {
    for (const name of ['state_dict', 'dtypes', 'views', 'parameters', 'two_state_dicts']) assert.equal(expected(name).weights_only.accepted, true, name);
    assert.equal(expected('whole_model').weights_only.accepted, false);
  });

  it('a checkpoint dict gives its model state dict, not the optimizer\'s per-parameter state, and its floats load', async () => {
    const result = await readTorchCheckpoint(join(PT, 'checkpoint.pt'));
    assert.equal(result.key, 'model');
    assertMatchesTorch('checkpoint', result.tensors, expected('checkpoint'));
    // PyTorch 1.13 itself refuses the BINFLOAT of "loss": 0.25 under weights_only (added in 2.0).
    assert.equal(expected('checkpoint').weights_only.error, 'Unsupported operand 71');
  });

  it('several state dicts in one checkpoint: the error lists them and names --state-dict-key', async () => {
    const bytes = readFileSync(join(PT, 'two_state_dicts.pt'));
    const message = await rejects(bytes, /several state dicts: 'encoder' \(4 tensors\), 'decoder' \(2 tensors\); choose one with --state-dict-key KEY/, 'two.pt');
    assert.ok(!message.includes('epoch'));
  });

  it('--state-dict-key chooses one of several state dicts', async () => {
    const result = await readTorchCheckpoint(join(PT, 'two_state_dicts.pt'), { stateDictKey: 'encoder' });
    assert.equal(result.key, 'encoder');
    assertMatchesTorch('two_state_dicts', result.tensors, expected('two_state_dicts'));
    await assert.rejects(readTorchCheckpoint(join(PT, 'two_state_dicts.pt'), { stateDictKey: 'epoch' }), /--state-dict-key epoch: no state dict there; the file's state dicts are 'encoder'/);
  });

  it('a whole pickled model (torch.save(model)) is refused by name, with the line that saves its state dict', async () => {
    const message = await rejects(readFileSync(join(PT, 'whole_model.pt')), /whole pickled model \(torch\.save\(model\)\)/);
    assert.match(message, /__main__\.Tagger/);
    assert.match(message, /torch\.nn\.modules\.\w+\.\w+/);
    assert.match(message, /torch\.save\(model\.state_dict\(\), "model\.pt"\)/);
  });

  it('the legacy non-zip format is refused by name, with the Python line that converts it', async () => {
    const where = 'old/model.pth';
    const message = await rejects(readFileSync(join(PT, 'legacy.pt')), /legacy \(pre-1\.6, non-zip\) serialization format/, where);
    assert.match(message, /torch\.save\(torch\.load\('old\/model\.pth', map_location='cpu'\), 'old\/model-zip\.pt'\)/);
  });

  it('a big-endian archive (byteorder "big", as PyTorch 2.1+ writes on such machines) gives the same values', async () => {
    const members = await readZipMembers(readFileSync(join(PT, 'dtypes.pt')), 'dtypes.pt');
    const pickle = members.get('dtypes/data.pkl')!;
    const entries: { name: string; data: Buffer; method: 0 }[] = [];
    // Each storage's element size, from the pickle itself.
    const elementBytes = new Map<string, number>();
    unpickle(pickle, (request) => {
      elementBytes.set(request.key, DTYPE_BYTES[request.dtype]);
      return { kind: 'storage', ...request };
    });
    for (const [name, data] of members) {
      const key = /\/data\/(\w+)$/.exec(name)?.[1];
      const copy = Buffer.from(data);
      if (key !== undefined) {
        const size = elementBytes.get(key)!;
        for (let i = 0; i < copy.length; i += size) copy.subarray(i, i + size).reverse();
      }
      entries.push({ name, data: copy, method: 0 });
    }
    entries.push({ name: 'dtypes/byteorder', data: Buffer.from('big'), method: 0 });
    const result = await parseTorchCheckpoint(buildZip(entries).bytes, 'big.pt');
    assertMatchesTorch('dtypes (big-endian)', result.tensors, expected('dtypes'));
  });
});

describe('hostile and malformed .pt files: a clean error, nothing run', () => {
  const storage = float32Bytes([1, 2, 3, 4, 5, 6]);
  const sentinel = join('/tmp', `seqlens-pt-pwned-${process.pid}`);

  it('a hand-written state dict reads (the builder writes what PyTorch writes)', async () => {
    const pickle = new PickleWriter().proto().global('collections', 'OrderedDict').emptyTuple().reduce()
      .string('w').tensor('FloatStorage', '0', 6, 0, [2, 3], [3, 1]).setitem().stop().bytes();
    const result = await parseTorchCheckpoint(ptArchive(pickle, { 0: storage }), 'ok.pt');
    assert.deepEqual(Array.from(result.tensors.get('w')!.values), [1, 2, 3, 4, 5, 6]);
  });

  it('GLOBAL os.system called by REDUCE is refused by name and runs nothing', async () => {
    const pickle = new PickleWriter().proto().global('os', 'system').string(`touch ${sentinel}`).tuple1().reduce().stop().bytes();
    await rejects(ptArchive(pickle), /refused global os\.system: a pickle that names it would run code/);
    assert.equal(existsSync(sentinel), false);
  });

  it('REDUCE of builtins.eval is refused by name', async () => {
    const pickle = new PickleWriter().proto().global('builtins', 'eval').string('__import__("os").system("true")').tuple1().reduce().stop().bytes();
    await rejects(ptArchive(pickle), /refused global builtins\.eval/);
  });

  it('INST, which names and instantiates any class, is refused as an opcode', async () => {
    const pickle = new PickleWriter().proto().mark().string(`touch ${sentinel}`).inst('os', 'system').stop().bytes();
    await rejects(ptArchive(pickle), /refused opcode INST \(it names or builds an object of any class\)/);
  });

  it('STACK_GLOBAL (protocol 4) is refused', async () => {
    const pickle = new PickleWriter().proto(4).string('os').string('system').stackGlobal().stop().bytes();
    await rejects(ptArchive(pickle), /refused opcode STACK_GLOBAL/);
  });

  it('an allowed global may not be called unless it is a rebuild function, OrderedDict or torch.Size', async () => {
    const pickle = new PickleWriter().proto().global('torch', 'FloatStorage').int(100000).tuple1().reduce().stop().bytes();
    await rejects(ptArchive(pickle), /calling torch\.FloatStorage is not supported/);
  });

  it('NEWOBJ of anything but torch.nn.Parameter is refused', async () => {
    const pickle = new PickleWriter().proto().global('collections', 'OrderedDict').emptyTuple().newobj().stop().bytes();
    await rejects(ptArchive(pickle), /NEWOBJ instantiates collections\.OrderedDict; only torch\.nn\.Parameter may be/);
  });

  it('BUILD on anything but an OrderedDict is refused', async () => {
    const pickle = new PickleWriter().proto().emptyList().emptyDict().build().stop().bytes();
    await rejects(ptArchive(pickle), /BUILD sets the state of a list of 0; only an OrderedDict's attributes may be set/);
  });

  it('a memo of more than a million entries is refused', async () => {
    const puts = Buffer.alloc(5 * 1_000_001);
    for (let i = 0; i <= 1_000_000; i++) {
      puts[5 * i] = 0x72; // LONG_BINPUT i
      puts.writeUInt32LE(i, 5 * i + 1);
    }
    await rejects(ptArchive(new PickleWriter().proto().none().raw(puts).stop().bytes()), /the memo holds more than 1,000,000 entries/);
  });

  it('MARKs nested past 1000 are refused', async () => {
    const writer = new PickleWriter().proto();
    for (let i = 0; i < 1001; i++) writer.mark();
    await rejects(ptArchive(writer.stop().bytes()), /nests more than 1000 MARKs/);
  });

  it('lists nested thousands deep through the memo stop the state-dict search with an error', async () => {
    const bytes = new PickleWriter().proto().emptyList().put(0).raw(buildChain(5000)).get(0).stop().bytes();
    await rejects(ptArchive(bytes), /nests containers more than 16 deep/);
  });

  it('a list that contains itself does not loop', async () => {
    const pickle = new PickleWriter().proto().emptyList().put(0).get(0).append().stop().bytes();
    await rejects(ptArchive(pickle), /holds no state dict/);
  });

  it('a storage whose declared size differs from its zip member is refused', async () => {
    const pickle = new PickleWriter().proto().emptyDict().string('w').tensor('FloatStorage', '0', 600, 0, [2, 3], [3, 1]).setitem().stop().bytes();
    await rejects(ptArchive(pickle, { 0: storage }), /storage '0' declares 600 × F32 \(2400 bytes\) but archive\/data\/0 holds 24 bytes/);
  });

  it('a tensor view that reads past its storage is refused', async () => {
    const pickle = new PickleWriter().proto().emptyDict().string('w').tensor('FloatStorage', '0', 6, 4, [2, 3], [3, 1]).setitem().stop().bytes();
    await rejects(ptArchive(pickle, { 0: storage }), /reads element 9 of storage '0', which holds 6/);
  });

  it('a storage missing from the archive is refused', async () => {
    const pickle = new PickleWriter().proto().emptyDict().string('w').tensor('FloatStorage', '7', 6, 0, [6], [1]).setitem().stop().bytes();
    await rejects(ptArchive(pickle, { 0: storage }), /storage '7' \(torch\.FloatStorage\) has no member archive\/data\/7/);
  });

  it('a persistent id other than a storage is refused', async () => {
    const pickle = new PickleWriter().proto().mark().string('module').string('x').tuple().persid().stop().bytes();
    await rejects(ptArchive(pickle), /only persistent ids of storages are read/);
  });

  it('a pickle cut short, or without STOP, is refused', async () => {
    await rejects(ptArchive(new PickleWriter().proto().raw([0x58, 0xff, 0xff, 0, 0]).bytes()), /ends inside an opcode/);
    await rejects(ptArchive(new PickleWriter().proto().none().bytes()), /ends without STOP/);
  });

  it('a file that is not a zip archive is refused as such', async () => {
    await rejects(Buffer.from('hello'), /not a PyTorch \.pt file/);
  });

  it('an archive without data.pkl is refused', async () => {
    await rejects(buildZip([{ name: 'x/weights.bin', data: Buffer.alloc(4) }]).bytes, /has no x\/data\.pkl/);
  });
});

/** Pickle bytes that nest lists `depth` deep under memo entry 0: each new list is appended to the one before. */
function buildChain(depth: number): Buffer {
  const w = new PickleWriter();
  for (let i = 1; i < depth; i++) w.get(i - 1).emptyList().put(i).append();
  return w.bytes();
}

describe('a PyTorch model runs with weights from a .pt file', () => {
  const GRU = join(TORCH_FIXTURES, 'gru_last_step');

  it('gru_last_step with its state dict saved by torch.save gives PyTorch\'s outputs within 1e-4', async () => {
    await useBackend('cpu');
    const model = await loadModel(`${GRU}.py`, { weightsPath: join(PT, 'gru_last_step.pt'), analyzer: await sharedAnalyzer() });
    const tf = tfjs();
    const inputs = readNpyFile(`${GRU}.inputs.npy`);
    const expectedOutputs = readNpyFile(`${GRU}.outputs.npy`);
    const x = tf.tensor(inputs.data, inputs.shape, 'int32');
    const y = model.predictRaw(x);
    try {
      assert.deepEqual(y.shape, expectedOutputs.shape);
      assert.ok(maxAbsDifference(y.dataSync(), expectedOutputs.data as Float32Array) <= 1e-4);
    } finally {
      tf.dispose([x, y]);
      model.dispose();
    }
  });

  it('seqlens eval --weights MODEL.pt runs the model and reports on the data', async () => {
    const { code, out, err } = await runCli(['--model', `${GRU}.py`, '--weights', join(PT, 'gru_last_step.pt'), '--data', `${GRU}.inputs.npy`, '--labels', `${GRU}.labels.npy`, '--backend', 'cpu']);
    assert.equal(err, '');
    assert.equal(code, 0);
    assert.match(out, /Model: "GRULastStep"/);
    assert.match(out, /^ {4}accuracy +1\.000 +16$/m);
  });

  it('seqlens eval with a whole pickled model as --weights exits 2 with file: cause', async () => {
    const weights = join(PT, 'whole_model.pt');
    const { code, err } = await runCli(['--model', `${GRU}.py`, '--weights', weights, '--data', `${GRU}.inputs.npy`, '--backend', 'cpu']);
    assert.equal(code, 2);
    assert.ok(err.startsWith(`seqlens eval: ${weights}: this file holds a whole pickled model`), err);
  });

  it('seqlens eval --state-dict-key picks a state dict; without it several are listed', async () => {
    const weights = join(PT, 'two_state_dicts.pt');
    const { code, err } = await runCli(['--model', `${GRU}.py`, '--weights', weights, '--data', `${GRU}.inputs.npy`, '--backend', 'cpu']);
    assert.equal(code, 2);
    assert.match(err, /several state dicts: 'encoder' \(4 tensors\), 'decoder' \(2 tensors\); choose one with --state-dict-key KEY/);
    const chosen = await runCli(['--model', `${GRU}.py`, '--weights', weights, '--state-dict-key', 'decoder', '--data', `${GRU}.inputs.npy`, '--backend', 'cpu']);
    assert.equal(chosen.code, 2);
    // The decoder's weights are a Linear(4, 2): the GRU's own tensors are not there.
    assert.match(chosen.err, /the weights have no tensor 'embedding\.weight'/);
  });
});

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runEval(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}
