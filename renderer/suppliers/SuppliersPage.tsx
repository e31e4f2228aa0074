import { Checkbox, Input, Tab, TabList, Text, mergeClasses } from '@fluentui/react-components';
import { AddRegular, SearchRegular } from '@fluentui/react-icons';
import { useState } from 'react';
import { countryByCode } from '../../shared/countries';
import type { SupplierRecord } from '../../shared/suppliers';
import { ErrorBar } from '../common/ErrorBar';
import { PermissionButton, useRefusal } from '../common/PermissionButton';
import { HistoryList } from '../masterdata/HistoryList';
import { useMasterStyles } from '../masterdata/masterdata-styles';
import { SupplierCodesPanel } from './SupplierCodesPanel';
import { SupplierForm } from './SupplierForm';
import { matchesSupplier } from './supplier-match';
import { useSuppliers } from './use-suppliers';
import { AppError } from '../../shared/contract/errors';

/** The Suppliers window: every supplier, its form and its product codes, and its History (its codes' changes included). */
export function SuppliersPage() {
  const styles = useMasterStyles();
  const newRefusal = useRefusal('Adding suppliers', 'manage:suppliers');
  const canEdit = newRefusal === null;
  const { suppliers, failed } = useSuppliers(true);
  const [search, setSearch] = useState('');
  const [showInactive, setShowInactive] = useState(true);
  const [selected, setSelected] = useState<number | 'new' | null>(null);
  const [tab, setTab] = useState<'supplier' | 'history'>('supplier');
  /** The last record main returned, until the reloaded list holds it. */
  const [saved, setSaved] = useState<SupplierRecord | null>(null);
  const supplier = typeof selected === 'number' ? (suppliers.find((s) => s.id === selected) ?? (saved?.id === selected ? saved : null)) : null;
  const shown = suppliers.filter((s) => (showInactive || s.active) && matchesSupplier(s, search));

  return (
    <div className={styles.page}>
      <div className={styles.listPane}>
        <div className={styles.toolbar}>
          <Input contentBefore={<SearchRegular />} placeholder="Search code or name" value={search} onChange={(_, d) => setSearch(d.value)} aria-label="Search suppliers" data-testid="supplier-search" />
          <Checkbox label="Show inactive" checked={showInactive} onChange={(_, d) => setShowInactive(Boolean(d.checked))} />
          <Text className={styles.grow}>
            {shown.length} of {suppliers.length} suppliers
          </Text>
          <PermissionButton refusal={newRefusal} appearance="primary" icon={<AddRegular />} onClick={() => setSelected('new')} data-testid="supplier-new">
            New supplier
          </PermissionButton>
        </div>
        {failed ? <ErrorBar error={new AppError('UNAVAILABLE', 'Suppliers could not be loaded. Try again in a moment.')} /> : null}
        <table className={styles.table} data-testid="suppliers-table">
          <thead>
            <tr>
              <th className={styles.th}>Code</th>
              <th className={styles.th}>Name</th>
              <th className={styles.th}>Country</th>
              <th className={styles.th}>EC</th>
              <th className={styles.th}>Contact</th>
              <th className={styles.th}>Phone</th>
              <th className={mergeClasses(styles.th, styles.num)}>Codes</th>
              <th className={mergeClasses(styles.th, styles.num)}>Receipts</th>
              <th className={styles.th}>Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr
                key={s.id}
                tabIndex={0}
                className={mergeClasses(styles.row, s.id === selected && styles.selected, !s.active && styles.inactive)}
                onClick={() => setSelected(s.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') setSelected(s.id);
                }}
                data-testid={`supplier-row-${s.code}`}
              >
                <td className={mergeClasses(styles.td, styles.mono)}>{s.code}</td>
                <td className={styles.td}>{s.name}</td>
                <td className={styles.td}>{countryByCode(s.country)?.name ?? s.country}</td>
                <td className={styles.td}>{s.inEc ? 'In the EC' : 'Outside'}</td>
                <td className={styles.td}>{s.contactName || s.email}</td>
                <td className={styles.td}>{s.phone}</td>
                <td className={mergeClasses(styles.td, styles.num)}>{s.codeCount}</td>
                <td className={mergeClasses(styles.td, styles.num)}>{s.receiptCount}</td>
                <td className={styles.td}>{s.active ? 'Active' : 'Inactive'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {suppliers.length === 0 && !failed ? <Text className={styles.note}>No suppliers yet. Add the first with New supplier; the Receive form then offers it.</Text> : null}
      </div>
      {selected === 'new' || supplier ? (
        <aside className={styles.formPane}>
          {supplier ? (
            <TabList size="small" selectedValue={tab} onTabSelect={(_, d) => setTab(d.value as typeof tab)}>
              <Tab value="supplier">Supplier and codes</Tab>
              <Tab value="history" data-testid="supplier-history-tab">
                History
              </Tab>
            </TabList>
          ) : null}
          {supplier && tab === 'history' ? (
            <HistoryList record="supplier" id={supplier.id} />
          ) : (
            <>
              <SupplierForm
                key={`supplier-${supplier?.id ?? 'new'}`}
                supplier={supplier}
                canEdit={canEdit}
                onSaved={(s) => {
                  setSaved(s);
                  setSelected(s.id);
                }}
                onCancel={() => setSelected(null)}
              />
              {supplier ? <SupplierCodesPanel key={`codes-${supplier.id}`} supplier={supplier} canEdit={canEdit} /> : null}
            </>
          )}
        </aside>
      ) : null}
    </div>
  );
}
