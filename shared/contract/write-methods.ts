/**
 * The methods that change nothing: every method the contract gives the 'read:stock' permission except those a
 * reader may call that still act (a scan posts, an import writes, a job starts or stops, desktop settings change),
 * and the sign-in status and sign-in. A plain list rather than a look into the contract's method map, so that the
 * renderer never loads the contract's schemas (evaluating them was a long task of the app's start, issue 14); the
 * unit test holds it equal to the contract.
 */
export const READ_METHODS: ReadonlySet<string> = new Set([
  'app.info',
  'sites.list',
  'stock.current',
  'operations.draftList', 'operations.draftGet', 'operations.adjustmentHistory', 'operations.products', 'operations.bins', 'operations.availability', 'operations.document', 'operations.recentDocuments',
  'enquiry.movements', 'enquiry.count', 'enquiry.batchJourney', 'enquiry.productDetails', 'enquiry.stockAt', 'enquiry.lowStock', 'enquiry.lookups', 'enquiry.dashboard', 'enquiry.stockBalance', 'enquiry.countRefine', 'enquiry.exports',
  'counts.list', 'counts.get', 'counts.bins', 'counts.lineCodes', 'counts.lineMovements',
  'posting.documentCustoms',
  'scanner.status',
  'backups.status',
  'auth.status', 'auth.signIn',
  'masterdata.sites', 'masterdata.bins', 'masterdata.products', 'masterdata.product', 'masterdata.productStock', 'masterdata.history', 'masterdata.variants', 'masterdata.groups',
  'suppliers.list', 'suppliers.codes',
  'company.get',
  'recipes.products', 'recipes.versions', 'recipes.versionAt', 'recipes.explode',
  'catalog.preview', 'catalog.export',
  'exports.job', 'exports.download',
  'desktop.saveDialog', 'desktop.openExport', 'desktop.printToPdf',
]);

/**
 * True when a method may write: such a call is refused at once while the connection is down (never queued to run
 * later), and unknown methods count as writes. Reads may wait for the connection to come back.
 */
export function isWriteMethod(method: string): boolean {
  return !READ_METHODS.has(method);
}

/** The idempotency key of a call's input, when it has one: a call sent whose answer was lost is resolved by sending it again. */
export function idempotencyKeyOf(input: unknown): string | null {
  const key = typeof input === 'object' && input !== null ? (input as { idempotencyKey?: unknown }).idempotencyKey : undefined;
  return typeof key === 'string' && key.trim().length >= 8 ? key : null;
}
