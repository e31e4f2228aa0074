import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Select, Textarea, makeStyles } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import { AppError } from '../../shared/contract/errors';
import type { CountBin, CountSessionInfo } from '../../shared/counts';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { localNow, localToIso } from '../operations/line-model';
import { useSites } from '../operations/use-operation-data';
import { rememberSite, useSiteChoice } from '../operations/site-choice';
import { DateTimeField } from '../common/DateTimeField';
import { useErrorField } from '../common/error-field';
import { typedDateRefusal } from '../common/date-refusal';

/** The kind of document a count's site is remembered for. */
const COUNT_SITE = 'count';

const useStyles = makeStyles({ form: { display: 'flex', flexDirection: 'column', gap: '12px' } });

/** Site, optional bin (empty = full count), count date (default now), notes. Creating snapshots every quant in scope. */
export function CreateCountDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (s: CountSessionInfo) => void }) {
  const styles = useStyles();
  const client = useClient();
  // Active sites only: a count is a document, and none is made at a deactivated site.
  const sites = useSites();
  const [chosenSite, setSiteId] = useState<number | null>(null);
  // The site is never guessed: the only one there is, else the one the last count on this computer was of, else picked.
  const siteId = useSiteChoice(COUNT_SITE, sites, chosenSite);
  const [binId, setBinId] = useState<number | null>(null);
  const [binsOf, setBinsOf] = useState<{ siteId: number; bins: CountBin[] } | null>(null);
  const bins = binsOf && binsOf.siteId === siteId ? binsOf.bins : [];
  const [notes, setNotes] = useState('');
  // The count date shows now; it is sent only when changed, so "now" stays the server's now (not the minute's start).
  const [countDate, setCountDate] = useState<string | null>(null);
  /** The Count date text is not a date up to now: Create refuses rather than use the date from before the typing. */
  const [dateInvalid, setDateInvalid] = useState(false);

  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    if (siteId === null) return;
    client.call('counts.bins', { siteId }).then((b) => setBinsOf({ siteId, bins: b }), (e: unknown) => setError(toAppError(e)));
  }, [client, siteId]);

  const create = async () => {
    if (siteId === null) {
      setError(new AppError('VALIDATION', 'Count site: no site is picked. Pick the warehouse or site being counted.', { field: 'siteId' }));
      return;
    }
    // What the field shows is what is sent: text that is not a date up to now is refused — never the date from before it.
    if (dateInvalid) {
      setError(typedDateRefusal('Count date', { range: 'up to now', orElse: 'empty it for now' }));
      return;
    }
    setBusy(true);
    try {
      const occurredAt = countDate ? localToIso(countDate) : undefined;
      const s = await client.call('counts.create', {
        siteId,
        ...(binId !== null ? { binId } : {}),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
        ...(occurredAt ? { occurredAt } : {}),
      });
      rememberSite(COUNT_SITE, sites.find((x) => x.id === siteId));
      setSiteId(siteId);
      setNotes('');
      setCountDate(null);
      setError(null);
      onCreated(s);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };

  const errorRoot = useRef<HTMLDivElement>(null);
  useErrorField(error, errorRoot);
  return (
    <Dialog open={open} onOpenChange={(_, d) => (d.open ? undefined : onClose())}>
      <DialogSurface ref={errorRoot} aria-label="New stock count">
        <DialogBody>
          <DialogTitle>New stock count</DialogTitle>
          <DialogContent className={styles.form}>
            {error ? <ErrorBar error={error} multiline onDismiss={() => setError(null)} /> : null}
            <Field label="Warehouse / site" required>
              <Select aria-label="Count site" value={siteId === null ? '' : String(siteId)} onChange={(_, d) => {
                  setSiteId(d.value ? Number(d.value) : null);
                  setBinId(null);
                }}>
                {siteId === null ? <option value="">Pick the site to count</option> : null}
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
            <Field label="Count date" hint="When the stock was counted (emptied: now). Its adjustments are dated to it, however much later the count is completed.">
              <DateTimeField mode="datetime" aria-label="Count date" value={countDate ?? localNow()} max={localNow()} onChange={(v) => setCountDate(v || null)} onInvalidChange={setDateInvalid} />
            </Field>
            <Field label="Notes">
              <Textarea aria-label="Count notes" value={notes} onChange={(_, d) => setNotes(d.value)} resize="vertical" />
            </Field>
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>
              Close
            </Button>
            <Button appearance="primary" disabled={busy} onClick={() => void create()}>
              Create
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
