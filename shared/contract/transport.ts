import type { WireError } from './errors';
import type { EventName, Events } from './events';
import type { MethodInput, MethodName, MethodResult } from './methods';

/** The outcome of one call, as it crosses IPC or the WebSocket. */
export type CallOutcome<R = unknown> = { ok: true; result: R } | { ok: false; error: WireError };

/** What preload exposes on window.stockbook, and what the WebSocket client implements. */
export interface Bridge {
  invoke(method: string, input: unknown): Promise<CallOutcome>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

/** The typed client the renderer uses; both transports satisfy it. */
export interface StockbookClient {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
}

/** WebSocket frames (browser mode). */
export type ClientFrame = { kind: 'call'; id: number; method: string; input: unknown };
export type ServerFrame =
  | { kind: 'reply'; id: number; outcome: CallOutcome }
  | { kind: 'event'; event: string; payload: unknown };

export const WS_PATH = '/ipc';
