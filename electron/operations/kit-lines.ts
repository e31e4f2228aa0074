import type { KitOrigin, NewKitLine } from './ops-store';

/** A kit line of a sale form (its form line, kit product, quantity typed) and the document lines its components became. */
export type KitSource = KitOrigin & { firstLineNo: number; lastLineNo: number };

/**
 * The movement_kit_lines rows of a posted document whose first movement is `firstSeq`: one per component movement of
 * each kit line. A document's movements take consecutive seqs in line order (line n is firstSeq + n - 1) on both stores.
 */
export function kitLineRows(firstSeq: number, kits: readonly KitSource[]): NewKitLine[] {
  return kits.flatMap((k) =>
    Array.from({ length: k.lastLineNo - k.firstLineNo + 1 }, (_, i) => ({
      seq: firstSeq + k.firstLineNo - 1 + i,
      form_line_no: k.formLineNo,
      kit_product_id: k.kitProductId,
      kit_qty: k.kitQty,
    })),
  );
}
