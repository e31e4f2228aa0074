import { decodeImportBytes } from '../../shared/text-decode';

/** An import file as the contract takes it: CSV text, or an XLSX workbook in base64. */
export interface ChosenFile {
  csv?: string;
  xlsxBase64?: string;
}

/** A chosen file as CSV text (UTF-8, UTF-16 or Windows-1252, detected), or (.xlsx) as base64 for the workbook reader in the ledger worker. */
export function readImportFile(file: File): Promise<ChosenFile> {
  if (!/\.xlsx$/i.test(file.name)) return file.arrayBuffer().then((b) => ({ csv: decodeImportBytes(new Uint8Array(b)).text }));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ xlsxBase64: String(reader.result).replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(new Error(`${file.name} could not be read. Choose the file again.`));
    reader.readAsDataURL(file);
  });
}

/** Saves a file the app made: a download in the browser; in the desktop app Electron asks where to save it. */
export function saveFile(fileName: string, data: { csv?: string | undefined; xlsxBase64?: string | undefined }): void {
  const blob = data.xlsxBase64
    ? new Blob([Uint8Array.from(atob(data.xlsxBase64), (c) => c.charCodeAt(0))], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' })
    : new Blob([`\uFEFF${data.csv ?? ''}`], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: fileName });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
