import { makeStyles, tokens } from '@fluentui/react-components';

/** Shared look of the Settings sections: dense tables and forms like the other back-office windows. */
export const useSectionStyles = makeStyles({
  section: { display: 'flex', flexDirection: 'column', gap: '8px' },
  heading: { display: 'flex', alignItems: 'center', gap: '10px', margin: '8px 0 0' },
  h2: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  row: { display: 'flex', gap: '10px', alignItems: 'flex-end', flexWrap: 'wrap' },
  summary: {
    display: 'flex',
    alignItems: 'center',
    gap: '12px',
    padding: '8px 10px',
    border: `1px solid ${tokens.colorNeutralStroke2}`,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorNeutralBackground2,
    fontSize: tokens.fontSizeBase200,
  },
  grow: { flexGrow: 1 },
  table: { width: '100%', borderCollapse: 'collapse', fontSize: tokens.fontSizeBase200, border: `1px solid ${tokens.colorNeutralStroke2}` },
  th: {
    textAlign: 'left',
    padding: '5px 8px',
    color: tokens.colorNeutralForeground3,
    backgroundColor: tokens.colorNeutralBackground2,
    borderBottom: `1px solid ${tokens.colorNeutralStroke2}`,
    fontWeight: tokens.fontWeightRegular,
    whiteSpace: 'nowrap',
  },
  td: { padding: '4px 8px', borderBottom: `1px solid ${tokens.colorNeutralStroke3}`, overflowWrap: 'anywhere', verticalAlign: 'middle' },
  num: { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' },
  mono: { fontFamily: tokens.fontFamilyMonospace },
  note: { color: tokens.colorNeutralForeground3 },
  small: { width: '90px' },
  status: { display: 'flex', alignItems: 'center', gap: '8px', whiteSpace: 'nowrap' },
  /** A name or code kept whole (a cell's `anywhere` wrap otherwise lets a wide table squeeze it to a letter a line). */
  whole: { whiteSpace: 'nowrap', overflowWrap: 'normal' },
  /** A header that may wrap between words, so a wide matrix (users × permissions) fits the window. */
  wrapHead: { whiteSpace: 'normal', minWidth: '64px' },
  /** A column of checkboxes under a wrapping header (users × permissions): as narrow as its longest word. */
  tick: { width: '64px', paddingLeft: '4px', paddingRight: '4px', textAlign: 'center' },
  /**
   * A table wider than its window scrolls sideways in its own box (the window itself never does), its first column
   * (`pinned`) staying in view, so a row's name is always beside its checkboxes.
   */
  scrollBox: { maxWidth: '100%', overflowX: 'auto', border: `1px solid ${tokens.colorNeutralStroke2}` },
  /** The table inside a scrollBox: the box draws the frame, so nothing scrolls past a pinned column's left edge. */
  inBox: { border: 'none' },
  pinned: {
    position: 'sticky',
    left: 0,
    zIndex: 1,
    backgroundColor: tokens.colorNeutralBackground1,
    boxShadow: `inset -1px 0 0 ${tokens.colorNeutralStroke2}`,
  },
  pinnedHead: { backgroundColor: tokens.colorNeutralBackground2 },
});
