import { Badge, Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Input, Text, makeStyles, tokens } from '@fluentui/react-components';
import { DeleteRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { CountLine, CountLineCode, CountScanResult } from '../../shared/counts';
import { GS } from '../../shared/scanning/scan-types';
import { plural } from '../../shared/plural';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { useScanTarget } from '../scanning/scan-context';

const useStyles = makeStyles({
  list: { maxHeight: '280px', overflow: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}`, marginTop: '8px' },
  item: { display: 'flex', alignItems: 'center', gap: '8px', padding: '2px 8px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
  code: { fontFamily: tokens.fontFamilyMonospace, flexGrow: 1 },
  message: { display: 'block', marginTop: '6px', minHeight: '20px' },
});

/**
 * The codes of one serial/RFID line: type + Enter or scan adds (while open, scans come here: a GS1 code gives its
 * serial (21), any other code is taken whole), duplicates are reported, codes recorded elsewhere are flagged.
 */
export function SerialCodesDialog({
  sessionId,
  line,
  readOnly,
  onClose,
  onChanged,
}: {
  sessionId: number;
  line: CountLine | null;
  readOnly: boolean;
  onClose: () => void;
  onChanged: (line: CountLine) => void;
}) {
  const styles = useStyles();
  const client = useClient();
  const [codes, setCodes] = useState<CountLineCode[]>([]);
  const [code, setCode] = useState('');
  const [message, setMessage] = useState('');
  const lineId = line?.id ?? null;
  // The line as the last change answered (the `line` given is the one the dialog opened on).
  const [latest, setLatest] = useState<CountLine | null>(null);
  const now = latest && latest.id === lineId ? latest : line;
  const changed = (l: CountLine) => {
    setLatest(l);
    onChanged(l);
  };

  const load = useCallback(() => {
    if (lineId === null) return;
    client.call('counts.lineCodes', { sessionId, lineId }).then(setCodes, (e: unknown) => setMessage(toAppError(e).message));
  }, [client, sessionId, lineId]);
  useEffect(load, [load]);

  /** Records one code on the line; says what happened (or what was wrong) and whether it was recorded. */
  const record = async (c: string): Promise<{ ok: boolean; message: string; intent: 'success' | 'warning' | 'error' }> => {
    if (!line) return { ok: false, message: 'This line is closed.', intent: 'error' };
    try {
      const r: CountScanResult = await client.call('counts.scan', { sessionId, code: c, lineId: line.id });
      setMessage(r.message);
      if (r.line) changed(r.line);
      load();
      return { ok: true, message: r.message, intent: r.outcome === 'added' || r.outcome === 'incremented' ? 'success' : r.outcome === 'not_found' ? 'error' : 'warning' };
    } catch (e) {
      const m = toAppError(e).message;
      setMessage(m);
      return { ok: false, message: m, intent: 'error' };
    }
  };
  const add = async () => {
    const c = code.trim();
    if (!c) return;
    // Clear only what was sent: anything typed meanwhile stays.
    if ((await record(c)).ok) setCode((now) => (now.trim() === c ? '' : now));
  };
  useScanTarget(
    line && !readOnly
      ? async (scan) => {
          const c = (scan.parsed.serial ?? scan.parsed.data.split(GS).join('')).trim();
          const r = await record(c);
          return { outcome: 'handled', intent: r.intent, message: `${line.sku}: ${r.message}` };
        }
      : null,
  );
  const unit = line?.tracking === 'RFID' ? 'tag' : 'serial number';
  const remove = async (c: string) => {
    if (!line) return;
    try {
      const after = await client.call('counts.removeCode', { sessionId, lineId: line.id, code: c });
      changed(after);
      // Say what the removal did (an earlier scan's message no longer holds); a line left with no codes is not counted.
      setMessage(after.countedQty === null ? `${c} removed. No ${unit}s are left on the line, so it is not counted: if none of these units is here, choose None here.` : `${c} removed.`);
      load();
    } catch (e) {
      setMessage(toAppError(e).message);
    }
  };
  /** A serial line counted with none of its units found (completion takes them all out), or back to not counted. */
  const noneHere = async (none: boolean) => {
    if (!line) return;
    try {
      const after = await client.call('counts.setCounted', { sessionId, lineId: line.id, countedQty: none ? 0 : null, version: now?.version });
      changed(after);
      setMessage(none ? `Counted: none of these units is here. Completing the count takes the ${plural(after.systemQty, 'unit')} recorded here out.` : 'Not counted.');
    } catch (e) {
      setMessage(toAppError(e).message);
    }
  };
  const countedNone = now?.countedQty === 0;

  return (
    <Dialog open={line !== null} onOpenChange={(_, d) => (d.open ? undefined : onClose())}>
      <DialogSurface aria-label="Scanned codes">
        <DialogBody>
          <DialogTitle>
            {line?.sku} {line?.binCode ? `· ${line.binCode}` : ''} — {codes.length} of {line?.systemQty ?? 0} expected
          </DialogTitle>
          <DialogContent>
            {!readOnly ? (
              <Input
                autoFocus
                placeholder={`Scan or type a ${line?.tracking === 'RFID' ? 'tag' : 'serial number'}, then Enter`}
                aria-label="Code to add"
                value={code}
                onChange={(_, d) => setCode(d.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') void add();
                }}
                style={{ width: '100%' }}
              />
            ) : null}
            <Text size={200} className={styles.message} aria-live="polite" data-testid="codes-message">
              {message}
            </Text>
            <div className={styles.list}>
              {codes.map((c) => (
                <div key={c.code} className={styles.item} data-testid="count-code">
                  <span className={styles.code}>{c.code}</span>
                  {c.flag ? (
                    <Badge size="small" appearance="tint" color={c.flag === 'elsewhere' ? 'warning' : 'informative'}>
                      {c.flag === 'elsewhere' ? 'recorded elsewhere' : 'not in system'}
                    </Badge>
                  ) : null}
                  {!readOnly ? <Button size="small" appearance="subtle" icon={<DeleteRegular />} aria-label={`Remove ${c.code}`} onClick={() => void remove(c.code)} /> : null}
                </div>
              ))}
              {codes.length === 0 ? <div className={styles.item}>{countedNone ? 'Counted: none here.' : 'No codes scanned yet.'}</div> : null}
            </div>
          </DialogContent>
          <DialogActions>
            {!readOnly && codes.length === 0 ? (
              <Button onClick={() => void noneHere(!countedNone)} title={countedNone ? 'Leave the line not counted' : `Record that none of the ${unit}s expected on this line is here`}>
                {countedNone ? 'Not counted' : 'None here'}
              </Button>
            ) : null}
            <Button appearance="primary" onClick={onClose}>
              Done
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
