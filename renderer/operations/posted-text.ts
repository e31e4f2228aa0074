import { documentLabel } from '../../shared/document-types';
import { movementType } from '../../shared/movement-types';
import type { OperationResult } from '../../shared/operations';
import { plural } from '../common/format';

/** The posted document as the confirmation names it: by the movement type the user chose when there is one, as the posting report and the movement list call it ("Wastage WO-000012"), else by its kind. */
function postedLabel(done: OperationResult, chosen: string | undefined): string {
  if (!chosen) return documentLabel(done.documentType ?? '', done.reference);
  const name = movementType(chosen).displayName;
  return done.reference ? `${name} ${done.reference}` : `${name} (no reference)`;
}

/**
 * What a posting wrote, in words: "Posted Receipt GRN-000123: 3 movements." — the document by its kind and reference
 * (never its row id), or `nothingMoved` when no stock document was written. The result's notes follow. `chosen`: the
 * movement type the user picked for it (Wastage / clear), named instead of the document's kind ("Posted Wastage …").
 */
export function postedText(done: OperationResult, nothingMoved: string, chosen?: string): string {
  const head = done.documentId !== null ? `Posted ${postedLabel(done, chosen)}: ${plural(done.movementCount, 'movement')}.` : nothingMoved;
  // The same submission again (its answer was lost on a dropped connection, or the button was pressed twice): the first
  // result, a document's or a refund's value-only credits alike.
  const replayed = done.replayed ? ['Stockbook had already received it: posted once, nothing was posted twice.'] : [];
  return [head, ...replayed, ...done.notes].join(' ');
}
