import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import {
  PacketDecoder,
  cachingSha2PasswordToken,
  cachingSha2Verifier,
  encryptRsaPassword,
  nativePasswordHash,
  nativePasswordToken,
  type DecodedPayload,
} from '../protocol/index.js';
import { authenticate, type AuthRequest, type RsaKeys } from './authentication.js';
import { FastAuthCache } from './fast-auth-cache.js';
import type { AuthRecord } from './query-handler.js';

const scramble = Buffer.from('abcdefghijklmnopqrst');
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsa: RsaKeys = { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };

/** A scripted client: answers each server packet with the next reply (a function of what it got). */
class FakeClient {
  readonly received: Buffer[] = [];
  private readonly decoder = new PacketDecoder();
  private seq: number;

  constructor(
    private readonly replies: ((fromServer: Buffer) => Buffer | null)[],
    startSeq: number,
  ) {
    this.seq = startSeq;
  }

  readonly io = {
    write: async (bytes: Buffer): Promise<void> => {
      for (const p of this.decoder.push(bytes)) {
        expect(p.sequenceId).toBe(this.seq);
        this.seq = p.nextSequenceId;
        this.received.push(p.payload);
      }
      await Promise.resolve();
    },
    next: async (): Promise<DecodedPayload | null> => {
      await Promise.resolve();
      const reply = this.replies.shift();
      const payload = reply?.(this.received.at(-1) ?? Buffer.alloc(0)) ?? null;
      if (payload === null) return null;
      const decoded = { sequenceId: this.seq, nextSequenceId: (this.seq + 1) & 0xff, payload };
      this.seq = decoded.nextSequenceId;
      return decoded;
    },
  };
}

function request(overrides: Partial<AuthRequest>): AuthRequest {
  return { username: 'u', clientPlugin: 'mysql_native_password', authResponse: Buffer.alloc(0), pluginAuth: true, scramble, secure: false, sequenceId: 2, ...overrides };
}

const native = (password: string): AuthRecord => ({ user: 'u', plugin: 'mysql_native_password', nativeHash: nativePasswordHash(password) });
const sha2 = (password: string): AuthRecord => ({ user: 'u', plugin: 'caching_sha2_password', sha2Verifier: cachingSha2Verifier(password) });

describe('authenticate', () => {
  it('accepts mysql_native_password directly and rejects a wrong password', async () => {
    const good = new FakeClient([], 2);
    const ok = await authenticate(good.io, { rsa, cache: new FastAuthCache() }, request({ authResponse: nativePasswordToken('pw', scramble) }), native('pw'));
    expect(ok).toEqual({ kind: 'ok', plugin: 'mysql_native_password', path: 'native', sequenceId: 2 });
    expect(good.received).toEqual([]);
    const bad = await authenticate(good.io, { rsa, cache: new FastAuthCache() }, request({ authResponse: nativePasswordToken('nope', scramble) }), native('pw'));
    expect(bad).toMatchObject({ kind: 'denied', passwordUsed: true });
  });

  it('switches a caching_sha2 client to a native account', async () => {
    const client = new FakeClient([() => nativePasswordToken('pw', scramble)], 2);
    const outcome = await authenticate(
      client.io,
      { rsa, cache: new FastAuthCache() },
      request({ clientPlugin: 'caching_sha2_password', authResponse: cachingSha2PasswordToken('pw', scramble) }),
      native('pw'),
    );
    expect(outcome).toEqual({ kind: 'ok', plugin: 'mysql_native_password', path: 'native', sequenceId: 4 });
    expect(client.received[0]?.subarray(0, 23).toString('latin1')).toBe('\xfemysql_native_password\0');
  });

  it('refuses a caching_sha2 account to a client that cannot switch plugins', async () => {
    const client = new FakeClient([], 2);
    const outcome = await authenticate(client.io, { rsa, cache: new FastAuthCache() }, request({ clientPlugin: null, pluginAuth: false, authResponse: nativePasswordToken('pw', scramble) }), sha2('pw'));
    expect(outcome).toMatchObject({ kind: 'denied', plugin: 'caching_sha2_password' });
    expect(client.received).toEqual([]);
  });

  it('runs full authentication over RSA on a plain connection, then the fast path', async () => {
    const cache = new FastAuthCache();
    const account = sha2('pässword');
    const token = (): Buffer => cachingSha2PasswordToken('pässword', scramble);
    const first = new FakeClient([token, () => Buffer.of(2), (pem) => encryptRsaPassword('pässword', scramble, pem.subarray(1).toString())], 2);
    expect(await authenticate(first.io, { rsa, cache }, request({}), account)).toEqual({ kind: 'ok', plugin: 'caching_sha2_password', path: 'full-rsa', sequenceId: 8 });
    expect(first.received.map((p) => p.subarray(0, 2).toString('hex'))).toEqual(['fe63', '0104', '012d']);
    expect(first.received[2]?.subarray(1).toString()).toBe(rsa.publicKeyPem);

    const second = new FakeClient([], 2);
    expect(await authenticate(second.io, { rsa, cache }, request({ clientPlugin: 'caching_sha2_password', authResponse: token() }), account)).toEqual({
      kind: 'ok',
      plugin: 'caching_sha2_password',
      path: 'fast',
      sequenceId: 3,
    });
    expect(second.received).toEqual([Buffer.of(1, 3)]);
  });

  it('takes the cleartext password over TLS', async () => {
    const client = new FakeClient([() => Buffer.from('pw\0')], 2);
    const outcome = await authenticate(
      client.io,
      { rsa, cache: new FastAuthCache() },
      request({ clientPlugin: 'caching_sha2_password', authResponse: cachingSha2PasswordToken('pw', scramble), secure: true }),
      sha2('pw'),
    );
    expect(outcome).toEqual({ kind: 'ok', plugin: 'caching_sha2_password', path: 'full-tls', sequenceId: 4 });
  });

  it('sends a wrong password (even a cached account’s) to full authentication, which denies it', async () => {
    const cache = new FastAuthCache();
    const account = sha2('right');
    const warm = new FakeClient([() => Buffer.from('right\0')], 2);
    await authenticate(warm.io, { rsa, cache }, request({ clientPlugin: 'caching_sha2_password', authResponse: cachingSha2PasswordToken('right', scramble), secure: true }), account);
    const tls = new FakeClient([() => Buffer.from('wrong\0')], 2);
    const outcome = await authenticate(tls.io, { rsa, cache }, request({ clientPlugin: 'caching_sha2_password', authResponse: cachingSha2PasswordToken('wrong', scramble), secure: true }), account);
    expect(outcome).toMatchObject({ kind: 'denied', passwordUsed: true });
    expect(tls.received).toEqual([Buffer.of(1, 4)]);
    const plain = new FakeClient([() => Buffer.from('wrong\0')], 2);
    const cleartextOverPlain = await authenticate(plain.io, { rsa, cache }, request({ clientPlugin: 'caching_sha2_password', authResponse: cachingSha2PasswordToken('right', Buffer.alloc(20)) }), account);
    expect(cleartextOverPlain).toMatchObject({ kind: 'denied' });
  });

  it('runs the exchange to the end for an unknown user, then denies', async () => {
    const client = new FakeClient([() => Buffer.from('pw\0')], 2);
    const outcome = await authenticate(client.io, { rsa, cache: new FastAuthCache() }, request({ clientPlugin: 'caching_sha2_password', authResponse: cachingSha2PasswordToken('pw', scramble), secure: true }), null);
    expect(outcome).toMatchObject({ kind: 'denied', plugin: 'caching_sha2_password' });
    expect(client.received).toEqual([Buffer.of(1, 4)]);
  });

  it('handles accounts without a password and empty responses', async () => {
    const io = new FakeClient([], 2).io;
    expect(await authenticate(io, { rsa, cache: new FastAuthCache() }, request({ clientPlugin: 'caching_sha2_password' }), sha2(''))).toMatchObject({ kind: 'ok', path: 'no-password' });
    expect(await authenticate(io, { rsa, cache: new FastAuthCache() }, request({ clientPlugin: 'caching_sha2_password' }), sha2('pw'))).toMatchObject({ kind: 'denied', passwordUsed: false });
    expect(await authenticate(io, { rsa, cache: new FastAuthCache() }, request({ clientPlugin: 'caching_sha2_password', authResponse: cachingSha2PasswordToken('x', scramble) }), sha2(''))).toMatchObject({
      kind: 'denied',
      passwordUsed: true,
    });
    expect(await authenticate(io, { rsa, cache: new FastAuthCache() }, request({}), native(''))).toMatchObject({ kind: 'ok', path: 'no-password' });
  });

  it('reports a client that leaves mid-exchange', async () => {
    const client = new FakeClient([() => null], 2);
    expect(await authenticate(client.io, { rsa, cache: new FastAuthCache() }, request({ clientPlugin: 'caching_sha2_password', authResponse: cachingSha2PasswordToken('pw', scramble) }), sha2('pw'))).toEqual({ kind: 'gone' });
  });
});
