import { Text } from '@fluentui/react-components';
import { useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { SiteRecord } from '../../shared/masterdata';
import { useAppInfo } from '../app/app-info-context';
import { toAppError } from '../app/to-app-error';
import { useClient } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { BinsPanel } from '../masterdata/BinsPanel';
import { SiteForm } from '../masterdata/SiteForm';
import { ContinueActions, useSetupStyles } from './setup-parts';
import { Waiting } from '../common/Waiting';
import { needsPermission } from '../../shared/permission-names';

/**
 * Step 2: the first site (the Sites window's own form), then its bins one after another from the keyboard. Resumed
 * later, it shows the site already made and its bins.
 */
export function SetupSiteStep({ onBack, onNext }: { onBack: () => void; onNext: () => void }) {
  const styles = useSetupStyles();
  const client = useClient();
  const { info: appInfo, reload: reloadAppInfo } = useAppInfo();
  const canEdit = appInfo?.user.permissions.includes('manage:sites') ?? false;
  const [site, setSite] = useState<SiteRecord | null | undefined>(undefined);
  const [error, setError] = useState<AppError | null>(null);

  useEffect(() => {
    client.call('masterdata.sites', {}).then(
      (sites) => setSite(sites.find((s) => s.kind !== 'external') ?? null),
      (e: unknown) => setError(toAppError(e)),
    );
  }, [client]);

  return (
    <>
      <h2 className={styles.h2}>Your first site and its bins</h2>
      <Text className={styles.note}>
        A site is a place that holds stock: a warehouse, a shop, a kitchen. Bins are the shelves or areas inside it that stock is
        put away to. More sites can be added later in the Sites window.
      </Text>
      {error ? <ErrorBar error={error} /> : null}
      {site === undefined && !error ? <Waiting label="Loading the sites…" /> : null}
      {site === null ? (
        <SiteForm
          site={null}
          canEdit={canEdit}
          onSaved={(s) => {
            setSite(s);
            void reloadAppInfo();
          }}
          onCancel={onBack}
        />
      ) : null}
      {site ? (
        <>
          <Text data-testid="setup-site">
            Site <strong>{site.name}</strong> ({site.code}) is set up. Add its bins: type a code and press Enter, then the next.
          </Text>
          <BinsPanel site={site} canEdit={canEdit} focusNew />
        </>
      ) : null}
      {!canEdit ? <Text className={styles.note}>{needsPermission('Adding sites', 'manage:sites')}</Text> : null}
      <ContinueActions onBack={onBack} onNext={onNext} disabled={!site} testId="setup-site-next" />
    </>
  );
}
