import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Agent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { connect, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { AppError } from '../../shared/contract/errors';
import type { ServerAddress } from './server-address';

const serverName = (host: string) => (isIP(host) ? undefined : host);

/**
 * Opens a TLS connection and reads the certificate the server presents, sending nothing else. The chain is not
 * checked against any authority: a Stockbook server's certificate is trusted by its pinned fingerprint instead.
 */
export function presentedFingerprint(address: ServerAddress, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: address.host, port: address.port, servername: serverName(address.host), rejectUnauthorized: false });
    const fail = (e: Error) => {
      socket.destroy();
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ECONNREFUSED'
          ? 'nothing answers on that port (is "stockbook serve" running there, on this port?)'
          : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
            ? 'that name is not known on this network'
            : code === 'ETIMEDOUT' || code === 'TIMEOUT'
              ? 'it did not answer in time (a firewall may block the port)'
              : `${e.message}`;
      reject(new AppError('UNAVAILABLE', `Cannot reach the Stockbook server ${address.label}: ${why}. Check the address and that the server is running, then try again.`));
    };
    socket.setTimeout(timeoutMs, () => fail(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      if (!cert?.fingerprint256) fail(new Error('the server presented no certificate'));
      else resolve(cert.fingerprint256);
    });
  });
}

/**
 * The socket factory for the WebSocket: TLS that is torn down, before the WebSocket opens, unless the server presents
 * exactly the pinned certificate (a certificate swapped after the fingerprint was read is caught here too).
 */
export function pinnedConnection(expected: string): (options: ConnectionOptions) => TLSSocket {
  return (options) => {
    const socket = connect({ ...options, servername: serverName(options.host ?? ''), rejectUnauthorized: false });
    socket.once('secureConnect', () => {
      const presented = socket.getPeerCertificate()?.fingerprint256;
      if (presented !== expected) {
        socket.destroy(Object.assign(new Error(`the server's certificate changed (presented ${presented ?? 'none'}, trusted ${expected})`), { code: 'CERT_CHANGED', presented }));
      }
    });
    return socket;
  };
}

/**
 * Fetches `path` from the server over TLS with the pinned certificate and streams it into `file` (written as `file.part`
 * and renamed when complete, so a broken transfer never leaves a half file under the chosen name). Memory stays flat.
 */
export function downloadPinned(address: ServerAddress, fingerprint: string, path: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const part = `${file}.part`;
    const fail = (e: Error) => {
      rm(part, { force: true }).finally(() => reject(e));
    };
    // The request (with its one-time address) is written only once the socket shows the pinned certificate.
    const agent = new Agent({ keepAlive: false });
    agent.createConnection = ((options: ConnectionOptions, created: (e: Error | null, socket?: TLSSocket) => void) => {
      const socket = connect({ ...options, servername: serverName(options.host ?? ''), rejectUnauthorized: false });
      socket.once('error', (e) => created(e));
      socket.once('secureConnect', () => {
        const presented = socket.getPeerCertificate()?.fingerprint256;
        if (presented === fingerprint) created(null, socket);
        else {
          socket.destroy();
          created(new AppError('PERMISSION', `The server ${address.label} presents another certificate than the one trusted (${presented ?? 'none'}, trusted ${fingerprint}); nothing was fetched.`));
        }
      });
      return undefined;
    }) as never;
    const req = httpsRequest(
      { host: address.host, port: address.port, path, method: 'GET', agent, timeout: 30_000 },
      (res) => {
        if (res.statusCode !== 200) {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d.slice(0, 500)));
          res.on('end', () => fail(new AppError('NOT_FOUND', `The server ${address.label} did not send the file (${body.trim() || `status ${res.statusCode}`}).`)));
          return;
        }
        pipeline(res, createWriteStream(part)).then(
          () => rename(part, file).then(resolve, fail),
          (e: Error) => fail(e),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('the server stopped sending')));
    req.on('error', fail);
    req.end();
  });
}
