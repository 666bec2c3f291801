// PyTorch Lightning (pytorch_lightning, and lightning.pytorch since 2.0): a LightningModule is an nn.Module whose
// training, validation, test and predict steps the Trainer calls with the batches of a DataLoader. The program
// itself never calls them, so without this a LightningModule's forward ran only on inputs of unknown shape.
//
// `trainer.fit(model, train_dataloaders, val_dataloaders, datamodule)` takes each loader from its argument, else from
// the datamodule's `train_dataloader()` (after its `prepare_data()` and `setup("fit")`), else from the model's own
// `train_dataloader()`, and calls `training_step(batch, batch_idx)` (and `validation_step` when there is a validation
// loader) with a batch of it: the analysis runs one step with the batch a `for batch in loader` loop would see.
// `validate`, `test` and `predict` do the same with their step; `predict_step` defaults to `self(batch)`.
// `self.save_hyperparameters()` stores the arguments of the `__init__` that calls it in `self.hparams`, read as
// `self.hparams.name` or `self.hparams["name"]`.
import type * as A from '../parse/ast';
import type { Value } from '../values/value';

const PACKAGE = String.raw`(?:pytorch_lightning|lightning\.pytorch|lightning)`;
const MODULE_BASE = new RegExp(String.raw`^${PACKAGE}(?:\.core(?:\.lightning|\.module)?)?\.LightningModule$`);
const DATAMODULE_BASE = new RegExp(String.raw`^${PACKAGE}(?:\.core(?:\.datamodule)?)?\.LightningDataModule$`);
const TRAINER = new RegExp(String.raw`^${PACKAGE}(?:\.trainer(?:\.trainer)?)?\.Trainer$`);

/** The value a `Trainer(...)` call gives. */
export const TRAINER_CLASS = 'lightning.Trainer';

export function isLightningModulePath(path: string): boolean {
  return MODULE_BASE.test(path);
}

export function isLightningDataModulePath(path: string): boolean {
  return DATAMODULE_BASE.test(path);
}

export function isTrainerPath(path: string): boolean {
  return TRAINER.test(path);
}

/** One loader a Trainer run reads, and the step it calls with its batches. */
export interface TrainerStage {
  /** The step method of the LightningModule (`training_step`). */
  step: string;
  /** The loader given to the call, if any. */
  loader?: Value;
  /** The method that gives the loader otherwise, on the datamodule or the model (`train_dataloader`). */
  loaderMethod: string;
  /** Whether the stage runs without a loader given (fit always trains; it validates only given a loader). */
  always: boolean;
}

/** What a Trainer method runs: its model, its datamodule, the `setup` stage name, and the stages in order. */
export interface TrainerRun {
  model?: Value;
  datamodule?: Value;
  setupStage: string;
  stages: TrainerStage[];
}

/**
 * How `trainer.<method>(...)` reads its arguments (Lightning 1.x and 2.x): fit(model, train_dataloaders,
 * val_dataloaders, datamodule), validate/test/predict(model, dataloaders, ..., datamodule=). Lightning 1.x's
 * singular keyword names (`train_dataloader=`, `test_dataloaders=`) are read too. A DataModule given where a loader
 * goes is taken as the datamodule, as Lightning does.
 */
export function trainerRun(method: string, args: Value[], kwargs: Map<string, Value>, isDataModule: (v: Value) => boolean): TrainerRun | undefined {
  const model = args[0] ?? kwargs.get('model');
  const pick = (position: number, ...names: string[]): Value | undefined => args[position] ?? names.map((n) => kwargs.get(n)).find((v) => v !== undefined);
  let datamodule = kwargs.get('datamodule');
  const loaderOrModule = (v: Value | undefined): Value | undefined => {
    if (v && isDataModule(v)) {
      datamodule ??= v;
      return undefined;
    }
    return v?.kind === 'none' ? undefined : v;
  };
  switch (method) {
    case 'fit': {
      const train = loaderOrModule(pick(1, 'train_dataloaders', 'train_dataloader'));
      const val = loaderOrModule(pick(2, 'val_dataloaders', 'val_dataloader'));
      datamodule ??= args[3];
      return {
        model,
        datamodule,
        setupStage: 'fit',
        stages: [
          { step: 'training_step', loader: train, loaderMethod: 'train_dataloader', always: true },
          { step: 'validation_step', loader: val, loaderMethod: 'val_dataloader', always: false },
        ],
      };
    }
    case 'validate':
    case 'test':
    case 'predict': {
      const loader = loaderOrModule(pick(1, 'dataloaders', `${method === 'validate' ? 'val' : method}_dataloaders`));
      // validate and test take (model, dataloaders, ckpt_path, verbose, datamodule); predict (model, dataloaders, datamodule).
      datamodule ??= method === 'predict' ? args[2] : args[4];
      const prefix = method === 'validate' ? 'val' : method;
      const step = method === 'validate' ? 'validation_step' : `${method}_step`;
      return { model, datamodule, setupStage: method, stages: [{ step, loader, loaderMethod: `${prefix}_dataloader`, always: true }] };
    }
    default:
      return undefined;
  }
}

/** `self.save_hyperparameters(...)`: the names to store from the calling `__init__` and the values given instead. */
export function hyperparameterNames(def: A.FunctionDef | undefined, args: Value[], kwargs: Map<string, Value>): { names: string[]; given?: Value } {
  const ignore = new Set<string>();
  const ignored = kwargs.get('ignore');
  if (ignored?.kind === 'str') ignore.add(ignored.value);
  if (ignored && (ignored.kind === 'list' || ignored.kind === 'tuple')) for (const v of ignored.items) if (v.kind === 'str') ignore.add(v.value);
  // One dict or Namespace (or a config object) given: it is what hparams holds.
  if (args.length === 1 && args[0].kind !== 'str') return { names: [], given: args[0] };
  const params = (def?.params ?? []).slice(1).filter((p) => !(p.variadic && p.stars !== 2) && !ignore.has(p.name));
  const named = args.filter((a) => a.kind === 'str').map((a) => (a as { value: string }).value);
  return { names: named.length ? named : params.map((p) => p.name) };
}
