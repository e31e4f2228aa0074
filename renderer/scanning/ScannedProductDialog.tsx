import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';
import type { ScanEvent } from '../../shared/scanning/scan-types';
import { ScanFields } from './ScanFields';

/** Where no window takes scans: shows the scanned product with what the code said, and opens it in Enquiry. */
export function ScannedProductDialog({ scan, onClose, onOpenInEnquiry }: { scan: ScanEvent | null; onClose: () => void; onOpenInEnquiry: (scan: ScanEvent) => void }) {
  const product = scan?.resolution.product;
  return (
    <Dialog open={Boolean(product)} onOpenChange={(_, d) => (d.open ? undefined : onClose())}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>{product ? `${product.sku} — ${product.name}` : ''}</DialogTitle>
          <DialogContent>{scan ? <ScanFields scan={scan} /> : null}</DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>Close</Button>
            <Button appearance="primary" onClick={() => scan && onOpenInEnquiry(scan)}>Show movements</Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
