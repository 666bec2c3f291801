import * as path from 'node:path';
import { runCheck } from './check';
import { runEval } from './eval';
import { CliIO, processIO, EXIT_USAGE } from './io';

const USAGE = `Usage: seqlens <command> [options]

Commands:
  check [--format text|json|sarif] PATH...   Check Python files and folders for sequence-model shape bugs.
  eval [options] FILE                         Evaluate a predictions file (run 'seqlens eval --help').
  rules                                       List every rule with its code and severity.
  explain CODE                                Print a rule's documentation.
  lsp [--stdio]                               Run the language server on stdin/stdout (for any LSP editor).
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
    case 'lsp':
      return runLanguageServer(rest);
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

/**
 * `seqlens lsp`: loads the server's own bundle (dist/server.js beside dist/cli.js, or the compiled
 * src/server/main.js) rather than bundling it into the CLI, so that its analysis thread starts from a
 * script that holds the analyzer and nothing of the evaluation engine. Resolves when the client is gone.
 */
function runLanguageServer(args: string[]): Promise<number> {
  const unknown = args.filter((arg) => arg !== '--stdio' && !arg.startsWith('--clientProcessId'));
  if (unknown.length > 0) {
    process.stderr.write(`seqlens lsp: unknown option '${unknown[0]}' (the server speaks over stdio)\n`);
    return Promise.resolve(EXIT_USAGE);
  }
  const candidates = [path.join(__dirname, 'server.js'), path.join(__dirname, '..', 'server', 'main.js')];
  const entry = candidates.find((candidate) => {
    try {
      require.resolve(candidate);
      return true;
    } catch {
      return false;
    }
  });
  if (!entry) {
    process.stderr.write(`seqlens lsp: the server is missing (looked for ${candidates.join(', ')}); run npm run build\n`);
    return Promise.resolve(EXIT_USAGE);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const server = require(entry) as typeof import('../server/main');
  server.startServer(['--stdio']);
  return new Promise(() => undefined);
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
