// A client that misbehaves at the byte level loses only its own connection.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { removeDir, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;

const MAX_PACKET = 65536;

beforeAll(async () => {
  server = await startServer({ args: ['--max-allowed-packet', String(MAX_PACKET)] });
});

afterAll(async () => {
  await server?.stop();
  if (server !== undefined) await removeDir(server.warehouse);
});

/** Connects a raw socket, waits for the handshake, sends bytes, and collects what comes back until close. */
async function rawExchange(send: (socket: net.Socket, handshake: Buffer) => void): Promise<{ received: Buffer; closed: boolean }> {
  const socket = net.connect(server.port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let handshakeSeen = false;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ received: Buffer.concat(chunks), closed: false });
    }, 3000);
    socket.on('data', (d: Buffer) => {
      if (!handshakeSeen) {
        handshakeSeen = true;
        send(socket, d);
        return;
      }
      chunks.push(d);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ received: Buffer.concat(chunks), closed: true });
    });
    socket.on('error', () => undefined);
  });
}

async function stillServes(): Promise<void> {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
  const [rows] = await c.query<RowDataPacket[]>('SELECT 6 * 7 AS answer');
  expect(rows[0]?.answer).toBe(42);
  await c.end();
}

describe('garbage on the wire', () => {
  it('closes a connection that sends a malformed handshake response, with an error packet', async () => {
    const { received, closed } = await rawExchange((s) => {
      // A packet header announcing 5 bytes, then bytes that are no handshake response.
      s.write(Buffer.from([5, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef, 0x00]));
    });
    expect(closed).toBe(true);
    // ERR packet: header (4 bytes), 0xFF marker.
    expect(received[4]).toBe(0xff);
    await stillServes();
  });

  it('refuses a packet larger than max_allowed_packet before reading it', async () => {
    const { closed, received } = await rawExchange((s) => {
      // A header announcing 1 MiB, over the server's 64 KiB limit.
      s.write(Buffer.from([0x00, 0x00, 0x10, 1]));
      s.write(Buffer.alloc(1024, 0x41));
    });
    expect(closed).toBe(true);
    // The log line travels through a pipe and may land just after the close.
    const logged = (): boolean => server.logs.some((l) => l.msg === 'protocol error; closing the connection' && l.kind === 'packet-too-large');
    for (let i = 0; i < 50 && !logged(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(logged()).toBe(true);
    // ERR 1153 ER_NET_PACKET_TOO_LARGE.
    expect(received[4]).toBe(0xff);
    expect(received.readUInt16LE(5)).toBe(1153);
    await stillServes();
  });

  it('survives random bytes and abrupt disconnects', async () => {
    for (let i = 0; i < 20; i++) {
      await rawExchange((s, hello) => {
        const junk = Buffer.alloc(64 + i * 13);
        for (let j = 0; j < junk.length; j++) junk[j] = (hello[j % hello.length] ?? 0) ^ ((j * 31 + i) & 0xff);
        s.write(junk);
        if (i % 2 === 0) s.destroy();
      });
    }
    await stillServes();
  });

  it('answers an empty query with 1065 and keeps the connection', async () => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    await expect(c.query('')).rejects.toMatchObject({ errno: 1065 });
    const [rows] = await c.query<RowDataPacket[]>('SELECT 1 AS x');
    expect(rows[0]?.x).toBe(1);
    await c.end();
  });
});
