import { dayOfMs } from './format';
import type { MethodInput } from '../../shared/contract/methods';
import type { ExportJobInfo } from '../../shared/enquiry';
import type { StockbookClient } from '../../shared/contract/transport';

export type ExportRequest = MethodInput<'exports.start'>;

/**
 * Starts an export where the user wants it: in the desktop app the native Save dialog asks first (null when they
 * cancel); in the browser the file is made on the server and downloaded when it is finished.
 */
export async function startExport(client: StockbookClient, mode: 'electron' | 'web' | undefined, request: ExportRequest, fileName: string): Promise<ExportJobInfo | null> {
  const format = request.format ?? 'csv';
  if (mode === 'electron') {
    const { path } = await client.call('desktop.saveDialog', { suggestedName: fileName, format });
    if (!path) return null;
    return client.call('exports.start', { ...request, saveTo: path });
  }
  return client.call('exports.start', request);
}

/** Browser mode: fetches a finished export through its one-time address (the browser saves it to Downloads). */
export async function downloadExport(client: StockbookClient, jobId: string): Promise<void> {
  const { url, fileName } = await client.call('exports.download', { jobId });
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.append(a);
  a.click();
  a.remove();
}

/** "current-stock-2026-12-02": a file name for today (the company's day). */
export const exportName = (list: string) => `${list}-${dayOfMs(Date.now())}`;
