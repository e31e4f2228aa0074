import { Button, makeStyles, mergeClasses, shorthands, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { CountLine } from '../../shared/counts';
import { editableQuantity, formatQuantity, readQuantity } from '../common/format';

const useStyles = makeStyles({
  input: {
    width: '100%',
    height: '22px',
    boxSizing: 'border-box',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusSmall,
    padding: '0 6px',
    font: 'inherit',
    textAlign: 'right',
    fontVariantNumeric: 'tabular-nums',
    backgroundColor: tokens.colorNeutralBackground1,
    ':focus': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-1px', ...shorthands.borderColor('transparent') },
  },
  blank: { backgroundColor: tokens.colorNeutralBackground3 },
  bad: { ...shorthands.borderColor(tokens.colorPaletteRedBorder2), backgroundColor: tokens.colorPaletteRedBackground1 },
  codes: { minWidth: 0, height: '22px', width: '100%', justifyContent: 'flex-end', fontVariantNumeric: 'tabular-nums' },
});

const show = (l: CountLine) => (l.countedQty === null ? '' : editableQuantity(l.countedQty, l.scale));

/** Inline counted quantity (keyed by line and the sheet's reloads): Enter or leaving the cell saves; empty means blank (not counted). Serial lines open their codes. */
export function CountedCell({
  line,
  readOnly,
  onSave,
  onOpenCodes,
}: {
  line: CountLine;
  readOnly: boolean;
  onSave: (line: CountLine, countedQty: number | null) => Promise<boolean>;
  onOpenCodes: (line: CountLine) => void;
}) {
  const styles = useStyles();
  const [text, setText] = useState(show(line));
  const [bad, setBad] = useState(false);
  /** The line as it was when the user started typing: their save is checked against its version. */
  const [base, setBase] = useState(line);
  // A newer line (saved here, or counted in another window) is shown at once — unless the user is typing over the old
  // figure: then their text stays, and saving it is refused if someone else counted the line meanwhile (who, when, what).
  if (line !== base && (text === show(base) || text.trim() === show(line))) {
    setBase(line);
    setText(show(line));
  }

  // A serial line never scanned has nothing to show once the count is read-only: a dash, as a blank quantity line.
  if ((line.tracking === 'SERIAL' || line.tracking === 'RFID') && readOnly && line.countedQty === null) return <span>—</span>;
  if (line.tracking === 'SERIAL' || line.tracking === 'RFID') {
    return (
      <Button size="small" appearance="subtle" className={styles.codes} onClick={() => onOpenCodes(line)} data-testid="count-codes-button">
        {line.countedQty === null ? 'Scan…' : `${line.countedQty} ${line.tracking === 'RFID' ? 'tags' : 'serials'}`}
      </Button>
    );
  }
  // Read-only, the count shows quantities as System does: in the company's format, grouped (1.230,250), not as typed.
  if (readOnly) return <span data-testid="count-counted">{line.countedQty === null ? '—' : formatQuantity(line.countedQty, line.scale)}</span>;

  const commit = async () => {
    if (text.trim() === show(base)) return;
    let qty: number | null = null;
    if (text.trim() !== '') {
      try {
        qty = readQuantity(text, line.scale);
        if (qty < 0) throw new Error('negative');
      } catch {
        setBad(true);
        return;
      }
    }
    setBad(!(await onSave(base, qty)));
  };

  return (
    <input
      className={mergeClasses(styles.input, line.countedQty === null && styles.blank, bad && styles.bad)}
      value={text}
      inputMode="decimal"
      aria-label={`Counted ${line.sku}${line.binCode ? ` in ${line.binCode}` : ''}${line.batchCode ? ` batch ${line.batchCode}` : ''}`}
      title={bad ? `Enter a quantity with up to ${line.scale} decimals, or leave it empty` : undefined}
      data-testid="count-counted-input"
      onChange={(e) => setText(e.target.value)}
      onBlur={() => void commit()}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          void commit();
          // move down to the next row's input, like a spreadsheet
          const inputs = Array.from(document.querySelectorAll<HTMLInputElement>('[data-testid="count-counted-input"]'));
          inputs[inputs.indexOf(e.currentTarget) + 1]?.focus();
        } else if (e.key === 'Escape') {
          setBase(line);
          setText(show(line));
          setBad(false);
        }
      }}
    />
  );
}
