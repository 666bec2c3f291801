// A Sequential model is one object that model.add changes in place. When an `if` whose condition is not known adds
// layers in both branches (`if gpu: model.add(CuDNNLSTM(...)) else: model.add(LSTM(...))`), a run takes one branch
// only: the else branch must start from the model as it was before the `if`, not from the layers the then branch
// added, and after the `if` the model is what both branches agree on.
import { formatShape } from '../shapes/shape';
import type { LayerDesc } from '../layers/layer';
import { KerasModel, UNKNOWN, Value } from '../values/value';

/** What model.add and model.build change. */
interface SequentialState {
  layers: LayerDesc[];
  summary: KerasModel['summary'];
  output: Value;
  input?: Value;
  stopped?: boolean;
  opaque?: boolean;
}

/**
 * One branch running now: the models it changed (with their state before the branch), the models it made, and for a
 * then branch whose else branch runs now, the models as the then branch left them.
 */
interface Branch {
  changed: Map<KerasModel, SequentialState>;
  created: Set<KerasModel>;
  after?: Map<KerasModel, SequentialState>;
}

function stateOf(model: KerasModel): SequentialState {
  return { layers: [...model.layers], summary: [...model.summary], output: model.output, input: model.input, stopped: model.stopped, opaque: model.opaque };
}

function restore(model: KerasModel, state: SequentialState): void {
  model.layers.splice(0, model.layers.length, ...state.layers);
  model.summary.splice(0, model.summary.length, ...state.summary);
  model.output = state.output;
  model.input = state.input;
  model.stopped = state.stopped;
  model.opaque = state.opaque;
}

function sameShape(a: Value | undefined, b: Value | undefined): boolean {
  if (a === b) return true;
  return a?.kind === 'tensor' && b?.kind === 'tensor' && a.dtype === b.dtype && a.shape.rankKnown && b.shape.rankKnown && formatShape(a.shape) === formatShape(b.shape);
}

/**
 * Both branches went on past the `if` with different layers: the model keeps an input and an output only where the
 * two agree, and its layers are not replayed on data (they are one branch's, not the model that ran).
 */
function joined(a: SequentialState, b: SequentialState): SequentialState {
  const same = a.layers.length === b.layers.length && a.layers.every((layer, i) => layer === b.layers[i]);
  if (same) return b;
  return {
    layers: b.layers,
    summary: b.summary,
    output: sameShape(a.output, b.output) ? b.output : UNKNOWN,
    input: sameShape(a.input, b.input) ? b.input : undefined,
    stopped: a.stopped && b.stopped,
    opaque: true,
  };
}

export class ModelBranches {
  private readonly running: Branch[] = [];

  /** A model made now: inside a branch it is new there, and nothing before the branch is to be restored. */
  created(model: KerasModel): void {
    this.running[this.running.length - 1]?.created.add(model);
  }

  /** Before model.add or model.build changes the model: the branch notes the model as it was. */
  beforeChange(model: KerasModel): void {
    const branch = this.running[this.running.length - 1];
    if (!branch || branch.changed.has(model) || branch.created.has(model)) return;
    branch.changed.set(model, stateOf(model));
  }

  /** The then branch starts; the depth to unwind to if the `if` does not finish. */
  enterThen(): number {
    this.running.push({ changed: new Map(), created: new Set() });
    return this.running.length - 1;
  }

  /** The then branch has run: its models are kept aside and put back as they were for the else branch. */
  enterElse(): void {
    const then = this.running[this.running.length - 1];
    then.after = new Map();
    for (const [model, before] of then.changed) {
      then.after.set(model, stateOf(model));
      restore(model, before);
    }
    this.running.push({ changed: new Map(), created: new Set() });
  }

  /** Both branches have run; `thenLeft`/`elseLeft`: the branch returned or raised, so it does not reach past the `if`. */
  leave(thenLeft: boolean, elseLeft: boolean): void {
    const elseBranch = this.running.pop()!;
    const thenBranch = this.running.pop()!;
    const outer = this.running[this.running.length - 1];
    for (const model of new Set([...thenBranch.changed.keys(), ...elseBranch.changed.keys()])) {
      const before = (thenBranch.changed.get(model) ?? elseBranch.changed.get(model))!;
      const thenState = thenBranch.after?.get(model) ?? before;
      const elseState = stateOf(model);
      if (elseLeft && !thenLeft) restore(model, thenState);
      else if (!thenLeft && !elseLeft) restore(model, joined(thenState, elseState));
      if (outer && !outer.changed.has(model) && !outer.created.has(model)) outer.changed.set(model, before);
    }
    if (outer) for (const model of [...thenBranch.created, ...elseBranch.created]) outer.created.add(model);
  }

  /** An `if` that did not finish (the analysis of its function stopped): its branches are dropped as they are. */
  unwind(depth: number): void {
    this.running.length = Math.min(this.running.length, depth);
  }
}
