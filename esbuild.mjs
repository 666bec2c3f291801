// Bundles the extension host entry, the CLI, the language server and the programmatic API into dist/,
// and copies the tree-sitter wasm files next to them: they are loaded at run time, never inlined.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const outdir = 'dist';

// web-tree-sitter's ESM entry calls createRequire(import.meta.url), which breaks inside a CJS bundle:
// resolve the package to its CJS build instead.
const webTreeSitterCjs = {
  name: 'web-tree-sitter-cjs',
  setup(build) {
    build.onResolve({ filter: /^web-tree-sitter$/ }, () => ({ path: require.resolve('web-tree-sitter') }));
  },
};

const nodeCommon = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  plugins: [webTreeSitterCjs],
  // vscode is provided by the host; tfjs-node is optional and loaded lazily when present.
  external: ['vscode', '@tensorflow/tfjs-node'],
};

const builds = [
  { ...nodeCommon, entryPoints: { cli: 'src/cli/main.ts' }, outdir, banner: { js: '#!/usr/bin/env node' } },
  { ...nodeCommon, entryPoints: { api: 'src/api.ts' }, outdir },
  // The language server (`seqlens lsp` loads it by path; the extension starts it as a process). It is also its
  // own analysis thread's script, so it must hold the analyzer and never the evaluation engine.
  // Both of its threads read and compile the whole file before anything starts: without whitespace and
  // with shorter syntax it is 30% smaller, and loads faster. Names stay (stack traces in its log name
  // the functions), and the source map still points into the sources.
  { ...nodeCommon, entryPoints: { 'server-core': 'src/server/main.ts' }, outdir, minifyWhitespace: true, minifySyntax: true },
  // Its entry (what the extension starts and `seqlens lsp` loads), for both threads: loads server-core.js
  // through a V8 code cache (src/server/code-cache.ts).
  { ...nodeCommon, entryPoints: { server: 'src/server/entry.ts' }, outdir },
  // The model runner's child process (forked by src/evaluation/models/worker-client.ts), loaded by path at run time.
  { ...nodeCommon, entryPoints: { 'model-worker': 'src/evaluation/models/worker.ts' }, outdir },
];
if (existsSync('src/extension/main.ts')) {
  builds.push({ ...nodeCommon, entryPoints: { extension: 'src/extension/main.ts' }, outdir });
  // The language client library, required by the extension only when it starts the server.
  builds.push({ ...nodeCommon, entryPoints: { 'language-client': 'src/extension/language-client.ts' }, outdir });
}
// The evaluation panel's webview script and styles (media/src/panel.ts imports its CSS): one file each,
// loaded by the webview from media/dist under a nonce-only Content-Security-Policy.
builds.push({
  entryPoints: { panel: 'media/src/panel.ts' },
  outdir: 'media/dist',
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'chrome120',
  minify: production,
  logLevel: 'warning',
});

function copyRuntimeFiles() {
  mkdirSync(outdir, { recursive: true });
  for (const file of [
    require.resolve('web-tree-sitter/tree-sitter.wasm'),
    require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
    // TensorFlow.js' WebAssembly backend loads these at run time (setWasmPaths points next to the bundle).
    require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'),
    require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm'),
    require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm'),
  ]) copyFileSync(file, join(outdir, basename(file)));
  // The HDF5 reader for Keras .h5/.keras models: its self-contained build, loaded beside the bundle.
  // (h5wasm's exports map hides its files from require.resolve, so it is found by path.)
  copyFileSync(join('node_modules', 'h5wasm', 'dist', 'iife', 'h5wasm.js'), join(outdir, 'h5wasm.js'));
}

copyRuntimeFiles();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
