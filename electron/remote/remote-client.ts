import { WebSocket } from 'ws';
import { AppError } from '../../shared/contract/errors';
import { ServerFrameReader } from '../../shared/contract/frame-reader';
import type { Bridge, CallOutcome, ClientFrame } from '../../shared/contract/transport';
import { idempotencyKeyOf, isWriteMethod } from '../../shared/contract/write-methods';
import { certificateChangedError, type KnownServers } from './known-servers';
import { pinnedConnection, presentedFingerprint } from './pinned-tls';
import type { ServerAddress } from './server-address';

/** connecting: the first connection; open; reconnecting: lost, trying again; refused: the server cannot be trusted or let us in (no retry). */
export type RemoteStatus = 'connecting' | 'open' | 'reconnecting' | 'refused';

export interface SignInCredentials {
  username: string;
  kind: 'password' | 'pin';
  secret: string;
}

export interface RemoteClientOptions {
  address: ServerAddress;
  knownServers: KnownServers;
  /** First connection to a server not yet trusted: show the fingerprint; true pins it. */
  confirmFingerprint: (fingerprint: string, address: ServerAddress) => Promise<boolean>;
  /** Signed in with on every (re)connection before any other call is sent (the CLI); absent, the window signs in itself. */
  credentials?: SignInCredentials;
  /** Waits between reconnection attempts (the last one repeats). */
  backoffMs?: readonly number[];
  /** How long a read made while disconnected waits for the connection before it fails. */
  readWaitMs?: number;
}

interface Pending {
  frame: ClientFrame;
  sent: boolean;
  /** A write with an idempotency key: if its answer is lost it is sent again on reconnect and answered by the key. */
  resolvable: boolean;
  resolve: (o: CallOutcome) => void;
  timer?: ReturnType<typeof setTimeout>;
}

const MAX_FRAME = 16 * 1024 * 1024;
const failure = (e: AppError): CallOutcome => ({ ok: false, error: e.toWire() });

/**
 * A client of a Stockbook server (the desktop app's main process, the CLI): the typed contract over a TLS WebSocket whose
 * certificate is pinned per server. While the connection is down, writes are refused at once (nothing is queued to run
 * later) and reads wait briefly; it reconnects by itself, signs in again, and a write that was sent but whose answer was
 * lost is sent again with the same idempotency key, so the server answers with the first result instead of doubling it.
 */
export class RemoteClient implements Bridge {
  private socket: WebSocket | null = null;
  private state: RemoteStatus = 'connecting';
  private refusal: AppError | null = null;
  private nextId = 1;
  private attempt = 0;
  private closed = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  /** One listener's failure does not stop the others (the reader catches it). */
  private readonly frames = new ServerFrameReader<Pending>();
  private readonly pending = this.frames.pending;
  private readonly statusListeners = new Set<(s: RemoteStatus) => void>();
  private readonly backoff: readonly number[];

  private constructor(private readonly o: RemoteClientOptions) {
    this.backoff = o.backoffMs ?? [250, 500, 1_000, 2_000, 4_000, 8_000];
  }

  /** Connects (confirming and pinning a new server's fingerprint, refusing a changed one) and signs in when given credentials. */
  static async connect(options: RemoteClientOptions): Promise<RemoteClient> {
    const client = new RemoteClient(options);
    try {
      await client.open(true);
    } catch (e) {
      client.close();
      throw e;
    }
    return client;
  }

  get address(): ServerAddress {
    return this.o.address;
  }

  status(): RemoteStatus {
    return this.state;
  }

  /** Why the server was refused (a changed certificate, a sign-in no longer accepted); null otherwise. */
  refusedBecause(): AppError | null {
    return this.refusal;
  }

  onStatus(listener: (s: RemoteStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  invoke(method: string, input: unknown): Promise<CallOutcome> {
    return new Promise<CallOutcome>((resolve) => {
      if (this.state === 'refused') {
        resolve(failure(this.refusal ?? new AppError('UNAVAILABLE', 'This connection to the Stockbook server was closed. Connect again.')));
        return;
      }
      const write = isWriteMethod(method);
      if (this.state !== 'open' && write) {
        // Never queued: a write made while disconnected is refused, so it is neither lost nor done twice later.
        resolve(
          failure(
            new AppError(
              'UNAVAILABLE',
              `Not connected to the Stockbook server ${this.o.address.label}: nothing was sent and nothing was saved. Stockbook is reconnecting by itself; try again when it is back.`,
              { method },
            ),
          ),
        );
        return;
      }
      const id = this.nextId++;
      const call: Pending = { frame: { kind: 'call', id, method, input }, sent: false, resolvable: write && idempotencyKeyOf(input) !== null, resolve };
      this.pending.set(id, call);
      if (this.state === 'open') this.send(call);
      else {
        call.timer = setTimeout(() => {
          if (!call.sent && this.pending.delete(id)) {
            resolve(failure(new AppError('UNAVAILABLE', `The Stockbook server ${this.o.address.label} is not reachable at the moment. Check the network; Stockbook keeps trying.`, { method })));
          }
        }, this.o.readWaitMs ?? 15_000);
      }
    });
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    return this.frames.on(event, listener);
  }

  /** Every event the server pushes (the desktop passes them all to its window). */
  onAny(listener: (event: string, payload: unknown) => void): () => void {
    return this.frames.onAny(listener);
  }

  close(): void {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.socket?.terminate();
    this.socket = null;
    for (const [id, call] of this.pending) {
      this.pending.delete(id);
      if (call.timer) clearTimeout(call.timer);
      call.resolve(failure(new AppError('UNAVAILABLE', 'The connection to the Stockbook server was closed before it answered.')));
    }
  }

  /** One connection attempt: fingerprint checked (and on the first, confirmed and pinned), socket opened, signed in, in-doubt writes resolved. */
  private async open(first: boolean): Promise<void> {
    const { address, knownServers } = this.o;
    const presented = await presentedFingerprint(address);
    const verdict = knownServers.check(address, presented);
    if (verdict.kind === 'changed') throw this.refuse(certificateChangedError(address, verdict, knownServers.file));
    if (verdict.kind === 'new') {
      if (!first || !(await this.o.confirmFingerprint(presented, address))) {
        throw this.refuse(new AppError('PERMISSION', `The server ${address.label} was not trusted (its fingerprint ${presented} was not confirmed); Stockbook did not connect.`));
      }
      knownServers.pin(address, presented);
    }
    const socket = await this.openSocket(presented);
    if (this.closed) {
      socket.terminate();
      return;
    }
    this.socket = socket;
    socket.on('message', (data) => this.frames.read(String(data)));
    socket.on('close', () => this.lost(socket));
    if (this.o.credentials) {
      const signedIn = await this.direct('auth.signIn', this.o.credentials);
      if (!signedIn.ok) {
        socket.terminate();
        const e = new AppError(signedIn.error.code, `The server ${address.label} did not accept the sign-in of ${this.o.credentials.username}: ${signedIn.error.message}`);
        // A wrong name or password stops here; a connection lost while signing in is tried again.
        throw signedIn.error.code === 'PERMISSION' ? this.refuse(e) : e;
      }
    }
    this.attempt = 0;
    this.setStatus('open');
    // First the writes whose answer was lost (resolved by their idempotency key), then what waited for the connection.
    const waiting = [...this.pending.values()].sort((a, b) => Number(b.resolvable) - Number(a.resolvable));
    for (const call of waiting) if (!call.sent) this.send(call);
  }

  private openSocket(fingerprint: string): Promise<WebSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.o.address.wsUrl, { createConnection: pinnedConnection(fingerprint) as never, maxPayload: MAX_FRAME, handshakeTimeout: 10_000 });
      socket.once('open', () => {
        socket.removeAllListeners('error');
        socket.on('error', () => socket.terminate());
        resolve(socket);
      });
      socket.once('error', (e: NodeJS.ErrnoException & { presented?: string }) => {
        socket.terminate();
        if (e.code === 'CERT_CHANGED') {
          reject(
            this.refuse(
              certificateChangedError(this.o.address, { kind: 'changed', pinned: fingerprint, presented: e.presented ?? 'none', pinnedAt: new Date().toISOString() }, this.o.knownServers.file),
            ),
          );
        } else reject(new AppError('UNAVAILABLE', `Cannot open the Stockbook connection to ${this.o.address.label} (${e.message}). Check that the address is a Stockbook server.`));
      });
    });
  }

  /** A call on the fresh socket before it counts as open (the sign-in). */
  private direct(method: string, input: unknown): Promise<CallOutcome> {
    return new Promise((resolve) => {
      const id = this.nextId++;
      const call: Pending = { frame: { kind: 'call', id, method, input }, sent: false, resolvable: false, resolve };
      this.pending.set(id, call);
      this.send(call);
    });
  }

  private refuse(e: AppError): AppError {
    this.refusal = e;
    this.setStatus('refused');
    return e;
  }

  private send(call: Pending): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    if (call.timer) clearTimeout(call.timer);
    call.timer = undefined;
    call.sent = true;
    this.socket.send(JSON.stringify(call.frame));
  }

  private lost(socket: WebSocket): void {
    if (this.socket !== socket) return;
    this.socket = null;
    for (const [id, call] of this.pending) {
      if (!call.sent) continue;
      if (call.resolvable) {
        call.sent = false; // in doubt: sent again on reconnect, answered by its idempotency key
        continue;
      }
      this.pending.delete(id);
      call.resolve(
        failure(
          new AppError(
            'UNAVAILABLE',
            `Lost the connection to the Stockbook server ${this.o.address.label} before it answered; this call may or may not have been done. Check before doing it again.`,
            { method: call.frame.method },
          ),
        ),
      );
    }
    if (this.closed || this.state === 'refused') return;
    this.setStatus('reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined || this.closed) return;
    const wait = this.backoff[Math.min(this.attempt, this.backoff.length - 1)] ?? 8_000;
    this.attempt++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.open(false).catch(() => {
        if (this.state !== 'refused') this.scheduleReconnect();
        else this.failPending();
      });
    }, wait);
  }

  private failPending(): void {
    for (const [id, call] of this.pending) {
      this.pending.delete(id);
      if (call.timer) clearTimeout(call.timer);
      call.resolve(failure(this.refusal ?? new AppError('UNAVAILABLE', 'The Stockbook server refused the connection.')));
    }
  }

  private setStatus(s: RemoteStatus): void {
    if (this.state === s) return;
    this.state = s;
    for (const l of [...this.statusListeners]) l(s);
  }
}
