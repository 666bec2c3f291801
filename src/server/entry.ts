// dist/server.js: the language server's entry, for both of its threads. It loads the server's bundle
// (dist/server-core.js, built from main.ts) through a V8 code cache, so that a fresh server and its
// analysis thread do not parse and compile again what a previous start compiled (see code-cache.ts).
// The bundle runs as this module: its exports are this file's (`seqlens lsp` requires this file and
// calls startServer), `require.main === module` holds when this file is the program, and __filename
// is this file's, so the analysis thread it starts comes through here too.
//
// SEQLENS_CODE_CACHE_DIR names the cache's directory (the extension passes its storage); by default it
// is a per-user directory under the system's temporary directory; SEQLENS_CODE_CACHE=off turns it off.
import { join } from 'node:path';
import { isMainThread } from 'node:worker_threads';
import { startEarlyThread } from './analysis-host';
import { loadWithCodeCache } from './code-cache';
import { DEFAULT_LIMITS } from './protocol';
import { trace } from './trace';

trace('entry');

const off = process.env.SEQLENS_CODE_CACHE === 'off';
// The server as a program: its analysis thread starts now, while this thread loads the server's code.
if (isMainThread && require.main === module) startEarlyThread(__filename, DEFAULT_LIMITS);
const { state } = loadWithCodeCache({
  bundle: join(__dirname, 'server-core.js'),
  role: isMainThread ? 'server' : 'thread',
  dir: off ? null : process.env.SEQLENS_CODE_CACHE_DIR,
  module,
  require,
  filename: __filename,
});
trace(`bundle run, its code cache ${state}`);
