import type { RouteId } from './routes';

/** What each not-yet-built window will do, shown on its placeholder page. */
export const PLACEHOLDER_TEXT: Partial<Record<RouteId, string>> = {
  enquiry:
    'Movement Enquiry will list every posted movement, filterable by product, site, movement type and date range, with a drill-down to the source document. It arrives with the enquiry work.',
  operations:
    'Stock Operations will record receipts, transfers, adjustments and wastage as posted documents. It arrives with the operations work.',
  counts:
    'Stock Counts will create count sheets per site, capture counted quantities and post the variances as stock-taking movements. It arrives with the stock count work.',
  posting:
    'Financial Posting will summarise movement values by period, site and movement type for posting to the finance system. It arrives with the posting work.',
};
