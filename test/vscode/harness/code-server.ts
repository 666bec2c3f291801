// Starts code-server 4.100.3 (VS Code 1.100.3's workbench and extension host) headless, as
// test/vscode/install-code-server.sh installed it, and stops it with its whole process group.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_DIR = process.env.SEQLENS_CODE_SERVER_DIR ?? path.join(os.homedir(), '.cache', 'seqlens-code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');

/** Settings that keep a test workbench quiet: no trust prompt, no welcome page, no update checks. */
export const QUIET_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.tips.enabled': false,
  'git.enabled': false,
  'editor.hover.delay': 300,
};

export interface CodeServerDirs {
  userDataDir: string;
  extensionsDir: string;
  /** code-server writes under XDG folders even for --version. */
  xdgDir: string;
}

export function makeDirs(root: string, settings: Record<string, unknown>): CodeServerDirs {
  const dirs = { userDataDir: path.join(root, 'user-data'), extensionsDir: path.join(root, 'extensions'), xdgDir: path.join(root, 'xdg') };
  mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  mkdirSync(dirs.extensionsDir, { recursive: true });
  mkdirSync(dirs.xdgDir, { recursive: true });
  writeFileSync(path.join(dirs.userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2));
  return dirs;
}

function requireInstalled(): void {
  if (!existsSync(CODE_SERVER_BIN)) {
    throw new Error(`code-server is not installed at ${CODE_SERVER_BIN}; run test/vscode/install-code-server.sh first`);
  }
}

function xdgEnv(dirs: CodeServerDirs): NodeJS.ProcessEnv {
  return { XDG_CONFIG_HOME: path.join(dirs.xdgDir, 'config'), XDG_DATA_HOME: path.join(dirs.xdgDir, 'data') };
}

/** Installs a packaged extension the way a user would: `code-server --install-extension x.vsix`. */
export function installVsix(vsix: string, dirs: CodeServerDirs): string {
  requireInstalled();
  const result = spawnSync(CODE_SERVER_BIN, ['--extensions-dir', dirs.extensionsDir, '--user-data-dir', dirs.userDataDir, '--install-extension', vsix], {
    env: { ...process.env, ...xdgEnv(dirs) },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningCodeServer {
  port: number;
  origin: string;
  /** Everything code-server printed, for diagnosing a failed start. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  folder?: string;
  env?: NodeJS.ProcessEnv;
  /** Keep workspace trust on (for Restricted Mode tests); by default it is disabled outright. */
  workspaceTrust?: boolean;
}

export async function startCodeServer(dirs: CodeServerDirs, options: StartOptions = {}): Promise<RunningCodeServer> {
  requireInstalled();
  const port = await freePort();
  const args = [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--user-data-dir', dirs.userDataDir,
    '--extensions-dir', dirs.extensionsDir,
  ];
  if (!options.workspaceTrust) args.push('--disable-workspace-trust');
  if (options.folder) args.push(options.folder);
  // Detached: its own process group, so that stop() also ends the extension host it keeps alive.
  const child: ChildProcess = spawn(CODE_SERVER_BIN, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...xdgEnv(dirs), ...options.env },
  });
  let output = '';
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`code-server did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('HTTP server listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited with ${code} before listening:\n${output}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await listening;

  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.pid === undefined) return;
      const signalGroup = (signal: NodeJS.Signals) => {
        try {
          process.kill(-child.pid!, signal);
        } catch {
          // The group is already gone.
        }
      };
      signalGroup('SIGTERM');
      const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5_000))]);
      if (!killed) signalGroup('SIGKILL');
      // Extension hosts forked by the server share its group; make sure none outlives the run.
      signalGroup('SIGKILL');
    },
  };
}
