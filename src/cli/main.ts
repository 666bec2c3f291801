import { runCheck } from './check';
import { runEval } from './eval';
import { CliIO, processIO, EXIT_USAGE } from './io';

const USAGE = `Usage: seqlens <command> [options]

Commands:
  check [--format text|json|sarif] PATH...   Check Python files and folders for sequence-model shape bugs.
  eval [options] FILE                         Evaluate a predictions file (run 'seqlens eval --help').
  rules                                       List every rule with its code and severity.
  explain CODE                                Print a rule's documentation.
`;

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest, io);
    case 'eval':
      return runEval(rest, io);
    case 'rules':
    case 'explain':
      return runCheck([`--${command}`, ...rest], io);
    case '-h':
    case '--help':
    case 'help':
      io.out(USAGE);
      return 0;
    default:
      io.err(command ? `seqlens: unknown command '${command}'\n\n${USAGE}` : USAGE);
      return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      process.stderr.write(`seqlens: internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 3;
    },
  );
}
