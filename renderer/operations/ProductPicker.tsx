import { Combobox, Option, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { ProductOption } from '../../shared/operations';
import { useClient } from '../client';
import { useDebouncedValue } from '../common/use-debounced-value';
import { typedProduct } from './product-match';
import { TRACKING_NAMES } from '../../shared/domain';

const useStyles = makeStyles({
  wrap: { display: 'flex', flexDirection: 'column', gap: '2px', minWidth: '240px', width: '100%' },
  box: { minWidth: '240px', width: '100%' },
  meta: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase100, marginLeft: '6px' },
  problem: { color: tokens.colorPaletteRedForeground1 },
  // Fluent marks the first option starting with the typed text as active; until the user arrows onto an option,
  // none is shown as highlighted, since Enter/Tab will not take it.
  unhighlighted: { '& [role="option"][data-activedescendant-focusvisible]::after': { display: 'none' } },
});

const NAVIGATION_KEYS = new Set(['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End']);
const isOpen = (input: EventTarget) => input instanceof HTMLInputElement && input.getAttribute('aria-expanded') === 'true';

/**
 * Product search by SKU, name or barcode; shows stock type and tracking so the line knows what it needs.
 * It never guesses: a click, or Enter/Tab on an option highlighted with the arrow keys, picks that option; Enter/Tab
 * on typed text picks the product whose SKU or barcode is exactly that text, or the only product that matches it —
 * otherwise the line stays empty and says to pick a product. `onEnter` hears of a product taken (or kept) by Enter,
 * so the form can move on to the next field. Leaving the box reads typed text as Enter/Tab do.
 */
export function ProductPicker({
  value,
  onChange,
  label,
  onEnter,
}: {
  value: ProductOption | null;
  onChange: (p: ProductOption | null) => void;
  label: string;
  onEnter?: (p: ProductOption) => void;
}) {
  const styles = useStyles();
  const client = useClient();
  const [text, setText] = useState(value ? value.sku : '');
  const typed = useRef(text);
  /**
   * The product the box last showed. A product set from outside is shown: one taken from a restored draft, or none once
   * the form is cleared after a post (the box kept the posted SKU, and the next product typed after it read as
   * "BAGUETTECROISSANT"). Text typed over a product is the user's until Enter, Tab or leaving the box reads it.
   */
  const [shownValue, setShownValue] = useState(value);
  if (value !== shownValue) {
    setShownValue(value);
    const next = value?.sku ?? '';
    if (value === null ? text === shownValue?.sku : next !== text) setText(next);
  }
  useEffect(() => {
    typed.current = text;
  }, [text]);
  const search = useDebouncedValue(text, 150);
  const [found, setFound] = useState<{ search: string; options: ProductOption[] }>({ search: '', options: [] });
  const [problem, setProblem] = useState<string | null>(null);
  /** The user moved onto an option with the arrow keys since they last typed: that option is highlighted. */
  const navigated = useRef(false);
  const [highlighted, setHighlighted] = useState(false);
  const navigate = (on: boolean) => {
    navigated.current = on;
    setHighlighted(on);
  };
  /**
   * Every product an option was shown for, by id: a click lands on an option of the list the user saw, which on a busy
   * machine may already have been replaced by the next search's list when the click is handled.
   */
  const shown = useRef(new Map<number, ProductOption>());
  useEffect(() => {
    let live = true;
    const q = search === value?.sku ? '' : search;
    client.call('operations.products', { search: q, limit: 20 }).then((r) => {
      if (!live) return;
      if (shown.current.size > 2_000) shown.current.clear();
      for (const o of r) shown.current.set(o.id, o);
      setFound({ search: q, options: r });
    }, () => undefined);
    return () => {
      live = false;
    };
  }, [client, search, value?.sku]);
  const options = found.options;

  /** The product an arrowed-to option gave on a keydown (Fluent's handler runs before ours, on the same event). */
  const pickedBy = useRef<{ event: unknown; product: ProductOption | null }>({ event: null, product: null });
  const choose = (p: ProductOption | null) => {
    onChange(p);
    setProblem(null);
    if (p) {
      typed.current = p.sku;
      setText(p.sku);
    }
  };

  /** Enter/Tab on typed text with no highlighted option: an exact SKU/barcode match, or the only match, is taken. */
  const commitTyped = async (): Promise<ProductOption | null> => {
    const q = typed.current.trim();
    if (!q) return null;
    if (value && value.sku === typed.current) return value;
    const list = found.search.trim() === q ? options : await client.call('operations.products', { search: q, limit: 20 }).catch(() => [] as ProductOption[]);
    if (typed.current.trim() !== q) return null; // typing went on meanwhile
    const p = typedProduct(q, list);
    if (p) choose(p);
    else {
      onChange(null);
      setProblem(
        list.length
          ? `Pick a product: ${list.length === 20 ? 'many' : list.length} products match “${q}”. Type more of the SKU or name, or choose one with ↓ and Enter.`
          : `Pick a product: no product has the SKU, name or barcode “${q}”. Check the spelling, or add the product in Products.`,
      );
    }
    return p;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (NAVIGATION_KEYS.has(e.key) && isOpen(e.currentTarget)) navigate(true);
    else if ((e.key === 'Enter' || e.key === 'Tab') && !navigated.current) {
      const enter = e.key === 'Enter';
      void commitTyped().then((p) => {
        if (enter && p) onEnter?.(p);
      });
    } else if (e.key === 'Enter') {
      const p = pickedBy.current.event === e.nativeEvent ? pickedBy.current.product : value;
      if (p) onEnter?.(p);
    }
  };
  /**
   * The first arrow key after typing starts from the top (or the bottom) of the list: Fluent would move on from the
   * option it quietly matched to the typed text, which is not shown as highlighted.
   */
  const onKeyDownCapture = (e: KeyboardEvent<HTMLDivElement>) => {
    if (navigated.current || (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') || e.altKey || !isOpen(e.target)) return;
    e.preventDefault();
    e.stopPropagation();
    e.target.dispatchEvent(new window.KeyboardEvent('keydown', { key: e.key === 'ArrowDown' ? 'Home' : 'End', bubbles: true, cancelable: true }));
  };

  return (
    <div className={styles.wrap} onKeyDownCapture={onKeyDownCapture}>
      <Combobox
        className={styles.box}
        size="small"
        aria-label={label}
        aria-invalid={problem ? true : undefined}
        placeholder="SKU, name or barcode"
        value={text}
        selectedOptions={value ? [String(value.id)] : []}
        freeform
        onKeyDown={onKeyDown}
        // Leaving the box with typed text that is not the line's product reads it as Enter/Tab do: the box never shows a
        // SKU the line does not hold (on a busy machine a click on the list can miss while the typed SKU stays shown).
        onBlur={() => {
          if (typed.current.trim() && !(value && value.sku === typed.current)) void commitTyped();
        }}
        listbox={{ className: highlighted ? undefined : styles.unhighlighted }}
        onInput={(e) => {
          navigate(false);
          typed.current = (e.target as HTMLInputElement).value;
          setText(typed.current);
          setProblem(null);
        }}
        onOptionSelect={(ev, d) => {
          // Enter/Tab on an option that was never highlighted is not a choice (commitTyped decides); clicks are.
          if (ev.type === 'keydown' && !navigated.current) return;
          const p = options.find((o) => String(o.id) === d.optionValue) ?? shown.current.get(Number(d.optionValue)) ?? null;
          pickedBy.current = { event: ev.nativeEvent, product: p };
          // An option that names no product shown (its list gone): never a line with the typed text and no product
          // behind it; the typed text is read as Enter reads it (its exact SKU or barcode, or the only match), else the
          // line says to pick a product.
          if (p) choose(p);
          else void commitTyped();
        }}
      >
        {options.map((p) => (
          <Option key={p.id} value={String(p.id)} text={p.sku}>
            {p.sku} — {p.name}
            <span className={styles.meta}>
              {p.stockType} · {TRACKING_NAMES[p.tracking]} · {p.unit}
            </span>
          </Option>
        ))}
      </Combobox>
      {problem ? (
        <Text size={200} className={styles.problem} role="alert" data-testid="pick-product">
          {problem}
        </Text>
      ) : null}
    </div>
  );
}
