import { Button, Field, Input, MessageBar, MessageBarBody, Select, SpinButton, Text, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, BarcodeScannerRegular, SaveRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { ScannerConfig } from '../../shared/contract/scanner.schemas';
import type { ScanEvent } from '../../shared/scanning/scan-types';
import type { ScannerStatus } from '../../shared/scanning/scanner-status';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { useScanning, useScanTarget } from '../scanning/scan-context';
import { ScanFields } from '../scanning/ScanFields';

const useStyles = makeStyles({
  section: { margin: '4px 0 0', fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  grid: { display: 'grid', gridTemplateColumns: 'repeat(3, minmax(160px, 1fr))', gap: '8px 14px', alignItems: 'start' },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200 },
  th: { textAlign: 'left', padding: '4px 6px', backgroundColor: tokens.colorNeutralBackground2, borderBottom: `1px solid ${tokens.colorNeutralStroke1}`, fontWeight: tokens.fontWeightSemibold },
  td: { padding: '3px 6px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, fontFamily: tokens.fontFamilyMonospace },
  row: { display: 'flex', gap: '8px', alignItems: 'center' },
  note: { color: tokens.colorNeutralForeground3 },
  test: {
    border: `1px dashed ${tokens.colorNeutralStroke1}`,
    borderRadius: tokens.borderRadiusMedium,
    padding: '10px',
    display: 'flex',
    flexDirection: 'column',
    gap: '8px',
  },
});

const hex = (n: number) => n.toString(16).padStart(4, '0');

/** Settings → Scanner: HID POS driver state and device list, mode, wedge timing, and a live test-scan area. */
export function ScannerSettings() {
  const s = useStyles();
  const client = useClient();
  const scanning = useScanning();
  const [status, setStatus] = useState<ScannerStatus | null>(null);
  const [config, setConfig] = useState<ScannerConfig | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [saved, setSaved] = useState(false);
  const [last, setLast] = useState<ScanEvent | null>(null);
  const [typed, setTyped] = useState('');

  const load = useCallback(() => {
    client.call('scanner.status', {}).then(
      (r) => {
        setStatus(r.status);
        setConfig(r.config);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, [client]);
  useEffect(load, [load]);
  useClientEvent('scanner.status', setStatus);
  // While Settings is open, scans show here instead of acting on a window.
  useScanTarget((scan) => {
    setLast(scan);
    return { outcome: 'handled', message: `Test scan read: ${scan.resolution.message}` };
  });

  const save = async () => {
    if (!config) return;
    try {
      const r = await client.call('scanner.configure', config);
      setStatus(r.status);
      setConfig(r.config);
      setError(null);
      setSaved(true);
      scanning.reloadConfig();
    } catch (e) {
      setError(toAppError(e));
    }
  };
  const testTyped = async () => {
    if (!typed) return;
    try {
      setLast(await client.call('scanner.submit', { code: typed.replace(/\\x1d|␝/g, '\u001d'), scanId: `test-${Date.now()}-${Math.random()}`, origin: scanning.origin, source: 'test' }));
    } catch (e) {
      setError(toAppError(e));
    }
  };
  const wedge = config?.wedge;
  const setWedge = (patch: Partial<ScannerConfig['wedge']>) => {
    setSaved(false);
    setConfig((c) => (c ? { ...c, wedge: { ...c.wedge, ...patch } } : c));
  };

  return (
    <>
      <h2 className={s.section}>Scanner</h2>
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
      {status ? (
        <MessageBar intent={status.connected ? 'success' : status.hidAvailable ? 'info' : 'warning'} data-testid="scanner-driver">
          <MessageBarBody>
            {status.connected
              ? `USB HID POS scanner connected: ${status.connected.manufacturer} ${status.connected.product} (${hex(status.connected.vendorId)}:${hex(status.connected.productId)}).`
              : (status.hidReason ?? 'Looking for a USB HID POS scanner…')}{' '}
            {status.scansHandled ? `${status.scansHandled} scans handled this session.` : ''}
          </MessageBarBody>
        </MessageBar>
      ) : null}
      {config && wedge ? (
        <>
          <div className={s.grid}>
            <Field label="Mode" size="small">
              <Select size="small" value={config.mode} onChange={(_, d) => { setSaved(false); setConfig({ ...config, mode: d.value as ScannerConfig['mode'] }); }} data-testid="scanner-mode">
                <option value="auto">USB HID POS and keyboard wedge</option>
                <option value="hid">USB HID POS only</option>
                <option value="wedge">Keyboard wedge only</option>
              </Select>
            </Field>
            <Field label="Max gap between keys (ms)" size="small" hint="Measured by each key's own time stamp: scanner keys come faster than this, typing slower.">
              <SpinButton size="small" min={5} max={200} value={wedge.maxGapMs} onChange={(_, d) => setWedge({ maxGapMs: (d.value ?? Number(d.displayValue)) || 30 })} />
            </Field>
            <Field label="Shortest code" size="small">
              <SpinButton size="small" min={1} max={64} value={wedge.minLength} onChange={(_, d) => setWedge({ minLength: (d.value ?? Number(d.displayValue)) || 4 })} />
            </Field>
            <Field label="Terminator" size="small">
              <Select size="small" value={wedge.terminator} onChange={(_, d) => setWedge({ terminator: d.value as typeof wedge.terminator })}>
                <option value="enter-or-tab">Enter or Tab</option>
                <option value="enter">Enter</option>
                <option value="tab">Tab</option>
                <option value="none">None (a pause ends the code; a busy page can split it)</option>
              </Select>
            </Field>
            <Field label="Prefix / suffix" size="small" hint="As programmed on the gun; stripped. A prefix turns on the robust mode (below).">
              <div className={s.row}>
                <Input size="small" value={wedge.prefix} onChange={(_, d) => setWedge({ prefix: d.value })} aria-label="Prefix" style={{ width: '70px' }} />
                <Input size="small" value={wedge.suffix} onChange={(_, d) => setWedge({ suffix: d.value })} aria-label="Suffix" style={{ width: '70px' }} />
              </div>
            </Field>
            <Field label="GS1 separator key" size="small" hint="Ctrl+] always works; program the gun's FNC1 to this key.">
              <Select size="small" value={wedge.gsKey} onChange={(_, d) => setWedge({ gsKey: d.value as typeof wedge.gsKey })}>
                {['F8', 'F9', 'F10', 'F12', 'none'].map((k) => (
                  <option key={k} value={k}>{k === 'none' ? 'Only Ctrl+]' : k}</option>
                ))}
              </Select>
            </Field>
            <Field label="USB vendor id (hex)" size="small" hint="Empty: any scanner on usage page 0x8C.">
              <Input size="small" value={config.hid.vendorId === null ? '' : hex(config.hid.vendorId)} onChange={(_, d) => { setSaved(false); setConfig({ ...config, hid: { ...config.hid, vendorId: d.value ? parseInt(d.value, 16) || 0 : null } }); }} />
            </Field>
            <Field label="USB product id (hex)" size="small">
              <Input size="small" value={config.hid.productId === null ? '' : hex(config.hid.productId)} onChange={(_, d) => { setSaved(false); setConfig({ ...config, hid: { ...config.hid, productId: d.value ? parseInt(d.value, 16) || 0 : null } }); }} />
            </Field>
          </div>
          <Text size={200} className={s.note} data-testid="wedge-help">
            Keys always go to the field you are typing in; when they turn out to be a scan, Stockbook takes them back out
            of the field and handles the code once. <b>Robust mode (recommended where the PC gets busy, or for Bluetooth
            guns):</b> program the gun with a prefix and a suffix (scan the &ldquo;prefix&rdquo; and &ldquo;suffix&rdquo;
            setup codes in its manual) using a character nobody types here, e.g. <code>~</code> before and <code>~</code> after
            every code, and enter the same characters above. Everything between them is then one scan, however slowly the
            keys arrive; set Terminator to what the gun sends after the suffix (or None). Without a prefix, keys closer
            together than the max gap, ended by the terminator (or the suffix), are a scan.
          </Text>
          <div className={s.row}>
            <Button size="small" appearance="primary" icon={<SaveRegular />} onClick={() => void save()} data-testid="scanner-save">Save scanner settings</Button>
            <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={load}>Refresh devices</Button>
            {saved ? <Text size={200} className={s.note}>Saved.</Text> : null}
          </div>
        </>
      ) : null}
      {status && status.devices.length ? (
        <table className={s.table} aria-label="USB HID devices">
          <thead>
            <tr>
              <th className={s.th}>Device</th>
              <th className={s.th}>VID:PID</th>
              <th className={s.th}>Usage page</th>
              <th className={s.th}>Path</th>
            </tr>
          </thead>
          <tbody>
            {status.devices.map((d) => (
              <tr key={d.path}>
                <td className={s.td}>{`${d.manufacturer} ${d.product}`.trim() || '(unnamed)'}{d.isScanner ? ' — barcode scanner' : ''}</td>
                <td className={s.td}>{hex(d.vendorId)}:{hex(d.productId)}</td>
                <td className={s.td}>{d.usagePage === null ? '?' : `0x${d.usagePage.toString(16)}`}</td>
                <td className={s.td}>{d.path}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : status?.hidAvailable ? (
        <Text size={200} className={s.note}>No USB HID devices are listed.</Text>
      ) : null}
      <div className={s.test} data-testid="scanner-test">
        <Text weight="semibold"><BarcodeScannerRegular /> Test scan</Text>
        <Text size={200} className={s.note}>Scan any code while this page is open to see what Stockbook reads from it, or type a code (write GS as ␝ or \x1d) and press Test.</Text>
        <div className={s.row}>
          <Input size="small" style={{ width: '360px' }} value={typed} onChange={(_, d) => setTyped(d.value)} aria-label="Code to test" placeholder="]d2010401234567890117251231 10LOT1" />
          <Button size="small" onClick={() => void testTyped()}>Test</Button>
        </div>
        {last ? <ScanFields scan={last} /> : <Text size={200} className={s.note}>No scan yet.</Text>}
      </div>
    </>
  );
}
