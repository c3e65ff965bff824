// The TCP listener: accepts connections, gives each an id, enforces the
// connection limit, and closes everything on shutdown.
import net from 'node:net';
import type { Logger } from '../logging/logger.js';
import { ERRORS } from '../errors/registry.js';
import { PacketBatch, writeErr, CapabilityFlags } from '../protocol/index.js';
import { Connection, type StatementReport } from './connection.js';
import type { QueryHandler } from './query-handler.js';

export interface ListenerOptions {
  readonly host: string;
  readonly port: number;
  readonly maxConnections: number;
  readonly maxAllowedPacket: number;
  readonly serverVersion: string;
  readonly logger: Logger;
  readonly onStatement?: (report: StatementReport) => void;
  /** Counts accepted connections. */
  readonly onConnection?: () => void;
}

export class Listener {
  private readonly server: net.Server;
  private readonly connections = new Map<number, Connection>();
  private readonly running = new Set<Promise<void>>();
  private nextId = 1;
  private queryIds = 1;

  constructor(
    private readonly handler: QueryHandler,
    private readonly options: ListenerOptions,
  ) {
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => options.logger.error({ err }, 'listener error'));
  }

  private accept(socket: net.Socket): void {
    const id = this.nextId++;
    if (this.connections.size >= this.options.maxConnections) {
      const e = ERRORS.ER_CON_COUNT_ERROR;
      const batch = new PacketBatch({ sequenceId: 0, initialCapacity: 64 });
      batch.add(writeErr, { errno: e.errno, sqlState: e.sqlState, message: 'Too many connections' }, CapabilityFlags.CLIENT_PROTOCOL_41);
      socket.end(batch.take());
      this.options.logger.warn({ conn: id }, 'refused a connection: too many connections');
      return;
    }
    const conn = new Connection(socket, id, this.handler, {
      serverVersion: this.options.serverVersion,
      maxAllowedPacket: this.options.maxAllowedPacket,
      logger: this.options.logger,
      nextQueryId: () => this.queryIds++,
      ...(this.options.onStatement === undefined ? {} : { onStatement: this.options.onStatement }),
    });
    this.options.onConnection?.();
    this.connections.set(id, conn);
    const done = conn
      .run()
      .catch((err: unknown) => this.options.logger.error({ err, conn: id }, 'connection crashed'))
      .finally(() => {
        this.connections.delete(id);
        this.running.delete(done);
      });
    this.running.add(done);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('listener has no TCP address');
    return address.port;
  }

  get openConnections(): number {
    return this.connections.size;
  }

  /**
   * Stops accepting, ends idle connections, lets running statements finish for
   * up to `graceMs`, then stops the rest (their clients get 1053) and waits for
   * every session to end.
   */
  async close(graceMs = 0): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const c of this.connections.values()) c.beginShutdown();
    if (this.running.size > 0 && graceMs > 0) {
      let timer: NodeJS.Timeout | undefined;
      const waited = await Promise.race([
        Promise.allSettled([...this.running]).then(() => true),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(false), graceMs);
        }),
      ]);
      clearTimeout(timer);
      if (!waited) this.options.logger.warn({ connections: this.connections.size, graceMs }, 'grace period over: stopping the statements still running');
    }
    for (const c of this.connections.values()) c.interruptForShutdown();
    await Promise.allSettled([...this.running]);
    await stopped;
  }
}
