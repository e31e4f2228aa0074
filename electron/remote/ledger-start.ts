import { AppError } from '../../shared/contract/errors';
import type { StartBridge, StartView } from '../../shared/ledger-start';
import type { LedgerChoice } from './desktop-ledger';
import type { KnownServers } from './known-servers';
import { presentedFingerprint } from './pinned-tls';
import { RemoteClient } from './remote-client';
import { parseServerAddress, type ServerAddress } from './server-address';

export interface LedgerStartDeps {
  /** The remembered choice (ledger-choice.json). */
  choices: { load(): LedgerChoice | null; save(c: LedgerChoice): void };
  knownServers: KnownServers;
  /** Opens this computer's ledger; resolves with its name for the window. */
  openLocal(): Promise<string>;
  /** A server is connected (its certificate pinned, the connection open): the desktop works on it from now on. */
  onServer(client: RemoteClient): void;
  /** Reads the certificate a server presents (default: a TLS handshake, nothing sent). */
  probe?: (address: ServerAddress) => Promise<string>;
  /** Test seam: reconnection waits. */
  backoffMs?: readonly number[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * The desktop's start steps, as plain logic (the window draws them, main.ts only wires them): "This computer" opens the
 * local ledger; "Connect to a Stockbook server" reads the server's certificate first, asks the person to confirm a
 * new fingerprint (compared with what `stockbook serve` printed) and pins it, refuses a changed one naming both, and
 * connects a pinned one straight away. The choice is remembered only once it worked.
 */
export function createLedgerStart(deps: LedgerStartDeps): StartBridge & { start(auto: LedgerChoice | null): Promise<StartView> } {
  const probe = deps.probe ?? ((a: ServerAddress) => presentedFingerprint(a));
  let view: StartView = { step: 'choose', lastServer: lastServer(), error: null };
  let busy: Promise<StartView> | null = null;

  function lastServer(): string | null {
    const c = deps.choices.load();
    return c?.kind === 'server' ? c.address : null;
  }
  const choose = (error: string | null): StartView => (view = { step: 'choose', lastServer: lastServer(), error });

  /** One step at a time: a second click while connecting gets the same answer. */
  const step = (run: () => Promise<StartView>): Promise<StartView> => {
    if (view.step === 'ready') return Promise.resolve(view);
    busy ??= run()
      .then((v) => (view = v))
      .finally(() => (busy = null));
    return busy;
  };

  const open = async (address: ServerAddress, trusted: string): Promise<StartView> => {
    const client = await RemoteClient.connect({
      address,
      knownServers: deps.knownServers,
      // Pinned only if the server still shows the certificate the person compared (it may have changed meanwhile).
      confirmFingerprint: async (presented) => presented === trusted,
      backoffMs: deps.backoffMs,
    });
    deps.choices.save({ kind: 'server', address: address.label });
    deps.onServer(client);
    return { step: 'ready', ledger: `Stockbook server ${address.label}` };
  };

  const connect = (text: string): Promise<StartView> =>
    step(async () => {
      let address: ServerAddress;
      try {
        address = parseServerAddress(text);
        const presented = await probe(address);
        const verdict = deps.knownServers.check(address, presented);
        if (verdict.kind === 'new') return { step: 'confirm', address: address.label, fingerprint: presented };
        if (verdict.kind === 'changed') {
          return { step: 'changed', address: address.label, pinned: verdict.pinned, presented: verdict.presented, pinnedAt: verdict.pinnedAt, knownServersFile: deps.knownServers.file };
        }
        return await open(address, presented);
      } catch (e) {
        return choose(message(e));
      }
    });

  const chooseLocal = (): Promise<StartView> =>
      step(async () => {
        try {
          const ledger = await deps.openLocal();
          deps.choices.save({ kind: 'local' });
          return { step: 'ready', ledger };
        } catch (e) {
          return choose(message(e));
        }
      });

  return {
    /** At launch: the choice given or remembered is tried at once; none, or a server that failed, leaves the start screen up. */
    start: (auto) => (auto?.kind === 'local' ? chooseLocal() : auto?.kind === 'server' ? connect(auto.address) : Promise.resolve(view)),
    view: () => busy ?? Promise.resolve(view),
    back: async () => (view.step === 'ready' ? view : choose(null)),
    chooseLocal,
    connect,
    trust: (text, fingerprint) =>
      step(async () => {
        try {
          const address = parseServerAddress(text);
          if (view.step !== 'confirm' || view.address !== address.label || view.fingerprint !== fingerprint) {
            throw new AppError('VALIDATION', `Connect to ${address.label} first: Stockbook shows its fingerprint to confirm.`);
          }
          return await open(address, fingerprint);
        } catch (e) {
          return choose(message(e));
        }
      }),
  };
}
