import { big, bool, int, pk, str, versionColumns, entity } from './columns';

export const SiteEntity = entity({
  name: 'Site',
  tableName: 'sites',
  columns: { id: pk(), code: str(32), name: str(128), kind: str(16, false, 'warehouse'), allow_negative: bool(false), active: bool(true), ...versionColumns(), updated_at: big(true) },
  uniques: [
    { name: 'UQ_sites_code', columns: ['code'] },
    { name: 'UQ_sites_name', columns: ['name'] },
  ],
  checks: [{ name: 'CHK_sites_kind', expression: `"kind" IN ('warehouse','shop','kitchen','other','external')` }],
});

export const BinEntity = entity({
  name: 'Bin',
  tableName: 'bins',
  columns: { id: pk(), site_id: int(), code: str(32), name: str(128), stock_status: str(16, false, 'sellable'), active: bool(true) },
  uniques: [{ name: 'UQ_bins_site_code', columns: ['site_id', 'code'] }],
  checks: [{ name: 'CHK_bins_stock_status', expression: `"stock_status" IN ('sellable','defective','quarantine')` }],
  relations: {
    site: { type: 'many-to-one', target: 'Site', joinColumn: { name: 'site_id', foreignKeyConstraintName: 'FK_bins_site' } },
  },
});
