import { withArticle } from '../../shared/article';
import type { DocumentSummary } from '../../shared/operations';

/** Which source kinds (receipt or sale kinds) each reversal type undoes: `REVERSAL_OF_RECEIPT` or `REFUND_OF_SALE`. */
export type ReversalSources = Readonly<Record<string, readonly string[]>>;

/**
 * The documents some reversal type can reverse, whichever type is chosen: a clerk finds a receipt by its number or
 * reference without knowing its internal type. A document of several line types (kind null) is listed too.
 */
export function reversibleDocuments(docs: readonly DocumentSummary[], sources: ReversalSources): DocumentSummary[] {
  const reversible = new Set(Object.values(sources).flat());
  return docs.filter((d) => d.kind === null || reversible.has(d.kind));
}

/** The documents a typed text finds: the start of the document number, or part of its reference (any case); all on empty text. */
export function findDocuments(docs: readonly DocumentSummary[], text: string): DocumentSummary[] {
  const q = text.trim().toLowerCase();
  if (!q) return [...docs];
  return docs.filter((d) => String(d.documentId).startsWith(q) || (d.reference ?? '').toLowerCase().includes(q));
}

/**
 * The one document Enter on the typed text opens: a listed document's number, else the one document with exactly that
 * reference, else the only one found, else a document number not listed (older: it is fetched); null when the text
 * leaves a choice.
 */
export function documentToOpen(docs: readonly DocumentSummary[], text: string): number | null {
  const q = text.trim().toLowerCase();
  if (!q) return null;
  const number = /^[1-9]\d{0,14}$/.test(q) ? Number(q) : null;
  if (number !== null && docs.some((d) => d.documentId === number)) return number;
  const byReference = docs.filter((d) => (d.reference ?? '').toLowerCase() === q);
  if (byReference.length === 1) return byReference[0]!.documentId;
  const found = findDocuments(docs, q);
  return found.length === 1 ? found[0]!.documentId : number;
}

/** The reversal type for a document's line types: the chosen one when it reverses any of them, else the first that does (else the chosen one). */
export function reversalKindFor(lineTypes: readonly string[], kinds: readonly string[], sources: ReversalSources, chosen: string): string {
  const fits = (k: string) => lineTypes.some((t) => (sources[k] ?? []).includes(t));
  return fits(chosen) ? chosen : (kinds.find(fits) ?? chosen);
}

/**
 * Why opening a document changed Type (walk: "Inbound Reversal" silently became "Supplier Credit"), by the types' names
 * as Type lists them: which type was chosen, what the document is, and what the clerk's type undoes instead.
 */
export function typeChosenText(change: { documentId: number; from: string; to: string; documentKinds: readonly string[]; fromUndoes: readonly string[] }): string {
  const { documentId, from, to, documentKinds, fromUndoes } = change;
  const undoes = fromUndoes.length ? `; ${withArticle(from)} undoes only ${fromUndoes.map(withArticle).join(' or ')}` : '';
  return `Type changed from ${from} to ${to}: document ${documentId} is ${withArticle(documentKinds.join(' + '))}, which ${withArticle(to)} undoes${undoes}.`;
}
