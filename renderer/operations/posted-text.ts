import { documentLabel } from '../../shared/document-types';
import type { OperationResult } from '../../shared/operations';
import { plural } from '../common/format';

/**
 * What a posting wrote, in words: "Posted Receipt GRN-000123: 3 movements." — the document by its kind and reference
 * (never its row id), or `nothingMoved` when no stock document was written. The result's notes follow.
 */
export function postedText(done: OperationResult, nothingMoved: string): string {
  const head =
    done.documentId !== null ? `Posted ${documentLabel(done.documentType ?? '', done.reference)}: ${plural(done.movementCount, 'movement')}.` : nothingMoved;
  // The same submission again (its answer was lost on a dropped connection, or the button was pressed twice): the first result.
  const replayed = done.replayed && done.documentId !== null ? ['Stockbook had already received it: posted once, nothing was posted twice.'] : [];
  return [head, ...replayed, ...done.notes].join(' ');
}
