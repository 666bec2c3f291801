// The server's bundle is loaded through a V8 code cache (src/server/code-cache.ts): a cache that is
// missing, cut short, corrupt, made by another runtime or for another build must be ignored and written
// again, and never make the load fail.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { cacheDirectory, readCache, removeStaleRuntimes, runtimeKey, writeCache } from '../../../src/server/code-cache';

const CODE_CACHE = path.join(__dirname, '..', '..', '..', 'src', 'server', 'code-cache.js');

describe('Code cache of the server bundle', () => {
  let dir: string;
  let bundle: string;
  let cacheBase: string;

  /** A bundle with enough functions for V8 to cache, one of them compiled only when called. */
  function writeBundle(marker: string): void {
    const functions = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${JSON.stringify(marker)}.length; }`).join('\n');
    writeFileSync(bundle, `${functions}\nexports.marker = ${JSON.stringify(marker)};\nexports.sum = (n) => { let s = 0; for (let i = 0; i < 200; i++) s += eval('f' + i)(n); return s; };\nexports.same = require.main === module;\nexports.file = __filename;\n`);
  }

  /**
   * Loads the bundle in a fresh Node (V8 keeps what it compiled in a process, so a second load in the same
   * process would not read the cache at all), calls one of its functions, and writes the cache when asked.
   */
  function load(role = 'thread', base: string | null = cacheBase, save = true): { load: { state: string; file?: string; saved: boolean; wanted: boolean; savedAgain: boolean }; exports: Record<string, unknown> } {
    const script = `
      const cache = require(${JSON.stringify(CODE_CACHE)});
      const module = { exports: {} };
      const load = cache.loadWithCodeCache({ bundle: ${JSON.stringify(bundle)}, role: ${JSON.stringify(role)}, dir: ${JSON.stringify(base)}, module, require, filename: ${JSON.stringify(path.join(dir, 'entry.js'))} });
      module.exports.sum(2);
      const wanted = cache.codeCacheWanted();
      const saved = ${save} ? cache.saveCodeCache() : false;
      const savedAgain = ${save} ? load.save() : false;
      process.stdout.write(JSON.stringify({ load: { state: load.state, file: load.file, saved, wanted, savedAgain }, exports: { marker: module.exports.marker, file: module.exports.file } }));`;
    const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    return JSON.parse(run.stdout);
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'seqlens-code-cache-test-'));
    bundle = path.join(dir, 'bundle.js');
    cacheBase = path.join(dir, 'cache');
    writeBundle('one');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the bundle as the given module, writes its cache once, and a fresh process accepts it', () => {
    const first = load();
    assert.equal(first.exports.marker, 'one');
    assert.equal(first.exports.file, path.join(dir, 'entry.js'));
    assert.equal(first.load.state, 'missing');
    assert.equal(first.load.wanted, true);
    assert.equal(first.load.saved, true);
    assert.equal(first.load.savedAgain, false, 'written once');
    assert.ok(first.load.file && first.load.file.startsWith(cacheDirectory(cacheBase)));
    const second = load();
    assert.equal(second.load.state, 'accepted');
    assert.equal(second.exports.marker, 'one');
    assert.equal(second.load.wanted, false);
    assert.equal(second.load.saved, false, 'an accepted cache is not written again');
  });

  it('keys the directory on the runtime', () => {
    assert.ok(cacheDirectory(cacheBase).includes(process.version.replace(/[^A-Za-z0-9._-]/g, '_')));
    assert.ok(runtimeKey().includes(process.versions.v8));
    assert.ok(runtimeKey().includes(process.arch));
  });

  it('ignores a corrupt cache, loads the bundle and writes the cache again', () => {
    const file = load().load.file!;
    const data = readFileSync(file);
    // One flipped byte in V8's data: the digest no longer matches, V8 never sees it.
    data[data.length - 100] ^= 0xff;
    writeFileSync(file, data);
    assert.equal(readCache(file), 'corrupt');
    const second = load();
    assert.equal(second.load.state, 'corrupt');
    assert.equal(second.exports.marker, 'one');
    assert.equal(second.load.saved, true);
    assert.equal(load().load.state, 'accepted');
  });

  it('ignores a cache cut short or holding garbage', () => {
    const file = load().load.file!;
    writeFileSync(file, readFileSync(file).subarray(0, 20));
    assert.equal(load('thread', cacheBase, false).load.state, 'corrupt');
    writeFileSync(file, 'not a cache at all');
    const garbage = load();
    assert.equal(garbage.load.state, 'corrupt');
    assert.equal(garbage.exports.marker, 'one');
  });

  it('lets V8 reject data made by another V8 (with an intact digest), and writes it again', () => {
    const file = load().load.file!;
    // As if another runtime had written this file: V8's own header no longer matches this V8.
    const foreign = Buffer.from(readCache(file) as Buffer);
    for (let i = 0; i < 16 && i < foreign.length; i++) foreign[i] ^= 0x5a;
    writeCache(file, foreign);
    const second = load();
    assert.equal(second.load.state, 'rejected');
    assert.equal(second.exports.marker, 'one');
    assert.equal(second.load.saved, true);
    assert.equal(load().load.state, 'accepted');
  });

  it('does not read the cache of another build of the bundle, and removes it when writing its own', () => {
    const first = load();
    writeBundle('two');
    const second = load();
    assert.equal(second.load.state, 'missing');
    assert.equal(second.exports.marker, 'two');
    assert.notEqual(second.load.file, first.load.file);
    assert.deepEqual(readdirSync(path.dirname(second.load.file!)), [path.basename(second.load.file!)]);
  });

  it('keeps one cache per role', () => {
    load('thread');
    assert.equal(load('server').load.state, 'missing');
    assert.equal(load('thread').load.state, 'accepted');
    assert.equal(load('server').load.state, 'accepted');
  });

  it('loads without a cache when caching is off or its directory cannot be used', () => {
    const off = load('thread', null);
    assert.equal(off.load.state, 'off');
    assert.equal(off.exports.marker, 'one');
    assert.equal(off.load.saved, false);
    // A file where the directory should be.
    const blocked = path.join(dir, 'blocked');
    writeFileSync(blocked, '');
    const unusable = load('thread', blocked);
    assert.equal(unusable.load.state, 'off');
    assert.equal(unusable.exports.marker, 'one');
    assert.equal(unusable.load.saved, false);
  });

  it('removes the caches of other runtimes unused for 30 days, and nothing else', () => {
    const mine = cacheDirectory(cacheBase);
    mkdirSync(mine, { recursive: true });
    const base = path.dirname(mine);
    const old = path.join(base, 'node-v18.0.0-v8-10.1-x64');
    const recent = path.join(base, 'node-v19.0.0-v8-10.7-x64');
    const unrelated = path.join(base, 'notes');
    for (const d of [old, recent, unrelated]) mkdirSync(d);
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    utimesSync(old, longAgo, longAgo);
    utimesSync(unrelated, longAgo, longAgo);
    utimesSync(mine, longAgo, longAgo);
    removeStaleRuntimes(mine);
    assert.equal(existsSync(old), false);
    assert.equal(existsSync(recent), true);
    assert.equal(existsSync(unrelated), true);
    assert.equal(existsSync(mine), true);
  });
});
