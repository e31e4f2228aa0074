import { Button, Field, MessageBar, MessageBarBody, ProgressBar, Select, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowDownloadRegular, ArrowUploadRegular, DismissRegular, DocumentSearchRegular } from '@fluentui/react-icons';
import { useEffect, useId, useState } from 'react';
import { BARCODE_SEPARATOR, CATALOG_SHEETS, type CatalogPreview, type CatalogSheetName } from '../../shared/catalog';
import { CATALOG_CHOICES } from '../../shared/catalog-choices';
import type { AppError } from '../../shared/contract/errors';
import { useJob } from '../app/jobs-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { formatCount, plural } from '../common/format';
import { NumbersInFile, useFileNumberLocale } from '../common/NumbersInFile';
import { numberFormatName } from '../../shared/file-numbers';
import { formatDate } from '../../shared/company-format';
import { useCompany } from '../company/company-context';
import { readImportFile, saveFile, type ChosenFile } from '../operations/read-import-file';
import { CatalogPreviewGrid } from './CatalogPreviewGrid';

const useStyles = makeStyles({
  page: { display: 'flex', flexDirection: 'column', gap: '14px', padding: '12px 16px', overflow: 'auto', flexGrow: 1, minWidth: 0 },
  section: { display: 'flex', flexDirection: 'column', gap: '8px', padding: '12px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium, backgroundColor: tokens.colorNeutralBackground1 },
  h2: { margin: 0, fontSize: tokens.fontSizeBase400, fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', flexWrap: 'wrap', gap: '8px 12px', alignItems: 'flex-end' },
  hint: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  summary: { display: 'flex', flexDirection: 'column', gap: '2px' },
});

type SheetChoice = 'auto' | CatalogSheetName;

/** Each sheet as the window names it, with its columns (the first ones identify a row), in import order. */
const SHEET_HELP: Record<CatalogSheetName, { title: string; columns: string | ((companyDate: string) => string) }> = {
  sites: { title: 'Sites', columns: 'Code, Name, Kind, Allow negative stock, Active' },
  bins: { title: 'Bins', columns: 'Site, Code, Name, Stock status, Active' },
  groups: { title: 'Product groups', columns: 'Group code, Group name, Post on-costs, Active' },
  suppliers: { title: 'Suppliers', columns: 'Supplier code, Supplier name, Country, In EC, Contact name, Email, Phone, Address, Notes, Active' },
  products: {
    title: 'Products',
    columns:
      'SKU, Name, Description, Barcodes, Unit, Decimals, Stock type, Tracking, Stock keeping, Low-stock level, Active, Group, Country of origin, ' +
      'Variant attributes (a parent, e.g. Size=S|M|L; Colour=Red|Blue, with stock keeping no), ' +
      'Parent SKU and Variant values (a variant, e.g. TEE and Size=M; Colour=Red; the parent exists or is on an earlier row)',
  },
  productSites: { title: 'Product sites', columns: 'SKU, Site code, Site low-stock level, Default bin code' },
  supplierCodes: { title: 'Supplier codes', columns: "Supplier code, SKU, Supplier's product code" },
  recipes: {
    title: 'Recipes',
    columns: (companyDate) =>
      'Recipe SKU, Effective from (a date as 2026-05-31 (year-month-day), optionally with a time 2026-05-31T14:00' +
      (companyDate === '2026-05-31' ? '' : `, or as the company writes dates, ${companyDate}`) +
      '; empty: from the beginning, or now for a later version), Component SKU, Qty per unit',
  },
};
const sheetColumns = (x: CatalogSheetName, companyDate: string) => {
  const columns = SHEET_HELP[x].columns;
  return typeof columns === 'string' ? columns : columns(companyDate);
};
type ExportChoice = CatalogSheetName | 'all';
let jobCounter = 0;

/**
 * Catalog import and export: choose a CSV or XLSX file, see what it would create and update and every row's problem,
 * import all rows or none as a background job (cancellable while it checks); export any sheet as a file
 * that import back unchanged.
 */
export function CatalogPage() {
  const s = useStyles();
  const client = useClient();
  const importRefusal = useRefusal('You can preview a file, but importing', 'manage:products', 'manage:sites');
  const [locale, setLocale] = useFileNumberLocale();
  const company = useCompany().settings;
  // 31 May 2026 as the company writes a date (de-DE 31.05.2026): the Recipes sheet's Effective from reads it too.
  const companyDate = formatDate(Date.UTC(2026, 4, 31), { timeZone: 'UTC', locale: company.locale });
  const fileInputId = useId();
  const [file, setFile] = useState<ChosenFile>({});
  const [fileName, setFileName] = useState('');
  const [sheet, setSheet] = useState<SheetChoice>('auto');
  const [preview, setPreview] = useState<CatalogPreview | null>(null);
  /** The same file previewed again once imported: the summary then says what the catalog holds now, not what was to do. */
  const [after, setAfter] = useState<CatalogPreview | null>(null);
  const [checking, setChecking] = useState(false);
  const [error, setError] = useState<AppError | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [exportSheet, setExportSheet] = useState<ExportChoice>('products');
  const [exporting, setExporting] = useState(false);
  const job = useJob(jobId);
  const running = job !== null && !job.finished;
  const imported = job?.finished?.ok === true;
  const isCsv = Boolean(file.csv);
  useEffect(() => {
    if (!imported || !jobId) return;
    // Another file chosen meanwhile (the job id cleared) makes this answer stale: it must not replace that file's preview.
    let stale = false;
    client.call('catalog.preview', { ...file, fileName, locale, ...(file.csv && sheet !== 'auto' ? { sheet } : {}) }).then(
      (p) => {
        if (!stale) setAfter(p);
      },
      (e: unknown) => {
        if (!stale) setError(toAppError(e));
      },
    );
    return () => {
      stale = true;
    };
    // read again once per finished import (the job id), with the file it imported
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [imported, jobId]);
  const summary = after ?? preview;

  async function check(f = file, which = sheet, l = locale) {
    if (!f.csv && !f.xlsxBase64) return;
    setError(null);
    setChecking(true);
    try {
      setPreview(await client.call('catalog.preview', { ...f, fileName, locale: l, ...(f.csv && which !== 'auto' ? { sheet: which } : {}) }));
    } catch (e) {
      setPreview(null);
      setError(toAppError(e));
    } finally {
      setChecking(false);
    }
  }

  async function start() {
    const id = `catalog-${Date.now()}-${++jobCounter}`;
    setError(null);
    try {
      await client.call('catalog.importStart', { ...file, fileName, locale, jobId: id, ...(file.csv && sheet !== 'auto' ? { sheet } : {}) });
      setJobId(id);
    } catch (e) {
      setError(toAppError(e));
    }
  }

  async function exportFile(format: 'csv' | 'xlsx') {
    setExporting(true);
    setError(null);
    try {
      const sheets: CatalogSheetName[] = exportSheet === 'all' ? [...CATALOG_SHEETS] : [exportSheet];
      const out = await client.call('catalog.export', { sheets, format, locale });
      saveFile(out.fileName, out);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setExporting(false);
    }
  }

  const changes = preview ? preview.sheets.reduce((n, x) => n + x.creates + x.updates, 0) : 0;
  return (
    <div className={s.page} data-testid="catalog-page">
      <section className={s.section} aria-labelledby="catalog-import-title">
        <h2 id="catalog-import-title" className={s.h2}>Import products, groups, suppliers, sites and bins</h2>
        <Text className={s.hint}>
          A CSV file holds one sheet; an XLSX workbook may hold one worksheet per sheet, named as below. Records are matched by their first columns: new
          ones are created, existing ones updated, and a column left out keeps its values. A row may refer to a record created by an earlier sheet of the
          same workbook. Several barcodes go in one cell separated by {BARCODE_SEPARATOR}. Numbers are read (and exported) in the format chosen under “Numbers in this file”, the company’s unless you choose another. Nothing is written
          until every row is valid; then all rows are written together.
        </Text>
        <ul className={s.hint} data-testid="catalog-sheet-help">
          {CATALOG_SHEETS.map((x) => (
            <li key={x}>
              <b>{SHEET_HELP[x].title}</b>: {sheetColumns(x, companyDate)}
              {CATALOG_CHOICES[x].length ? (
                <div data-testid={`catalog-choices-${x}`}>
                  Allowed values:{' '}
                  {CATALOG_CHOICES[x].map((c, i) => (
                    <span key={c.header}>
                      {i ? ' · ' : ''}
                      <i>{c.header}</i> {c.values.join(', ')} (empty: {c.empty})
                    </span>
                  ))}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
        <div className={s.row}>
          <Field label="CSV or XLSX file">
            <input
              id={fileInputId}
              type="file"
              accept=".csv,text/csv,.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              aria-label="Catalog file"
              data-testid="catalog-file"
              onChange={(e) => {
                const chosen = e.target.files?.[0];
                if (!chosen) return;
                setFileName(chosen.name);
                setPreview(null);
                setAfter(null);
                setJobId(null);
                void readImportFile(chosen).then(
                  (f) => {
                    setFile(f);
                    void check(f);
                  },
                  (err: unknown) => setError(toAppError(err)),
                );
              }}
            />
          </Field>
          <Field label="A CSV file holds">
            <Select
              value={sheet}
              disabled={!isCsv}
              onChange={(_, d) => {
                setSheet(d.value as SheetChoice);
                void check(file, d.value as SheetChoice);
              }}
              data-testid="catalog-sheet"
            >
              <option value="auto">Found from its headers</option>
              {CATALOG_SHEETS.map((x) => (
                <option key={x} value={x}>
                  {SHEET_HELP[x].title}
                </option>
              ))}
            </Select>
          </Field>
          <NumbersInFile
            orientation="vertical"
            locale={locale}
            onChange={(l) => {
              setLocale(l);
              setJobId(null);
              void check(file, sheet, l);
            }}
          />
          <Button icon={<DocumentSearchRegular />} disabled={(!file.csv && !file.xlsxBase64) || checking || running} onClick={() => void check()} data-testid="catalog-preview">
            Preview again
          </Button>
          <PermissionButton
            refusal={importRefusal}
            appearance="primary"
            icon={<ArrowUploadRegular />}
            disabled={!preview || preview.problemCount > 0 || changes === 0 || checking || running || imported}
            onClick={() => void start()}
            data-testid="catalog-import"
          >
            Import
          </PermissionButton>
          {running ? (
            <Button icon={<DismissRegular />} onClick={() => void client.call('jobs.cancel', { jobId: jobId! })} data-testid="catalog-cancel">
              Cancel
            </Button>
          ) : null}
        </div>
        {importRefusal !== null ? <Text className={s.hint}>{importRefusal}</Text> : null}
        {checking ? <ProgressBar aria-label="Checking the file" /> : null}
        {summary ? (
          <div className={s.summary} data-testid="catalog-summary" role="status">
            {after ? <Text weight="semibold" data-testid="catalog-summary-after">After the import, the file against the catalog:</Text> : null}
            <Text data-testid="catalog-numbers">Numbers read as {numberFormatName(summary.locale)}</Text>
            {summary.sheets.map((x) => (
              <Text key={x.sheet} data-testid={`catalog-summary-${x.sheet}`}>
                <b>{x.title}</b>: {plural(x.rows, 'row')} · {formatCount(x.creates)} to create · {formatCount(x.updates)} to update · {formatCount(x.unchanged)} unchanged
                {x.ignoredColumns.length ? ` · columns not read: ${x.ignoredColumns.join(', ')}` : ''}
              </Text>
            ))}
            {summary.ignoredSheets.length ? <Text className={s.hint}>Worksheets not read: {summary.ignoredSheets.join(', ')}</Text> : null}
            {summary.problemCount > 0 ? (
              <MessageBar intent="error">
                <MessageBarBody>
                  {plural(summary.problemCount, 'problem')}: fix {summary.problemCount === 1 ? 'it' : 'them'} in the file and choose it again. Nothing was written.
                </MessageBarBody>
              </MessageBar>
            ) : summary.sheets.every((x) => x.creates + x.updates === 0) ? (
              <MessageBar intent="info">
                <MessageBarBody>Every row matches the catalog already: there is nothing to import.</MessageBarBody>
              </MessageBar>
            ) : null}
          </div>
        ) : null}
        {job ? (
          <div data-testid="catalog-job" data-status={job.finished ? (job.finished.ok ? 'done' : job.finished.cancelled ? 'cancelled' : 'failed') : 'running'}>
            <ProgressBar value={job.finished ? 1 : job.progress && job.progress.total ? job.progress.done / job.progress.total : undefined} aria-label="Import progress" />
            <Text size={200} role="status" data-testid="catalog-job-message">
              {job.finished ? job.finished.message : `${job.progress?.phase ?? 'starting'}… ${job.progress ? plural(Math.min(job.progress.done, job.progress.total / 2), 'row') : ''}`}
            </Text>
          </div>
        ) : null}
        {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
        {preview ? <CatalogPreviewGrid preview={preview} imported={imported} /> : null}
      </section>

      <section className={s.section} aria-labelledby="catalog-export-title">
        <h2 id="catalog-export-title" className={s.h2}>Export</h2>
        <Text className={s.hint}>The file imports back unchanged: edit it in a spreadsheet and import it to change many records at once. A CSV in a decimal-comma format (1.234,56) separates its fields with semicolons, as spreadsheets there expect.</Text>
        <div className={s.row}>
          <Field label="Records">
            <Select value={exportSheet} onChange={(_, d) => setExportSheet(d.value as ExportChoice)} data-testid="catalog-export-sheet">
              {CATALOG_SHEETS.map((x) => (
                <option key={x} value={x}>
                  {SHEET_HELP[x].title}
                </option>
              ))}
              <option value="all">All (XLSX, one worksheet each)</option>
            </Select>
          </Field>
          <Button icon={<ArrowDownloadRegular />} disabled={exporting || exportSheet === 'all'} onClick={() => void exportFile('csv')} data-testid="catalog-export-csv">
            Export CSV
          </Button>
          <Button icon={<ArrowDownloadRegular />} disabled={exporting} onClick={() => void exportFile('xlsx')} data-testid="catalog-export-xlsx">
            Export XLSX
          </Button>
        </div>
      </section>
    </div>
  );
}
