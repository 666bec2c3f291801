// The language server's entry (dist/server.js; `seqlens lsp` loads it too). On the main thread it
// speaks the protocol over stdio (or Node IPC when started with --node-ipc); started as a worker
// thread by itself, it is the analysis thread.
import { isMainThread, workerData } from 'node:worker_threads';
import { createConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { WORKER_ROLE } from './analysis-host';
import { runAnalysisWorker } from './analysis-worker';
import { SeqLensServer } from './server';

export function startServer(argv: readonly string[] = process.argv.slice(2)): SeqLensServer {
  // The protocol owns stdout: anything logged goes to stderr, which clients show as the server's log.
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.warn = toStderr;
  console.debug = toStderr;
  const connection = argv.includes('--node-ipc')
    ? createConnection()
    : createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  const server = new SeqLensServer(connection, { workerScript: __filename, log: (message) => process.stderr.write(`[seqlens] ${message}\n`) });
  connection.listen();
  return server;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  runAnalysisWorker(undefined, (workerData as { thread?: number }).thread);
} else if (require.main === module) startServer();
