// `seqlens eval --verify-shapes --inputs X.npy --outputs-out Y.npy`: a PyTorch model run on a batch the
// user gives, its raw outputs written as .npy, to be set beside PyTorch's own on the same inputs and weights.
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { runEval } from '../../../src/cli/eval';
import { npyHeader, readNpyFile, writeNpyFile } from '../../../src/evaluation/datasets/npy';
import { maxAbsDifference, tempDir, TORCH_FIXTURES } from './helpers';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runEval(args, { out: (t) => { out += t; }, err: (t) => { err += t; } });
  return { code, out, err };
}

describe('verify shapes on given inputs', () => {
  for (const name of ['gru_bidirectional_two_layers', 'lstm_bidirectional_mean_pool', 'gru_features_two_layers']) {
    it(`${name}: the outputs written for PyTorch's inputs are PyTorch's outputs (within 1e-4)`, async () => {
      const base = join(TORCH_FIXTURES, name);
      const out = join(tempDir(), 'outputs.npy');
      const { code, out: text, err } = await cli(['--model', `${base}.py`, '--weights', `${base}.safetensors`, '--verify-shapes', '--inputs', `${base}.inputs.npy`, '--outputs-out', out, '--backend', 'cpu']);
      assert.equal(code, 0, err);
      assert.match(text, /on the inputs of .*inputs\.npy/);
      assert.match(text, /Outputs \(\d+, \d+\) written to /);
      const ours = readNpyFile(out);
      const theirs = readNpyFile(`${base}.outputs.npy`);
      assert.deepEqual(ours.shape, theirs.shape);
      assert.ok(maxAbsDifference(ours.data as Float32Array, theirs.data as Float32Array) <= 1e-4);
    });
  }

  it('runs inputs of another shape than a dummy batch would have, and refuses what the model itself refuses, in PyTorch\'s words', async () => {
    const base = join(TORCH_FIXTURES, 'gru_features_two_layers');
    const wrong = join(tempDir(), 'wrong.npy');
    writeNpyFile(wrong, [2, 5, 3], new Float32Array(30));
    const { code, err } = await cli(['--model', `${base}.py`, '--weights', `${base}.safetensors`, '--verify-shapes', '--inputs', wrong, '--backend', 'cpu']);
    assert.equal(code, 2);
    assert.match(err, /gru_features_two_layers\.py:\d+: \w+: `[^`]+`: input\.size\(-1\) must be equal to input_size\. Expected \d+, got 3/);
  });

  it('refuses float inputs to a model that takes ids', async () => {
    const base = join(TORCH_FIXTURES, 'gru_bidirectional_two_layers');
    const floats = join(tempDir(), 'floats.npy');
    writeNpyFile(floats, [2, 5], new Float32Array(10));
    const { code, err } = await cli(['--model', `${base}.py`, '--weights', `${base}.safetensors`, '--verify-shapes', '--inputs', floats, '--backend', 'cpu']);
    assert.equal(code, 2);
    assert.match(err, /floats\.npy: \w+ takes integer ids \(its first layer is an Embedding\); the array holds floats \(2, 5\)/);
  });

  describe('a second sequence input, given by name (--input NAME=FILE.npy)', () => {
    const base = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'exec', 'models', 'decoder_input');

    it("a decoder's input given by name: the outputs are PyTorch's (within 1e-4)", async () => {
      const out = join(tempDir(), 'outputs.npy');
      const { code, out: text, err } = await cli(['--model', `${base}.py`, '--weights', `${base}.safetensors`, '--verify-shapes', '--inputs', `${base}.inputs.npy`, '--input', `dec_input=${base}.inputs.npy`, '--outputs-out', out, '--backend', 'cpu']);
      assert.equal(code, 0, err);
      assert.match(text, /Note: forward's dec_input: the array of .*decoder_input\.inputs\.npy \(3, 5, 6\)/);
      const ours = readNpyFile(out);
      const theirs = readNpyFile(`${base}.outputs.npy`);
      assert.deepEqual(ours.shape, theirs.shape);
      assert.ok(maxAbsDifference(ours.data as Float32Array, theirs.data as Float32Array) <= 1e-4);
    });

    it('without it, the second sequence input is refused with the option that gives it', async () => {
      const { code, err } = await cli(['--model', `${base}.py`, '--weights', `${base}.safetensors`, '--verify-shapes', '--inputs', `${base}.inputs.npy`, '--backend', 'cpu']);
      assert.equal(code, 2);
      assert.match(err, /decoder_input\.py:\d+: EncDec\.forward takes a second sequence input 'dec_input' .*--input dec_input=FILE\.npy/);
    });

    it('a name forward does not take is refused, listing its parameters', async () => {
      const { code, err } = await cli(['--model', `${base}.py`, '--weights', `${base}.safetensors`, '--verify-shapes', '--inputs', `${base}.inputs.npy`, '--input', `trg=${base}.inputs.npy`, '--backend', 'cpu']);
      assert.equal(code, 2);
      assert.match(err, /--input trg=…: EncDec\.forward has no parameter 'trg' \(its parameters: enc_input, enc_hidden, dec_input\)/);
    });

    it('--input takes NAME=FILE.npy and goes with --inputs', async () => {
      const a = await cli(['--model', `${base}.py`, '--verify-shapes', '--inputs', `${base}.inputs.npy`, '--input', 'dec_input']);
      assert.equal(a.code, 2);
      assert.match(a.err, /--input takes NAME=FILE\.npy/);
      const b = await cli(['--model', `${base}.py`, '--verify-shapes', '--input', `dec_input=${base}.inputs.npy`]);
      assert.equal(b.code, 2);
      assert.match(b.err, /--input NAME=FILE\.npy goes with --verify-shapes --inputs/);
    });
  });

  it('--outputs-out needs --inputs, and both need --verify-shapes', async () => {
    const base = join(TORCH_FIXTURES, 'gru_bidirectional_two_layers');
    const a = await cli(['--model', `${base}.py`, '--verify-shapes', '--outputs-out', join(tempDir(), 'y.npy')]);
    assert.equal(a.code, 2);
    assert.match(a.err, /--outputs-out needs --inputs/);
    const b = await cli(['--model', `${base}.py`, '--data', `${base}.inputs.npy`, '--inputs', `${base}.inputs.npy`]);
    assert.equal(b.code, 2);
    assert.match(b.err, /go with --verify-shapes/);
  });

  it('writes .npy that its own reader reads back, header padded to 64 bytes', () => {
    const path = join(tempDir(), 'round.npy');
    writeNpyFile(path, [2, 3], Float32Array.from([1, -2.5, 3, 0, 1e-7, 6]));
    const back = readNpyFile(path);
    assert.deepEqual(back.shape, [2, 3]);
    assert.deepEqual(Array.from(back.data as Float32Array), Array.from(Float32Array.from([1, -2.5, 3, 0, 1e-7, 6])));
    assert.equal(npyHeader('<f4', [2, 3]).length % 64, 0);
  });
});
