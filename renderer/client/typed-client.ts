import { AppError, isWireError } from '../../shared/contract/errors';
import type { EventName, Events } from '../../shared/contract/events';
import type { MethodInput, MethodName, MethodResult } from '../../shared/contract/methods';
import type { Bridge, CallOutcome, StockbookClient } from '../../shared/contract/transport';

/** Wraps a Bridge into the typed StockbookClient; failed outcomes become thrown AppErrors. */
export function createClient(bridge: Bridge): StockbookClient {
  return {
    async call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodResult<M>> {
      let outcome: CallOutcome;
      try {
        outcome = await bridge.invoke(method, input);
      } catch (error) {
        if (error instanceof AppError) throw error;
        throw new AppError('UNAVAILABLE', `Stockbook did not answer (${error instanceof Error ? error.message : String(error)}). Check that it is still running and try again.`, { method });
      }
      if (outcome.ok) return outcome.result as MethodResult<M>;
      if (isWireError(outcome.error)) throw AppError.fromWire(outcome.error);
      throw new AppError('INTERNAL', 'Stockbook answered with an error it could not read. Try again, and report it if it repeats.', { method });
    },
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      return bridge.on(event, (payload) => listener(payload as Events[E]));
    },
  };
}
