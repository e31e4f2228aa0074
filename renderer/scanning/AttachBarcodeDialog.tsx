import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Text } from '@fluentui/react-components';
import { useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { ProductOption } from '../../shared/operations';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { ProductPicker } from '../operations/ProductPicker';

/** Offers to attach an unknown scanned barcode to a product (scanner.attachBarcode). */
export function AttachBarcodeDialog({ barcode, onClose, onAttached }: { barcode: string | null; onClose: () => void; onAttached: (r: { sku: string; barcode: string }) => void }) {
  const client = useClient();
  const [product, setProduct] = useState<ProductOption | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const attach = async () => {
    if (!barcode || !product) return;
    setBusy(true);
    try {
      const r = await client.call('scanner.attachBarcode', { productId: product.id, barcode });
      setProduct(null);
      setError(null);
      onAttached(r);
    } catch (e) {
      setError(toAppError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={barcode !== null} onOpenChange={(_, d) => (d.open ? undefined : onClose())}>
      <DialogSurface aria-describedby={undefined}>
        <DialogBody>
          <DialogTitle>Attach barcode {barcode}</DialogTitle>
          <DialogContent>
            <Text as="p" size={200}>No product has this barcode yet. Pick the product it belongs to; the next scan finds it.</Text>
            <Field label="Product">
              <ProductPicker label="Product for the barcode" value={product} onChange={setProduct} />
            </Field>
            {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
          </DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={onClose}>Cancel</Button>
            <Button appearance="primary" disabled={!product || busy} onClick={() => void attach()} data-testid="attach-confirm">
              Attach
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
