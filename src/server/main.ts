// The language server's code (dist/server-core.js, loaded by dist/server.js: see entry.ts; `seqlens lsp` loads it too). On the main thread it
// speaks the protocol over stdio (or Node IPC when started with --node-ipc); started as a worker
// thread by itself, it is the analysis thread.
//
// Each role loads only its own modules (the `require`s below run when that role starts), and the
// main thread starts the analysis thread before it loads the protocol library, so that the thread's
// start-up (its isolate, this bundle, the parser) overlaps the server's own and the client's initialize.
import { isMainThread, workerData } from 'node:worker_threads';
import { AnalysisHost, WORKER_ROLE } from './analysis-host';
import { DEFAULT_LIMITS } from './protocol';
import type { SeqLensServer } from './server';
import { trace } from './trace';

trace('bundle loaded');

export function startServer(argv: readonly string[] = process.argv.slice(2)): SeqLensServer {
  // The protocol owns stdout: anything logged goes to stderr, which clients show as the server's log.
  const toStderr = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(' ')}\n`);
  console.log = toStderr;
  console.info = toStderr;
  console.warn = toStderr;
  console.debug = toStderr;
  const log = (message: string) => process.stderr.write(`[seqlens] ${message}\n`);
  // With the default limits: initialize replaces this thread if the client asks for another memory limit.
  const host = new AnalysisHost(__filename, DEFAULT_LIMITS, log);
  host.prestart(false);
  trace('analysis thread started');
  const { createConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver/node') as typeof import('vscode-languageserver/node');
  const { SeqLensServer } = require('./server') as typeof import('./server');
  const connection = argv.includes('--node-ipc')
    ? createConnection()
    : createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  const server = new SeqLensServer(connection, { workerScript: __filename, log, host });
  connection.listen();
  trace('listening');
  return server;
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === WORKER_ROLE) {
  (require('./analysis-worker') as typeof import('./analysis-worker')).runAnalysisWorker(undefined, (workerData as { thread?: number }).thread);
} else if (require.main === module) startServer();
