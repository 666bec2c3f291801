// Why an execution stopped: a construct or op SeqLens does not run (refused, by name), or what
// PyTorch itself would raise on these values (a shape that does not fit). Both carry the line.
export class ExecError extends Error {
  constructor(
    /** 1-based line in the model's file, or null when no line applies. */
    readonly line: number | null,
    message: string,
    /** True when SeqLens does not run the construct; false when the model itself fails on these inputs. */
    readonly refused: boolean,
  ) {
    super(message);
    this.name = 'ExecError';
  }
}

/** Where an op is being called: its line and text, for messages. */
export interface CallSite {
  line: number;
  text: string;
  /** The workspace file the site is in, when it is not the model's own file (an imported class). */
  file?: string;
}

/** An error at a site: in another file, that file and line lead the message (the line field is the model file's). */
function at(site: CallSite, message: string, refused: boolean): ExecError {
  return site.file ? new ExecError(null, `${site.file}:${site.line}: ${message}`, refused) : new ExecError(site.line, message, refused);
}

export function refuse(site: CallSite, what: string): ExecError {
  return at(site, `${what} is not something SeqLens runs (\`${site.text}\`)`, true);
}

export function fail(site: CallSite, message: string): ExecError {
  return at(site, `\`${site.text}\`: ${message}`, false);
}

/**
 * Raised when a batch_first=False recurrent layer is fed the input batch-major: the model reads its
 * input time-major, so the run starts again with the batch transposed.
 */
export class TimeMajorInput extends Error {
  constructor() {
    super('the model reads its input time-major');
  }
}
