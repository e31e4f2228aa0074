import { Text, makeStyles, tokens } from '@fluentui/react-components';
import type { FluentIcon } from '@fluentui/react-icons';

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    gap: '8px',
    padding: '32px 40px',
    maxWidth: '640px',
  },
  icon: { fontSize: '40px', color: tokens.colorNeutralForeground3 },
  title: { fontSize: tokens.fontSizeBase500, fontWeight: tokens.fontWeightSemibold, lineHeight: tokens.lineHeightBase500 },
  body: { color: tokens.colorNeutralForeground2 },
  note: { color: tokens.colorNeutralForeground3 },
});

interface PlaceholderPageProps {
  icon: FluentIcon;
  title: string;
  description: string;
}

/** An honest stand-in for a window that has not been built yet. */
export function PlaceholderPage({ icon: Icon, title, description }: PlaceholderPageProps) {
  const styles = useStyles();
  return (
    <section className={styles.root} aria-labelledby="placeholder-title" data-testid="placeholder-page">
      <Icon className={styles.icon} aria-hidden />
      <h2 id="placeholder-title" className={styles.title} style={{ margin: 0 }}>
        {title}
      </h2>
      <Text className={styles.body}>{description}</Text>
      <Text size={200} className={styles.note}>
        This window is not available in this version yet.
      </Text>
    </section>
  );
}
