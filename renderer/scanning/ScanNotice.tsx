import { Button, MessageBar, MessageBarActions, MessageBarBody, makeStyles } from '@fluentui/react-components';
import { BarcodeScannerRegular, DismissRegular, LinkAddRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import type { ScanEvent } from '../../shared/scanning/scan-types';
import { visibleCode } from '../../shared/scanning/parse-scan';
import { AttachBarcodeDialog } from './AttachBarcodeDialog';

export interface Notice {
  scan: ScanEvent | null;
  intent: 'success' | 'warning' | 'error' | 'info';
  text: string;
  unknown: boolean;
}

const useStyles = makeStyles({
  bar: { flexShrink: 0, margin: '4px 8px 0' },
});

/** The last scan's outcome under the header; an unknown code offers to attach it to a product. */
export function ScanNotice({ notice, log, onDismiss }: { notice: Notice | null; log: { seq: number; code: string; outcome: string }[]; onDismiss: () => void }) {
  const s = useStyles();
  const [attaching, setAttaching] = useState<string | null>(null);
  const [attached, setAttached] = useState<string | null>(null);
  // The recent scan log is kept on the element for diagnostics and tests (order and count of handled scans).
  const logAttr = JSON.stringify(log.map((l) => [l.seq, l.code, l.outcome]));
  const barcode = notice?.scan ? (notice.scan.parsed.gtin && notice.scan.parsed.gs1 ? notice.scan.parsed.gtin : notice.scan.parsed.data) : null;
  return (
    <div data-testid="scan-log" data-log={logAttr} data-count={log.length}>
      {notice ? (
        <MessageBar className={s.bar} intent={notice.intent} layout="singleline" icon={<BarcodeScannerRegular />} data-testid="scan-notice">
          <MessageBarBody>
            {notice.scan ? <strong>{visibleCode(notice.scan.parsed.data)}: </strong> : null}
            {attached ?? notice.text}
          </MessageBarBody>
          <MessageBarActions containerAction={<Button aria-label="Dismiss" appearance="transparent" size="small" icon={<DismissRegular />} onClick={() => { setAttached(null); onDismiss(); }} />}>
            {notice.unknown && barcode && !attached ? (
              <Button size="small" icon={<LinkAddRegular />} onClick={() => setAttaching(barcode)} data-testid="scan-attach">
                Attach to a product…
              </Button>
            ) : null}
          </MessageBarActions>
        </MessageBar>
      ) : null}
      <AttachBarcodeDialog
        barcode={attaching}
        onClose={() => setAttaching(null)}
        onAttached={(r) => {
          setAttaching(null);
          setAttached(`Barcode ${r.barcode} now belongs to ${r.sku}. Scan it again.`);
        }}
      />
    </div>
  );
}
