import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { generate } from 'selfsigned';
import { AppError } from '../../shared/contract/errors';

/** The server's TLS identity and the ways a person can recognise it. */
export interface ServerCertificate {
  cert: string;
  key: string;
  /** SHA-256 of the certificate (DER), as `AB:CD:…`: what clients pin and people compare. */
  fingerprint: string;
  /** base64 SHA-256 of the public key (SPKI): what chromium's --ignore-certificate-errors-spki-list takes. */
  spkiSha256: string;
  certFile: string;
  keyFile: string;
  /** True when this start made the certificate (first start). */
  created: boolean;
}

/** Where `serve` keeps its generated certificate: beside the ledger, named after it. */
export function certificateFiles(dbPath: string): { certFile: string; keyFile: string } {
  const { name } = parse(dbPath);
  return { certFile: join(dirname(dbPath), `${name}.server-cert.pem`), keyFile: join(dirname(dbPath), `${name}.server-key.pem`) };
}

export function describeCertificate(cert: string): { fingerprint: string; spkiSha256: string } {
  const x509 = new X509Certificate(cert);
  const spki = x509.publicKey.export({ type: 'spki', format: 'der' });
  return { fingerprint: x509.fingerprint256, spkiSha256: createHash('sha256').update(spki).digest('base64') };
}

function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new AppError('NOT_FOUND', `Cannot read the ${what} ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}). Check the path and that this user may read it.`);
  }
}

/** Reads a certificate and key and checks they belong together. */
function checkedPair(cert: string, key: string, certFile: string, keyFile: string): { fingerprint: string; spkiSha256: string } {
  let described: { fingerprint: string; spkiSha256: string };
  try {
    described = describeCertificate(cert);
    if (!new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))) throw new Error('mismatch');
  } catch (e) {
    throw new AppError(
      'VALIDATION',
      (e as Error).message === 'mismatch'
        ? `The private key ${keyFile} does not belong to the certificate ${certFile}. Give the key that was made with this certificate.`
        : `${certFile} or ${keyFile} is not a PEM certificate and private key (${(e as Error).message}). Give PEM files (-----BEGIN CERTIFICATE----- / -----BEGIN PRIVATE KEY-----).`,
    );
  }
  return described;
}

/**
 * The administrator's certificate and key (`--cert`/`--key`), or the one generated beside the ledger on the first
 * start (a self-signed certificate made with `selfsigned`; its private key readable only by this user).
 */
export async function loadOrCreateCertificate(
  dbPath: string,
  supplied: { cert?: string; key?: string } = {},
  names: string[] = [hostname(), 'localhost'],
): Promise<ServerCertificate> {
  if (supplied.cert || supplied.key) {
    if (!supplied.cert || !supplied.key) throw new AppError('VALIDATION', 'Give both --cert FILE and --key FILE (the certificate and its private key, PEM), or neither to use the generated certificate.');
    const cert = read(supplied.cert, 'certificate');
    const key = read(supplied.key, 'private key');
    return { cert, key, ...checkedPair(cert, key, supplied.cert, supplied.key), certFile: supplied.cert, keyFile: supplied.key, created: false };
  }
  const { certFile, keyFile } = certificateFiles(dbPath);
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = read(certFile, 'certificate');
    const key = read(keyFile, 'private key');
    return { cert, key, ...checkedPair(cert, key, certFile, keyFile), certFile, keyFile, created: false };
  }
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + 10);
  const unique = [...new Set(names.filter(Boolean))];
  const pems = await generate([{ name: 'commonName', value: unique[0] ?? 'stockbook' }, { name: 'organizationName', value: 'Stockbook server' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [...unique.map((value) => ({ type: 2 as const, value })), { type: 7 as const, ip: '127.0.0.1' }] },
    ],
  });
  // The key first, readable by this user only (0600), so it never exists with wider permissions.
  writeFileSync(keyFile, pems.private, { mode: 0o600, flag: 'wx' });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, pems.cert, { mode: 0o644, flag: 'wx' });
  return { cert: pems.cert, key: pems.private, ...describeCertificate(pems.cert), certFile, keyFile, created: true };
}
