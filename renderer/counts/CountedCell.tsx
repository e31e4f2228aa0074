import { Button, makeStyles, mergeClasses, shorthands, tokens } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { CountLine } from '../../shared/counts';
import { editableQuantity, formatQuantity } from '../common/format';
import { readCounted, unsavedMessage, type UnsavedCount } from './unsaved-counts';

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
  /**
   * The reason beside the cell, over the row's own later columns (its variance and adjustment are stale while the text
   * is not saved); one line, inside its row, so it never covers another row's cell.
   */
  problem: {
    position: 'absolute',
    left: 'calc(100% + 2px)',
    top: '3px',
    zIndex: 1,
    maxWidth: '470px',
    height: '22px',
    lineHeight: '20px',
    boxSizing: 'border-box',
    padding: '0 6px',
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
    textAlign: 'left',
    border: `1px solid ${tokens.colorPaletteRedBorder2}`,
    borderRadius: tokens.borderRadiusSmall,
    backgroundColor: tokens.colorPaletteRedBackground1,
    color: tokens.colorPaletteRedForeground1,
    fontVariantNumeric: 'normal',
    boxShadow: tokens.shadow4,
  },
  saving: { ...shorthands.borderColor(tokens.colorNeutralStroke2), backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground3 },
  codes: { minWidth: 0, height: '22px', width: '100%', justifyContent: 'flex-end', fontVariantNumeric: 'tabular-nums' },
});

const show = (l: CountLine) => (l.countedQty === null ? '' : editableQuantity(l.countedQty, l.scale));
/** The text reads as the line's counted quantity (blank for blank). */
const agrees = (text: string, l: CountLine) => {
  const read = readCounted(text, l.scale);
  return read.problem === null && read.qty === l.countedQty;
};

/**
 * Inline counted quantity (keyed by line and the sheet's reloads): Enter or leaving the cell saves; empty means blank
 * (not counted). Text the ledger does not have (unreadable, saving, refused by main) is reported to the sheet as
 * `unsaved`, kept there while the cell is scrolled away, and shown in the cell with its reason. Serial lines open their codes.
 */
export function CountedCell({
  line,
  unsaved,
  readOnly,
  onSave,
  onUnsaved,
  onOpenCodes,
}: {
  line: CountLine;
  /** What the sheet holds for this line's cell that is not saved, if anything. */
  unsaved: UnsavedCount | undefined;
  readOnly: boolean;
  /** Saves; resolves to null when saved, else main's message. */
  onSave: (line: CountLine, countedQty: number | null) => Promise<string | null>;
  onUnsaved: (lineId: number, unsaved: UnsavedCount | null) => void;
  onOpenCodes: (line: CountLine) => void;
}) {
  const styles = useStyles();
  const [text, setText] = useState(unsaved?.text ?? show(line));
  /** The line as it was when the user started typing: their save is checked against its version. */
  const [base, setBase] = useState(unsaved?.base ?? line);
  /** This cell's save is on its way (set at once: a blur in the same event must not save the same text again). */
  const saving = useRef(false);
  /**
   * The same, for rendering: the input takes no typing while its save is on its way, since text typed then would be
   * neither in that save nor marked unsaved once it answers (the figure posted would not be the one shown).
   */
  const [inFlight, setInFlight] = useState(false);
  const busy = () => saving.current || unsaved?.state === 'saving';
  // A newer line (saved here, or counted in another window) is shown at once — unless the user is typing over the old
  // figure: then their text stays, and saving it is refused if someone else counted the line meanwhile (who, when, what).
  // Text that reads as the new line's quantity ("2.1" once 2.100 is saved) is that line's now.
  if (line !== base && unsaved?.state !== 'saving' && (text === show(base) || agrees(text, line))) {
    setBase(line);
    setText(show(line));
  }
  // Text refused before that is now the line's own figure (saved since, here or elsewhere) is no longer unsaved.
  useEffect(() => {
    if (unsaved && unsaved.state !== 'saving' && line !== unsaved.base && agrees(unsaved.text, line)) onUnsaved(line.id, null);
  }, [line, unsaved, onUnsaved]);

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
    if (busy()) return;
    if (text.trim() === show(base)) {
      // typed back to the saved figure: nothing is left unsaved
      if (unsaved) onUnsaved(line.id, null);
      return;
    }
    const read = readCounted(text, line.scale);
    if (read.problem !== null) {
      onUnsaved(line.id, { base, text, state: 'invalid', problem: read.problem });
      return;
    }
    saving.current = true;
    setInFlight(true);
    onUnsaved(line.id, { base, text, state: 'saving', problem: null });
    let refused: string | null;
    try {
      refused = await onSave(base, read.qty);
    } catch (e) {
      refused = e instanceof Error ? e.message : String(e);
    } finally {
      saving.current = false;
      setInFlight(false);
    }
    onUnsaved(line.id, refused === null ? null : { base, text, state: 'failed', problem: refused });
  };

  const bad = unsaved !== undefined && unsaved.state !== 'saving';
  const problemId = `count-problem-${line.id}`;
  return (
    <>
      <input
        className={mergeClasses(styles.input, line.countedQty === null && styles.blank, bad && styles.bad)}
        value={text}
        inputMode="decimal"
        aria-label={`Counted ${line.sku}${line.binCode ? ` in ${line.binCode}` : ''}${line.batchCode ? ` batch ${line.batchCode}` : ''}`}
        aria-invalid={bad || undefined}
        aria-describedby={unsaved ? problemId : undefined}
        aria-busy={unsaved?.state === 'saving' || undefined}
        readOnly={inFlight || unsaved?.state === 'saving'}
        data-testid="count-counted-input"
        onChange={(e) => setText(e.target.value)}
        onBlur={() => void commit()}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            // move down to the next row's input, like a spreadsheet (leaving this one saves it)
            const inputs = Array.from(document.querySelectorAll<HTMLInputElement>('[data-testid="count-counted-input"]'));
            const next = inputs[inputs.indexOf(e.currentTarget) + 1];
            if (next) next.focus();
            else void commit();
          } else if (e.key === 'Escape' && !busy()) {
            setBase(line);
            setText(show(line));
            onUnsaved(line.id, null);
          }
        }}
      />
      {unsaved ? (
        <span id={problemId} className={mergeClasses(styles.problem, !bad && styles.saving)} title={unsavedMessage(unsaved)} data-testid="count-counted-problem">
          {unsavedMessage(unsaved)}
        </span>
      ) : null}
    </>
  );
}
