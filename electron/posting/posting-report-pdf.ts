import PDFDocument from 'pdfkit';
import { targetLabel, type PostingReport } from '../../shared/posting';
import { formatJournalMoney, type FormatSettings } from '../../shared/company-format';
import { reportMessage } from '../../shared/production-note';
import { reportTime } from './posting-report';
import { plural } from '../../shared/plural';

/** Text the PDF's built-in Helvetica (WinAnsi) can print: Latin-1 and the euro's block of Windows-1252. */
const WIN_ANSI = /^[\x20-\x7E\xA0-\xFF€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/;

const n = (v: number) => v.toLocaleString('en-GB');
const MARGIN = 50;

interface Column {
  title: string;
  width: number;
  align: 'left' | 'right';
}

/**
 * Seed 004's posting report as a printable A4 PDF, made with pdfkit (the architecture's choice where Electron's
 * printToPDF is not available: the ledger worker and the CLI). Deterministic for a given report: the PDF's dates are
 * the batch's own times, so regenerating a lost file gives the same content. Times are printed in the business time zone,
 * which each one names.
 */
export function reportPdf(r: PostingReport, style: FormatSettings): Promise<Buffer> {
  const at = (iso: string | null) => reportTime(iso, style.timeZone);
  /**
   * The company's currency in its locale, at the journal's exact four decimals (the screen's "exactly" figure); its ISO
   * code where the symbol is not in the PDF's font (ja-JP's ￥, pl-PL's zł), so every amount prints as it reads.
   */
  const formatMoney = (amount1e4: number) => {
    const text = formatJournalMoney(amount1e4, style.currency, style.locale);
    return WIN_ANSI.test(text) ? text : formatJournalMoney(amount1e4, style.currency, style.locale, 'code');
  };
  const stamp = new Date(r.finishedAt ?? r.startedAt);
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: { Title: `Posting report — batch ${r.batchId}`, Author: 'Stockbook', Subject: `Finance posting to ${targetLabel(r.target)}`, CreationDate: stamp, ModDate: stamp },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const bottom = () => doc.page.height - MARGIN - 30;
  const ensure = (h: number) => {
    if (doc.y + h > bottom()) doc.addPage();
  };

  const row = (cols: Column[], cells: string[], bold = false) => {
    ensure(16);
    const y = doc.y;
    let x = MARGIN;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9);
    cols.forEach((c, i) => {
      doc.text(cells[i] ?? '', x + 2, y, { width: c.width - 4, align: c.align, lineBreak: false, ellipsis: true });
      x += c.width;
    });
    doc.x = MARGIN;
    doc.y = y + 14;
  };
  const rule = () => {
    doc.moveTo(MARGIN, doc.y - 2).lineTo(MARGIN + width, doc.y - 2).lineWidth(0.5).strokeColor('#888888').stroke();
    doc.y += 2;
  };
  const table = (cols: Column[], rows: string[][], total?: string[]) => {
    row(cols, cols.map((c) => c.title), true);
    rule();
    for (const cells of rows) {
      if (doc.y + 16 > bottom()) {
        doc.addPage();
        row(cols, cols.map((c) => c.title), true);
        rule();
      }
      row(cols, cells);
    }
    if (total) {
      rule();
      row(cols, total, true);
    }
    doc.moveDown(0.8);
  };
  const heading = (text: string) => {
    ensure(40);
    doc.font('Helvetica-Bold').fontSize(11).fillColor('#000000').text(text, MARGIN, doc.y);
    doc.moveDown(0.3);
  };

  // Title and facts
  doc.font('Helvetica-Bold').fontSize(16).text(`Posting report — batch ${r.batchId}`);
  if (r.reversalOf) doc.font('Helvetica').fontSize(10).text(`Reversal of batch ${r.reversalOf}`);
  doc.moveDown(0.6);
  const facts: [string, string][] = [
    ['Batch id', String(r.batchId)],
    ['Target', targetLabel(r.target)],
    ['Status', `${r.status}${r.summarised ? ', summarised' : ', detailed'}`],
    ['Period', `every unposted movement up to ${at(r.postedTo)}`],
    ['Run', `${at(r.startedAt)} – ${r.finishedAt === null ? 'still running' : at(r.finishedAt)}`],
    ['Movements', `${n(r.movementCount)} (value-only credits: ${n(r.valueCreditCount)})`],
    ['Journal', `${plural(r.entryCount, 'entry', 'entries')}, ${plural(r.lineCount, 'line')}`],
  ];
  for (const [k, v] of facts) {
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(9).text(k, MARGIN, y, { width: 100 });
    doc.font('Helvetica').fontSize(9).text(v, MARGIN + 100, y, { width: width - 100 });
    doc.x = MARGIN;
  }
  doc.moveDown(1);

  heading('Counts by movement type');
  table(
    [{ title: 'Movement type', width: width - 180, align: 'left' }, { title: 'Movements', width: 90, align: 'right' }, { title: 'Entries', width: 90, align: 'right' }],
    r.byType.map((t) => [t.displayName, n(t.movements), n(t.entries)]),
    ['Total', n(r.byType.reduce((s, t) => s + t.movements, 0)), n(r.byType.reduce((s, t) => s + t.entries, 0))],
  );

  heading('Totals per account');
  table(
    [{ title: 'Account', width: 70, align: 'left' }, { title: 'Name', width: width - 290, align: 'left' }, { title: 'Debit', width: 110, align: 'right' }, { title: 'Credit', width: 110, align: 'right' }],
    r.accounts.map((a) => [a.code, a.name, formatMoney(a.debit), formatMoney(a.credit)]),
    ['Total', '', formatMoney(r.totalDebit), formatMoney(r.totalCredit)],
  );

  heading('Checks');
  const expected = r.lastEntryBefore + r.entryCount;
  const checks = [
    `Debits = credits: ${formatMoney(r.totalDebit)} = ${formatMoney(r.totalCredit)}  ${r.balanced ? 'BALANCED' : 'NOT BALANCED'}`,
    `Last entry id before posting: ${n(r.lastEntryBefore)}`,
    `Entries posted: ${n(r.entryCount)}`,
    `Last entry id after posting (target): ${n(r.lastEntryAfter)}`,
    `Before + postings = after: ${n(r.lastEntryBefore)} + ${n(r.entryCount)} = ${n(expected)}  ${r.entryCheckOk ? 'CHECK OK' : `CHECK FAILED (target says ${n(r.lastEntryAfter)})`}`,
  ];
  checks.forEach((c, i) => {
    ensure(14);
    const bold = i === 0 || i === checks.length - 1;
    doc.font(bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(9).fillColor('#000000').text(c, MARGIN, doc.y);
  });
  doc.moveDown(1);
  const message = reportMessage(r, formatMoney);
  if (message) {
    ensure(30);
    doc.font('Helvetica-Oblique').fontSize(9).text(message, MARGIN, doc.y, { width });
  }

  // Page numbers on every page (buffered pages)
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const y = doc.page.height - MARGIN + 10;
    doc.page.margins.bottom = 0; // writing in the bottom margin must not open a new page
    doc.font('Helvetica').fontSize(8).fillColor('#555555');
    doc.text(`Stockbook — posting report, batch ${r.batchId}`, MARGIN, y, { width, align: 'left', lineBreak: false });
    doc.text(`Page ${i - range.start + 1} of ${range.count}`, MARGIN, y, { width, align: 'right', lineBreak: false });
  }
  doc.end();
  return done;
}
