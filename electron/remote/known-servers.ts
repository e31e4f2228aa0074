import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../shared/contract/errors';
import type { ServerAddress } from './server-address';

interface Entry {
  fingerprint: string;
  pinnedAt: string;
}

export type TrustVerdict =
  | { kind: 'pinned'; fingerprint: string }
  | { kind: 'new'; fingerprint: string }
  | { kind: 'changed'; pinned: string; presented: string; pinnedAt: string };

/**
 * The servers this user trusts, as SSH's known_hosts: one certificate fingerprint (SHA-256) per `host:port`, pinned on the
 * first connection once the person confirmed it. A JSON file readable by this user only.
 */
export class KnownServers {
  constructor(readonly file: string) {}

  private read(): Record<string, Entry> {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw e;
    }
    try {
      const parsed = JSON.parse(text) as { servers?: Record<string, Entry> };
      return parsed.servers ?? {};
    } catch {
      throw new AppError('VALIDATION', `The list of trusted servers ${this.file} is damaged (not JSON). Move it aside; Stockbook then asks again to confirm each server's fingerprint.`);
    }
  }

  check(address: ServerAddress, presented: string): TrustVerdict {
    const entry = this.read()[address.key];
    if (!entry) return { kind: 'new', fingerprint: presented };
    if (entry.fingerprint === presented) return { kind: 'pinned', fingerprint: presented };
    return { kind: 'changed', pinned: entry.fingerprint, presented, pinnedAt: entry.pinnedAt };
  }

  pinned(address: ServerAddress): string | null {
    return this.read()[address.key]?.fingerprint ?? null;
  }

  pin(address: ServerAddress, fingerprint: string, now = new Date()): void {
    const servers = { ...this.read(), [address.key]: { fingerprint, pinnedAt: now.toISOString() } };
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify({ servers }, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  /** The administrator renewed the certificate and the person checked the new one: forget the old pin. */
  forget(address: ServerAddress): void {
    const servers = this.read();
    delete servers[address.key];
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify({ servers }, null, 2)}\n`, { mode: 0o600 });
  }
}

/** The refusal when a server shows another certificate than the one pinned: both fingerprints and what to do. */
export function certificateChangedError(address: ServerAddress, v: Extract<TrustVerdict, { kind: 'changed' }>, knownFile: string): AppError {
  return new AppError(
    'PERMISSION',
    `WARNING: the server ${address.label} shows a different certificate than the one you trusted on ${v.pinnedAt.slice(0, 10)}. ` +
      `Trusted fingerprint: ${v.pinned}. Presented now: ${v.presented}. ` +
      `Someone may be intercepting the connection, or the administrator replaced the server's certificate. Stockbook did not connect and sent nothing. ` +
      `Ask the administrator for the fingerprint that "stockbook serve" printed at start; only if it matches the one presented now, remove ${address.key} from ${knownFile} and connect again.`,
    { server: address.key, pinned: v.pinned, presented: v.presented },
  );
}
