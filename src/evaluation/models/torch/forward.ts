// The `forward` method, read from its syntax tree into a straight-line program of tensor steps.
// It understands the statements sequence classifiers are written with: layer calls, tuple
// unpacking of RNN outputs, the readouts (out[:, -1, :], h_n[-1], torch.cat((h_n[-2], h_n[-1]), 1),
// mean/max/sum pooling over time), activations, permute/transpose/squeeze/view, and arithmetic.
// Anything else is refused with its line and text: running an approximation would be worse
// than not running at all.
import type { Call, Expr, FunctionDef, Stmt } from '../../../analysis/parse/ast';
import type { Range } from '../../../analysis/findings';
import { ACTIVATIONS, BuiltLayer, Dim, formatShape, LayerOutput, Shape } from './layers';

export type IndexItem = { kind: 'int'; value: number } | { kind: 'slice'; start: number | null; stop: number | null } | { kind: 'all' };

export type StepOp =
  | { op: 'input' }
  | { op: 'layer'; layer: BuiltLayer; outputs: number }
  | { op: 'index'; items: IndexItem[] }
  | { op: 'cat'; axis: number }
  | { op: 'stack'; axis: number }
  | { op: 'reduce'; reduce: 'mean' | 'max' | 'sum' | 'min'; axis: number; keepDims: boolean }
  | { op: 'activation'; fn: 'relu' | 'tanh' | 'sigmoid' | 'softmax' | 'log_softmax' | 'gelu'; axis: number }
  | { op: 'permute'; order: number[] }
  | { op: 'squeeze'; axis: number | null }
  | { op: 'unsqueeze'; axis: number }
  | { op: 'reshape'; dims: (number | 'B' | 'T')[] }
  | { op: 'binary'; operator: '+' | '-' | '*' | '/'; scalar: number | null; scalarLeft: boolean }
  | { op: 'select'; index: number };

export interface Step {
  id: number;
  op: StepOp;
  inputs: number[];
  shape: Shape;
  /** The expression, as written, and its line (1-based). */
  text: string;
  line: number;
  /** For layer calls: the attribute (`gru`, `classifier`). */
  attr?: string;
  /** The forward-local name it was bound to, when it was. */
  boundTo?: string;
  /** Set when this step takes the time dimension away from a recurrent output: how it reads out. */
  readout?: string;
}

export interface ForwardProgram {
  steps: Step[];
  output: number;
  /** Layout of the model's input: ids (B, T) or features (B, T, F); `timeMajor` when forward expects (T, B, …). */
  input: { shape: Shape; timeMajor: boolean };
  /** The final activation written in forward, if any: its outputs are then probabilities (or log-probabilities). */
  finalActivation: 'softmax' | 'sigmoid' | 'log_softmax' | null;
  readouts: string[];
}

export class ForwardError extends Error {
  constructor(readonly line: number | null, message: string) {
    super(message);
  }
}

type Value =
  | { kind: 'tensor'; id: number }
  | { kind: 'tuple'; items: Value[] }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'dim'; dim: 'B' | 'T' | number }
  | { kind: 'none' }
  | { kind: 'self' }
  | { kind: 'layer'; attr: string }
  | { kind: 'module'; path: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'method'; target: Value; name: string }
  | { kind: 'str'; value: string };

const SUPPORTED = 'layer calls (self.embedding(x), out, h = self.gru(e), out, (h, c) = self.lstm(e)), readouts out[:, -1, :], h_n[-1], torch.cat((h_n[-2], h_n[-1]), dim=1), out.mean(dim=1), out.max(dim=1)[0] or .values, out.sum(dim=1), activations (torch.relu/tanh/sigmoid, F.softmax(x, dim=…)), permute, transpose, squeeze, unsqueeze, view/reshape, contiguous, +, -, *, /';

const MODULE_NAMES = new Set(['torch', 'F', 'nn', 'functional', 'np']);

export interface CompileInput {
  forward: FunctionDef;
  source: string;
  layers: Map<string, BuiltLayer>;
  /** Shape of the model's input as the dataset gives it: (B, T) ids or (B, T, F) features. */
  inputShape: Shape;
  timeMajor: boolean;
}

export function compileForward(input: CompileInput): ForwardProgram {
  return new Compiler(input).compile();
}

class Compiler {
  private readonly steps: Step[] = [];
  private readonly env = new Map<string, Value>();

  constructor(private readonly input: CompileInput) {}

  compile(): ForwardProgram {
    const { forward } = this.input;
    const params = forward.params.filter((p) => p.name !== 'self');
    if (params.length === 0) throw new ForwardError(line(forward.range), 'forward takes no input besides self');
    const [first, ...rest] = params;
    if (first.variadic) throw new ForwardError(line(first.range), `forward's first parameter is *${first.name}; SeqLens needs one named input`);
    for (const p of rest) {
      if (!p.variadic && !p.default) {
        throw new ForwardError(line(p.range), `forward needs a second input '${p.name}'; SeqLens feeds one tensor (the sequences), so give it a default (e.g. ${p.name}=None)`);
      }
      this.env.set(p.name, { kind: 'none' });
    }
    const inputStep = this.push({ op: 'input' }, [], this.input.inputShape, first.name, forward.range);
    inputStep.boundTo = first.name;
    this.env.set(first.name, { kind: 'tensor', id: inputStep.id });
    const output = this.block(forward.body);
    if (output === null) throw new ForwardError(line(forward.range), 'forward has no return statement SeqLens can follow');
    const result = this.tensorOf(output.value, output.range, 'forward must return one tensor of class scores');
    const shape = this.steps[result].shape;
    if (shape.includes('T')) {
      throw new ForwardError(line(output.range), `forward returns ${formatShape(shape)}, one output per time step; SeqLens evaluates sequence classifiers (one prediction per sequence): read out with ${'out[:, -1, :]'}, h_n[-1] or pooling`);
    }
    if (shape.length !== 2 || shape[0] !== 'B') {
      throw new ForwardError(line(output.range), `forward returns ${formatShape(shape)}; SeqLens expects (B, classes)`);
    }
    const last = this.steps[result].op;
    const finalActivation = last.op === 'activation' && (last.fn === 'softmax' || last.fn === 'sigmoid' || last.fn === 'log_softmax') ? last.fn : null;
    return {
      steps: this.steps,
      output: result,
      input: { shape: this.input.inputShape, timeMajor: this.input.timeMajor },
      finalActivation,
      readouts: this.steps.filter((s) => s.readout).map((s) => s.readout!),
    };
  }

  private block(body: Stmt[]): { value: Value; range: Range } | null {
    for (let i = 0; i < body.length; i++) {
      const stmt = body[i];
      switch (stmt.kind) {
        case 'assign': {
          if (stmt.op) {
            const current = this.expr(stmt.targets[0]);
            const value = this.binary(stmt.op, current, this.expr(stmt.value), stmt.range);
            this.bind(stmt.targets[0], value, stmt.range);
            break;
          }
          const value = this.expr(stmt.value);
          for (const target of stmt.targets) this.bind(target, value, stmt.range);
          break;
        }
        case 'return':
          if (!stmt.value) throw new ForwardError(line(stmt.range), 'forward returns None');
          return { value: this.expr(stmt.value), range: stmt.range };
        case 'expr':
          if (stmt.value.kind === 'str') break; // docstring
          throw this.refuse(stmt.range, 'a statement whose value is thrown away');
        case 'pass':
          break;
        case 'if': {
          // `if hidden is None:`-style branches on inputs SeqLens sets to None are followed; others refused.
          const test = this.condition(stmt.test);
          if (test === null) throw this.refuse(stmt.range, 'a branch on something only known at run time');
          const result = this.block(test ? stmt.body : stmt.orelse);
          if (result) return result;
          break;
        }
        default:
          throw this.refuse(stmt.range, stmt.kind === 'for' || stmt.kind === 'while' ? 'a loop' : `a '${stmt.kind}' statement`);
      }
    }
    return null;
  }

  private condition(test: Expr): boolean | null {
    if (test.kind === 'compare' && test.ops.length === 1 && (test.ops[0] === 'is' || test.ops[0] === 'is not')) {
      const left = this.tryExpr(test.left);
      const right = this.tryExpr(test.comparators[0]);
      if (!left || !right) return null;
      const same = (left.kind === 'none') === (right.kind === 'none') && (left.kind === 'none' || right.kind === 'none');
      if (left.kind !== 'none' && right.kind !== 'none') return null;
      return test.ops[0] === 'is' ? same : !same;
    }
    const value = this.tryExpr(test);
    if (value?.kind === 'bool') return value.value;
    if (value?.kind === 'none') return false;
    return null;
  }

  private tryExpr(e: Expr): Value | null {
    try {
      return this.expr(e);
    } catch {
      return null;
    }
  }

  private bind(target: Expr, value: Value, range: Range): void {
    if (target.kind === 'name') {
      this.env.set(target.id, value);
      if (value.kind === 'tensor') this.steps[value.id].boundTo ??= target.id;
      return;
    }
    if (target.kind === 'tuple' || target.kind === 'list') {
      const items = this.unpack(value, target.items.length, range);
      target.items.forEach((t, i) => this.bind(t, items[i], range));
      return;
    }
    throw this.refuse(range, `assigning to ${this.text(target.range)}`);
  }

  private unpack(value: Value, count: number, range: Range): Value[] {
    if (value.kind === 'tuple') {
      if (value.items.length !== count) throw new ForwardError(line(range), `${this.text(range)} unpacks ${count} values from a tuple of ${value.items.length}`);
      return value.items;
    }
    throw new ForwardError(line(range), `${this.text(range)} unpacks ${count} values from a single ${value.kind}`);
  }

  private expr(e: Expr): Value {
    switch (e.kind) {
      case 'name': {
        const v = this.env.get(e.id);
        if (v) return v;
        if (e.id === 'self') return { kind: 'self' };
        if (MODULE_NAMES.has(e.id)) return { kind: 'module', path: e.id };
        throw new ForwardError(line(e.range), `'${e.id}' is not defined in forward`);
      }
      case 'int': return { kind: 'int', value: e.value };
      case 'float': return { kind: 'float', value: e.value };
      case 'true': return { kind: 'bool', value: true };
      case 'false': return { kind: 'bool', value: false };
      case 'none': return { kind: 'none' };
      case 'str': return { kind: 'str', value: e.value };
      case 'unary': {
        const v = this.expr(e.operand);
        if (e.op === '-' && (v.kind === 'int' || v.kind === 'float')) return { ...v, value: -v.value };
        if (e.op === '-' && v.kind === 'tensor') return this.binary('*', v, { kind: 'float', value: -1 }, e.range);
        throw this.refuse(e.range, `the operator ${e.op}`);
      }
      case 'tuple':
      case 'list':
        return { kind: 'tuple', items: e.items.map((i) => this.expr(i)) };
      case 'attribute': return this.attribute(e.object, e.attr, e.range);
      case 'subscript': return this.subscript(e.value, e.index, e.range);
      case 'call': return this.call(e);
      case 'binop': return this.binary(e.op, this.expr(e.left), this.expr(e.right), e.range);
      default:
        throw this.refuse(e.range, this.text(e.range));
    }
  }

  private attribute(objectExpr: Expr, attr: string, range: Range): Value {
    const object = this.expr(objectExpr);
    if (object.kind === 'self') {
      if (this.input.layers.has(attr)) return { kind: 'layer', attr };
      if (attr === 'training') return { kind: 'bool', value: false };
      throw new ForwardError(line(range), `self.${attr} is not a layer SeqLens knows (its layers: ${[...this.input.layers.keys()].join(', ')})`);
    }
    if (object.kind === 'module') return { kind: 'module', path: `${object.path}.${attr}` };
    if (object.kind === 'tensor' && attr === 'shape') {
      return { kind: 'tuple', items: this.steps[object.id].shape.map((d) => ({ kind: 'dim', dim: d }) as Value) };
    }
    if (object.kind === 'tuple' && (attr === 'values' || attr === 'indices')) {
      if (attr === 'indices') throw this.refuse(range, 'the indices of a max/min (argmax as a feature)');
      return object.items[0];
    }
    return { kind: 'method', target: object, name: attr };
  }

  private subscript(valueExpr: Expr, index: Expr[], range: Range): Value {
    const value = this.expr(valueExpr);
    if (value.kind === 'tuple') {
      if (index.length !== 1) throw this.refuse(range, this.text(range));
      const i = this.expr(index[0]);
      if (i.kind !== 'int') throw this.refuse(range, this.text(range));
      const item = value.items[i.value < 0 ? value.items.length + i.value : i.value];
      if (!item) throw new ForwardError(line(range), `${this.text(range)}: index ${i.value} is out of range for a tuple of ${value.items.length}`);
      return item;
    }
    const id = this.tensorOf(value, range, `${this.text(range)} indexes something that is not a tensor`);
    const shape = this.steps[id].shape;
    const items: IndexItem[] = [];
    for (const e of index) {
      if (e.kind === 'slice') {
        if (e.step) throw this.refuse(range, `a slice with a step (${this.text(e.range)})`);
        const bound = (b: Expr | undefined) => {
          if (!b) return null;
          const v = this.expr(b);
          if (v.kind !== 'int') throw this.refuse(range, `a slice bound that is not a constant (${this.text(b.range)})`);
          return v.value;
        };
        const start = bound(e.start);
        const stop = bound(e.stop);
        items.push(start === null && stop === null ? { kind: 'all' } : { kind: 'slice', start, stop });
      } else if (e.kind === 'ellipsis') {
        const explicit = index.filter((x) => x.kind !== 'ellipsis').length;
        for (let k = 0; k < shape.length - explicit; k++) items.push({ kind: 'all' });
      } else {
        const v = this.expr(e);
        if (v.kind !== 'int') throw this.refuse(range, `indexing with ${this.text(e.range)} (only constant integers and slices)`);
        items.push({ kind: 'int', value: v.value });
      }
    }
    if (items.length > shape.length) throw new ForwardError(line(range), `${this.text(range)} indexes ${items.length} dimensions of a ${shape.length}-D tensor ${formatShape(shape)}`);
    const out: Shape = [];
    shape.forEach((d, axis) => {
      const item = items[axis] ?? { kind: 'all' };
      if (item.kind === 'all') out.push(d);
      else if (item.kind === 'slice') out.push(typeof d === 'number' ? sliceLength(d, item.start, item.stop) : sliceOfSymbol(d, item));
      else if (typeof d === 'number' && (item.value >= d || item.value < -d)) {
        throw new ForwardError(line(range), `${this.text(range)}: index ${item.value} is out of range for dimension ${axis} of size ${d} in ${formatShape(shape)}`);
      }
    });
    const step = this.push({ op: 'index', items }, [id], out, this.text(range), range);
    this.markReadout(step, shape);
    return { kind: 'tensor', id: step.id };
  }

  private markReadout(step: Step, inputShape: Shape): void {
    const source = this.steps[step.inputs[0]];
    if (step.op.op === 'index' && source.op.op === 'select') {
      step.readout = `final ${source.op.index === 1 ? 'hidden' : 'cell'} state ${step.text}`;
      return;
    }
    if (!inputShape.includes('T') || step.shape.includes('T')) return;
    if (step.op.op === 'index') {
      const item = step.op.items[inputShape.indexOf('T')];
      step.readout = item?.kind === 'int' && item.value === -1 ? `last step ${step.text}` : `time step ${step.text}`;
    } else if (step.op.op === 'reduce') {
      step.readout = `${step.op.reduce} pooling over time ${step.text}`;
    }
  }

  private tensorOf(value: Value, range: Range, message: string): number {
    if (value.kind === 'tensor') return value.id;
    throw new ForwardError(line(range), `${message} (${this.text(range)} is ${value.kind === 'tuple' ? `a tuple of ${value.items.length}` : `a ${value.kind}`})`);
  }

  private axisOf(value: Value | undefined, rank: number, range: Range, what: string): number {
    if (!value || value.kind !== 'int') throw this.refuse(range, `${what} without a constant dim`);
    const axis = value.value < 0 ? rank + value.value : value.value;
    if (axis < 0 || axis >= rank) throw new ForwardError(line(range), `${this.text(range)}: dim ${value.value} is out of range for a ${rank}-D tensor`);
    return axis;
  }

  private call(e: Call): Value {
    if (e.hasStarArgs) throw this.refuse(e.range, 'a call with *args or **kwargs');
    const func = this.expr(e.func);
    const args = e.args.map((a) => this.expr(a));
    const kw = new Map(e.keywords.map((k) => [k.name, this.expr(k.value)]));
    if (func.kind === 'layer') return this.layerCall(func.attr, args, kw, e);
    if (func.kind === 'method') return this.method(func.target, func.name, args, kw, e);
    if (func.kind === 'module') {
      const name = func.path.split('.').pop()!;
      if (func.path.includes('pack_padded_sequence') || func.path.includes('pad_packed_sequence')) {
        throw this.refuse(e.range, 'packed sequences (pack_padded_sequence): SeqLens runs the padded batch as the model sees it without packing');
      }
      if (args.length === 0) throw this.refuse(e.range, this.text(e.range));
      if (name === 'cat' || name === 'concat' || name === 'stack') {
        const list = args[0];
        if (list.kind !== 'tuple') throw this.refuse(e.range, `torch.${name} of something that is not a literal list or tuple`);
        const ids = list.items.map((v) => this.tensorOf(v, e.range, `torch.${name} takes tensors`));
        const shapes = ids.map((id) => this.steps[id].shape);
        const rank = shapes[0].length;
        const axisValue = kw.get('dim') ?? kw.get('axis') ?? args[1] ?? { kind: 'int', value: 0 };
        if (name === 'stack') {
          const axis = this.axisOf(axisValue, rank + 1, e.range, 'torch.stack');
          const out = [...shapes[0]];
          out.splice(axis, 0, ids.length);
          return this.tensor({ op: 'stack', axis }, ids, out, e.range);
        }
        const axis = this.axisOf(axisValue, rank, e.range, `torch.${name}`);
        const out = [...shapes[0]];
        for (const s of shapes.slice(1)) {
          if (s.length !== rank || s.some((d, i) => i !== axis && d !== shapes[0][i])) {
            throw new ForwardError(line(e.range), `${this.text(e.range)} joins ${shapes.map(formatShape).join(' and ')}, which differ outside dim ${axis}`);
          }
          const a = out[axis];
          const b = s[axis];
          out[axis] = typeof a === 'number' && typeof b === 'number' ? a + b : a === 'T' || b === 'T' ? 'T' : 'B';
        }
        const step = this.push({ op: 'cat', axis }, ids, out, this.text(e.range), e.range);
        if (ids.length > 1 && ids.every((id) => this.isFinalState(id))) {
          for (const id of ids) this.steps[id].readout = undefined;
          step.readout = `final states of both directions ${step.text}`;
        }
        return { kind: 'tensor', id: step.id };
      }
      return this.method(args[0], name, args.slice(1), kw, e);
    }
    throw this.refuse(e.range, this.text(e.range));
  }

  private isFinalState(id: number): boolean {
    const step = this.steps[id];
    if (step.op.op !== 'index') return false;
    const source = this.steps[step.inputs[0]];
    return source.op.op === 'select' && source.op.index > 0;
  }

  private layerCall(attr: string, args: Value[], kw: Map<string, Value>, e: Call): Value {
    const layer = this.input.layers.get(attr)!;
    if (args.length === 0) throw this.refuse(e.range, `self.${attr}() without an input`);
    if (args.length > 1 || kw.size > 0) {
      const extra = [...args.slice(1), ...kw.values()];
      if (extra.some((v) => v.kind !== 'none')) {
        throw this.refuse(e.range, `passing an initial hidden state to self.${attr} (SeqLens starts every sequence from zeros, as PyTorch does when none is given)`);
      }
    }
    const inputId = this.tensorOf(args[0], e.range, `self.${attr} takes a tensor`);
    const inputShape = this.steps[inputId].shape;
    let out: LayerOutput;
    try {
      out = layer.outputShape(inputShape);
    } catch (error) {
      throw new ForwardError(line(e.range), `${this.text(e.range)}: ${(error as Error).message}`);
    }
    if (out.kind === 'tensor') {
      const step = this.push({ op: 'layer', layer, outputs: 1 }, [inputId], out.shape, this.text(e.range), e.range);
      step.attr = attr;
      if (ACTIVATIONS.has(layer.spec.kind)) {
        const fn = ({ Softmax: 'softmax', Sigmoid: 'sigmoid', LogSoftmax: 'log_softmax', ReLU: 'relu', Tanh: 'tanh', GELU: 'gelu' } as const)[layer.spec.kind as 'ReLU'];
        if (fn) step.op = { op: 'activation', fn, axis: typeof layer.spec.args.dim === 'number' ? layer.spec.args.dim : -1 };
      }
      return { kind: 'tensor', id: step.id };
    }
    const count = out.c ? 3 : 2;
    const step = this.push({ op: 'layer', layer, outputs: count }, [inputId], out.output, this.text(e.range), e.range);
    step.attr = attr;
    const select = (index: number, shape: Shape): Value => {
      const s = this.push({ op: 'select', index }, [step.id], shape, index === 1 ? 'h_n' : 'c_n', e.range);
      return { kind: 'tensor', id: s.id };
    };
    const output: Value = { kind: 'tensor', id: step.id };
    const state = out.c ? { kind: 'tuple' as const, items: [select(1, out.h), select(2, out.c)] } : select(1, out.h);
    return { kind: 'tuple', items: [output, state] };
  }

  private method(target: Value, name: string, args: Value[], kw: Map<string, Value>, e: Call): Value {
    const id = this.tensorOf(target, e.range, `${this.text(e.range)} needs a tensor`);
    const shape = this.steps[id].shape;
    const rank = shape.length;
    const dimArg = () => kw.get('dim') ?? args[0];
    const keep = () => {
      const k = kw.get('keepdim') ?? args[1];
      return k?.kind === 'bool' ? k.value : false;
    };
    switch (name) {
      case 'contiguous':
      case 'float':
      case 'clone':
      case 'detach':
        return target;
      case 'mean':
      case 'sum':
      case 'max':
      case 'min':
      case 'amax':
      case 'amin': {
        if (!dimArg()) throw this.refuse(e.range, `${name} over every dimension (give dim=…)`);
        const axis = this.axisOf(dimArg(), rank, e.range, name);
        const keepDims = keep();
        const out = keepDims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
        const reduce = name === 'amax' ? 'max' : name === 'amin' ? 'min' : name;
        const step = this.push({ op: 'reduce', reduce: reduce as 'max', axis, keepDims }, [id], out, this.text(e.range), e.range);
        if (shape[axis] === 'T') this.markReadout(step, shape);
        const value: Value = { kind: 'tensor', id: step.id };
        // torch.max(x, dim) returns (values, indices); .values or [0] picks the values.
        return name === 'max' || name === 'min' ? { kind: 'tuple', items: [value, { kind: 'none' }] } : value;
      }
      case 'relu':
      case 'tanh':
      case 'sigmoid':
      case 'gelu':
      case 'softmax':
      case 'log_softmax': {
        const axis = name === 'softmax' || name === 'log_softmax' ? this.axisOf(dimArg(), rank, e.range, name) : -1;
        return this.tensor({ op: 'activation', fn: name, axis }, [id], shape, e.range);
      }
      case 'squeeze': {
        const d = dimArg();
        if (!d) {
          if (shape.some((x) => typeof x !== 'number')) throw this.refuse(e.range, 'squeeze() without a dim on a tensor whose batch or length could be 1');
          return this.tensor({ op: 'squeeze', axis: null }, [id], shape.filter((x) => x !== 1), e.range);
        }
        const axis = this.axisOf(d, rank, e.range, 'squeeze');
        if (shape[axis] !== 1) {
          if (typeof shape[axis] === 'number') return target;
          throw new ForwardError(line(e.range), `${this.text(e.range)} squeezes dim ${axis} of ${formatShape(shape)}, which is 1 only when the ${shape[axis] === 'B' ? 'batch' : 'sequence'} is; SeqLens runs batches`);
        }
        return this.tensor({ op: 'squeeze', axis }, [id], shape.filter((_, i) => i !== axis), e.range);
      }
      case 'unsqueeze': {
        const axis = this.axisOf(dimArg(), rank + 1, e.range, 'unsqueeze');
        const out = [...shape];
        out.splice(axis, 0, 1);
        return this.tensor({ op: 'unsqueeze', axis }, [id], out, e.range);
      }
      case 'permute': {
        const dims = (args.length === 1 && args[0].kind === 'tuple' ? args[0].items : args).map((a) => (a.kind === 'int' ? a.value : NaN));
        if (dims.length !== rank || dims.some((d) => Number.isNaN(d))) throw this.refuse(e.range, `permute with ${this.text(e.range)}`);
        const order = dims.map((d) => (d < 0 ? rank + d : d));
        return this.tensor({ op: 'permute', order }, [id], order.map((d) => shape[d]), e.range);
      }
      case 't':
      case 'transpose': {
        const a = name === 't' ? 0 : this.axisOf(args[0], rank, e.range, 'transpose');
        const b = name === 't' ? 1 : this.axisOf(args[1], rank, e.range, 'transpose');
        const order = [...Array(rank).keys()];
        order[a] = b;
        order[b] = a;
        return this.tensor({ op: 'permute', order }, [id], order.map((d) => shape[d]), e.range);
      }
      case 'flatten': {
        const start = (kw.get('start_dim') ?? args[0]) as Value | undefined;
        const startAxis = start ? this.axisOf(start, rank, e.range, 'flatten') : 0;
        const tail = shape.slice(startAxis);
        if (tail.some((d) => typeof d !== 'number')) throw this.refuse(e.range, `flattening ${formatShape(shape)} across the batch or sequence dimension`);
        const size = (tail as number[]).reduce((x, y) => x * y, 1);
        const dims = [...shape.slice(0, startAxis), size] as (number | 'B' | 'T')[];
        return this.tensor({ op: 'reshape', dims }, [id], dims, e.range);
      }
      case 'view':
      case 'reshape': {
        const raw = args.length === 1 && args[0].kind === 'tuple' ? args[0].items : args;
        const dims: (number | 'B' | 'T')[] = raw.map((a) => {
          if (a.kind === 'int') return a.value;
          if (a.kind === 'dim') return a.dim;
          throw this.refuse(e.range, `${name} with ${this.text(e.range)}`);
        });
        const known = shape.every((d) => typeof d === 'number') ? (shape as number[]).reduce((x, y) => x * y, 1) : null;
        const symbols = shape.filter((d) => typeof d !== 'number');
        const out: Shape = dims.map((d) => (d === -1 ? -1 : d));
        const inferred = out.indexOf(-1);
        if (inferred >= 0) {
          const fixed = shape.filter((d) => typeof d === 'number') as number[];
          const numerator = fixed.reduce((x, y) => x * y, 1);
          const denominator = (out.filter((d, i) => i !== inferred && typeof d === 'number') as number[]).reduce((x, y) => x * y, 1);
          const remainingSymbols = symbols.filter((s) => !out.includes(s));
          if (remainingSymbols.length > 0) throw this.refuse(e.range, `${name} that folds the ${remainingSymbols[0] === 'B' ? 'batch' : 'sequence'} dimension into -1`);
          out[inferred] = known === null ? numerator / denominator : known / denominator;
        }
        return this.tensor({ op: 'reshape', dims }, [id], out, e.range);
      }
      case 'size': {
        const axis = this.axisOf(args[0], rank, e.range, 'size');
        return { kind: 'dim', dim: shape[axis] };
      }
      default:
        throw this.refuse(e.range, `${this.text(e.range)} (the method or function '${name}')`);
    }
  }

  private binary(op: string, left: Value, right: Value, range: Range): Value {
    if (!['+', '-', '*', '/'].includes(op)) throw this.refuse(range, `the operator ${op}`);
    const operator = op as '+' | '-' | '*' | '/';
    const scalar = (v: Value) => (v.kind === 'int' || v.kind === 'float' ? v.value : null);
    if (left.kind === 'tensor' && right.kind === 'tensor') {
      const a = this.steps[left.id].shape;
      const b = this.steps[right.id].shape;
      if (a.length !== b.length || a.some((d, i) => d !== b[i] && d !== 1 && b[i] !== 1)) {
        throw new ForwardError(line(range), `${this.text(range)} combines ${formatShape(a)} with ${formatShape(b)}`);
      }
      return this.tensor({ op: 'binary', operator, scalar: null, scalarLeft: false }, [left.id, right.id], a.map((d, i) => (d === 1 ? b[i] : d)), range);
    }
    if (left.kind === 'tensor' && scalar(right) !== null) {
      return this.tensor({ op: 'binary', operator, scalar: scalar(right), scalarLeft: false }, [left.id], this.steps[left.id].shape, range);
    }
    if (right.kind === 'tensor' && scalar(left) !== null) {
      return this.tensor({ op: 'binary', operator, scalar: scalar(left), scalarLeft: true }, [right.id], this.steps[right.id].shape, range);
    }
    const l = scalar(left);
    const r = scalar(right);
    if (l !== null && r !== null) {
      const value = operator === '+' ? l + r : operator === '-' ? l - r : operator === '*' ? l * r : l / r;
      return Number.isInteger(value) ? { kind: 'int', value } : { kind: 'float', value };
    }
    throw this.refuse(range, `${this.text(range)} on ${left.kind} and ${right.kind}`);
  }

  private tensor(op: StepOp, inputs: number[], shape: Shape, range: Range): Value {
    return { kind: 'tensor', id: this.push(op, inputs, shape, this.text(range), range).id };
  }

  private push(op: StepOp, inputs: number[], shape: Shape, text: string, range: Range): Step {
    const step: Step = { id: this.steps.length, op, inputs, shape, text, line: line(range) };
    this.steps.push(step);
    return step;
  }

  private refuse(range: Range, what: string): ForwardError {
    return new ForwardError(line(range), `forward uses ${what}, which SeqLens cannot run (\`${this.text(range)}\`). Supported: ${SUPPORTED}`);
  }

  private text(range: Range): string {
    const lines = this.input.source.split('\n');
    if (range.start.line === range.end.line) return lines[range.start.line]?.slice(range.start.column, range.end.column) ?? '';
    const parts = [lines[range.start.line].slice(range.start.column)];
    for (let l = range.start.line + 1; l < range.end.line; l++) parts.push(lines[l]);
    parts.push(lines[range.end.line].slice(0, range.end.column));
    return parts.map((p) => p.trim()).join(' ');
  }
}

function line(range: Range): number {
  return range.start.line + 1;
}

function sliceLength(size: number, start: number | null, stop: number | null): number {
  const norm = (v: number | null, fallback: number) => (v === null ? fallback : v < 0 ? Math.max(0, size + v) : Math.min(size, v));
  return Math.max(0, norm(stop, size) - norm(start, 0));
}

/** `h_n[-2:]` on a symbolic dimension keeps a known count when both ends are negative or the start is 0. */
function sliceOfSymbol(d: Dim, item: { start: number | null; stop: number | null }): Dim {
  if (item.start !== null && item.start < 0 && (item.stop === null || item.stop < 0)) return -item.start + (item.stop ?? 0);
  return d;
}
