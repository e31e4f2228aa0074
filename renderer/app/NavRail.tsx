import { CounterBadge, makeStyles, mergeClasses, tokens } from '@fluentui/react-components';
import { ROUTES, hrefFor, type RouteId } from './routes';
import { windowAriaShortcuts, windowShortcut } from './shortcuts';
import { useLowStockCount } from './use-low-stock-count';

const useStyles = makeStyles({
  rail: {
    display: 'flex',
    flexDirection: 'column',
    gap: '2px',
    width: '72px',
    flexShrink: 0,
    padding: '6px 4px',
    boxSizing: 'border-box',
    backgroundColor: tokens.colorNeutralBackground3,
    borderRight: `1px solid ${tokens.colorNeutralStroke2}`,
  },
  item: {
    position: 'relative',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    justifyContent: 'center',
    gap: '2px',
    height: '52px',
    borderRadius: tokens.borderRadiusMedium,
    color: tokens.colorNeutralForeground2,
    textDecoration: 'none',
    fontSize: tokens.fontSizeBase100,
    lineHeight: tokens.lineHeightBase100,
    ':hover': { backgroundColor: tokens.colorNeutralBackground3Hover, color: tokens.colorNeutralForeground1 },
    ':focus-visible': { outline: `2px solid ${tokens.colorStrokeFocus2}`, outlineOffset: '-2px' },
  },
  selected: {
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorBrandForeground1,
    fontWeight: tokens.fontWeightSemibold,
    boxShadow: tokens.shadow2,
    ':hover': { backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorBrandForeground1 },
    '::before': {
      content: '""',
      position: 'absolute',
      left: '0',
      top: '14px',
      bottom: '14px',
      width: '3px',
      borderRadius: '2px',
      backgroundColor: tokens.colorBrandStroke1,
    },
  },
  icon: { fontSize: '20px' },
  badge: { position: 'absolute', top: '3px', right: '6px' },
});

export function NavRail({ current }: { current: RouteId }) {
  const styles = useStyles();
  const low = useLowStockCount();
  const lowTotal = low ? low.low + low.out : 0;
  return (
    <nav className={styles.rail} aria-label="Windows">
      {ROUTES.map(({ id, label, title, icon: Icon }) => {
        const selected = id === current;
        const keys = windowShortcut(id);
        const name = keys ? `${title} (${keys})` : title;
        return (
          <a
            key={id}
            href={hrefFor(id)}
            title={id === 'stock' && lowTotal ? `${name} · ${low!.low} low in stock, ${low!.out} out of stock` : name}
            aria-keyshortcuts={windowAriaShortcuts(id) ?? undefined}
            aria-current={selected ? 'page' : undefined}
            className={mergeClasses(styles.item, selected && styles.selected)}
            data-testid={`nav-${id}`}
          >
            <Icon className={styles.icon} filled={selected} aria-hidden />
            <span>{label}</span>
            {id === 'stock' && lowTotal ? (
              <CounterBadge className={styles.badge} size="small" color="danger" count={lowTotal} overflowCount={999} data-testid="nav-low-stock" />
            ) : null}
          </a>
        );
      })}
    </nav>
  );
}
