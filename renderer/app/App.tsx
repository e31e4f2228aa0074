import { FluentProvider, makeStyles, tokens, webLightTheme } from '@fluentui/react-components';
import { Fragment, Suspense, useEffect, useRef, type ReactNode } from 'react';
import type { Bridge, StockbookClient } from '../../shared/contract/transport';
import { ClientProvider } from '../client';
import { AuthProvider } from '../auth/auth-context';
import { AuthGate } from '../auth/AuthGate';
import { ScanProvider } from '../scanning/ScanProvider';
import { useScansWaitForWindow } from '../scanning/scan-context';
import { useKeysWhileWaiting } from '../common/unused-keys';
import { Waiting } from '../common/Waiting';
import { CompanyProvider, useCompany } from '../company/company-context';
import { AppInfoProvider, useAppInfo } from './app-info-context';
import { ConnectionBanner } from './ConnectionBanner';
import { StatusBar } from './StatusBar';
import { HeaderBar } from './HeaderBar';
import { JobsProvider } from './jobs-context';
import { KeyboardShell } from './KeyboardShell';
import { NavRail } from './NavRail';
import { lazyPage, prefetchPages, SetupAssistant } from './pages';
import { WindowErrorBoundary } from './WindowErrorBoundary';
import { PlaceholderPage } from './PlaceholderPage';
import { PLACEHOLDER_TEXT } from './placeholders';
import { pageKey } from './leave-guard';
import { routeDef, routeFromHash, type RouteId } from './routes';
import { useFirstFieldFocus } from './use-first-field-focus';
import { useGuardedHash } from './use-hash-route';
import { LeaveDialog } from './LeaveDialog';
import { useShellMenu } from './use-shell-menu';
import { UnusedKeysNotice } from './UnusedKeysNotice';

const useStyles = makeStyles({
  shell: {
    display: 'flex',
    flexDirection: 'column',
    height: '100%',
    backgroundColor: tokens.colorNeutralBackground1,
    color: tokens.colorNeutralForeground1,
  },
  body: { display: 'flex', flexGrow: 1, minHeight: 0 },
  main: { display: 'flex', flexDirection: 'column', flexGrow: 1, minWidth: 0, minHeight: 0, overflow: 'auto' },
});

export function App({ client, bridge }: { client: StockbookClient; bridge: Bridge }) {
  // No className on FluentProvider: Fluent copies it onto portal mount nodes (tooltips, menus),
  // so a height there would make every portal cover the window. global.css sizes it instead.
  return (
    <FluentProvider theme={webLightTheme}>
      <UnusedKeysNotice />
      <ClientProvider client={client} bridge={bridge}>
        <AuthProvider>
          <AuthGate>
            <AppInfoProvider>
              <CompanyProvider>
                <JobsProvider>
                  <Shell />
                </JobsProvider>
              </CompanyProvider>
            </AppInfoProvider>
          </AuthGate>
        </AuthProvider>
      </ClientProvider>
    </FluentProvider>
  );
}

function Shell() {
  const styles = useStyles();
  useShellMenu();
  const { info } = useAppInfo();
  const { assistantOpen } = useCompany();
  // The first-run assistant takes the window for whoever may set the company up (others see the app as it is).
  const setUp = assistantOpen && Boolean(info?.user.permissions.includes('manage:settings'));
  // A window opened on something else (`#/enquiry?product=…` from the search) starts afresh; focus lands in its first field.
  // Leaving a window that holds unsaved edits asks first (the assistant keeps its own Back/Continue rule).
  const { hash, held, stay, leave } = useGuardedHash(!setUp);
  const route = routeFromHash(hash);
  const main = useRef<HTMLElement>(null);
  useFirstFieldFocus(setUp ? 'set-up' : hash, main);
  return (
    <div className={styles.shell}>
      <HeaderBar title={setUp ? 'Set up' : routeDef(route).title} />
      <ConnectionBanner />
      <div className={styles.body}>
        {setUp ? null : <NavRail current={route} />}
        <main ref={main} className={styles.main}>
          {setUp ? <Suspense fallback={opening}><SetupAssistant /></Suspense> : <ScanProvider>
              <WindowErrorBoundary window={pageKey(hash)}>
                <Suspense fallback={opening}>
                  <Fragment key={pageKey(hash)}>
                    {pageFor(route)}
                    <PrefetchOtherWindows />
                  </Fragment>
                </Suspense>
              </WindowErrorBoundary>
            </ScanProvider>}
        </main>
      </div>
      <StatusBar />
      {setUp ? null : <KeyboardShell />}
      <LeaveDialog held={held} onStay={stay} onLeave={leave} />
    </div>
  );
}

/**
 * While a window's script loads (the first time it is opened, if the idle-time prefetch has not brought it yet): keys
 * typed meanwhile are counted and told (common/unused-keys.ts), a scan waits for the window and goes to it.
 */
function Opening() {
  useKeysWhileWaiting('opening');
  useScansWaitForWindow();
  return <Waiting label="Opening…" />;
}
const opening = <Opening />;

/** Rendered beside the window, so it mounts once the window shows: then the other windows' scripts come in idle time. */
function PrefetchOtherWindows() {
  useEffect(prefetchPages, []);
  return null;
}


function pageFor(route: RouteId): ReactNode {
  const Page = lazyPage(route);
  if (Page) return <Page />;
  const def = routeDef(route);
  return <PlaceholderPage key={route} icon={def.icon} title={def.title} description={PLACEHOLDER_TEXT[route] ?? ''} />;
}
