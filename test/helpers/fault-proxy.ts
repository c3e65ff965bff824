// A loopback HTTP proxy in front of an S3 server that injects failures: answer 503 (an
// S3 error body), drop the connection before answering, never answer, or cut a response
// body short.
// Requests pass through byte for byte, Host header included, so SigV4 signatures made for
// the proxy's address still verify upstream.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAULTS = ['status-503', 'slow-down', 'drop', 'hang', 'truncate-body'] as const;
export type Fault = (typeof FAULTS)[number];

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /** Requests seen since start, faulted or not. */
  readonly requests: number;
  /** Requests answered with a fault since start. */
  readonly faulted: number;
  /** After `after` more requests pass untouched, the next `count` get `fault` (Infinity: until heal()). */
  inject(fault: Fault, count: number, after?: number): void;
  heal(): void;
  close(): Promise<void>;
}

function s3Error(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let requests = 0;
  let faulted = 0;
  let fault: Fault | undefined;
  let remaining = 0;
  let passBefore = 0;

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, truncate: boolean): void => {
    const out = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (upstreamRes) => {
        res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
        if (!truncate) {
          upstreamRes.pipe(res);
          return;
        }
        // Send about half of the body under the full Content-Length, then cut the socket.
        const length = Number(upstreamRes.headers['content-length'] ?? 0);
        let sent = 0;
        upstreamRes.on('data', (chunk: Buffer) => {
          if (sent >= length / 2) return;
          const piece = chunk.subarray(0, Math.max(1, Math.floor(length / 2) - sent));
          sent += piece.length;
          res.write(piece);
          if (sent >= length / 2) {
            upstreamRes.destroy();
            res.socket?.destroy();
          }
        });
        upstreamRes.on('end', () => res.socket?.destroy());
      },
    );
    out.on('error', () => res.socket?.destroy());
    req.pipe(out);
  };

  const server = http.createServer((req, res) => {
    requests += 1;
    const now = passBefore > 0 ? undefined : remaining > 0 ? fault : undefined;
    if (passBefore > 0) passBefore -= 1;
    if (now !== undefined) {
      remaining -= 1;
      faulted += 1;
    }
    switch (now) {
      case undefined:
        forward(req, res, false);
        return;
      case 'truncate-body':
        forward(req, res, true);
        return;
      case 'drop':
        req.socket.destroy();
        return;
      case 'hang':
        // Read the request and never answer: the client's idle timeout has to end it.
        req.resume();
        return;
      case 'status-503':
      case 'slow-down': {
        // Read the request body first, as a real server would, so the client sees the answer.
        req.resume();
        req.on('end', () => {
          const body = now === 'slow-down' ? s3Error('SlowDown', 'Please reduce your request rate.') : s3Error('ServiceUnavailable', '');
          res.writeHead(503, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
          res.end(req.method === 'HEAD' ? undefined : body);
        });
        return;
      }
    }
  });
  // Keep-alive sockets from the SDK would otherwise hold close() open.
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get requests() {
      return requests;
    },
    get faulted() {
      return faulted;
    },
    inject(next: Fault, count: number, after = 0) {
      fault = next;
      remaining = count;
      passBefore = after;
    },
    heal() {
      fault = undefined;
      remaining = 0;
      passBefore = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
