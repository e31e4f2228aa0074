import { Button, Divider, Field, FluentProvider, Input, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import { BoxMultipleFilled, DesktopRegular, ServerRegular, ShieldErrorRegular } from '@fluentui/react-icons';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import type { StartBridge, StartView } from '../../shared/ledger-start';
import { useGateStyles } from '../auth/auth-styles';
import { formatLongDate } from '../common/format';

const useStyles = makeStyles({
  option: { display: 'flex', flexDirection: 'column', gap: '8px' },
  optionHead: { display: 'flex', alignItems: 'center', gap: '8px', fontWeight: tokens.fontWeightSemibold },
  fingerprint: {
    fontFamily: tokens.fontFamilyMonospace,
    fontSize: tokens.fontSizeBase300,
    padding: '10px 12px',
    backgroundColor: tokens.colorNeutralBackground3,
    borderRadius: tokens.borderRadiusMedium,
    overflowWrap: 'anywhere',
    lineHeight: '1.6',
  },
  label: { color: tokens.colorNeutralForeground3, fontSize: tokens.fontSizeBase200 },
  code: { fontFamily: tokens.fontFamilyMonospace },
});

/** A fingerprint as two lines of 16 pairs, easier to compare aloud. */
const twoLines = (f: string) => {
  const pairs = f.split(':');
  return pairs.length === 32 ? `${pairs.slice(0, 16).join(':')}\n${pairs.slice(16).join(':')}` : f;
};

/**
 * The desktop's start screen (Electron only: main exposes `stockbookStart`): "This computer" or "Connect to a Stockbook
 * server"; a new server's certificate fingerprint to confirm before it is pinned; a changed one refused, naming both.
 * The steps themselves run in main (electron/remote/ledger-start.ts); this draws them.
 */
export function StartScreen({ bridge, view, onView }: { bridge: StartBridge; view: StartView; onView: (v: StartView) => void }) {
  const g = useGateStyles();
  const s = useStyles();
  const [address, setAddress] = useState(view.step === 'choose' ? (view.lastServer ?? '') : '');
  const [busy, setBusy] = useState<string | null>(null);
  const run = async (what: string, step: Promise<StartView>) => {
    setBusy(what);
    try {
      onView(await step);
    } finally {
      setBusy(null);
    }
  };
  const card = (icon: ReactNode, title: string, body: ReactNode) => (
    <div className={g.page}>
      <section className={`${g.card} ${g.wide}`} aria-labelledby="start-title" data-testid={`start-${view.step}`}>
        <div className={g.brand}>
          <span className={g.logo} aria-hidden>
            {icon}
          </span>
          <h1 id="start-title" className={g.title}>
            {title}
          </h1>
        </div>
        {body}
        {busy ? <Spinner size="tiny" label={busy} labelPosition="after" /> : null}
      </section>
    </div>
  );

  if (view.step === 'confirm') {
    return card(
      <ServerRegular />,
      `Trust the Stockbook server ${view.address}?`,
      <>
        <Text>
          This is the first connection from this computer to <b>{view.address}</b>. Before Stockbook sends anything to it, check that it is your office&apos;s
          server: its certificate&apos;s SHA-256 fingerprint is
        </Text>
        <div className={s.fingerprint} data-testid="start-fingerprint" aria-label="Certificate fingerprint" style={{ whiteSpace: 'pre-wrap' }}>
          {twoLines(view.fingerprint)}
        </div>
        <Text size={200}>
          How to check it: <span className={s.code}>stockbook serve</span> printed the server&apos;s fingerprint when it started (the line &quot;certificate SHA-256
          fingerprint&quot;, also in its log). Ask its administrator to read it to you, or look on the server. Trust it only if every pair is the same: Stockbook then
          remembers it and refuses this server if its certificate ever changes.
        </Text>
        <div className={g.actions}>
          <Button onClick={() => void run('Going back…', bridge.back())} disabled={busy !== null}>
            Cancel
          </Button>
          <Button appearance="primary" onClick={() => void run('Connecting…', bridge.trust(view.address, view.fingerprint))} disabled={busy !== null}>
            Trust and connect
          </Button>
        </div>
      </>,
    );
  }

  if (view.step === 'changed') {
    return card(
      <ShieldErrorRegular />,
      `The certificate of ${view.address} has changed`,
      <>
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>Stockbook did not connect and sent nothing.</MessageBarTitle>
            The server now presents another certificate than the one you trusted on {formatLongDate(view.pinnedAt)}. This happens when the server was
            reinstalled or given a new certificate — or when someone is intercepting the connection.
          </MessageBarBody>
        </MessageBar>
        <div>
          <div className={s.label}>Trusted fingerprint</div>
          <div className={s.fingerprint} data-testid="start-pinned" style={{ whiteSpace: 'pre-wrap' }}>
            {twoLines(view.pinned)}
          </div>
        </div>
        <div>
          <div className={s.label}>Presented now</div>
          <div className={s.fingerprint} data-testid="start-presented" style={{ whiteSpace: 'pre-wrap' }}>
            {twoLines(view.presented)}
          </div>
        </div>
        <Text size={200}>
          Ask the server&apos;s administrator whether its certificate was replaced, and compare the new fingerprint with the one{' '}
          <span className={s.code}>stockbook serve</span> prints. Only if they match: remove {view.address} from <span className={s.code}>{view.knownServersFile}</span>,
          then connect again to confirm the new fingerprint.
        </Text>
        <div className={g.actions}>
          <Button appearance="primary" onClick={() => void run('Going back…', bridge.back())} disabled={busy !== null}>
            Back
          </Button>
        </div>
      </>,
    );
  }

  if (view.step === 'ready') return null;

  const connect = (e: FormEvent) => {
    e.preventDefault();
    void run('Connecting…', bridge.connect(address));
  };
  return card(
    <BoxMultipleFilled />,
    'Which ledger do you want to work on?',
    <>
      {view.error ? (
        <MessageBar intent="error" layout="multiline" data-testid="error-bar">
          <MessageBarBody>{view.error}</MessageBarBody>
        </MessageBar>
      ) : null}
      <div className={s.option}>
        <div className={s.optionHead}>
          <DesktopRegular /> This computer
        </div>
        <Text size={200} className={g.note}>
          The ledger file on this computer, for one desktop on its own.
        </Text>
        <div>
          <Button onClick={() => void run('Opening the ledger…', bridge.chooseLocal())} disabled={busy !== null}>
            Use this computer
          </Button>
        </div>
      </div>
      <Divider />
      <form className={s.option} onSubmit={connect}>
        <div className={s.optionHead}>
          <ServerRegular /> Connect to a Stockbook server
        </div>
        <Text size={200} className={g.note}>
          The office ledger, shared with the other desktops. The server is the computer running <span className={s.code}>stockbook serve</span>.
        </Text>
        <Field label="Server address" hint="Its name or address, e.g. stock-server or 192.168.1.20:4781" required>
          <Input value={address} onChange={(_, d) => setAddress(d.value)} spellCheck={false} autoFocus={Boolean(view.lastServer)} />
        </Field>
        <div>
          <Button appearance="primary" type="submit" disabled={busy !== null || !address.trim()}>
            Connect
          </Button>
        </div>
      </form>
    </>,
  );
}

/** Shows the start screen until main has a ledger open, then the app. */
export function StartGate({ bridge, children }: { bridge: StartBridge; children: ReactNode }) {
  const [view, setView] = useState<StartView | null>(null);
  useEffect(() => {
    let live = true;
    void bridge.view().then((v) => live && setView(v));
    return () => {
      live = false;
    };
  }, [bridge]);
  if (view?.step === 'ready') return <>{children}</>;
  return (
    <FluentProvider theme={webLightTheme} style={{ height: '100%' }}>
      {view ? (
        <StartScreen key={view.step} bridge={bridge} view={view} onView={setView} />
      ) : (
        <div style={{ padding: 16 }}>
          <Spinner size="tiny" label="Starting…" labelPosition="after" />
        </div>
      )}
    </FluentProvider>
  );
}
