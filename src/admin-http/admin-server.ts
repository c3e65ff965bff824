// The HTTP admin port: liveness, readiness, Prometheus metrics and the jobs list. It listens on
// loopback unless the operator asks otherwise, and serves nothing that changes
// state, so it needs no authentication of its own.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logging/logger.js';

export interface AdminServerOptions {
  readonly host: string;
  readonly port: number;
  readonly logger: Logger;
  /** Prometheus text exposition of every metric. */
  metrics(): string;
  /** Resolves when the warehouse is reachable and its commit logs readable; rejects with the reason otherwise. */
  ready(): Promise<void>;
  /** False once shutdown began: /readyz then fails so load balancers drain the server. */
  accepting(): boolean;
  /** BACKUP and RESTORE jobs, newest first, for /jobs (`ducksafe jobs` follows them). */
  jobs(): readonly unknown[];
}

const READY_TIMEOUT_MS = 5_000;

export class AdminServer {
  private readonly server: http.Server;

  constructor(private readonly options: AdminServerOptions) {
    this.server = http.createServer((req, res) => {
      this.handle(req, res).catch((err: unknown) => {
        options.logger.warn({ err }, 'admin request failed');
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('internal error\n');
      });
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return (this.server.address() as AddressInfo).port;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://admin');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    switch (url.pathname) {
      case '/healthz':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
        return;
      case '/readyz': {
        if (!this.options.accepting()) {
          res.writeHead(503, { 'content-type': 'text/plain' }).end('shutting down\n');
          return;
        }
        try {
          await withTimeout(this.options.ready(), READY_TIMEOUT_MS);
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ready\n');
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          res.writeHead(503, { 'content-type': 'text/plain' }).end(`not ready: ${reason}\n`);
        }
        return;
      }
      case '/jobs':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jobs: this.options.jobs() }));
        return;
      case '/metrics':
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(this.options.metrics());
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz, /readyz, /metrics or /jobs\n');
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
