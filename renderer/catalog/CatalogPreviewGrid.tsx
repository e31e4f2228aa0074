import { makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef } from 'react';
import type { CatalogPreview } from '../../shared/catalog';

const ROW = 28;

const useStyles = makeStyles({
  scroller: { overflow: 'auto', maxHeight: '420px', minHeight: '120px', border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  grid: { fontSize: tokens.fontSizeBase200, minWidth: '640px' },
  head: { display: 'grid', gridTemplateColumns: '110px 64px 160px 1fr', position: 'sticky', top: 0, zIndex: 1, backgroundColor: tokens.colorNeutralBackground2 },
  th: { padding: '5px 8px', color: tokens.colorNeutralForeground3, borderBottom: `1px solid ${tokens.colorNeutralStroke2}`, whiteSpace: 'nowrap' },
  body: { position: 'relative' },
  row: { display: 'grid', gridTemplateColumns: '110px 64px 160px 1fr', position: 'absolute', left: 0, right: 0, height: `${ROW}px`, alignItems: 'center' },
  td: { padding: '0 8px', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, height: '100%', lineHeight: `${ROW}px` },
  problem: { color: tokens.colorPaletteRedForeground1 },
  create: { color: tokens.colorPaletteGreenForeground1 },
  update: { color: tokens.colorPaletteMarigoldForeground1 },
  mono: { fontFamily: tokens.fontFamilyMonospace },
});

type Entry = { kind: 'problem'; sheet: string; row: number; column: string; text: string } | { kind: 'create' | 'update'; sheet: string; row: number; column: string; text: string };

/** Every problem, or else every row that creates or updates a record (done once imported); virtualized, so 100,000 rows scroll smoothly. */
export function CatalogPreviewGrid({ preview, imported }: { preview: CatalogPreview; imported: boolean }) {
  const s = useStyles();
  const scrollRef = useRef<HTMLDivElement>(null);
  const entries: Entry[] = preview.problemCount
    ? preview.problems.map((p) => ({ kind: 'problem', sheet: p.sheet, row: p.row, column: p.column, text: p.message }))
    : preview.changes.map((c) => ({ kind: c.action === 'create' ? 'create' : 'update', sheet: c.sheet, row: c.row, column: c.key, text: imported ? (c.action === 'create' ? 'Created' : 'Updated') : c.action === 'create' ? 'Will be created' : 'Will be updated' }));
  const virtualizer = useVirtualizer({ count: entries.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 20 });
  // A file with problems: the problems table is brought into view (it sat below the fold, under the help).
  useEffect(() => {
    if (preview.problemCount > 0) scrollRef.current?.scrollIntoView({ block: 'nearest' });
  }, [preview]);
  if (entries.length === 0) return null;
  return (
    <div ref={scrollRef} className={s.scroller} tabIndex={0} data-testid="catalog-preview-grid" aria-label={preview.problemCount ? 'Problems in the file' : 'Changes the import makes'}>
      <div className={s.grid} role="grid" aria-rowcount={entries.length + 1}>
        <div className={s.head} role="row">
          <div role="columnheader" className={s.th}>Sheet</div>
          <div role="columnheader" className={s.th}>Row</div>
          <div role="columnheader" className={s.th}>{preview.problemCount ? 'Column' : 'Record'}</div>
          <div role="columnheader" className={s.th}>{preview.problemCount ? 'Problem' : 'Change'}</div>
        </div>
        <div className={s.body} style={{ height: `${virtualizer.getTotalSize()}px` }}>
          {virtualizer.getVirtualItems().map((item) => {
            const e = entries[item.index]!;
            return (
              <div
                key={item.index}
                role="row"
                aria-rowindex={item.index + 2}
                className={s.row}
                style={{ transform: `translateY(${item.start}px)` }}
                data-testid={e.kind === 'problem' ? 'catalog-problem' : 'catalog-change'}
              >
                <div role="gridcell" className={s.td}>{e.sheet}</div>
                <div role="gridcell" className={s.td}>{e.row}</div>
                <div role="gridcell" className={mergeClasses(s.td, e.kind !== 'problem' && s.mono)} title={e.column}>{e.column}</div>
                <div role="gridcell" className={mergeClasses(s.td, s[e.kind])} title={e.text}>{e.text}</div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
