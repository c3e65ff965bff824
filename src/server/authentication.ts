// The password exchange after the handshake response: an auth switch when the
// client began with another plugin than the account's, then the account's plugin.
// caching_sha2_password answers from its in-memory digest when it can (fast path)
// and otherwise asks for the password itself (full path): in clear over TLS, or
// RSA-encrypted over a plain connection. Passwords and scrambles are never logged.
import type { KeyObject } from 'node:crypto';
import {
  AuthPlugins,
  CachingSha2Status,
  PacketBatch,
  cachingSha2PasswordHash,
  checkCachingSha2Verifier,
  cleartextPassword,
  decryptRsaPassword,
  isPublicKeyRequest,
  verifyCachingSha2Password,
  verifyNativePassword,
  writeAuthMoreData,
  writeAuthSwitchRequest,
  type DecodedPayload,
} from '../protocol/index.js';
import type { FastAuthCache } from './fast-auth-cache.js';
import type { AuthRecord, UserAuthPlugin } from './query-handler.js';

/** The server's RSA key pair for caching_sha2_password over plain connections. */
export interface RsaKeys {
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo PEM, what clients expect to receive. */
  readonly publicKeyPem: string;
}

export interface AuthIo {
  write(bytes: Buffer): Promise<void>;
  next(): Promise<DecodedPayload | null>;
}

export interface AuthRequest {
  readonly username: string;
  /** The plugin the client's first response was made with (null: the client has no plugin support). */
  readonly clientPlugin: string | null;
  readonly authResponse: Uint8Array;
  /** The client negotiated CLIENT_PLUGIN_AUTH, so it understands an auth switch. */
  readonly pluginAuth: boolean;
  readonly scramble: Buffer;
  /** The connection runs over TLS. */
  readonly secure: boolean;
  /** Sequence id of the server's next packet. */
  readonly sequenceId: number;
}

/** How a login was proven, for the log. */
export const AUTH_PATHS = ['native', 'fast', 'full-tls', 'full-rsa', 'no-password'] as const;
export type AuthPath = (typeof AUTH_PATHS)[number];

export type AuthOutcome =
  | { readonly kind: 'ok'; readonly plugin: UserAuthPlugin; readonly path: AuthPath; readonly sequenceId: number }
  | { readonly kind: 'denied'; readonly plugin: UserAuthPlugin; readonly passwordUsed: boolean; readonly sequenceId: number }
  | { readonly kind: 'gone' };

/**
 * Runs the exchange for `record` (null: no such account; the exchange still runs
 * its course so a client cannot tell a wrong user from a wrong password).
 */
export async function authenticate(
  io: AuthIo,
  keys: { readonly rsa: RsaKeys; readonly cache: FastAuthCache },
  request: AuthRequest,
  record: AuthRecord | null,
): Promise<AuthOutcome> {
  const clientPlugin = request.clientPlugin ?? AuthPlugins.MYSQL_NATIVE_PASSWORD;
  const plugin: UserAuthPlugin = record?.plugin ?? (clientPlugin === AuthPlugins.CACHING_SHA2_PASSWORD ? clientPlugin : AuthPlugins.MYSQL_NATIVE_PASSWORD);
  let sequenceId = request.sequenceId;
  let response = request.authResponse;
  if (clientPlugin !== plugin) {
    if (!request.pluginAuth) {
      return { kind: 'denied', plugin, passwordUsed: response.length > 0, sequenceId };
    }
    const sw = new PacketBatch({ sequenceId, initialCapacity: 64 });
    sw.add(writeAuthSwitchRequest, { pluginName: plugin, pluginData: Buffer.concat([request.scramble, Buffer.of(0)]) });
    await io.write(sw.take());
    const answer = await io.next();
    if (answer === null) return { kind: 'gone' };
    response = answer.payload;
    sequenceId = answer.nextSequenceId;
  }
  if (plugin === AuthPlugins.MYSQL_NATIVE_PASSWORD) {
    const ok = record?.plugin === plugin && verifyNativePassword(request.scramble, response, record.nativeHash);
    return ok
      ? { kind: 'ok', plugin, path: response.length === 0 ? 'no-password' : 'native', sequenceId }
      : { kind: 'denied', plugin, passwordUsed: response.length > 0, sequenceId };
  }
  const verifier = record?.plugin === plugin ? record.sha2Verifier : null;
  return cachingSha2(io, keys, request, verifier, response, sequenceId);
}

async function cachingSha2(
  io: AuthIo,
  keys: { readonly rsa: RsaKeys; readonly cache: FastAuthCache },
  request: AuthRequest,
  verifier: string | null,
  response: Uint8Array,
  start: number,
): Promise<AuthOutcome> {
  const plugin = AuthPlugins.CACHING_SHA2_PASSWORD;
  let sequenceId = start;
  const send = async (data: Uint8Array): Promise<void> => {
    const batch = new PacketBatch({ sequenceId, initialCapacity: 16 + data.length });
    batch.add(writeAuthMoreData, data);
    sequenceId = batch.sequenceId;
    await io.write(batch.take());
  };
  if (response.length === 0 || verifier === '') {
    // An account without a password takes an empty response and nothing else.
    const ok = response.length === 0 && verifier === '';
    return ok ? { kind: 'ok', plugin, path: 'no-password', sequenceId } : { kind: 'denied', plugin, passwordUsed: response.length > 0, sequenceId };
  }
  const digest = verifier === null ? undefined : keys.cache.get(request.username, verifier);
  if (digest !== undefined && verifyCachingSha2Password(request.scramble, response, digest)) {
    await send(Buffer.of(CachingSha2Status.FAST_AUTH_SUCCESS));
    return { kind: 'ok', plugin, path: 'fast', sequenceId };
  }
  // A cache miss and a wrong scramble response alike go to full authentication, as in MySQL.
  await send(Buffer.of(CachingSha2Status.PERFORM_FULL_AUTHENTICATION));
  let reply = await io.next();
  if (reply === null) return { kind: 'gone' };
  sequenceId = reply.nextSequenceId;
  let password: Buffer | null;
  if (request.secure) {
    password = cleartextPassword(reply.payload);
  } else {
    if (isPublicKeyRequest(reply.payload)) {
      await send(Buffer.from(keys.rsa.publicKeyPem, 'ascii'));
      reply = await io.next();
      if (reply === null) return { kind: 'gone' };
      sequenceId = reply.nextSequenceId;
    }
    password = decryptRsaPassword(reply.payload, request.scramble, keys.rsa.privateKey);
  }
  let ok = false;
  if (password !== null && verifier !== null) {
    ok = checkCachingSha2Verifier(password, verifier);
    if (ok) keys.cache.set(request.username, verifier, cachingSha2PasswordHash(password));
    password.fill(0);
  }
  return ok ? { kind: 'ok', plugin, path: request.secure ? 'full-tls' : 'full-rsa', sequenceId } : { kind: 'denied', plugin, passwordUsed: true, sequenceId };
}
