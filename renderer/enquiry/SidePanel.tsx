import { Button, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import { useEffect, useRef, type ReactNode } from 'react';
import { closesOnEscape } from '../common/escape-closes';

const useStyles = makeStyles({
  panel: {
    width: '460px',
    flexShrink: 0,
    display: 'flex',
    flexDirection: 'column',
    minHeight: 0,
    borderLeft: `1px solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: tokens.shadow8,
  },
  head: { display: 'flex', alignItems: 'center', gap: '8px', padding: '8px 8px 8px 12px', borderBottom: `1px solid ${tokens.colorNeutralStroke2}` },
  title: { flexGrow: 1, minWidth: 0 },
  body: { overflow: 'auto', padding: '8px 12px 12px', display: 'flex', flexDirection: 'column', gap: '10px', fontSize: tokens.fontSizeBase200 },
});

/** A docked panel at the window's right edge (batch journey, product details, jobs). */
export function SidePanel({ title, subtitle, onClose, children, testId }: { title: string; subtitle?: string; onClose: () => void; children: ReactNode; testId: string }) {
  const s = useStyles();
  const close = useRef(onClose);
  useEffect(() => {
    close.current = onClose;
  });
  // Esc closes the panel (a dialog or an open list over it takes its own Esc first).
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (closesOnEscape(e, document)) close.current();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return (
    <aside className={s.panel} data-testid={testId} aria-label={title}>
      <div className={s.head}>
        <div className={s.title}>
          <Text weight="semibold" block truncate wrap={false}>
            {title}
          </Text>
          {subtitle ? (
            <Text size={200} block style={{ color: tokens.colorNeutralForeground3 }}>
              {subtitle}
            </Text>
          ) : null}
        </div>
        <Button appearance="subtle" size="small" icon={<DismissRegular />} aria-label="Close panel" title="Close (Esc)" onClick={onClose} />
      </div>
      <div className={s.body}>{children}</div>
    </aside>
  );
}
