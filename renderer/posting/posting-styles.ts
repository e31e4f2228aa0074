import { makeStyles, tokens } from '@fluentui/react-components';

/** Dense back-office tables and panels shared by the Posting window's parts. */
export const usePostingStyles = makeStyles({
  panel: { display: 'flex', flexDirection: 'column', gap: '10px', padding: '12px', minHeight: 0 },
  toolbar: { display: 'flex', flexWrap: 'wrap', gap: '10px', alignItems: 'flex-end' },
  field: { display: 'flex', flexDirection: 'column', gap: '2px' },
  label: { fontSize: tokens.fontSizeBase200, color: tokens.colorNeutralForeground3 },
  table: {
    borderCollapse: 'collapse',
    width: '100%',
    fontSize: tokens.fontSizeBase200,
    fontVariantNumeric: 'tabular-nums',
    '& th': {
      textAlign: 'left', fontWeight: tokens.fontWeightSemibold, padding: '4px 8px', position: 'sticky', top: 0,
      backgroundColor: tokens.colorNeutralBackground3, borderBottom: `1px solid ${tokens.colorNeutralStroke1}`, whiteSpace: 'nowrap',
    },
    '& td': { padding: '3px 8px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, whiteSpace: 'nowrap' },
    '& th[data-num]': { textAlign: 'right' },
    '& tbody tr:hover': { backgroundColor: tokens.colorNeutralBackground1Hover },
  },
  num: { textAlign: 'right' },
  total: { '& td': { fontWeight: tokens.fontWeightSemibold, borderTop: `2px solid ${tokens.colorNeutralStroke1}` } },
  scroll: { overflow: 'auto', minHeight: 0, border: `1px solid ${tokens.colorNeutralStroke2}`, borderRadius: tokens.borderRadiusMedium },
  section: { fontWeight: tokens.fontWeightSemibold, fontSize: tokens.fontSizeBase300, marginTop: '4px' },
  muted: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  /** An account's name beside its code in a rule: cut with an ellipsis (the cell's tooltip gives it whole). */
  accountName: {
    display: 'inline-block', maxWidth: '110px', overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', verticalAlign: 'middle',
    color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200,
  },
  ok: { color: tokens.colorPaletteGreenForeground1, fontWeight: tokens.fontWeightSemibold },
  bad: { color: tokens.colorPaletteRedForeground1, fontWeight: tokens.fontWeightSemibold },
  grid2: { display: 'grid', gridTemplateColumns: 'minmax(280px, 1fr) minmax(380px, 1.3fr)', gap: '12px', alignItems: 'start' },
  facts: {
    display: 'grid', gridTemplateColumns: 'auto 1fr', gap: '2px 12px', fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums',
    '& dt': { color: tokens.colorNeutralForeground3 },
    '& dd': { margin: 0 },
  },
});
