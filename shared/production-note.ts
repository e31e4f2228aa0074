/** A production (Work in Progress) account a posting batch left with a balance: debit − credit, in 1/10000 of the currency. */
export interface ProductionBalance {
  code: string;
  name: string;
  balance: number;
  /**
   * The control accounts take the made stock out of it at a cost that includes what they do not bring into it (the
   * components' on-costs of a group that posts none; labour and overhead), so it keeps that by design, not by rounding.
   */
  absorbs?: boolean;
}

/**
 * Why production accounts do not net to zero over a batch, with each balance written by `money`: the currency's own
 * decimals on screen (as every other amount there), the journal's exact four in the text and PDF files.
 */
export function productionNote(balances: readonly ProductionBalance[], money: (amount1e4: number) => string): string {
  const list = (bs: readonly ProductionBalance[]) => bs.map((b) => `${b.code} ${b.name} ${money(b.balance)}`).join(', ');
  const rounded = balances.filter((b) => !b.absorbs);
  const absorbing = balances.filter((b) => b.absorbs);
  return [
    rounded.length
      ? `Production accounts left with a balance by this batch: ${list(rounded)}. Made stock is valued at its per-unit cost × the quantity made; ` +
        'that cost is a whole number of 1/10000 per unit (or the cost declared on the document), so it can differ from the value of the components consumed by that rounding.'
      : '',
    absorbing.length
      ? `Production costs absorbed into made stock by this batch: ${list(absorbing)}. Made stock's cost includes its components' on-costs, ` +
        'and the control accounts take it out of this account without bringing in the on-costs of groups that post none (or labour and overhead), so the account keeps them, with any rounding.'
      : '',
  ].filter(Boolean).join(' ');
}

/** A posting report's message with its production note, if any, in `money`'s format. */
export function reportMessage(r: { message: string; productionBalances?: readonly ProductionBalance[] }, money: (amount1e4: number) => string): string {
  return [r.message, r.productionBalances?.length ? productionNote(r.productionBalances, money) : ''].filter(Boolean).join(' ');
}
