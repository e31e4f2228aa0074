import { Button, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle } from '@fluentui/react-components';
import type { ReactNode } from 'react';

export function ConfirmDialog(props: { open: boolean; title: string; children: ReactNode; confirm: string; busy?: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <Dialog open={props.open} onOpenChange={(_, d) => (d.open ? undefined : props.onCancel())}>
      <DialogSurface aria-label={props.title}>
        <DialogBody>
          <DialogTitle>{props.title}</DialogTitle>
          <DialogContent>{props.children}</DialogContent>
          <DialogActions>
            <Button appearance="secondary" onClick={props.onCancel}>
              Back
            </Button>
            <Button appearance="primary" disabled={props.busy} onClick={props.onConfirm}>
              {props.confirm}
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
