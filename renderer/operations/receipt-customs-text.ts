import { countryByCode } from '../../shared/countries';
import type { SupplierRecord } from '../../shared/suppliers';

/** What the supplier's EC membership means for seed 004's customs rule, read-only (change it on the supplier). */
export function supplierEcText(s: Pick<SupplierRecord, 'name' | 'country' | 'inEc'> | null, paid: boolean): string {
  if (!s) return 'Pick the supplier first: customs duty is posted only for stock from a supplier outside the EC.';
  const where = `${s.name} is ${s.inEc ? 'in' : 'outside'} the EC (${countryByCode(s.country)?.name ?? s.country})`;
  if (s.inEc) return `${where}: no customs duty is posted for this receipt.`;
  return `${where}: ${paid ? 'its customs duty on-costs are posted to Customs Duty Recovery.' : 'tick Customs duty paid to post its customs duty on-costs.'}`;
}

