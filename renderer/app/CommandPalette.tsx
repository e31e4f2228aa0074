import { Dialog, DialogBody, DialogSurface, DialogTitle, Input, Text, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { BoxRegular, DocumentRegular, SearchRegular, WindowRegular } from '@fluentui/react-icons';
import { useEffect, useId, useMemo, useState, type KeyboardEvent } from 'react';
import { movementType } from '../../shared/movement-types';
import type { DocumentSummary, ProductOption } from '../../shared/operations';
import { useClient } from '../client';
import { useDebouncedValue } from '../common/use-debounced-value';
import { paletteItems, type PaletteItem } from './palette-search';

const useStyles = makeStyles({
  surface: { width: '560px', maxWidth: '90vw', padding: '12px', alignSelf: 'flex-start', marginTop: '10vh' },
  list: { listStyle: 'none', margin: '8px 0 0', padding: 0, maxHeight: '50vh', overflowY: 'auto' },
  item: {
    display: 'flex',
    alignItems: 'center',
    gap: '8px',
    padding: '5px 8px',
    borderRadius: tokens.borderRadiusMedium,
    cursor: 'pointer',
    ':hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  active: { backgroundColor: tokens.colorNeutralBackground1Selected, outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  label: { flexGrow: 1, minWidth: 0, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  detail: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200, whiteSpace: 'nowrap' },
  icon: { color: tokens.colorNeutralForeground3, flexShrink: 0 },
  empty: { color: tokens.colorNeutralForeground3, padding: '8px' },
});

const ICONS = { window: WindowRegular, product: BoxRegular, document: DocumentRegular } as const;

const typeName = (code: string) => {
  try {
    return movementType(code).displayName;
  } catch {
    return code.charAt(0).toUpperCase() + code.slice(1).replace(/_/g, ' ');
  }
};

/** Products and recent documents for the palette's text (windows need no lookup). */
function useLookups(query: string): { products: ProductOption[]; docs: DocumentSummary[] } {
  const client = useClient();
  const q = useDebouncedValue(query.trim(), 120);
  const [found, setFound] = useState<{ q: string; products: ProductOption[] }>({ q: '', products: [] });
  const [docs, setDocs] = useState<DocumentSummary[]>([]);
  useEffect(() => {
    let live = true;
    client.call('operations.recentDocuments', { limit: 200 }).then((r) => live && setDocs(r), () => undefined);
    return () => {
      live = false;
    };
  }, [client]);
  useEffect(() => {
    if (!q) return;
    let live = true;
    client.call('operations.products', { search: q, limit: 8 }).then(
      (r) => live && setFound({ q, products: r }),
      () => live && setFound({ q, products: [] }),
    );
    return () => {
      live = false;
    };
  }, [client, q]);
  return { products: q && found.q === q ? found.products : [], docs };
}

/**
 * Ctrl+K / F3: one box that finds windows, products (SKU, name or barcode) and documents (number, reference, supplier).
 * ↑/↓ move, Enter opens, Esc closes.
 */
export function CommandPalette({ open, onClose }: { open: boolean; onClose: () => void }) {
  const s = useStyles();
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface} aria-label="Search" data-testid="command-palette">
        {open ? <PaletteBody onClose={onClose} /> : null}
      </DialogSurface>
    </Dialog>
  );
}

/** The palette's box and results, fresh each time it opens. */
function PaletteBody({ onClose }: { onClose: () => void }) {
  const s = useStyles();
  const listId = useId();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const { products, docs } = useLookups(query);
  const items = useMemo(() => paletteItems(query, products, docs, typeName), [query, products, docs]);
  const at = Math.min(active, Math.max(0, items.length - 1));

  const go = (item: PaletteItem | undefined) => {
    if (!item) return;
    onClose();
    location.hash = item.href;
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const n = items.length;
      if (n) setActive((at + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      go(items[at]);
    }
  };

  return (
    <DialogBody style={{ display: 'block' }}>
      <DialogTitle as="h2" style={{ fontSize: tokens.fontSizeBase300, marginBottom: '6px' }}>
        Search windows, products and documents
      </DialogTitle>
      <Input
        autoFocus
        style={{ width: '100%' }}
        contentBefore={<SearchRegular />}
        placeholder="Window, SKU or product name, document no. or reference"
        value={query}
        onChange={(_, d) => {
          setQuery(d.value);
          setActive(0);
        }}
        onKeyDown={onKeyDown}
        role="combobox"
        aria-label="Search"
        aria-expanded
        aria-controls={listId}
        aria-activedescendant={items.length ? `${listId}-${at}` : undefined}
        data-testid="palette-input"
      />
      <ul id={listId} role="listbox" aria-label="Results" className={s.list}>
        {items.map((item, i) => {
          const Icon = ICONS[item.kind];
          return (
            <li
              key={item.key}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === at}
              className={mergeClasses(s.item, i === at && s.active)}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => go(item)}
              data-testid="palette-item"
            >
              <Icon className={s.icon} aria-hidden />
              <span className={s.label}>{item.label}</span>
              <span className={s.detail}>{item.detail}</span>
            </li>
          );
        })}
      </ul>
      {items.length === 0 ? <Text className={s.empty}>Nothing found. Try a SKU, part of a name, or a document number.</Text> : null}
    </DialogBody>
  );
}
