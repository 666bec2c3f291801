// PyTorch Lightning: a Trainer calls a LightningModule's steps with the batches of its loaders (from the call, the
// datamodule or the model), and save_hyperparameters() keeps the __init__ arguments in self.hparams.
import { strict as assert } from 'node:assert';
import { run } from './helpers';

const loud = async (body: string) => (await run(body)).findings.filter((f) => f.severity === 'error' || f.severity === 'warning').map((f) => `${f.code}:${f.range.start.line + 1}`);

/** A LightningModule over (batch, steps, features) windows; `features` is its LSTM's input_size. */
const lightningProgram = (pkg: string, features: string) => `import torch
from torch import nn
import ${pkg} as pl
from torch.utils.data import DataLoader, TensorDataset


class Forecaster(pl.LightningModule):
    def __init__(self, n_features=${features}, hidden_size=32):
        super().__init__()
        self.save_hyperparameters()
        self.lstm = nn.LSTM(self.hparams.n_features, self.hparams["hidden_size"], batch_first=True)
        self.fc = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.mse_loss(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", nn.functional.mse_loss(self(x), y))

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)
`;

describe('PyTorch Lightning', () => {
  it('runs training_step on a batch of the loader fit is given', async () => {
    const body = (features: number) => `${lightningProgram('pytorch_lightning', String(features))}

train = DataLoader(TensorDataset(torch.randn(500, 30, 6), torch.randn(500, 1)), batch_size=64, shuffle=True)
model = Forecaster()
trainer = pl.Trainer(max_epochs=10)
trainer.fit(model, train)
`;
    assert.deepEqual(await loud(body(4)), ['SL101:15']);
    assert.deepEqual(await loud(body(6)), []);
  });

  it('runs validation_step on the validation loader, by keyword, with lightning.pytorch', async () => {
    const body = (valFeatures: number) => `${lightningProgram('lightning.pytorch', '6')}

train = DataLoader(TensorDataset(torch.randn(500, 30, 6), torch.randn(500, 1)), batch_size=64)
val = DataLoader(TensorDataset(torch.randn(100, 30, ${valFeatures}), torch.randn(100, 1)), batch_size=64)
trainer = pl.Trainer()
trainer.fit(model=Forecaster(), train_dataloaders=train, val_dataloaders=val)
`;
    assert.deepEqual(await loud(body(7)), ['SL101:15']);
    assert.deepEqual(await loud(body(6)), []);
  });

  it("takes the loaders from a LightningDataModule's setup, and the model's own *_dataloader otherwise", async () => {
    const withData = (features: number, call: string) => `${lightningProgram('pytorch_lightning', '6')}

class Windows(pl.LightningDataModule):
    def __init__(self, batch_size=32):
        super().__init__()
        self.batch_size = batch_size

    def setup(self, stage=None):
        if stage == "fit" or stage is None:
            self.train_set = TensorDataset(torch.randn(800, 30, ${features}), torch.randn(800, 1))

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=self.batch_size)


${call}
`;
    assert.deepEqual(await loud(withData(5, 'pl.Trainer().fit(Forecaster(), datamodule=Windows())')), ['SL101:15']);
    assert.deepEqual(await loud(withData(5, 'pl.Trainer().fit(Forecaster(), Windows())')), ['SL101:15']);
    assert.deepEqual(await loud(withData(6, 'pl.Trainer().fit(Forecaster(), datamodule=Windows())')), []);
    const own = (features: number) => `${lightningProgram('pytorch_lightning', '6').replace('    def configure_optimizers', `    def train_dataloader(self):
        return DataLoader(TensorDataset(torch.randn(64, 30, ${features}), torch.randn(64, 1)), batch_size=16)

    def configure_optimizers`)}
pl.Trainer(max_epochs=1).fit(Forecaster())
`;
    assert.deepEqual(await loud(own(3)), ['SL101:15']);
    assert.deepEqual(await loud(own(6)), []);
  });

  it('keeps hparams from a dict given to save_hyperparameters, and forgets nothing it cannot see', async () => {
    const body = (hidden: number) => `import torch
from torch import nn
from pytorch_lightning import LightningModule, Trainer
from torch.utils.data import DataLoader, TensorDataset


class Tagger(LightningModule):
    def __init__(self, config):
        super().__init__()
        self.save_hyperparameters(config)
        self.emb = nn.Embedding(self.hparams.vocab, 16)
        self.rnn = nn.GRU(16, self.hparams["hidden"], batch_first=True)
        self.out = nn.Linear(${hidden}, 9)

    def forward(self, ids):
        h, _ = self.rnn(self.emb(ids))
        return self.out(h)

    def training_step(self, batch, batch_idx):
        ids, tags = batch
        return nn.functional.cross_entropy(self(ids).transpose(1, 2), tags)


ids = torch.randint(0, 100, (256, 40))
loader = DataLoader(TensorDataset(ids, torch.randint(0, 9, (256, 40))), batch_size=32)
Trainer().fit(Tagger({"vocab": 100, "hidden": 48}), loader)
`;
    assert.deepEqual(await loud(body(24)), ['SL106:17']);
    assert.deepEqual(await loud(body(48)), []);
  });

  it('says nothing when the loader is not known, nor for a Trainer given no LightningModule', async () => {
    assert.deepEqual(
      await loud(`${lightningProgram('pytorch_lightning', '4')}

import pickle
with open("windows.pkl", "rb") as f:
    loader = pickle.load(f)
pl.Trainer().fit(Forecaster(), loader)
pl.Trainer().fit(nn.LSTM(3, 4), DataLoader(TensorDataset(torch.randn(500, 30, 6)), batch_size=8))
`),
      [],
    );
  });
});
