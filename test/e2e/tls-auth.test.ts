// TLS on the MySQL port and both password plugins, with real clients: the mariadb
// CLI, mysql2 and MariaDB Connector/J. Transport and login do not depend on where
// tables live, so these suites run on a local warehouse only.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { Duplex } from 'node:stream';
import tls from 'node:tls';
import mysql from 'mysql2/promise';
import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../helpers/run-log.js';
import { removeDir, startServer, tempDir, type ServerProcess } from '../helpers/server-process.js';

const NATIVE_PASSWORD = registerSecret('root password', 'native-pw-7c1d');
const SHA2_PASSWORD = registerSecret('root password', 'sha2-pw-9e4f');

const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const cli = ['mariadb', 'mysql'].find((name) => spawnSync(name, ['--version']).status === 0);
const CONNECTOR_J = '/usr/share/java/mariadb-java-client.jar';
const hasJava = spawnSync('javac', ['-version']).status === 0 && existsSync(CONNECTOR_J);
if (!hasOpenssl) console.log('tls-auth tests skipped: the `openssl` command is needed to make the test CA');
if (cli === undefined) console.log('tls-auth mariadb CLI tests skipped: neither `mariadb` nor `mysql` is installed (.ci/run installs mariadb-client)');
if (!hasJava) console.log(`tls-auth Connector/J tests skipped: needs javac and ${CONNECTOR_J} (.ci/run installs libmariadb-java)`);

let dir: string;

function openssl(...args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${r.stderr}`);
}

/** A test CA, a server certificate it signed (localhost, 127.0.0.1), and an unrelated CA. */
async function makeCertificates(): Promise<void> {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=ducksafe test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server-key.pem', '-out', 'server.csr', '-subj', '/CN=localhost');
  await writeFile(path.join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'server-cert.pem', '-days', '2', '-extfile', 'ext.cnf');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other-ca-key.pem', '-out', 'other-ca.pem', '-days', '2', '-subj', '/CN=some other CA');
}

function mariadb(port: number, password: string, args: string[], sql = 'SELECT 1'): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cli ?? 'mariadb', ['-h', '127.0.0.1', '-P', String(port), '-u', 'root', `-p${password}`, '--batch', '--skip-column-names', ...args, '-e', sql], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

async function mysql2Error(options: mysql.ConnectionOptions): Promise<{ errno?: number; sqlState?: string; message?: string }> {
  return mysql.createConnection({ host: '127.0.0.1', user: 'root', ...options }).then(
    async (c) => {
      await c.end();
      return {};
    },
    (e: unknown) => e as { errno?: number; sqlState?: string; message?: string },
  );
}

async function mysql2Query(options: mysql.ConnectionOptions, sql: string): Promise<RowDataPacket[]> {
  const conn = await mysql.createConnection({ host: '127.0.0.1', user: 'root', ...options });
  try {
    const [rows] = await conn.query<RowDataPacket[]>(sql);
    return rows;
  } finally {
    await conn.end();
  }
}

/** Resolves once the server has logged `count` lines matching `match` (its log arrives asynchronously). */
async function logged(server: ServerProcess, match: (line: Record<string, unknown>) => boolean, count = 1): Promise<Record<string, unknown>[]> {
  for (let waited = 0; ; waited += 20) {
    const lines = server.logs.filter(match);
    if (lines.length >= count || waited > 10_000) return lines;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The auth paths of the server's first `count` successful logins, in order. */
async function authPaths(server: ServerProcess, count: number): Promise<string[]> {
  const lines = await logged(server, (l) => l.msg === 'authenticated', count);
  return lines.map((l) => `${String(l.path)}${l.tls === true ? '+tls' : ''}`);
}

function expectNoSecretsLogged(server: ServerProcess): void {
  const text = JSON.stringify(server.logs);
  expect(text).not.toContain(NATIVE_PASSWORD);
  expect(text).not.toContain(SHA2_PASSWORD);
}

/** Sends an SSL request, then `garbage` where the TLS ClientHello belongs. */
async function sslRequestThenGarbage(port: number, garbage: Buffer): Promise<void> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('data', () => resolve()));
  socket.write(Buffer.concat([sslRequestPacket(), garbage]));
  await new Promise<void>((resolve) => {
    socket.on('close', () => resolve());
    socket.on('error', () => undefined);
  });
}

/**
 * An SSL request and the TLS ClientHello in one TCP write, as a client that does not
 * wait may send them: resolves with the negotiated TLS version once TLS is up.
 */
async function sslRequestWithClientHello(port: number, ca: string): Promise<string> {
  const raw = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => raw.once('data', () => resolve()));
  let first = true;
  const carrier = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      raw.write(first ? Buffer.concat([sslRequestPacket(), chunk]) : chunk, callback);
      first = false;
    },
    read() {
      raw.resume();
    },
  });
  raw.on('data', (chunk: Buffer) => {
    if (!carrier.push(chunk)) raw.pause();
  });
  raw.on('end', () => carrier.push(null));
  const secure = tls.connect({ socket: carrier, ca, servername: 'localhost' });
  try {
    return await new Promise<string>((resolve, reject) => {
      secure.once('secureConnect', () => resolve(secure.getProtocol() ?? ''));
      secure.once('error', reject);
    });
  } finally {
    secure.destroy();
    raw.destroy();
  }
}

function sslRequestPacket(): Buffer {
  const payload = Buffer.alloc(32);
  payload.writeUInt32LE(0x0000_0200 | 0x0000_0800 | 0x0000_8000 | 0x0008_0000, 0);
  payload.writeUInt32LE(16 * 1024 * 1024, 4);
  payload[8] = 45;
  return Buffer.concat([Buffer.from([32, 0, 0, 1]), payload]);
}

describe.skipIf(!hasOpenssl)('TLS with a CA-signed certificate, mysql_native_password, require_secure_transport', () => {
  let server: ServerProcess;
  let warehouse: string;

  beforeAll(async () => {
    dir = await tempDir('tls');
    await makeCertificates();
    warehouse = await tempDir('wh');
    server = await startServer({
      warehouse,
      args: ['--root-password', NATIVE_PASSWORD, '--tls-cert', path.join(dir, 'server-cert.pem'), '--tls-key', path.join(dir, 'server-key.pem'), '--require-secure-transport', '--login-delay-after-failures', '100', '--cache-dir', path.join(warehouse, '..', `${path.basename(warehouse)}-cache`)],
    });
  });
  afterAll(async () => {
    await server?.stop();
    await removeDir(warehouse);
  });

  it.skipIf(cli === undefined)('lets the mariadb CLI in over TLS, verifying the certificate against the test CA', async () => {
    const r = mariadb(server.port, NATIVE_PASSWORD, ['--ssl', '--ssl-verify-server-cert', '--ssl-ca', path.join(dir, 'ca.pem')], 'SELECT @@have_ssl, @@require_secure_transport');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('YES\t1\n');
    expect(await logged(server, (l) => l.msg === 'logged in' && l.tls === true)).toHaveLength(1);
  });

  it.skipIf(cli === undefined)('is refused by a mariadb CLI that trusts another CA', () => {
    const r = mariadb(server.port, NATIVE_PASSWORD, ['--ssl', '--ssl-verify-server-cert', '--ssl-ca', path.join(dir, 'other-ca.pem')]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/ERROR 2026 .*TLS\/SSL error/);
  });

  it.skipIf(cli === undefined)('refuses a plain mariadb CLI login with 3159', () => {
    const r = mariadb(server.port, NATIVE_PASSWORD, ['--skip-ssl']);
    expect(r.stderr).toContain('ERROR 3159 (HY000): Connections using insecure transport are prohibited while --require_secure_transport=ON.');
  });

  it('refuses a plain mysql2 login with 3159 and accepts a verified TLS one', async () => {
    expect(await mysql2Error({ port: server.port, password: NATIVE_PASSWORD })).toMatchObject({ errno: 3159, sqlState: 'HY000' });
    const rows = await mysql2Query({ port: server.port, password: NATIVE_PASSWORD, ssl: { ca: await readText('ca.pem') } }, 'SELECT 41 + 1 AS answer');
    expect(rows).toEqual([{ answer: 42 }]);
  });

  it('answers a wrong password over TLS with 1045', async () => {
    expect(await mysql2Error({ port: server.port, password: 'wrong', ssl: { ca: await readText('ca.pem') } })).toMatchObject({ errno: 1045, sqlState: '28000' });
    if (cli !== undefined) expect(mariadb(server.port, 'wrong', ['--ssl']).stderr).toContain("ERROR 1045 (28000): Access denied for user 'root'@'127.0.0.1' (using password: YES)");
    expect(await logged(server, (l) => l.msg === 'login failed' && l.plugin === 'mysql_native_password' && l.tls === true && l.user === 'root')).not.toHaveLength(0);
  });

  it('survives a client that sends garbage instead of a TLS handshake', async () => {
    const isTlsFailure = (l: Record<string, unknown>): boolean => l.msg === 'TLS failed; closing the connection';
    // Earlier tests' refused certificates may still be on their way to the log.
    const before = server.logs.filter(isTlsFailure).length;
    await sslRequestThenGarbage(server.port, Buffer.from('this is not a TLS ClientHello at all\r\n'.repeat(20)));
    await sslRequestThenGarbage(server.port, Buffer.from([0x16, 0x03, 0x01, 0xff, 0xff, 0x01, 0, 0, 0]));
    expect(server.child.exitCode).toBeNull();
    expect((await logged(server, isTlsFailure, before + 2)).length).toBeGreaterThanOrEqual(before + 2);
    const rows = await mysql2Query({ port: server.port, password: NATIVE_PASSWORD, ssl: { ca: await readText('ca.pem') } }, 'SELECT 1 AS ok');
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('completes the TLS handshake when the ClientHello arrives with the SSL request', async () => {
    expect(await sslRequestWithClientHello(server.port, await readText('ca.pem'))).toMatch(/^TLSv1\.[23]$/);
  });

  it.skipIf(!hasJava)('lets MariaDB Connector/J in over TLS with the CA, and refuses it without TLS', async () => {
    const out = await runJava(server.port, NATIVE_PASSWORD, [`useSsl=true`, `serverSslCert=${path.join(dir, 'ca.pem')}`]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok 42\n');
    const plain = await runJava(server.port, NATIVE_PASSWORD, []);
    expect(plain.stdout).toBe('');
    expect(plain.stderr).toContain('3159');
  });

  it('never logs a password', () => {
    expectNoSecretsLogged(server);
  });
});

describe.skipIf(!hasOpenssl)('caching_sha2_password with a self-signed certificate', () => {
  let server: ServerProcess;
  let warehouse: string;
  let cacheDir: string;
  const everyLog: Record<string, unknown>[] = [];

  const start = async (): Promise<void> => {
    server = await startServer({
      warehouse,
      args: ['--root-password', SHA2_PASSWORD, '--root-auth-plugin', 'caching_sha2_password', '--tls-self-signed', '--cache-dir', cacheDir, '--login-delay-after-failures', '2', '--login-max-delay-ms', '1500'],
    });
  };
  const restart = async (): Promise<void> => {
    await server.stop();
    everyLog.push(...server.logs);
    await start();
  };

  beforeAll(async () => {
    dir ??= await tempDir('tls');
    warehouse = await tempDir('wh');
    cacheDir = `${warehouse}-cache`;
    await mkdir(cacheDir, { recursive: true });
    await start();
  });
  afterAll(async () => {
    await server?.stop();
    await removeDir(warehouse);
    await removeDir(cacheDir);
  });

  it('mysql2 without TLS: full authentication over RSA first, then the fast path; a wrong password gets 1045', async () => {
    expect(await mysql2Query({ port: server.port, password: SHA2_PASSWORD }, 'SELECT 1 AS n')).toEqual([{ n: 1 }]);
    expect(await mysql2Query({ port: server.port, password: SHA2_PASSWORD }, 'SELECT 2 AS n')).toEqual([{ n: 2 }]);
    expect(await authPaths(server, 2)).toEqual(['full-rsa', 'fast']);
    expect(await mysql2Error({ port: server.port, password: 'wrong' })).toMatchObject({ errno: 1045, sqlState: '28000' });
    expect(await logged(server, (l) => l.msg === 'login failed' && l.plugin === 'caching_sha2_password' && l.tls === false)).toHaveLength(1);
  });

  it('mysql2 over TLS: full authentication with the cleartext password, and 1045 for a wrong one', async () => {
    await restart();
    const ssl = { rejectUnauthorized: false };
    expect(await mysql2Query({ port: server.port, password: SHA2_PASSWORD, ssl }, 'SELECT @@have_ssl AS s')).toEqual([{ s: 'YES' }]);
    expect(await mysql2Query({ port: server.port, password: SHA2_PASSWORD, ssl }, 'SELECT 3 AS n')).toEqual([{ n: 3 }]);
    expect(await authPaths(server, 2)).toEqual(['full-tls+tls', 'fast+tls']);
    expect(await mysql2Error({ port: server.port, password: 'wrong', ssl })).toMatchObject({ errno: 1045, sqlState: '28000' });
  });

  it.skipIf(cli === undefined)('the mariadb CLI: RSA without TLS, then TLS with the fast path; 1045 on each for a wrong password', async () => {
    await restart();
    const plain = mariadb(server.port, SHA2_PASSWORD, ['--skip-ssl'], 'SELECT 4');
    expect(plain.stderr).toBe('');
    expect(plain.stdout).toBe('4\n');
    const secure = mariadb(server.port, SHA2_PASSWORD, ['--ssl'], 'SELECT 5');
    expect(secure.stdout).toBe('5\n');
    expect(await authPaths(server, 2)).toEqual(['full-rsa', 'fast+tls']);
    for (const args of [['--skip-ssl'], ['--ssl']]) {
      expect(mariadb(server.port, 'wrong', args).stderr).toContain("ERROR 1045 (28000): Access denied for user 'root'@'127.0.0.1' (using password: YES)");
    }
  });

  it('reuses the self-signed certificate it generated at first start', () => {
    const all = [...everyLog, ...server.logs];
    expect(all.filter((l) => l.msg === 'generated a self-signed TLS certificate')).toHaveLength(1);
    const fingerprints = new Set(all.filter((l) => l.msg === 'TLS is enabled on the MySQL port').map((l) => l.sha256));
    expect(all.filter((l) => l.msg === 'TLS is enabled on the MySQL port')).toHaveLength(3);
    expect(fingerprints.size).toBe(1);
  });

  it('delays logins from a host after repeated failures and forgets them after a success', async () => {
    await restart();
    const isDelay = (l: Record<string, unknown>): boolean => l.msg === 'delaying a login after repeated failed logins from this host';
    const delays = (): Record<string, unknown>[] => server.logs.filter(isDelay);
    for (let i = 0; i < 3; i++) expect(await mysql2Error({ port: server.port, password: `wrong-${i}` })).toMatchObject({ errno: 1045 });
    // Two failures are free; the third attempt waited 1 s, and the next one waits 1.5 s (the bound).
    expect((await logged(server, isDelay)).map((l) => [l.failures, l.delayMs])).toEqual([[2, 1000]]);
    expect(await mysql2Query({ port: server.port, password: SHA2_PASSWORD }, 'SELECT 6 AS n')).toEqual([{ n: 6 }]);
    expect((await logged(server, isDelay, 2)).map((l) => [l.failures, l.delayMs])).toEqual([
      [2, 1000],
      [3, 1500],
    ]);
    expect(await mysql2Error({ port: server.port, password: 'wrong-again' })).toMatchObject({ errno: 1045 });
    const failures = (await logged(server, (l) => l.msg === 'login failed', 4)).map((l) => [l.user, l.host, l.plugin, l.failures]);
    expect(failures).toEqual([
      ['root', '127.0.0.1', 'caching_sha2_password', 1],
      ['root', '127.0.0.1', 'caching_sha2_password', 2],
      ['root', '127.0.0.1', 'caching_sha2_password', 3],
      ['root', '127.0.0.1', 'caching_sha2_password', 1],
    ]);
    // The success reset the count: the last failure was not delayed.
    expect(delays()).toHaveLength(2);
  });

  it.skipIf(!hasJava)('lets MariaDB Connector/J in with caching_sha2_password over TLS', async () => {
    const out = await runJava(server.port, SHA2_PASSWORD, ['useSsl=true', 'trustServerCertificate=true']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toBe('ok 42\n');
  });

  it('never logs a password', () => {
    expectNoSecretsLogged(server);
    expect(JSON.stringify(everyLog)).not.toContain(SHA2_PASSWORD);
  });
});

async function readText(file: string): Promise<string> {
  const { readFile } = await import('node:fs/promises');
  return readFile(path.join(dir, file), 'utf8');
}

const JAVA_SOURCE = `
import java.sql.*;
public class Login {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT 40 + 2")) {
      r.next();
      System.out.println("ok " + r.getInt(1));
    } catch (SQLException e) {
      System.err.println(e.getErrorCode() + " " + e.getSQLState() + " " + e.getMessage());
    }
  }
}
`;

let javaCompiled: Promise<string> | null = null;

/** Compiles the Login program once; returns the directory holding its class. */
function compileJava(): Promise<string> {
  javaCompiled ??= (async () => {
    const javaDir = path.join(dir, 'java');
    await mkdir(javaDir, { recursive: true });
    await writeFile(path.join(javaDir, 'Login.java'), JAVA_SOURCE);
    const r = spawnSync('javac', ['-d', javaDir, path.join(javaDir, 'Login.java')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`javac failed: ${r.stderr}`);
    return javaDir;
  })();
  return javaCompiled;
}

async function runJava(port: number, password: string, options: string[]): Promise<{ stdout: string; stderr: string }> {
  const javaDir = await compileJava();
  const url = `jdbc:mariadb://127.0.0.1:${port}/?${['user=root', `password=${password}`, ...options].join('&')}`;
  const r = spawnSync('java', ['-cp', `${javaDir}:${CONNECTOR_J}`, 'Login', url], { encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr };
}
