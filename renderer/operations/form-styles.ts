import { makeStyles, tokens } from '@fluentui/react-components';

/** The dense back-office look shared by every Operations form. */
export const useFormStyles = makeStyles({
  form: { display: 'flex', flexDirection: 'column', gap: '8px', padding: '10px 14px', minWidth: 0 },
  header: { display: 'flex', flexWrap: 'wrap', gap: '8px 14px', alignItems: 'flex-end' },
  field: { display: 'flex', flexDirection: 'column', gap: '2px' },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  grid: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200, fontVariantNumeric: 'tabular-nums' },
  th: {
    textAlign: 'left',
    fontWeight: tokens.fontWeightSemibold,
    color: tokens.colorNeutralForeground2,
    padding: '4px 6px',
    borderBottom: `1px solid ${tokens.colorNeutralStroke1}`,
    backgroundColor: tokens.colorNeutralBackground2,
    whiteSpace: 'nowrap',
  },
  td: { padding: '2px 4px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, verticalAlign: 'middle' },
  num: { textAlign: 'right' },
  small: { width: '90px' },
  tiny: { width: '72px' },
  actions: { display: 'flex', gap: '8px', alignItems: 'center' },
  spacer: { flexGrow: 1 },
  hint: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
});
