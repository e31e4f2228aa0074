import { Button, Input, Label, Select, Spinner, Tooltip, makeStyles, tokens } from '@fluentui/react-components';
import { ArrowClockwiseRegular, DismissRegular, SearchRegular } from '@fluentui/react-icons';
import { useId, type ReactNode } from 'react';
import type { SiteInfo } from '../../shared/domain';
import { STATUS_OPTIONS, type StockStatusFilter } from './stock-query';
import { StockSummary } from './StockSummary';
import type { StockView } from './use-current-stock';

const useStyles = makeStyles({
  toolbar: {
    display: 'flex',
    alignItems: 'center',
    flexWrap: 'wrap',
    gap: '6px 12px',
    padding: '8px 12px',
    backgroundColor: tokens.colorNeutralBackground1,
  },
  search: { width: '260px' },
  clear: { minWidth: '20px', width: '20px', height: '20px', padding: 0 },
  field: { display: 'flex', alignItems: 'center', gap: '6px' },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  siteSelect: { minWidth: '180px' },
  statusSelect: { minWidth: '140px' },
  spacer: { flexGrow: 1 },
});

interface StockToolbarProps {
  search: string;
  onSearchChange: (value: string) => void;
  sites: SiteInfo[];
  siteId: number | null;
  onSiteChange: (siteId: number | null) => void;
  status: StockStatusFilter;
  onStatusChange: (status: StockStatusFilter) => void;
  view: StockView | null;
  loading: boolean;
  onRefresh: () => void;
  /** More buttons for the list (Export). */
  actions?: ReactNode;
}

export function StockToolbar(props: StockToolbarProps) {
  const styles = useStyles();
  const siteId = useId();
  const statusId = useId();
  return (
    <div className={styles.toolbar} role="toolbar" aria-label="Current stock filters">
      <Input
        className={styles.search}
        size="small"
        // Not type="search": the field has its own clear button, and chromium would draw a second one.
        type="text"
        value={props.search}
        onChange={(_, data) => props.onSearchChange(data.value)}
        placeholder="Filter by SKU or name"
        aria-label="Filter by SKU or name"
        contentBefore={<SearchRegular />}
        contentAfter={
          props.search ? (
            <Button
              className={styles.clear}
              size="small"
              appearance="transparent"
              icon={<DismissRegular />}
              aria-label="Clear filter"
              onClick={() => props.onSearchChange('')}
            />
          ) : undefined
        }
      />
      <div className={styles.field}>
        <Label htmlFor={siteId} className={styles.label}>
          Site
        </Label>
        <Select
          id={siteId}
          className={styles.siteSelect}
          size="small"
          aria-label="Site"
          value={props.siteId === null ? '' : String(props.siteId)}
          onChange={(_, data) => props.onSiteChange(data.value ? Number(data.value) : null)}
        >
          <option value="">All sites</option>
          {props.sites.map((s) => (
            <option key={s.id} value={String(s.id)}>
              {s.name}
            </option>
          ))}
        </Select>
      </div>
      <div className={styles.field}>
        <Label htmlFor={statusId} className={styles.label}>
          Status
        </Label>
        <Select
          id={statusId}
          className={styles.statusSelect}
          size="small"
          aria-label="Status"
          value={props.status}
          onChange={(_, data) => props.onStatusChange(data.value as StockStatusFilter)}
        >
          {STATUS_OPTIONS.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      </div>
      <div className={styles.spacer} />
      {props.loading ? <Spinner size="extra-tiny" aria-label="Loading" /> : null}
      <StockSummary view={props.view} />
      {props.actions}
      <Tooltip content="Query current stock again" relationship="description">
        <Button size="small" appearance="subtle" icon={<ArrowClockwiseRegular />} onClick={props.onRefresh}>
          Refresh
        </Button>
      </Tooltip>
    </div>
  );
}
