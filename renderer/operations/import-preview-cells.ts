import type { ImportPreviewRow } from '../../shared/operations';
import { formatDay, formatMoney, formatQuantity } from '../common/format';

/** One cell of an import preview row: what posting writes, and the file's own text where that reads differently. */
export interface PreviewCell {
  posted: string;
  /** The cell as written in the file, when it is not the very text shown (a number or date read into the company's format). */
  file: string | null;
}

const cell = (posted: string, file: string): PreviewCell => ({ posted, file: file && file !== posted ? file : null });

/**
 * An import file's row as the preview shows it: product (code and name), site and bin, quantity in the product's unit
 * as the company writes numbers, unit cost in its money format, batch, expiry as it writes dates, serial. A field the
 * row could not read is '—' beside the file's text, so a misread decimal comma or date is seen before posting.
 */
export function importPreviewCells(r: ImportPreviewRow): Record<'product' | 'place' | 'qty' | 'unitCost' | 'batch' | 'expiry' | 'serial', PreviewCell> {
  const none = '—';
  return {
    product: cell(r.product ? `${r.product.sku} ${r.product.name}` : none, r.product ? '' : r.file.sku),
    place: cell(r.site ? `${r.site.code}${r.bin ? ` / ${r.bin}` : ''}` : none, r.site ? (r.bin === null && r.file.bin ? r.file.bin : '') : [r.file.site, r.file.bin].filter(Boolean).join(' / ')),
    qty: cell(r.qty !== null && r.product ? `${formatQuantity(r.qty, r.product.scale)} ${r.product.unit}` : none, r.file.qty),
    unitCost: cell(r.unitCost !== null ? formatMoney(r.unitCost) : r.file.unitCost ? none : '', r.file.unitCost),
    batch: cell(r.batch ?? '', r.batch === null ? r.file.batch : ''),
    expiry: cell(r.expiry ? formatDay(r.expiry) : r.file.expiry ? none : '', r.file.expiry),
    serial: cell(r.serial ?? '', r.serial === null ? r.file.serial : ''),
  };
}
