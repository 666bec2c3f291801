import { CliIO, EXIT_USAGE } from './io';

export async function runEval(_argv: string[], io: CliIO): Promise<number> {
  io.err('seqlens eval: the evaluation engine is not built yet\n');
  return EXIT_USAGE;
}
