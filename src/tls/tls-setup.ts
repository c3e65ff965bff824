// What the MySQL port needs for TLS and caching_sha2_password: a TLS context from
// PEM files (or a self-signed certificate made at first start and reused after),
// and the RSA key pair clients encrypt their password with on plain connections.
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Logger } from '../logging/logger.js';
import { createSelfSignedCertificate } from './self-signed.js';

export class TlsSetupError extends Error {
  override readonly name = 'TlsSetupError';
}

export interface TlsSettings {
  /** PEM certificate (chain) file; '' for none. */
  readonly certFile: string;
  /** PEM private key file; '' for none. */
  readonly keyFile: string;
  /** Generate a self-signed certificate when the files do not exist yet. */
  readonly selfSigned: boolean;
  /** Where a self-signed certificate goes when no file names are given. */
  readonly selfSignedDir: string;
}

export interface TlsSetup {
  readonly context: SecureContext;
  readonly certFile: string;
  readonly subject: string;
  readonly validTo: string;
  readonly fingerprint256: string;
}

const SELF_SIGNED_DAYS = 3650;

/** The TLS context for the MySQL port, or null when TLS is not configured. */
export async function setUpTls(settings: TlsSettings, logger: Logger): Promise<TlsSetup | null> {
  if (!settings.selfSigned && settings.certFile === '' && settings.keyFile === '') return null;
  if (!settings.selfSigned && (settings.certFile === '' || settings.keyFile === '')) {
    throw new TlsSetupError('TLS needs both --tls-cert and --tls-key (or --tls-self-signed)');
  }
  const certFile = settings.certFile !== '' ? settings.certFile : path.join(settings.selfSignedDir, 'server-cert.pem');
  const keyFile = settings.keyFile !== '' ? settings.keyFile : path.join(settings.selfSignedDir, 'server-key.pem');
  let cert = await readIfExists(certFile);
  let key = await readIfExists(keyFile);
  if (settings.selfSigned && cert === null && key === null) {
    const made = createSelfSignedCertificate({
      commonName: `ducksafe self-signed (${os.hostname()})`,
      altNames: ['localhost', os.hostname(), '127.0.0.1', '::1'],
      validDays: SELF_SIGNED_DAYS,
    });
    // The key first and private: a certificate without its key would be unusable.
    await writeAtomically(keyFile, made.keyPem, 0o600);
    await writeAtomically(certFile, made.certPem, 0o644);
    cert = made.certPem;
    key = made.keyPem;
    logger.info({ certFile, keyFile }, 'generated a self-signed TLS certificate');
  }
  if (cert === null) throw new TlsSetupError(`TLS certificate file ${certFile} does not exist`);
  if (key === null) throw new TlsSetupError(`TLS key file ${keyFile} does not exist`);
  let x509: X509Certificate;
  let context: SecureContext;
  try {
    x509 = new X509Certificate(cert);
    context = createSecureContext({ cert, key, minVersion: 'TLSv1.2' });
  } catch (err) {
    throw new TlsSetupError(`cannot use the TLS certificate ${certFile} with the key ${keyFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!x509.checkPrivateKey(createPrivateKey(key))) {
    throw new TlsSetupError(`the TLS key ${keyFile} does not belong to the certificate ${certFile}`);
  }
  if (Date.parse(x509.validTo) < Date.now()) {
    logger.warn({ certFile, validTo: x509.validTo }, 'the TLS certificate has expired: clients that verify it will refuse to connect');
  }
  return { context, certFile, subject: x509.subject, validTo: x509.validTo, fingerprint256: x509.fingerprint256 };
}

export interface RsaKeyPair {
  readonly privateKey: KeyObject;
  /** SubjectPublicKeyInfo PEM, as MySQL sends it to clients. */
  readonly publicKeyPem: string;
}

/** Loads the RSA private key from a PEM file, or makes a fresh pair for this run ('' file). */
export async function loadRsaKeyPair(file: string): Promise<RsaKeyPair> {
  let privateKey: KeyObject;
  if (file === '') {
    privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  } else {
    const pem = await readIfExists(file);
    if (pem === null) throw new TlsSetupError(`RSA private key file ${file} does not exist`);
    try {
      privateKey = createPrivateKey(pem);
    } catch (err) {
      throw new TlsSetupError(`cannot read the RSA private key ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (privateKey.asymmetricKeyType !== 'rsa') throw new TlsSetupError(`${file} holds a ${privateKey.asymmetricKeyType ?? 'non-RSA'} key, not an RSA key`);
  }
  const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  return { privateKey, publicKeyPem };
}

async function readIfExists(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new TlsSetupError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

async function writeAtomically(file: string, text: string, mode: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await rename(temp, file);
}
