/**
 * Bad input: the file, and where known the line, and what is wrong there.
 * The CLI prints `message` and exits 2; nothing else in the engine throws for user data.
 */
export class InputError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly cause: string,
  ) {
    super(line === null ? `${file}: ${cause}` : `${file}:${line}: ${cause}`);
    this.name = 'InputError';
  }
}

/**
 * A construct of the model's code that SeqLens does not run (random numbers in forward, an op it lacks):
 * no value given with --init changes that, so the refusal names the construct alone.
 */
export class UnsupportedConstruct extends InputError {
  constructor(file: string, line: number | null, cause: string) {
    super(file, line, cause);
    this.name = 'UnsupportedConstruct';
  }
}

/**
 * A model that cannot be built until the user gives values the file and the weights leave open
 * (constructor arguments, config fields): `names` are what `--init NAME=VALUE,...` must give. Editors
 * ask for them and run the model again.
 */
export class ValuesNeeded extends InputError {
  constructor(file: string, line: number | null, cause: string, readonly names: readonly string[]) {
    super(file, line, cause);
    this.name = 'ValuesNeeded';
  }
}

/** Thrown by a cell consumer that does not know its line; the reader adds the file and line. */
export class CellError extends Error {
  constructor(readonly cause: string) {
    super(cause);
    this.name = 'CellError';
  }
}
