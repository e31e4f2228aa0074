import { Tab, TabList, Text, mergeClasses } from '@fluentui/react-components';
import { AddRegular } from '@fluentui/react-icons';
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../shared/contract/errors';
import type { SiteRecord } from '../../shared/masterdata';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { BinsPanel } from './BinsPanel';
import { HistoryList } from './HistoryList';
import { useMasterStyles } from './masterdata-styles';
import { SiteForm } from './SiteForm';
import { touchesStock } from '../../shared/ledger-change';

const KIND: Record<SiteRecord['kind'], string> = { warehouse: 'Warehouse', shop: 'Shop', kitchen: 'Kitchen', other: 'Other', external: 'External' };

/** The Sites & bins window: every site with its bins; add a site, then its bins. */
export function SitesPage() {
  const styles = useMasterStyles();
  const client = useClient();
  const newRefusal = useRefusal('Adding sites', 'manage:sites');
  const canEdit = newRefusal === null;
  const [sites, setSites] = useState<SiteRecord[]>([]);
  const [error, setError] = useState<AppError | null>(null);
  const [selected, setSelected] = useState<number | 'new' | null>(null);
  /** The site just added: its bin form takes the focus, so bins follow from the keyboard. */
  const [justAdded, setJustAdded] = useState<number | null>(null);
  const [tab, setTab] = useState<'site' | 'history'>('site');

  const load = useCallback(() => {
    client.call('masterdata.sites', {}).then(
      (s) => {
        setSites(s);
        setError(null);
      },
      (e: unknown) => setError(toAppError(e)),
    );
  }, [client]);
  useEffect(load, [load]);
  useClientEvent('ledger.changed', (e) => touchesStock(e) && load());

  /** The last record main returned, until the reloaded list holds it (a site just added is not listed yet). */
  const [saved, setSaved] = useState<SiteRecord | null>(null);
  const site = typeof selected === 'number' ? (sites.find((s) => s.id === selected) ?? (saved?.id === selected ? saved : null)) : null;
  return (
    <div className={styles.page}>
      <div className={styles.listPane}>
        <div className={styles.toolbar}>
          <Text className={styles.grow}>{sites.length} sites</Text>
          <PermissionButton refusal={newRefusal} appearance="primary" icon={<AddRegular />} onClick={() => setSelected('new')} data-testid="site-new">
            New site
          </PermissionButton>
        </div>
        {error ? <ErrorBar error={error} title="Sites could not be loaded." onRetry={load} /> : null}
        <table className={styles.table} data-testid="sites-table">
          <thead>
            <tr>
              <th className={styles.th}>Code</th>
              <th className={styles.th}>Name</th>
              <th className={styles.th}>Kind</th>
              <th className={styles.th}>Negative stock</th>
              <th className={mergeClasses(styles.th, styles.num)}>Bins</th>
              <th className={mergeClasses(styles.th, styles.num)}>Stock lines</th>
              <th className={styles.th}>Status</th>
            </tr>
          </thead>
          <tbody>
            {sites.map((s) => (
              <tr
                key={s.id}
                tabIndex={0}
                className={mergeClasses(styles.row, s.id === selected && styles.selected, !s.active && styles.inactive)}
                onClick={() => {
                  setJustAdded(null);
                  setSelected(s.id);
                }}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') setSelected(s.id);
                }}
                data-testid={`site-row-${s.code}`}
              >
                <td className={mergeClasses(styles.td, styles.mono)}>{s.code}</td>
                <td className={styles.td}>{s.name}</td>
                <td className={styles.td}>{KIND[s.kind]}</td>
                <td className={styles.td}>{s.allowNegative ? 'Allowed' : 'Refused'}</td>
                <td className={mergeClasses(styles.td, styles.num)}>{s.kind === 'external' ? '—' : s.binCount}</td>
                <td className={mergeClasses(styles.td, styles.num)}>{s.kind === 'external' ? '—' : s.stockLines}</td>
                <td className={styles.td}>{s.active ? 'Active' : 'Inactive'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {sites.length <= 1 ? <Text className={styles.note}>Only the External site exists. Add your first warehouse, shop or kitchen with New site, then its bins.</Text> : null}
      </div>
      {selected === 'new' || site ? (
        <aside className={styles.formPane}>
          {site && site.kind !== 'external' ? (
            <TabList size="small" selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as typeof tab)}>
              <Tab value="site">Site and bins</Tab>
              <Tab value="history" data-testid="site-history-tab">
                History
              </Tab>
            </TabList>
          ) : null}
          {site && site.kind !== 'external' && tab === 'history' ? (
            <HistoryList record="site" id={site.id} />
          ) : (
            <>
              <SiteForm
                key={`site-${site?.id ?? 'new'}`}
                site={site}
                canEdit={canEdit}
                onSaved={(s) => {
                  if (selected === 'new') setJustAdded(s.id);
                  setSaved(s);
                  setSelected(s.id);
                  load();
                }}
                onCancel={() => setSelected(null)}
              />
              {site && site.kind !== 'external' ? <BinsPanel key={`bins-${site.id}`} site={site} canEdit={canEdit} focusNew={site.id === justAdded} /> : null}
            </>
          )}
        </aside>
      ) : null}
    </div>
  );
}
