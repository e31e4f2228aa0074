import { createReadStream, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname } from 'node:path';
import { DOWNLOAD_PATH, type DownloadTickets } from '../exports/download-tickets';
import { SECURITY_HEADERS, sendText } from './static-files';

const TYPES: Record<string, string> = {
  '.csv': 'text/csv; charset=utf-8',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.pdf': 'application/pdf',
};

/** `GET /downloads/<ticket>`: a finished export as an attachment, once per ticket. False when the path is not a download. */
export function serveDownload(tickets: DownloadTickets, url: string, res: ServerResponse): boolean {
  if (!url.startsWith(DOWNLOAD_PATH)) return false;
  const found = tickets.take(url.slice(DOWNLOAD_PATH.length).split('?')[0] ?? '');
  if (!found) {
    sendText(res, 404, 'This download link was already used or has expired. Choose Download again in Stockbook.');
    return true;
  }
  let size: number;
  try {
    size = statSync(found.file).size;
  } catch {
    sendText(res, 404, 'The export file is gone (moved or deleted). Export the list again.');
    return true;
  }
  const ascii = found.fileName.replace(/[^\w.-]/g, '_');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': TYPES[extname(found.fileName).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': String(size),
    'Content-Disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(found.fileName)}`,
    'Cache-Control': 'no-store',
  });
  createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
  return true;
}
