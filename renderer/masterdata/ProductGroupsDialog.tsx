import { Button, Checkbox, Dialog, DialogActions, DialogBody, DialogContent, DialogSurface, DialogTitle, Field, Input, Text, mergeClasses } from '@fluentui/react-components';
import { AddRegular, SaveRegular } from '@fluentui/react-icons';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ProductGroupRecord } from '../../shared/masterdata';
import { toAppError } from '../app/to-app-error';
import { useClient, useClientEvent } from '../client';
import { ErrorBar } from '../common/ErrorBar';
import { HistoryList } from './HistoryList';
import { useMasterStyles } from './masterdata-styles';
import { useRecordSave } from './use-record-save';
import { touchesStock } from '../../shared/ledger-change';
import { needsPermission } from '../../shared/permission-names';

interface Props {
  open: boolean;
  canEdit: boolean;
  onClose: () => void;
}

/**
 * Product groups (seed 004): code, name, and whether on-costs of its products post to cost of sales. A new group is
 * added from the keyboard (code, name, Enter) and the code field keeps the focus for the next; a row opens for change.
 */
export function ProductGroupsDialog({ open, canEdit, onClose }: Props) {
  const styles = useMasterStyles();
  const client = useClient();
  const [groups, setGroups] = useState<ProductGroupRecord[]>([]);
  const [editing, setEditing] = useState<ProductGroupRecord | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [postOnCosts, setPostOnCosts] = useState(false);
  const [active, setActive] = useState(true);
  const [showHistory, setShowHistory] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const reset = (g: ProductGroupRecord | null) => {
    setEditing(g);
    setShowHistory(false);
    setCode(g?.code ?? '');
    setName(g?.name ?? '');
    setPostOnCosts(g?.postOnCosts ?? false);
    setActive(g?.active ?? true);
    codeRef.current?.focus();
  };
  /** Bumped after each change here or elsewhere, to reload the list. */
  const [tick, setTick] = useState(0);
  const { error, setError, saving, field, mark, run, formRef } = useRecordSave<ProductGroupRecord>(() => {
    reset(null);
    setTick((t) => t + 1);
  });
  useEffect(() => {
    if (!open) return;
    let live = true;
    client.call('masterdata.groups', {}).then(
      (g) => live && setGroups(g),
      (e: unknown) => live && setError(toAppError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, open, tick, setError]);
  useClientEvent('ledger.changed', (e) => touchesStock(e) && setTick((t) => t + 1));

  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (saving || !canEdit) return;
    const fields = { code: code.trim(), name: name.trim(), postOnCosts, active };
    await run(() => (editing ? client.call('masterdata.groupUpdate', { ...fields, id: editing.id }) : client.call('masterdata.groupCreate', fields)));
  };

  return (
    <Dialog open={open} onOpenChange={(_, d) => !d.open && onClose()} modalType="modal">
      <DialogSurface style={{ maxWidth: '640px' }} data-testid="groups-dialog">
        <DialogBody>
          <DialogTitle>Product groups</DialogTitle>
          <DialogContent className={styles.form}>
            <Text className={styles.note}>A group gathers products for reports and finance posting. Where it says so, the on-costs of its products (freight, duty…) are posted to cost of sales.</Text>
            <table className={styles.table} data-testid="groups-table">
              <thead>
                <tr>
                  <th className={styles.th}>Code</th>
                  <th className={styles.th}>Name</th>
                  <th className={styles.th}>On-costs to cost of sales</th>
                  <th className={mergeClasses(styles.th, styles.num)}>Products</th>
                  <th className={styles.th}>Status</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((g) => (
                  <tr
                    key={g.id}
                    tabIndex={0}
                    className={mergeClasses(styles.row, g.id === editing?.id && styles.selected, !g.active && styles.inactive)}
                    onClick={() => reset(g)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') reset(g);
                    }}
                    data-testid={`group-row-${g.code}`}
                  >
                    <td className={mergeClasses(styles.td, styles.mono)}>{g.code}</td>
                    <td className={styles.td}>{g.name}</td>
                    <td className={styles.td}>{g.postOnCosts ? 'Yes' : 'No'}</td>
                    <td className={mergeClasses(styles.td, styles.num)}>{g.productCount}</td>
                    <td className={styles.td}>{g.active ? 'Active' : 'Inactive'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {groups.length === 0 ? <Text className={styles.note}>No groups yet. Add the first one below.</Text> : null}
            {canEdit ? (
              <form
                ref={formRef}
                className={styles.form}
                onSubmit={(e) => void save(e)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape' && editing) {
                    e.stopPropagation();
                    reset(null);
                  }
                }}
                aria-label={editing ? `Group ${editing.code}` : 'New group'}
                data-testid="group-form"
              >
                <h3 className={styles.h3}>{editing ? `Change ${editing.code}` : 'New group'}</h3>
                {error && field === null ? <ErrorBar error={error} onDismiss={() => setError(null)} /> : null}
                <div className={styles.pair}>
                  <Field label="Code" required {...mark('code')}>
                    <Input ref={codeRef} value={code} onChange={(_, d) => setCode(d.value)} autoFocus data-testid="group-code" />
                  </Field>
                  <Field label="Name" required {...mark('name')}>
                    <Input value={name} onChange={(_, d) => setName(d.value)} data-testid="group-name" />
                  </Field>
                </div>
                <Checkbox label="Post on-costs to cost of sales" checked={postOnCosts} onChange={(_, d) => setPostOnCosts(Boolean(d.checked))} data-testid="group-post-on-costs" />
                <Checkbox label="Active (offered when choosing a product's group)" checked={active} onChange={(_, d) => setActive(Boolean(d.checked))} data-testid="group-active" />
                <div className={styles.actions}>
                  <Button type="submit" appearance="primary" icon={editing ? <SaveRegular /> : <AddRegular />} disabled={saving} data-testid="group-save">
                    {editing ? 'Save group' : 'Add group'}
                  </Button>
                  {editing ? <Button onClick={() => reset(null)}>New group</Button> : null}
                </div>
              </form>
            ) : (
              <Text className={styles.note}>{needsPermission('Changing product groups', 'manage:products')}</Text>
            )}
            {editing ? (
              <>
                <Button appearance="subtle" style={{ alignSelf: 'flex-start' }} onClick={() => setShowHistory((v) => !v)} aria-expanded={showHistory} data-testid="group-history-toggle">
                  {showHistory ? `Hide the history of ${editing.code}` : `History of ${editing.code}`}
                </Button>
                {showHistory ? <HistoryList record="product group" id={editing.id} /> : null}
              </>
            ) : null}
          </DialogContent>
          <DialogActions>
            <Button onClick={onClose} data-testid="groups-close">
              Close
            </Button>
          </DialogActions>
        </DialogBody>
      </DialogSurface>
    </Dialog>
  );
}
