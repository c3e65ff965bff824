import { X509Certificate, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Logger } from '../logging/logger.js';
import { createSelfSignedCertificate } from './self-signed.js';
import { TlsSetupError, loadRsaKeyPair, setUpTls } from './tls-setup.js';

const messages: string[] = [];
const logger = {
  info: (_: unknown, msg?: string) => messages.push(msg ?? ''),
  warn: (_: unknown, msg?: string) => messages.push(msg ?? ''),
} as unknown as Logger;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'ducksafe-tls-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('createSelfSignedCertificate', () => {
  it('makes a v3 certificate signed by its own key, for the names asked', () => {
    const made = createSelfSignedCertificate({ commonName: 'test server', altNames: ['localhost', '127.0.0.1', '::1'], validDays: 30 });
    const cert = new X509Certificate(made.certPem);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.subject).toBe('CN=test server');
    expect(cert.issuer).toBe('CN=test server');
    expect(cert.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    expect(cert.checkPrivateKey(createPrivateKey(made.keyPem))).toBe(true);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.ca).toBe(false);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(Math.round(days * 24)).toBe(30 * 24 + 1);
  });

  it('writes GeneralizedTime for dates from 2050', () => {
    const made = createSelfSignedCertificate({ commonName: 'far', altNames: ['localhost'], validDays: 1, now: new Date('2060-01-01T00:00:00Z') });
    expect(new X509Certificate(made.certPem).validTo).toBe('Jan  2 00:00:00 2060 GMT');
  });

  it('is accepted by a TLS client that trusts it', async () => {
    const made = createSelfSignedCertificate({ commonName: 'localhost', altNames: ['localhost', '127.0.0.1'], validDays: 1 });
    const server = tls.createServer({ cert: made.certPem, key: made.keyPem }, (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const text = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({ host: '127.0.0.1', port, ca: made.certPem, servername: 'localhost' }, () => undefined);
      let got = '';
      socket.on('data', (chunk: Buffer) => (got += chunk.toString()));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
    });
    server.close();
    expect(text).toBe('hello');
  });
});

describe('setUpTls', () => {
  it('is off without options', async () => {
    expect(await setUpTls({ certFile: '', keyFile: '', selfSigned: false, selfSignedDir: dir }, logger)).toBeNull();
  });

  it('generates a self-signed certificate once, with a private key file, and reuses it', async () => {
    const selfSignedDir = path.join(dir, 'generated');
    const first = await setUpTls({ certFile: '', keyFile: '', selfSigned: true, selfSignedDir }, logger);
    expect(messages).toContain('generated a self-signed TLS certificate');
    expect(first?.certFile).toBe(path.join(selfSignedDir, 'server-cert.pem'));
    expect((await stat(path.join(selfSignedDir, 'server-key.pem'))).mode & 0o777).toBe(0o600);
    messages.length = 0;
    const second = await setUpTls({ certFile: '', keyFile: '', selfSigned: true, selfSignedDir }, logger);
    expect(messages).not.toContain('generated a self-signed TLS certificate');
    expect(second?.fingerprint256).toBe(first?.fingerprint256);
  });

  it('uses named files, and refuses a key of another certificate or a missing file', async () => {
    const a = createSelfSignedCertificate({ commonName: 'a', altNames: ['localhost'], validDays: 1 });
    const b = createSelfSignedCertificate({ commonName: 'b', altNames: ['localhost'], validDays: 1 });
    const certFile = path.join(dir, 'a.pem');
    await writeFile(certFile, a.certPem);
    await writeFile(path.join(dir, 'a-key.pem'), a.keyPem);
    await writeFile(path.join(dir, 'b-key.pem'), b.keyPem);
    const ok = await setUpTls({ certFile, keyFile: path.join(dir, 'a-key.pem'), selfSigned: false, selfSignedDir: dir }, logger);
    expect(ok?.subject).toBe('CN=a');
    await expect(setUpTls({ certFile, keyFile: path.join(dir, 'b-key.pem'), selfSigned: false, selfSignedDir: dir }, logger)).rejects.toThrow(TlsSetupError);
    await expect(setUpTls({ certFile, keyFile: path.join(dir, 'missing.pem'), selfSigned: false, selfSignedDir: dir }, logger)).rejects.toThrow(/does not exist/);
    await expect(setUpTls({ certFile, keyFile: '', selfSigned: false, selfSignedDir: dir }, logger)).rejects.toThrow(/both --tls-cert and --tls-key/);
    await writeFile(path.join(dir, 'garbage.pem'), 'not a certificate');
    await expect(setUpTls({ certFile: path.join(dir, 'garbage.pem'), keyFile: path.join(dir, 'a-key.pem'), selfSigned: false, selfSignedDir: dir }, logger)).rejects.toThrow(/cannot use the TLS certificate/);
  });
});

describe('loadRsaKeyPair', () => {
  it('makes a 2048-bit pair, or loads an RSA key file and refuses other keys', async () => {
    const made = await loadRsaKeyPair('');
    expect(made.privateKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(made.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    const file = path.join(dir, 'rsa.pem');
    await writeFile(file, made.privateKey.export({ type: 'pkcs1', format: 'pem' }));
    expect((await loadRsaKeyPair(file)).publicKeyPem).toBe(made.publicKeyPem);
    const ec = path.join(dir, 'ec.pem');
    await writeFile(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await expect(loadRsaKeyPair(ec)).rejects.toThrow(/not an RSA key/);
    await expect(loadRsaKeyPair(path.join(dir, 'none.pem'))).rejects.toThrow(/does not exist/);
    expect((await readFile(file, 'utf8')).startsWith('-----BEGIN RSA PRIVATE KEY-----')).toBe(true);
  });
});
