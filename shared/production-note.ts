/** A production (Work in Progress) account a posting batch left with a balance: debit − credit, in 1/10000 of the currency. */
export interface ProductionBalance {
  code: string;
  name: string;
  balance: number;
}

/**
 * Why production accounts do not net to zero over a batch, with each balance written by `money`: the currency's own
 * decimals on screen (as every other amount there), the journal's exact four in the text and PDF files.
 */
export function productionNote(balances: readonly ProductionBalance[], money: (amount1e4: number) => string): string {
  const list = balances.map((b) => `${b.code} ${b.name} ${money(b.balance)}`).join(', ');
  return (
    `Production accounts left with a balance by this batch: ${list}. Made stock is valued at its per-unit cost × the quantity made; ` +
    'that cost is a whole number of 1/10000 per unit (or the cost declared on the document), so it can differ from the value of the components consumed by that rounding.'
  );
}

/** A posting report's message with its production note, if any, in `money`'s format. */
export function reportMessage(r: { message: string; productionBalances?: readonly ProductionBalance[] }, money: (amount1e4: number) => string): string {
  return [r.message, r.productionBalances?.length ? productionNote(r.productionBalances, money) : ''].filter(Boolean).join(' ');
}
