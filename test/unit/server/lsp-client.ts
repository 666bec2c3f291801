// A minimal Language Server Protocol client for the tests: spawns the server, frames JSON-RPC messages
// over its stdio (Content-Length headers), answers the server's own requests, and lets a test wait for
// the notifications it expects. Written here rather than taken from vscode-languageclient so that the
// tests see exactly the bytes any editor would.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
/** The compiled server entry (npx tsc -p .): the same code dist/server.js bundles. */
export const SERVER_ENTRY = path.join(REPO_ROOT, 'out', 'src', 'server', 'main.js');

interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface Notification {
  method: string;
  params: any;
}

export class LspClient {
  readonly process: ChildProcessWithoutNullStreams;
  /** Every notification received, in order. */
  readonly notifications: Notification[] = [];
  /** What the server wrote to stderr (its log). */
  stderr = '';
  /** The `seqlens` section answered to workspace/configuration requests; undefined answers null. */
  settings: unknown = {};
  exitCode: number | null | undefined;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private readonly listeners: (() => void)[] = [];

  constructor(args: string[] = [SERVER_ENTRY, '--stdio'], cwd = REPO_ROOT) {
    this.process = spawn(process.execPath, args, { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.process.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    this.process.on('exit', (code) => {
      this.exitCode = code;
      for (const { reject } of this.pending.values()) reject(new Error(`the server exited (code ${code}):\n${this.stderr}`));
      this.pending.clear();
      this.changed();
    });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const length = Number(/Content-Length: (\d+)/i.exec(header)?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const body = this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8');
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.dispatch(JSON.parse(body) as Message);
    }
  }

  private dispatch(message: Message): void {
    if (message.method !== undefined && message.id !== undefined) {
      this.write({ jsonrpc: '2.0', id: message.id, result: this.answer(message.method, message.params) });
    } else if (message.method !== undefined) {
      this.notifications.push({ method: message.method, params: message.params });
      this.changed();
    } else if (typeof message.id === 'number') {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiting?.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiting?.resolve(message.result);
    }
  }

  /** The client's side of the server's requests. */
  private answer(method: string, params: any): unknown {
    if (method === 'workspace/configuration') return (params.items as unknown[]).map(() => this.settings ?? null);
    return null;
  }

  private write(message: Message): void {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    this.process.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  private changed(): void {
    for (const listener of this.listeners.splice(0)) listener();
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Resolves with the first notification after `from` (an index into `notifications`) that `accept` takes. */
  waitFor(accept: (n: Notification) => boolean, timeoutMs = 15_000, from = 0): Promise<Notification> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`timed out; notifications: ${JSON.stringify(this.notifications.map((n) => [n.method, n.params?.uri, n.params?.diagnostics?.map((d: any) => d.code)]))}\nstderr: ${this.stderr}`)), timeoutMs);
      const check = () => {
        const found = this.notifications.slice(from).find(accept);
        if (found) {
          clearTimeout(deadline);
          resolve(found);
        } else if (this.exitCode !== undefined) {
          clearTimeout(deadline);
          reject(new Error(`the server exited (code ${this.exitCode}):\n${this.stderr}`));
        } else this.listeners.push(check);
      };
      check();
    });
  }

  /** The next diagnostics published for `uri` (after notification index `from`) that `accept` takes. */
  async diagnostics(uri: string, accept: (diagnostics: any[]) => boolean = () => true, from = 0, timeoutMs?: number): Promise<any[]> {
    const n = await this.waitFor((x) => x.method === 'textDocument/publishDiagnostics' && x.params.uri === uri && accept(x.params.diagnostics), timeoutMs, from);
    return n.params.diagnostics;
  }

  async initialize(capabilities: Record<string, unknown> = {}, initializationOptions: unknown = {}, rootUri = pathToFileURL(REPO_ROOT).toString()): Promise<any> {
    const result = await this.request('initialize', {
      processId: process.pid,
      rootUri,
      capabilities: { workspace: { configuration: true }, ...capabilities },
      initializationOptions,
    });
    this.notify('initialized', {});
    return result;
  }

  open(uri: string, text: string, version = 1): void {
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version, text } });
  }

  async shutdown(): Promise<void> {
    if (this.exitCode !== undefined) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    try {
      await this.request('shutdown', null);
      this.notify('exit', null);
    } catch {
      // already gone
    }
    const timer = setTimeout(() => this.process.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
}

export function fileUri(name: string): string {
  return pathToFileURL(path.join(REPO_ROOT, 'test', 'fixtures', 'server', name)).toString();
}
