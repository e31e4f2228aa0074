import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Select, Textarea, makeStyles } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { CountBin, CountSessionInfo } from '../../shared/counts';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useStockSites } from '../stock/use-sites';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: '12px' } });

/** Site, optional bin (empty = full count), notes. Creating snapshots every quant in scope. */
export function CreateCountDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (s: CountSessionInfo) => void }) {
  const styles = useStyles();
  const client = useClient();
  const { sites } = useStockSites();
  const [chosenSite, setSiteId] = useState<number | null>(null);
  const siteId = chosenSite ?? sites[0]?.id ?? null;
  const [binId, setBinId] = useState<number | null>(null);
  const [binsOf, setBinsOf] = useState<{ siteId: number; bins: CountBin[] } | null>(null);
  const bins = binsOf && binsOf.siteId === siteId ? binsOf.bins : [];
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (siteId === null) return;
    client.call('counts.bins', { siteId }).then((b) => setBinsOf({ siteId, bins: b }), (e: unknown) => setError(toAppError(e)));
  }, [client, siteId]);

  const create = async () => {
    if (siteId === null) return;
    setBusy(true);
    try {
      const s = await client.call('counts.create', { siteId, ...(binId !== null ? { binId } : {}), ...(notes.trim() ? { notes: notes.trim() } : {}) });
      setNotes('');
      setError(null);
      onCreated(s);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => (d.open ? undefined : onClose())}>
      <DialogSurface aria-label="New stock count">
        <DialogBody>
          <DialogTitle>New stock count</DialogTitle>
          <DialogContent className={styles.form}>
            {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
            <Field label="Warehouse / site" required>
              <Select aria-label="Count site" value={siteId === null ? '' : String(siteId)} onChange={(_, d) => {
                  setSiteId(Number(d.value));
                  setBinId(null);
                }}>
                {sites.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.code})
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Bin" hint="Leave empty to count every quant at the site; pick a bin for a cycle count.">
              <Select aria-label="Count bin" value={binId === null ? '' : String(binId)} onChange={(_, d) => setBinId(d.value ? Number(d.value) : null)}>
                <option value="">Whole site (full count)</option>
                {bins.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.code}
                    {b.name !== b.code ? ` — ${b.name}` : ''} ({b.quants} {b.quants === 1 ? 'quant' : 'quants'})
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Notes">
              <Textarea aria-label="Count notes" value={notes} onChange={(_, d) => setNotes(d.value)} resize="vertical" />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>
              Close
            </Button>
            <Button appearance="primary" disabled={busy || siteId === null} onClick={() => void create()}>
              Create
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
