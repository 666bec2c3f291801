// Spectral ops and torchaudio's feature transforms: torch.fft's transforms keep the axes they do not transform and size
// the one they do (rfft: n // 2 + 1, irfft: n), torch.stft frames a signal into (…, n_fft // 2 + 1, frames), and
// torchaudio's Spectrogram / MelSpectrogram / MFCC give (…, features, frames). A size the analysis cannot read leaves
// that axis unknown, the rank known; a transform torchaudio would refuse gives unknown, never a finding.
import { strict as assert } from 'node:assert';
import { codes, shapeOf } from './helpers';

const HEAD = 'import torch\nimport torch.nn as nn\nimport torchaudio\n';

describe('spectral ops', () => {
  it('a frequency block: rfft over the steps, a Linear over the modes, irfft back to the steps', async () => {
    const program = (modes: number): string => `${HEAD}
class FourierBlock(nn.Module):
    def __init__(self, seq_len, modes):
        super().__init__()
        self.seq_len = seq_len
        self.mix = nn.Linear(${modes}, ${modes})

    def forward(self, x):
        xf = torch.fft.rfft(x.permute(0, 2, 1), dim=-1)
        amp = xf.real
        mixed = self.mix(amp)
        back = torch.fft.irfft(xf, n=self.seq_len, dim=-1)
        return mixed, back.permute(0, 2, 1)

block = FourierBlock(96, 49)
y = block(torch.randn(8, 96, 7))
`;
    assert.equal(await shapeOf(program(49), 'xf'), '(8, 7, 49)');
    assert.equal(await shapeOf(program(49), 'back'), '(8, 7, 96)');
    assert.deepEqual(await codes(program(49)), []);
    // Built for the 96 steps instead of the 49 modes rfft keeps.
    assert.deepEqual(await codes(program(96)), ['SL106']);
  });

  it('torch.stft frames a batch of waveforms; the Tensor method and return_complex=False too', async () => {
    const body = `${HEAD}
w = torch.randn(2, 16000)
s = torch.stft(w, 400, hop_length=160, window=torch.hann_window(400), return_complex=True)
r = w[0].stft(512, return_complex=False)
u = torch.stft(w, 400, center=False, onesided=False, return_complex=True)
`;
    assert.equal(await shapeOf(body, 's'), '(2, 201, 101)');
    assert.equal(await shapeOf(body, 'r'), '(257, 126, 2)');
    assert.equal(await shapeOf(body, 'u'), '(2, 400, 157)');
  });

  it('a size not known keeps the rank, and torch.stft of a 3-D signal (which raises) is not followed', async () => {
    const body = `${HEAD}
def features(w, n_fft):
    return torch.stft(w, n_fft, return_complex=True)

def run(n):
    s = features(torch.randn(2, 16000), n)
    t = torch.stft(torch.randn(2, 3, 16000), 400, return_complex=True)
    return s, t
`;
    assert.equal(await shapeOf(body, 's'), '(2, ?, ?)');
    assert.equal(await shapeOf(body, 't'), undefined);
  });

  it('MelSpectrogram features reach a Conv1d sized by another band count: SL139; the right count runs clean', async () => {
    const program = (channels: number): string => `${HEAD}
class SpeakerNet(nn.Module):
    def __init__(self, n_mels=64):
        super().__init__()
        self.features = torchaudio.transforms.MelSpectrogram(sample_rate=16000, n_fft=512, hop_length=160, n_mels=n_mels)
        self.db = torchaudio.transforms.AmplitudeToDB()
        self.conv = nn.Conv1d(${channels}, 128, kernel_size=5)

    def forward(self, wave):
        feats = self.db(self.features(wave))
        return self.conv(feats)

net = SpeakerNet()
out = net(torch.randn(4, 32000))
`;
    assert.equal(await shapeOf(program(64), 'feats'), '(4, 64, 201)');
    assert.equal(await shapeOf(program(64), 'out'), '(4, 128, 197)');
    assert.deepEqual(await codes(program(64)), []);
    assert.deepEqual(await codes(program(80)), ['SL139']);
  });

  it('MFCC gives n_mfcc coefficients over melkwargs\' frames; more coefficients than mel bands is not followed', async () => {
    const body = (n: number): string => `${HEAD}
mfcc = torchaudio.transforms.MFCC(sample_rate=16000, n_mfcc=${n}, melkwargs={'n_fft': 400, 'hop_length': 160, 'n_mels': 23})
m = mfcc(torch.randn(3, 16000))
conv = nn.Conv1d(64, 32, 3)
y = conv(m)
`;
    assert.equal(await shapeOf(body(13), 'm'), '(3, 13, 101)');
    // torchaudio raises ValueError for 40 coefficients of 23 bands: nothing after it is judged.
    assert.equal(await shapeOf(body(40), 'm'), undefined);
    assert.deepEqual(await codes(body(40)), []);
  });

  it('Kaldi filterbanks of a (channels, samples) waveform, and Resample\'s length', async () => {
    const body = `${HEAD}
import torchaudio.compliance.kaldi as kaldi
w = torch.randn(1, 16000)
fb = kaldi.fbank(w, num_mel_bins=80)
mf = kaldi.mfcc(w, snip_edges=False)
r = torchaudio.transforms.Resample(44100, 16000)(torch.randn(2, 44100))
`;
    assert.equal(await shapeOf(body, 'fb'), '(98, 80)');
    assert.equal(await shapeOf(body, 'mf'), '(100, 13)');
    assert.equal(await shapeOf(body, 'r'), '(2, 16000)');
  });
});
