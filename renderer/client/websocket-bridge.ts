import { AppError } from '../../shared/contract/errors';
import { ServerFrameReader } from '../../shared/contract/frame-reader';
import type { Bridge, CallOutcome, ClientFrame } from '../../shared/contract/transport';
import { idempotencyKeyOf, isWriteMethod } from '../../shared/contract/write-methods';
import type { ConnectionAware, ConnectionStatus } from './connection-status';

const LOST_MESSAGE = 'Lost the connection to Stockbook before it answered. Check that Stockbook is still running, then try again.';
const LOST_WRITE_MESSAGE = 'Lost the connection to Stockbook before it answered, so this may or may not have been saved. When the connection is back, check before doing it again.';
const DOWN_MESSAGE = 'Not connected to Stockbook: nothing was sent and nothing was saved. It reconnects by itself; try again when the connection is back.';
const UNREACHABLE_MESSAGE =
  'Cannot connect to Stockbook. Check that Stockbook is still running; if it was restarted, open it again from the link it printed, because the access token in this link is no longer valid.';
/** How long a call made while disconnected waits for the connection before it fails. */
const QUEUE_TIMEOUT_MS = 15_000;
const BACKOFF_MS = [250, 500, 1_000, 2_000, 4_000, 8_000];

interface PendingCall {
  frame: ClientFrame;
  sent: boolean;
  /** A write with an idempotency key: if its answer is lost it is sent again on reconnect and answered by the key. */
  resolvable: boolean;
  resolve: (outcome: CallOutcome) => void;
  reject: (error: AppError) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Browser-mode bridge: ClientFrame/ServerFrame JSON over one WebSocket.
 * Writes made while the socket is not open are refused at once (never queued to run later, behind the user's back);
 * reads wait for it to open. The socket reconnects by itself with backoff. A write with an idempotency key that was sent
 * but whose answer was lost is sent again on reconnect and answered by its key (the first result, never a second
 * document), as the desktop's server client does; other calls already sent when the socket drops are rejected (they
 * may or may not have run).
 */
export class WebSocketBridge implements Bridge, ConnectionAware {
  private socket: WebSocket | null = null;
  private status: ConnectionStatus = 'connecting';
  private nextId = 1;
  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly frames = new ServerFrameReader<PendingCall>({
    onBadFrame: () => console.warn('Stockbook: ignored a WebSocket message that is not a Stockbook frame'),
    onListenerError: (event, error) => console.error(`Stockbook: a listener for "${event}" failed`, error),
  });
  private readonly pending = this.frames.pending;
  private readonly statusListeners = new Set<(status: ConnectionStatus) => void>();

  constructor(private readonly url: string) {
    this.connect();
  }

  invoke(method: string, input: unknown): Promise<CallOutcome> {
    return new Promise<CallOutcome>((resolve, reject) => {
      if (this.status !== 'open' && isWriteMethod(method)) {
        reject(new AppError('UNAVAILABLE', DOWN_MESSAGE, { method }));
        return;
      }
      const id = this.nextId++;
      const call: PendingCall = { frame: { kind: 'call', id, method, input }, sent: false, resolvable: isWriteMethod(method) && idempotencyKeyOf(input) !== null, resolve, reject, timer: undefined };
      this.pending.set(id, call);
      if (this.status === 'open') {
        this.send(call);
      } else {
        call.timer = setTimeout(() => {
          if (!call.sent && this.pending.delete(id)) reject(new AppError('UNAVAILABLE', UNREACHABLE_MESSAGE));
        }, QUEUE_TIMEOUT_MS);
      }
    });
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    return this.frames.on(event, listener);
  }

  connectionStatus(): ConnectionStatus {
    return this.status;
  }

  onConnectionStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => {
      this.statusListeners.delete(listener);
    };
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    let socket: WebSocket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    socket.addEventListener('open', () => {
      if (this.socket !== socket) return;
      this.attempt = 0;
      this.setStatus('open');
      // First the writes whose answer was lost (answered by their idempotency key, never done twice), then what waited.
      const waiting = [...this.pending.values()].sort((a, b) => Number(b.resolvable) - Number(a.resolvable));
      for (const call of waiting) if (!call.sent) this.send(call);
    });
    socket.addEventListener('message', (message) => {
      if (this.socket === socket) this.frames.read(message.data);
    });
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.failSentCalls();
      this.setStatus('reconnecting');
      this.scheduleReconnect();
    });
    // 'error' is always followed by 'close', which does the work; listening keeps it from being unhandled.
    socket.addEventListener('error', () => undefined);
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer !== undefined) return;
    const base = BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)] ?? 8_000;
    this.attempt++;
    const jitter = Math.round(base * 0.2 * Math.random());
    this.reconnectTimer = setTimeout(() => this.connect(), base + jitter);
  }

  private send(call: PendingCall): void {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return;
    if (call.timer !== undefined) clearTimeout(call.timer);
    call.timer = undefined;
    call.sent = true;
    this.socket.send(JSON.stringify(call.frame));
  }

  private failSentCalls(): void {
    for (const [id, call] of this.pending) {
      if (!call.sent) continue;
      if (call.resolvable) {
        call.sent = false; // in doubt: sent again on reconnect, answered by its idempotency key
        continue;
      }
      this.pending.delete(id);
      call.reject(new AppError('UNAVAILABLE', isWriteMethod(call.frame.method) ? LOST_WRITE_MESSAGE : LOST_MESSAGE));
    }
  }

  private setStatus(status: ConnectionStatus): void {
    if (this.status === status) return;
    this.status = status;
    for (const listener of [...this.statusListeners]) listener(status);
  }
}
