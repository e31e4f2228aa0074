import type { CallOutcome, ServerFrame } from './transport';

/** A server frame from the text of one WebSocket message; null for anything that is not one (not JSON, wrong shape). */
export function parseServerFrame(text: string): ServerFrame | null {
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof frame !== 'object' || frame === null) return null;
  const f = frame as Record<string, unknown>;
  if (f.kind === 'reply' && typeof f.id === 'number' && typeof f.outcome === 'object' && f.outcome !== null) return frame as ServerFrame;
  if (f.kind === 'event' && typeof f.event === 'string') return frame as ServerFrame;
  return null;
}

export interface FrameReaderOptions {
  /** A message that is not a server frame (it is dropped). */
  onBadFrame?: (text: string) => void;
  /** A listener threw (the other listeners still run). */
  onListenerError?: (event: string, error: unknown) => void;
}

/**
 * The client side of the WebSocket contract, shared by the renderer's bridge (browser mode) and the desktop's and CLI's
 * client of a Stockbook server: the calls waiting for their reply, the event listeners, and the reading of each server
 * frame (a reply answers its call once; an event goes to every listener, one failing listener stopping none).
 * Pure TypeScript: no Node, no DOM; each transport owns its socket, reconnection and what a pending call holds.
 */
export class ServerFrameReader<P extends { resolve(outcome: CallOutcome): void }> {
  /** Calls sent or waiting to be sent, by frame id. */
  readonly pending = new Map<number, P>();
  private readonly listeners = new Map<string, Set<(payload: unknown) => void>>();
  private readonly anyListeners = new Set<(event: string, payload: unknown) => void>();

  constructor(private readonly options: FrameReaderOptions = {}) {}

  on(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  /** Every event, whatever its name (the desktop passes them all on to its window). */
  onAny(listener: (event: string, payload: unknown) => void): () => void {
    this.anyListeners.add(listener);
    return () => {
      this.anyListeners.delete(listener);
    };
  }

  /** Reads one message from the server. */
  read(data: unknown): void {
    const text = String(data);
    const frame = parseServerFrame(text);
    if (!frame) {
      this.options.onBadFrame?.(text);
      return;
    }
    if (frame.kind === 'reply') {
      const call = this.pending.get(frame.id);
      if (!call) return; // answered already, or given up on
      this.pending.delete(frame.id);
      call.resolve(frame.outcome);
      return;
    }
    for (const listener of [...this.anyListeners]) this.guard(frame.event, () => listener(frame.event, frame.payload));
    for (const listener of [...(this.listeners.get(frame.event) ?? [])]) this.guard(frame.event, () => listener(frame.payload));
  }

  private guard(event: string, run: () => void): void {
    try {
      run();
    } catch (error) {
      this.options.onListenerError?.(event, error);
    }
  }
}
