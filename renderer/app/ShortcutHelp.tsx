import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, makeStyles, tokens } from '@fluentui/react-components';
import { shortcutGroups } from './shortcuts';

const useStyles = makeStyles({
  surface: { width: '640px', maxWidth: '92vw' },
  group: { margin: '10px 0 2px', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200 },
  keys: { width: '150px', padding: '3px 8px 3px 0', verticalAlign: 'top', whiteSpace: 'nowrap' },
  kbd: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase200,
    padding: '1px 5px',
    border: `1px solid ${tokens.colorNeutralStroke1}`,
    borderBottomWidth: '2px',
    borderRadius: tokens.borderRadiusSmall,
    backgroundColor: tokens.colorNeutralBackground2,
  },
  what: { padding: '3px 0', color: tokens.colorNeutralForeground2 },
});

/** "?": every keyboard shortcut, grouped by where it works. Esc closes. */
export function ShortcutHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  const s = useStyles();
  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onClose()}>
      <DialogSurface className={s.surface} data-testid="shortcut-help">
        <DialogBody>
          <DialogTitle as="h2">Keyboard shortcuts</DialogTitle>
          <DialogContent>
            {shortcutGroups().map((g) => (
              <section key={g.title} aria-label={g.title}>
                <h3 className={s.group}>{g.title}</h3>
                <table className={s.table}>
                  <tbody>
                    {g.items.map((it) => (
                      <tr key={`${it.keys}-${it.what}`}>
                        <td className={s.keys}>
                          <kbd className={s.kbd}>{it.keys}</kbd>
                        </td>
                        <td className={s.what}>{it.what}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
            ))}
          </DialogContent>
          <DialogActions>
            <Button appearance="primary" onClick={onClose} title="Close (Esc)">
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
