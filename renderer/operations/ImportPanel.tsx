import { Button, MessageBar, MessageBarBody, ProgressBar, Select, Text } from '@fluentui/react-components';
import { ArrowUploadRegular, DocumentSearchRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { ImportPreview } from '../../shared/operations';
import { decodeImportBytes } from '../../shared/text-decode';
import { useJob } from '../app/jobs-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { formatCount } from '../common/format';
import { newKey } from './line-model';
import { useFormStyles } from './form-styles';
import { useCanPost } from './use-post-flow';

interface ImportFile {
  csv?: string;
  xlsxBase64?: string;
}

/** A chosen file as CSV text (UTF-8, UTF-16 or Windows-1252, detected), or (.xlsx) as base64 for the workbook reader in the ledger worker. */
function readFile(file: File): Promise<ImportFile> {
  if (!/\.xlsx$/i.test(file.name)) return file.arrayBuffer().then((b) => ({ csv: decodeImportBytes(new Uint8Array(b)).text }));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve({ xlsxBase64: String(reader.result).replace(/^data:[^,]*,/, '') });
    reader.onerror = () => reject(new Error(`${file.name} could not be read. Choose the file again.`));
    reader.readAsDataURL(file);
  });
}

/** CSV or XLSX import of opening stock or receipts: preview every row's problem, then post all rows or none as a job. */
export function ImportPanel() {
  const s = useFormStyles();
  const client = useClient();
  const canPost = useCanPost();
  const [file, setFile] = useState<ImportFile>({});
  const [fileName, setFileName] = useState('');
  const [kind, setKind] = useState<'inventory_import' | 'stock_receipt'>('inventory_import');
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const job = useJob(jobId);

  async function check(f = file) {
    setError(null);
    try {
      setPreview(await client.call('operations.importPreview', { ...f, kind, fileName }));
    } catch (e) {
      setError(toAppError(e));
    }
  }

  async function start() {
    const id = newKey('import');
    try {
      await client.call('operations.importStart', { ...file, kind, fileName, jobId: id, idempotencyKey: id });
      setJobId(id);
    } catch (e) {
      setError(toAppError(e));
    }
  }

  return (
    <div className={s.form}>
      <div className={s.header}>
        <Select size="small" aria-label="Import type" value={kind} onChange={(_, d) => setKind(d.value as typeof kind)}>
          <option value="inventory_import">Opening stock (Inventory Import)</option>
          <option value="stock_receipt">Receipts (Stock Receipt, unit_cost required)</option>
        </Select>
        <input
          type="file"
          accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-label="CSV or XLSX file"
          onChange={(e) => {
            const chosen = e.target.files?.[0];
            if (!chosen) return;
            setFileName(chosen.name);
            setPreview(null);
            void readFile(chosen).then(
              (f) => {
                setFile(f);
                void check(f);
              },
              (err: unknown) => setError(toAppError(err)),
            );
          }}
        />
        <Button size="small" icon={<DocumentSearchRegular />} disabled={!file.csv && !file.xlsxBase64} onClick={() => void check()}>Preview</Button>
        <Button size="small" appearance="primary" icon={<ArrowUploadRegular />} disabled={!canPost || !preview || preview.errorCount > 0 || preview.rows === 0 || (job !== null && !job.finished)} onClick={() => void start()}>
          Import all rows
        </Button>
      </div>
      <Text size={200}>CSV or XLSX (first sheet). Columns: sku, site, bin, qty, batch, expiry (YYYY-MM-DD or a date cell), serial, unit_cost. Nothing is written until every row is valid; then all rows post together.</Text>
      {preview ? (
        <Text size={200} data-testid="import-summary">
          {formatCount(preview.rows)} rows · {formatCount(preview.validRows)} valid · {formatCount(preview.errorCount)} problem(s) · {preview.products} products · {preview.sites} sites
        </Text>
      ) : null}
      {job ? (
        <div>
          <ProgressBar value={job.progress && job.progress.total ? job.progress.done / job.progress.total : undefined} />
          <Text size={200}>{job.finished ? job.finished.message : `${job.progress?.phase ?? 'starting'}…`}</Text>
        </div>
      ) : null}
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {preview && preview.problems.length ? (
        <table className={s.grid} aria-label="Import problems">
          <thead>
            <tr>
              <th className={s.th}>Row</th>
              <th className={s.th}>Column</th>
              <th className={s.th}>Problem</th>
            </tr>
          </thead>
          <tbody>
            {preview.problems.map((p, i) => (
              <tr key={i} data-testid="import-problem">
                <td className={s.td}>{p.row}</td>
                <td className={s.td}>{p.field}</td>
                <td className={s.td}>{p.message}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : preview && preview.rows > 0 ? (
        <MessageBar intent="success">
          <MessageBarBody>All {formatCount(preview.rows)} rows are valid.</MessageBarBody>
        </MessageBar>
      ) : null}
    </div>
  );
}
