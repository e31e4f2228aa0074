import { Button, Popover, PopoverSurface, PopoverTrigger, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ChevronDownRegular, DismissRegular, PinRegular } from '@fluentui/react-icons';
import { useState, type ReactNode } from 'react';

const useStyles = makeStyles({
  chip: {
    display: 'inline-flex',
    alignItems: 'center',
    height: '24px',
    borderRadius: '12px',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    fontSize: tokens.fontSizeBase200,
    overflow: 'hidden',
  },
  active: { border: `1px solid ${tokens.colorBrandStroke1}`, backgroundColor: tokens.colorBrandBackground2 },
  open: {
    minWidth: 0,
    height: '22px',
    padding: '0 6px 0 10px',
    fontWeight: tokens.fontWeightRegular,
    fontSize: tokens.fontSizeBase200,
    borderRadius: 0,
  },
  name: { color: tokens.colorNeutralForeground3, marginRight: '4px' },
  value: { maxWidth: '220px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' },
  clear: { minWidth: '22px', width: '22px', height: '22px', padding: 0, borderRadius: 0 },
  pin: { fontSize: '10px', color: tokens.colorNeutralForeground4, marginRight: '3px' },
  surface: { padding: '12px', display: 'flex', flexDirection: 'column', gap: '8px', minWidth: '240px' },
});

interface Props {
  name: string;
  value: string | null;
  pinned?: boolean;
  onClear?: () => void;
  /** Keep the editor open: a field in it holds text it cannot use (closing would drop what was typed). */
  holdOpen?: boolean;
  children?: ReactNode;
  testId: string;
}

/** A filter as a removable chip: "Name: value ▾" opens its editor; × removes it. Pinned chips stay when empty. */
export function FilterChip({ name, value, pinned, onClear, holdOpen = false, children, testId }: Props) {
  const s = useStyles();
  const [open, setOpen] = useState(false);
  const label = (
    <>
      {pinned ? <PinRegular className={s.pin} /> : null}
      <span className={s.name}>{name}:</span>
      <span className={s.value}>{value ?? 'Any'}</span>
    </>
  );
  return (
    <span className={mergeClasses(s.chip, value !== null && s.active)} data-testid={testId}>
      {children ? (
        <Popover positioning="below-start" trapFocus open={open || holdOpen} onOpenChange={(_, d) => (d.open || !holdOpen) && setOpen(d.open)}>
          <PopoverTrigger disableButtonEnhancement>
            <Button className={s.open} appearance="transparent" size="small" icon={<ChevronDownRegular />} iconPosition="after">
              {label}
            </Button>
          </PopoverTrigger>
          <PopoverSurface className={s.surface} aria-label={`${name} filter`}>{children}</PopoverSurface>
        </Popover>
      ) : (
        <span className={s.open} style={{ display: 'inline-flex', alignItems: 'center' }}>
          {label}
        </span>
      )}
      {value !== null && onClear ? (
        <Button className={s.clear} appearance="transparent" size="small" icon={<DismissRegular />} aria-label={`Remove filter ${name}`} onClick={onClear} />
      ) : null}
    </span>
  );
}
