import { makeStyles, tokens } from '@fluentui/react-components';
import type { DayOfWeek } from '@fluentui/react-calendar-compat';
import { DatePicker, defaultDatePickerStrings, type CalendarStrings } from '@fluentui/react-datepicker-compat';
import { TimePicker } from '@fluentui/react-timepicker-compat';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useCompany } from '../company/company-context';
import {
  firstDayOfWeek,
  uses12Hours,
  formatTimeText,
  formatWallText,
  localDateToParts,
  parseWallText,
  partsToLocalDate,
  readTypedText,
  typingHint,
  wallParts,
  wallValue,
  type DateFieldMode,
} from './date-text';
import { calendarNames } from './format';

const useStyles = makeStyles({
  root: { display: 'inline-flex', flexDirection: 'column', minWidth: 0 },
  date: { minWidth: '120px' },
  dateTime: { minWidth: '188px' },
  bad: { color: tokens.colorPaletteRedForeground1, fontSize: tokens.fontSizeBase200 },
});

export interface DateTimeFieldProps {
  /** 'date': a calendar day ("YYYY-MM-DD"); 'datetime': a wall-clock time in the business zone ("YYYY-MM-DDTHH:mm"). */
  mode: DateFieldMode;
  /** The value, or '' when empty. */
  value: string;
  /**
   * Called with the new value ('' when cleared) as soon as the text typed reads as one (every keystroke that does), and
   * when the user picks a day; never with a value the text does not show.
   */
  onChange: (value: string) => void;
  /**
   * Called with true while the text typed is not a date (or is outside min/max) — the value given last is then NOT what
   * the field shows, so an action that uses it must wait — and with false once it is again.
   */
  onInvalidChange?: (invalid: boolean) => void;
  /** Keep and show seconds ("YYYY-MM-DDTHH:mm:ss"). */
  seconds?: boolean;
  id?: string;
  'aria-label'?: string;
  'data-testid'?: string;
  disabled?: boolean;
  size?: 'small' | 'medium';
  className?: string;
  /** Latest / earliest day the calendar offers (wall-clock values of the same form). */
  max?: string;
  min?: string;
}

/**
 * The one date and date-time field: Fluent's DatePicker with the company's locale (the text the grids show, the
 * first day of the week, month and day names). Date and time are one text box — one tab stop — that takes what the
 * user types in the company's format (or ISO): each keystroke that makes a date commits it, and leaving the field or
 * Enter rewrites the text in the company's format; text that is not a date is marked invalid and gives back the value
 * from before the typing — with onInvalidChange the window hears it (and waits) and the text stays as typed; without,
 * leaving the field puts that value's text back. The calendar button, Alt+↓ or ↓ opens the calendar, and picking a day
 * there keeps the time already given.
 */
export function DateTimeField({ mode, value, onChange, onInvalidChange, seconds = false, size = 'small', className, min, max, ...rest }: DateTimeFieldProps) {
  const s = useStyles();
  const { locale } = useCompany().settings;
  const [invalid, setInvalidState] = useState(false);
  const setInvalid = (bad: boolean) => {
    setInvalidState(bad);
    if (bad !== invalid) onInvalidChange?.(bad);
  };
  const [open, setOpen] = useState(false);
  // Dates that came from the text box (not from the calendar), so a calendar pick can keep the time.
  const typed = useRef(new WeakSet<Date>());
  // Enter commits the text; it does not also open the calendar (Fluent's default).
  const enterPressed = useRef(false);
  const strings = useMemo<CalendarStrings>(() => ({ ...defaultDatePickerStrings, ...calendarNames(locale) }), [locale]);
  // One Date per value: a new object each render would make the picker rewrite the text under the user's typing.
  const fromValue = useMemo(() => {
    const p = wallParts(value);
    return p ? partsToLocalDate(p) : null;
  }, [value]);
  // While the user types, the picker keeps the Date it had when typing began: the values committed keystroke by
  // keystroke must not make it rewrite the text being typed. Leaving the field, Enter or a calendar pick ends typing.
  const [typingFrom, setTypingFrom] = useState<{ date: Date | null; value: string } | null>(null);
  const selected = typingFrom ? typingFrom.date : fromValue;
  const before = typingFrom ? typingFrom.value : value;
  // The time a typed date without one keeps: the one from before the typing.
  const beforeParts = wallParts(before) ?? undefined;
  const parts = wallParts(value);
  // Text typed that is not a date; and the Date standing for it, which formatDate shows as that text.
  const badTyped = useRef<string | null>(null);
  const badShown = useRef<{ date: Date; text: string } | null>(null);
  const commit = (next: string) => {
    badTyped.current = null;
    setInvalid(false);
    setTypingFrom(null);
    if (next !== value) onChange(next);
  };
  /**
   * Every change of the text: a date commits at once (nothing waits for blur). Anything else marks the field invalid
   * and gives back the value from before the typing (a half-typed time never stands as the value).
   */
  const typedText = (text: string) => {
    if (!typingFrom) setTypingFrom({ date: selected, value });
    const read = readTypedText(text, { mode, locale, seconds, before, min, max });
    badTyped.current = read.invalid ? text : null;
    setInvalid(read.invalid);
    if (read.value !== value) onChange(read.value);
  };
  // Stable, so a re-render of the window (a preview arriving, another field changing) does not make the picker reset
  // its text to the formatted value — which silently threw away what was typed but not yet committed.
  const formatDate = useCallback(
    (d?: Date) => (!d ? '' : d === badShown.current?.date ? badShown.current.text : formatWallText(localDateToParts(d), mode, locale, seconds)),
    [mode, locale, seconds],
  );
  const bound = (v: string | undefined) => {
    const p = v ? wallParts(v) : null;
    return p ? partsToLocalDate({ ...p, hour: 0, minute: 0, second: 0 }) : undefined;
  };
  const hint = typingHint(locale, mode, seconds);
  return (
    <span className={`${s.root} ${className ?? ''}`}>
      <DatePicker
        {...rest}
        size={size}
        className={mode === 'date' ? s.date : s.dateTime}
        allowTextInput
        openOnClick={false}
        open={open}
        onOpenChange={(next) => {
          if (next && enterPressed.current) return;
          setOpen(next);
        }}
        onKeyDown={(e) => {
          enterPressed.current = e.key === 'Enter';
          if (e.key === 'ArrowDown' && e.altKey) setOpen(true);
        }}
        value={selected}
        placeholder={hint}
        firstDayOfWeek={firstDayOfWeek(locale) as DayOfWeek}
        strings={strings}
        showGoToToday
        minDate={bound(min)}
        maxDate={bound(max)}
        aria-invalid={invalid || undefined}
        onChange={(_, d) => typedText(d.value)}
        formatDate={formatDate}
        parseDateFromString={(text) => {
          const p = parseWallText(text, mode, locale, { fallbackTime: beforeParts });
          if (!p) return null;
          const d = partsToLocalDate(p);
          typed.current.add(d);
          return d;
        }}
        onSelectDate={(d) => {
          if (badTyped.current !== null && (d ?? null) === selected && onInvalidChange) {
            // The picker could not read the text and puts back the date it had. A window that hears the field is
            // invalid (and so waits) keeps the text as typed; elsewhere the text goes back to the value that stands,
            // with the message, so what the field shows is always what would be used.
            badShown.current = { date: new Date(d ?? Date.now()), text: badTyped.current };
            setTypingFrom({ date: badShown.current.date, value: before });
            return;
          }
          if (!d) return commit('');
          const picked = localDateToParts(d);
          // A day picked in the calendar comes at midnight: keep the time the field already had.
          const next = typed.current.has(d) || !parts ? picked : { ...picked, hour: parts.hour, minute: parts.minute, second: parts.second };
          commit(wallValue(next, mode, seconds));
        }}
        onValidationResult={({ error }) => {
          if (error === 'invalid-input' || error === 'out-of-bounds') setInvalid(true);
        }}
      />
      {invalid ? (
        <span className={s.bad} role="status">
          Type {mode === 'date' ? 'a date' : 'a date and time'} as {hint}
          {max || min ? ', within the allowed range' : ''}.
        </span>
      ) : null}
    </span>
  );
}

/**
 * A time of day ("HH:mm", e.g. when the daily backup runs): Fluent's TimePicker in the company's clock (24-hour or
 * am/pm), a list every 30 minutes, and any time typed.
 */
export function TimeField({
  value,
  onChange,
  size = 'small',
  ...rest
}: { value: string; onChange: (value: string) => void; disabled?: boolean; id?: string; size?: 'small' | 'medium'; 'aria-label'?: string; 'data-testid'?: string }) {
  const { locale } = useCompany().settings;
  const m = /^(\d{2}):(\d{2})$/.exec(value);
  const hour = m ? Number(m[1]) : null;
  const minute = m ? Number(m[2]) : 0;
  const shownText = hour === null ? '' : formatTimeText(hour, minute, locale);
  const selected = useMemo(() => (hour === null ? null : new Date(2000, 0, 1, hour, minute)), [hour, minute]);
  // The text follows the value when it changes from outside (loaded, saved); in between it is what the user types.
  const [text, setText] = useState(shownText);
  const [shown, setShown] = useState(shownText);
  if (shown !== shownText) {
    setShown(shownText);
    setText(shownText);
  }
  return (
    <TimePicker
      {...rest}
      size={size}
      freeform
      hourCycle={uses12Hours(locale) ? 'h12' : 'h23'}
      increment={30}
      dateAnchor={ANCHOR}
      selectedTime={selected}
      formatDateToTimeString={(d) => formatTimeText(d.getHours(), d.getMinutes(), locale)}
      value={text}
      onChange={(e) => setText(e.target.value)}
      onTimeChange={(_, d) => {
        if (!d.selectedTime) {
          setText(shownText);
          return;
        }
        setText(formatTimeText(d.selectedTime.getHours(), d.selectedTime.getMinutes(), locale));
        onChange(`${String(d.selectedTime.getHours()).padStart(2, '0')}:${String(d.selectedTime.getMinutes()).padStart(2, '0')}`);
      }}
    />
  );
}

const ANCHOR = new Date(2000, 0, 1);
