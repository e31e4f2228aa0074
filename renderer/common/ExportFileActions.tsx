import { Link, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import { useAppInfo } from '../app/app-info-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from './ErrorBar';
import { downloadExport } from './export-start';

const useStyles = makeStyles({ root: { display: 'flex', gap: '12px', alignItems: 'center', flexWrap: 'wrap' } });

/** A finished export's file: Open and Show in folder in the desktop app, Download in the browser. */
export function ExportFileActions({ jobId }: { jobId: string }) {
  const s = useStyles();
  const client = useClient();
  const mode = useAppInfo().info?.mode;
  const [error, setError] = useState<AppError | null>(null);
  const run = (p: Promise<unknown>) => void p.catch((e: unknown) => setError(toAppError(e)));
  return (
    <div className={s.root}>
      {mode === 'electron' ? (
        <>
          <Link onClick={() => run(client.call('desktop.openExport', { jobId, show: 'file' }))}>Open</Link>
          <Link onClick={() => run(client.call('desktop.openExport', { jobId, show: 'folder' }))}>Show in folder</Link>
        </>
      ) : (
        <Link onClick={() => run(downloadExport(client, jobId))} data-testid="export-download">Download</Link>
      )}
      {error ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
    </div>
  );
}
