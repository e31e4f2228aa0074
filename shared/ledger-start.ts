/**
 * The desktop's start screen: which ledger to work on (this computer's, or a Stockbook server's), the first-connection
 * question about a server's certificate, and the refusal of a changed one. Main runs the steps (electron/remote/ledger-start.ts);
 * the window shows them (renderer/start) through the preload's `stockbookStart`, before any ledger exists to call.
 */
export type StartView =
  /** Choose: `last` is the server used last (offered again); `error` says why the last attempt did not connect. */
  | { step: 'choose'; lastServer: string | null; error: string | null }
  /** First connection to this server: its certificate's SHA-256 fingerprint, to compare with the one `stockbook serve` printed. */
  | { step: 'confirm'; address: string; fingerprint: string }
  /** The server presents another certificate than the one pinned: refused, both fingerprints named. */
  | { step: 'changed'; address: string; pinned: string; presented: string; pinnedAt: string; knownServersFile: string }
  /** A ledger is open: the app itself takes over the window. */
  | { step: 'ready'; ledger: string };

/** What the preload exposes as window.stockbookStart (each answers with the next view). */
export interface StartBridge {
  view(): Promise<StartView>;
  chooseLocal(): Promise<StartView>;
  connect(address: string): Promise<StartView>;
  /** The person compared the fingerprint and trusts it: pinned, then connected (refused if the server now shows another). */
  trust(address: string, fingerprint: string): Promise<StartView>;
  /** Back to the choice (from the confirm or changed step). */
  back(): Promise<StartView>;
}
