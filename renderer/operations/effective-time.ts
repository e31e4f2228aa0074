import { localToIso } from './line-model';

/**
 * The effective time a form sends: the time shown, as an instant, when the clerk set it; none when the field was left
 * as the form opened it, so the ledger stamps the moment the document posts. Sending the opening minute instead dated
 * a sale typed after a receipt (or a minute after opening the form) before that receipt: "held 0 then".
 * A replay of the same document (same idempotency key) sends the same input either way: no time is no time.
 */
export function effectiveTimeInput(shown: string, chosen: boolean): string | undefined {
  return chosen ? localToIso(shown) : undefined;
}
