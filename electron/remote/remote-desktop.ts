import { basename } from 'node:path';
import type { AuthStatus } from '../../shared/auth';
import { AppError } from '../../shared/contract/errors';
import type { CallOutcome } from '../../shared/contract/transport';
import type { AppInfo, JobFinished } from '../../shared/domain';
import type { ExportJobInfo } from '../../shared/enquiry';
import { createDispatcher, type Handlers } from '../app/dispatcher';
import { createDesktopHandlers } from '../shell/desktop.handlers';
import type { DesktopServices } from '../shell/desktop-services';
import type { ServerAddress } from './server-address';

/** What the desktop needs of its connection to the server (RemoteClient). */
export interface ServerConnection {
  readonly address: ServerAddress;
  invoke(method: string, input: unknown): Promise<CallOutcome>;
  onAny(listener: (event: string, payload: unknown) => void): () => void;
}

export interface RemoteDesktopDeps {
  server: ServerConnection;
  /** This desktop's own dialogs, file manager, printToPDF and updates. */
  desktop: DesktopServices;
  /** Streams a server path (an export's one-time download address) into a file on this computer, over the pinned TLS. */
  download(path: string, file: string): Promise<void>;
  /** Events for the window. */
  toWindow(event: string, payload: unknown): void;
}

interface LocalExport {
  file: string;
  /** The file is complete on this computer. */
  arrived: boolean;
}

const isDesktopMethod = (method: string) => method.startsWith('desktop.');

/**
 * The window's calls when the desktop works on a Stockbook server. Ledger calls go to the server (it checks sign-in and
 * permissions); `desktop.*` never does: the Save dialog, Open, Show in folder, printToPDF and updates are this computer's
 * and run here, allowed by the permissions the server gives the signed-in user.
 *
 * An export is made on the server (its job, its memory, its disk) and then comes down to the file the person chose here:
 * `exports.start` goes without the local path (a server never writes where a desktop names), and when the server's job
 * finishes the file is streamed through its one-time download address into the chosen file before the window hears
 * `job.finished` — so "done" means the file is on this computer, and a failed transfer is reported as the export failing.
 */
export function remoteDesktopWindow(deps: RemoteDesktopDeps): { call(method: string, input: unknown): Promise<CallOutcome>; close(): void } {
  const { server, desktop } = deps;
  const exports = new Map<string, LocalExport>();
  const local = createDispatcher(
    createDesktopHandlers(async (jobId) => {
      const e = exports.get(jobId);
      return e ? { status: e.arrived ? 'done' : 'running', file: e.file } : null;
    }, desktop) as unknown as Handlers,
  );

  const fetchExport = async (f: JobFinished, e: LocalExport): Promise<JobFinished> => {
    try {
      const ticket = await server.invoke('exports.download', { jobId: f.jobId });
      if (!ticket.ok) throw new AppError(ticket.error.code, ticket.error.message);
      await deps.download((ticket.result as { url: string }).url, e.file);
      e.arrived = true;
      return f;
    } catch (err) {
      exports.delete(f.jobId);
      const why = err instanceof Error ? err.message : String(err);
      return { ...f, ok: false, message: `The server made the export, but it could not be saved to ${e.file}: ${why} Choose Export again.` };
    }
  };

  const off = server.onAny((event, payload) => {
    const f = event === 'job.finished' ? (payload as JobFinished) : null;
    const e = f ? exports.get(f.jobId) : undefined;
    if (!f || !e) {
      deps.toWindow(event, payload);
      return;
    }
    if (!f.ok) {
      exports.delete(f.jobId);
      deps.toWindow(event, payload);
      return;
    }
    void fetchExport(f, e).then((done) => deps.toWindow(event, done));
  });

  const call = async (method: string, input: unknown): Promise<CallOutcome> => {
    if (isDesktopMethod(method)) {
      // This computer's services, with the permissions the server gives the signed-in user.
      const status = await server.invoke('auth.status', {});
      const user = status.ok ? (status.result as AuthStatus).user : null;
      const open = status.ok && user && !(status.result as AuthStatus).locked;
      if (!open) return { ok: false, error: { code: 'PERMISSION', message: 'You are not signed in. Sign in to continue.', details: { signIn: true } } };
      return local(method, input, { userId: user.id, username: user.username, permissions: user.permissions });
    }
    if (method === 'exports.start' && typeof input === 'object' && input !== null && 'saveTo' in input) {
      const { saveTo, ...rest } = input as { saveTo: unknown };
      if (typeof saveTo !== 'string' || !desktop.takeChosenPath(saveTo)) {
        const e = new AppError('VALIDATION', 'Stockbook saves an export only where you chose in the Save dialog. Choose Export again and pick where to save it.', {
          issues: [{ path: 'saveTo', message: 'not chosen in the Save dialog' }],
        });
        return { ok: false, error: e.toWire() };
      }
      const outcome = await server.invoke(method, rest);
      if (outcome.ok) exports.set((outcome.result as ExportJobInfo).jobId, { file: saveTo, arrived: false });
      return outcome.ok ? { ok: true, result: asLocal(outcome.result as ExportJobInfo) } : outcome;
    }
    const outcome = await server.invoke(method, input);
    if (!outcome.ok) return outcome;
    if (method === 'app.info') return { ok: true, result: { ...(outcome.result as AppInfo), mode: 'electron', server: server.address.label } };
    if (method === 'exports.job' && outcome.result) return { ok: true, result: asLocal(outcome.result as ExportJobInfo) };
    return outcome;
  };

  /** The server's job as this desktop knows it: the file is the one chosen here, done once it has arrived. */
  const asLocal = (job: ExportJobInfo): ExportJobInfo => {
    const e = exports.get(job.jobId);
    if (!e) return job;
    return { ...job, file: e.file, fileName: basename(e.file), status: job.status === 'done' && !e.arrived ? 'running' : job.status };
  };

  return { call, close: off };
}
