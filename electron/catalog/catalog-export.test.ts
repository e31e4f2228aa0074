import { beforeEach, describe, expect, it } from 'vitest';
import { catalogProductsCsv } from '../../test/fixtures/catalog-csv';
import { catalogOn } from '../../test/fixtures/catalog-on-store';
import { storePerTest, type StoreUnderTest } from '../../test/fixtures/store-under-test';
import { readCatalogFile } from './catalog-file';
import { CATALOG_SHEETS, type CatalogSheetName } from '../../shared/catalog';

/** Catalog export on the configured store (SQLite or PostgreSQL, issue 17), on 2026-12-01: files made and read back through the contract. */
let s: StoreUnderTest;
let cat: ReturnType<typeof catalogOn>;
storePerTest(
  (opened) => {
    s = opened;
    cat = catalogOn(s);
  },
  { clock: () => Date.UTC(2026, 11, 1) },
);

beforeEach(async () => {
  const csv = [
    'SKU,Name,Description,Barcodes,Unit,Decimals,Stock type,Tracking,Stock keeping,Low-stock level,Active,Group,Country of origin',
    `"=SUM-1","-Minus, the ""first""","two\nlines",0012345678905|ABC 1x,kg,3,Preparation,BULK,no,0.125,no,WINE,`,
    `LEAD-0,@home,,00000000,ea,0,Other,SERIAL,yes,12,yes,DRY,it`,
  ]
    .join('\n')
    .replace('ABC 1x', 'ABC-1x');
  await run('Group code,Group name,Post on-costs,Active\nDRY,"Dry goods, bulk",yes,yes\n');
  await run(csv);
  await run('Supplier code,Supplier name,Country,In EC,Contact name,Email,Phone\nACME,Acme Foods,FR,,Jo,jo@acme.example,+33 1 23\nBRIT,Brit Supply,GB,no,,,\n');
  await run("Supplier code,SKU,Supplier's product code\nACME,RICE-1KG,A-100\nACME,LEAD-0,A-200\nBRIT,RICE-1KG,B-1\n");
  await run('Code,Name,Kind,Allow negative stock,Active\nKIT,Kitchen; hot,kitchen,yes,yes\n');
  await run('Site,Code,Name,Stock status,Active\nKIT,HOLD,"Shelf, top",quarantine,no\n');
  await run('SKU,Site code,Site low-stock level,Default bin code\nRICE-1KG,WH1,2.5,A-01\nLEAD-0,BAR,3,\n');
});

const run = (csv: string) => cat.run({ csv });
const exportAs = (sheets: CatalogSheetName[], format: 'csv' | 'xlsx', locale = 'en-GB') => cat.export(sheets, format, locale);

describe('export imports back unchanged', () => {
  for (const locale of ['en-GB', 'de-DE']) {
    it(`CSV of each sheet in ${locale}: preview says 0 creates, 0 updates`, async () => {
      for (const sheet of CATALOG_SHEETS) {
        const file = await exportAs([sheet], 'csv', locale);
        expect(file.fileName).toBe(`${sheet}-2026-12-01.csv`);
        expect(file.rows).toBeGreaterThan(0);
        const p = await cat.preview({ csv: file.csv!, locale });
        expect(p.problems).toEqual([]);
        expect(p.sheets).toEqual([expect.objectContaining({ sheet, rows: file.rows, creates: 0, updates: 0, unchanged: file.rows, ignoredColumns: [] })]);
      }
    });
  }

  it('XLSX workbook of all sheets: one worksheet each, barcodes as text, preview says 0 creates, 0 updates', async () => {
    const file = await exportAs([...CATALOG_SHEETS], 'xlsx');
    expect(file.fileName).toBe('catalog-2026-12-01.xlsx');
    const raw = await readCatalogFile({ xlsxBase64: file.xlsxBase64! }, 'en-GB');
    expect(raw.map((r) => r.worksheet)).toEqual(['Sites', 'Bins', 'Product groups', 'Suppliers', 'Products', 'Product sites', 'Supplier codes', 'Recipes']);
    expect(raw[4]!.rows.find((r) => r.cells[0] === 'LEAD-0')!.cells[3]).toBe('00000000');
    const p = await cat.preview({ xlsxBase64: file.xlsxBase64!, locale: 'de-DE' });
    expect(p.problems).toEqual([]);
    expect(p.sheets.map((sheet) => [sheet.sheet, sheet.creates, sheet.updates, sheet.unchanged])).toEqual([
      ['sites', 0, 0, 3],
      ['bins', 0, 0, 3],
      ['groups', 0, 0, 2],
      ['suppliers', 0, 0, 2],
      ['products', 0, 0, 7],
      ['productSites', 0, 0, 2],
      ['supplierCodes', 0, 0, 3],
      ['recipes', 0, 0, 1],
    ]);
  });

  it('writes formulas neutralised, decimals in the locale, barcodes joined by |', async () => {
    const csv = (await exportAs(['products'], 'csv', 'de-DE')).csv!;
    // A decimal-comma file is separated by semicolons, as Excel in Germany opens it into columns: no number needs quoting.
    expect(csv).toMatch(/^\uFEFF?SKU;Name;Description;Barcodes;/);
    expect(csv).toContain(`'=SUM-1;"'-Minus, the ""first""";"two\nlines";0012345678905|ABC-1x;kg;3;Preparation;BULK;no;0,125;no;WINE;;;;\r\n`);
    expect(csv).toContain("LEAD-0;'@home;;00000000;ea;0;Other;SERIAL;yes;12;yes;DRY;IT;;;\r\n");
    const en = (await exportAs(['products'], 'csv', 'en-GB')).csv!;
    expect(en).toContain(`'=SUM-1,"'-Minus, the ""first""","two\nlines",0012345678905|ABC-1x,kg,3,Preparation,BULK,no,0.125,no,WINE,,,,\r\n`);
  });

  it('a large export round-trips too (1,000 products)', async () => {
    await run(catalogProductsCsv(1000));
    const p = await cat.preview({ csv: (await exportAs(['products'], 'csv')).csv! });
    expect(p.sheets[0]).toMatchObject({ creates: 0, updates: 0, unchanged: 1007 });
  });
});
