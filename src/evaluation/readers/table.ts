// A predictions file once read: the columns that matter, as typed arrays.
import type { FileFormat } from '../types';
import { KeyColumnBuilder, LabelColumn, LabelColumnBuilder, NumberColumnBuilder, CellSink } from './builders';
import type { ClassScoreColumn, ColumnChoice } from './columns';

export interface PredictionTable {
  path: string;
  format: FileFormat;
  rows: number;
  choice: ColumnChoice;
  yTrue: LabelColumn | null;
  yPred: LabelColumn | null;
  score: Float64Array | null;
  classScores: { column: ClassScoreColumn; values: Float64Array }[];
  logprob: Float64Array | null;
  loss: Float64Array | null;
  keys: Float64Array | null;
}

/** The builders for one file's chosen columns, keyed by column name. */
export class TableBuilder {
  readonly sinks = new Map<string, CellSink>();
  private readonly yTrue?: LabelColumnBuilder;
  private readonly yPred?: LabelColumnBuilder;
  private readonly score?: NumberColumnBuilder;
  private readonly classScores: { column: ClassScoreColumn; builder: NumberColumnBuilder }[] = [];
  private readonly logprob?: NumberColumnBuilder;
  private readonly loss?: NumberColumnBuilder;
  private readonly keys?: KeyColumnBuilder;

  constructor(readonly choice: ColumnChoice) {
    if (choice.true) this.sinks.set(choice.true, (this.yTrue = new LabelColumnBuilder('the true label')));
    if (choice.pred) this.sinks.set(choice.pred, (this.yPred = new LabelColumnBuilder('the prediction')));
    if (choice.score) this.sinks.set(choice.score, (this.score = new NumberColumnBuilder('the score')));
    for (const column of choice.classScores) {
      const builder = new NumberColumnBuilder(`the ${column.kind} of class '${column.className}'`);
      this.classScores.push({ column, builder });
      this.sinks.set(column.name, builder);
    }
    if (choice.logprob) this.sinks.set(choice.logprob, (this.logprob = new NumberColumnBuilder('the log-probability')));
    if (choice.loss) this.sinks.set(choice.loss, (this.loss = new NumberColumnBuilder('the loss')));
    if (choice.key) this.sinks.set(choice.key, (this.keys = new KeyColumnBuilder()));
  }

  /** Column lengths, for formats that store columns apart (JSON columns, NumPy). */
  lengths(): Map<string, number> {
    return new Map([...this.sinks].map(([name, sink]) => [name, sink.length]));
  }

  finish(path: string, format: FileFormat, rows: number): PredictionTable {
    return {
      path,
      format,
      rows,
      choice: this.choice,
      yTrue: this.yTrue ? this.yTrue.finish() : null,
      yPred: this.yPred ? this.yPred.finish() : null,
      score: this.score ? this.score.finish() : null,
      classScores: this.classScores.map(({ column, builder }) => ({ column, values: builder.finish() })),
      logprob: this.logprob ? this.logprob.finish() : null,
      loss: this.loss ? this.loss.finish() : null,
      keys: this.keys ? this.keys.finish() : null,
    };
  }
}
