import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStatus } from '../../shared/auth';
import type { PostedDocument } from '../../shared/domain';
import type { DocumentSummary } from '../../shared/operations';
import type { CallOutcome } from '../../shared/contract/transport';
import { serverLedger, type ServerLedger } from '../../test/fixtures/configured-server';
import { clusterForConfiguredStore, STORE_UNDER_TEST } from '../../test/fixtures/store-under-test';
import { ledgerChoice } from '../app/ledger-choice';
import { runUsersCommand } from '../auth/users-command';
import { runCli } from '../cli/stockbook';
import { KnownServers } from '../remote/known-servers';
import { RemoteClient, type RemoteStatus } from '../remote/remote-client';
import { parseServerAddress } from '../remote/server-address';
import { startCutProxy } from '../remote/cut-proxy';
import { downloadPinned } from '../remote/pinned-tls';
import { remoteDesktopWindow } from '../remote/remote-desktop';
import { createDesktopServices, type DesktopUpdates } from '../shell/desktop-services';
import { fakeDialog, fakeShell, fakeWindow } from '../../test/fixtures/fake-electron';
import type { ExportJobInfo } from '../../shared/enquiry';
import type { JobFinished } from '../../shared/domain';
import { connectTestClientTo } from '../web/ws-test-client';
import { certificateFiles, loadOrCreateCertificate } from './server-certificate';
import { startServer, type RunningServer } from './serve-command';

const PASSWORD = 'server-admin-password';
const cluster = clusterForConfiguredStore();
let dir: string;
/** The ledger as `stockbook serve` and `stockbook users` are given it, on the configured store. */
let ledger: ServerLedger;
/** Where the server keeps its side files (certificate, connection log): the ledger file, or `<data dir>/<database>.pg`. */
let sideFiles: string;
let staticDir: string;
let server: RunningServer;
let port: number;
const printed: string[] = [];
const knownFile = () => join(dir, 'known-servers.json');
const result = <T>(o: CallOutcome): T => {
  if (!o.ok) throw new Error(`${o.error.code}: ${o.error.message}`);
  return o.result as T;
};
const start = (extra: { cert?: string; key?: string } = {}) =>
  startServer({ ...ledger.serve, host: '127.0.0.1', port: port ?? 0, staticDir, ...extra }, (l) => printed.push(l));
const client = (o: { address?: string; confirm?: (fp: string) => Promise<boolean>; password?: string; known?: string } = {}) =>
  RemoteClient.connect({
    address: parseServerAddress(o.address ?? `127.0.0.1:${port}`),
    knownServers: new KnownServers(o.known ?? knownFile()),
    confirmFingerprint: o.confirm ?? (async () => true),
    credentials: { username: 'boss', kind: 'password', secret: o.password ?? PASSWORD },
    backoffMs: [50],
  });
const logText = () => readFileSync(server.logFile, 'utf8');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'stockbook-server-'));
  staticDir = join(dir, 'renderer');
  mkdirSync(staticDir);
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Stockbook</title>');
  ledger = await serverLedger(cluster(), dir, 'office');
  sideFiles = ledgerChoice(ledger.serve, { requireFile: true }).dbPath;
}, 120_000);
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe(`stockbook serve (${STORE_UNDER_TEST}): TLS, and every connection signs in`, () => {
  it('refuses a --static-dir without a built renderer in it, naming the folder (not "build the renderer"), before opening the ledger', async () => {
    const wrong = join(dir, 'no-such-folder');
    const e = startServer({ ...ledger.serve, host: '127.0.0.1', port: 0, staticDir: wrong }, (l) => printed.push(l));
    await expect(e).rejects.toMatchObject({ code: 'VALIDATION', message: `--static-dir ${wrong} holds no built renderer (no index.html there). Give the folder "npm run build:renderer" writes (out/renderer), or leave --static-dir out to serve this installation's own.` });
    const { certFile } = certificateFiles(sideFiles);
    expect(existsSync(certFile)).toBe(false);
  });

  it('refuses a ledger where nobody has a password (first-run open access), says how to make the administrator, and writes nothing', { timeout: 120_000 }, async () => {
    const hint = STORE_UNDER_TEST === 'sqlite' ? `stockbook users add NAME --admin --db ${ledger.users as string}` : 'stockbook users add NAME --admin --database-url ';
    await expect(start()).rejects.toMatchObject({ code: 'PERMISSION', message: expect.stringContaining(hint) });
    const { certFile, keyFile } = certificateFiles(sideFiles);
    expect([existsSync(certFile), existsSync(keyFile), existsSync(sideFiles.replace(/\.(db|pg)$/, '.server.log'))]).toEqual([false, false, false]);
  });

  it('users add --admin refuses a short password and creates nobody; with a good one the administrator exists and serve starts', { timeout: 240_000 }, async () => {
    const lines: string[] = [];
    // A clerk first would make everyone sign in with nobody able to give out passwords: refused before anything is made.
    await expect(runUsersCommand('add', ledger.users, { name: 'clerk' }, async () => PASSWORD)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('Make the administrator first (stockbook users add NAME --admin), then clerk; nothing was changed.') });
    const listed: string[] = [];
    await runUsersCommand('list', ledger.users, {}, async () => '', (l) => listed.push(l));
    expect(listed.map((l) => l.split('\t')[0])).toEqual(['admin']);
    await expect(runUsersCommand('add', ledger.users, { name: 'boss', admin: true }, async () => 'short', (l) => lines.push(l))).rejects.toMatchObject({ code: 'VALIDATION' });
    expect(await runUsersCommand('add', ledger.users, { name: 'boss', admin: true, displayName: 'The Boss' }, async () => PASSWORD, (l) => lines.push(l))).toBe(0);
    // "Created", not "Set the password of": the refused attempt left no user behind.
    expect(lines).toEqual(['Created user "boss" (administrator: every permission). boss signs in with that password; a server may now be started on this ledger.']);
    await expect(runUsersCommand('add', ledger.users, { name: 'boss' }, async () => PASSWORD)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already has a password') });

    server = await start();
    port = server.web.port;
    const { certFile, keyFile } = certificateFiles(sideFiles);
    expect(server.logFile).toBe(sideFiles.replace(/\.(db|pg)$/, '.server.log'));
    expect(server.certificate).toMatchObject({ certFile, keyFile, created: true });
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(printed.join('\n')).toContain(`certificate SHA-256 fingerprint: ${server.certificate.fingerprint}`);
    expect(server.certificate.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(server.web.url).toBe(`https://127.0.0.1:${port}/`);
  });

  it('speaks TLS only: a plain-HTTP request gets no page', async () => {
    const answer = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port }, () => s.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
      let got = '';
      s.on('data', (d) => (got += String(d)));
      s.on('close', () => resolve(got));
      s.on('error', () => resolve(got));
    });
    expect(answer).not.toContain('<title>Stockbook</title>');
  });

  it('a connection must sign in before any call; a wrong password is refused; the log says who connected from where', async () => {
    const raw = await connectTestClientTo(`wss://127.0.0.1:${port}/ipc`, { rejectUnauthorized: false });
    expect(result(await raw.call('auth.status', {}))).toMatchObject({ openAccess: false, signedIn: false, user: null });
    expect(await raw.call('sites.list', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION', details: { signIn: true } } });
    expect(await raw.call('auth.signIn', { username: 'boss', kind: 'password', secret: 'not-the-password' })).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await raw.call('stock.current', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(await raw.call('auth.signIn', { username: 'boss', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true, result: { signedIn: true } });
    expect(await raw.call('sites.list', {})).toMatchObject({ ok: true });
    raw.close();
    await new Promise<void>((r) => raw.ws.once('close', () => r()));
    await new Promise((r) => setImmediate(r));
    const log = logText();
    expect(log).toMatch(/connected from 127\.0\.0\.1:\d+/);
    expect(log).toMatch(/sign-in FAILED: user boss from 127\.0\.0\.1:\d+ \(The user name or password is not right/);
    expect(log).toMatch(/sign-in ok: user boss from 127\.0\.0\.1:\d+/);
  });

  it('a signed-out connection learns no user names (status, sign-out, lock, setSecret); signed in, it sees only its own user', { timeout: 60_000 }, async () => {
    const raw = await connectTestClientTo(`wss://127.0.0.1:${port}/ipc`, { rejectUnauthorized: false });
    expect(result(await raw.call('auth.signIn', { username: 'boss', kind: 'password', secret: PASSWORD }))).toMatchObject({
      network: true,
      users: [{ username: 'boss' }],
    });
    result(await raw.call('users.create', { username: 'clerk-anna', displayName: 'Anna Clerk', permissions: ['read:stock'] }));
    result(await raw.call('users.setSecret', { username: 'clerk-anna', kind: 'password', secret: 'anna-password-1' }));
    // Signed in: still only its own user (the others are for users.list, which needs manage:users).
    expect(result<AuthStatus>(await raw.call('auth.status', {})).users.map((u) => u.username)).toEqual(['boss']);
    expect(result<{ username: string }[]>(await raw.call('users.list', {})).map((u) => u.username)).toContain('clerk-anna');
    const signedOut = result<AuthStatus>(await raw.call('auth.signOut', {}));
    const anon = await connectTestClientTo(`wss://127.0.0.1:${port}/ipc`, { rejectUnauthorized: false });
    const answers: unknown[] = [
      signedOut,
      await anon.call('auth.status', {}),
      await anon.call('auth.lock', {}),
      await anon.call('auth.signOut', {}),
      await anon.call('users.setSecret', { username: 'boss', kind: 'password', secret: 'taken-over-pw' }),
      await anon.call('users.list', {}),
    ];
    expect(signedOut).toMatchObject({ signedIn: false, network: true, users: [] });
    expect(result(answers[1] as CallOutcome)).toMatchObject({ signedIn: false, network: true, users: [] });
    for (const a of answers) {
      expect(JSON.stringify(a)).not.toMatch(/boss|clerk-anna|Anna Clerk|Boss/);
    }
    // Whether a name is a user's or nobody's, a wrong sign-in is answered alike and each name is throttled alike. Four
    // connections each try a name nobody has, at once; then four try the clerk's name at once, and four another unknown
    // name (the old shared key for unknown names refused the fourth unknown name: "too many" meant "nobody's name").
    const attempts = async (names: string[]) => {
      const cs = await Promise.all(names.map(() => connectTestClientTo(`wss://127.0.0.1:${port}/ipc`, { rejectUnauthorized: false })));
      const os = await Promise.all(cs.map((c, i) => c.call('auth.signIn', { username: names[i]!, kind: 'password', secret: 'guessed-password' })));
      for (const c of cs) c.close();
      return os.map((o) => (o.ok ? 'signed in' : o.error.message.replace(/\d+ seconds/, 'N seconds'))).sort();
    };
    const wrong = 'The user name or password is not right. Check it and try again.';
    expect(await attempts(['ghost-one', 'ghost-two', 'ghost-three', 'ghost-four'])).toEqual(Array(4).fill(wrong));
    const clerk = await attempts(Array(4).fill('clerk-anna'));
    expect(clerk).toEqual([...Array(3).fill(wrong), 'Too many wrong attempts. Wait N seconds and try again.'].sort());
    expect(await attempts(Array(4).fill('ghost-five'))).toEqual(clerk);
    raw.close();
    anon.close();
  });

  it("refuses a socket opened by another site's page (origin not this server)", async () => {
    await expect(connectTestClientTo(`wss://127.0.0.1:${port}/ipc`, { rejectUnauthorized: false, origin: 'https://evil.example' })).rejects.toThrow(/401/);
  });
});

describe('the desktop/CLI client: pinned certificate, refusal of a changed one', () => {
  it('shows the fingerprint on first connect and pins it; later connections do not ask; an unconfirmed server is not pinned', async () => {
    const otherKnown = join(dir, 'other-known.json');
    await expect(client({ known: otherKnown, confirm: async () => false })).rejects.toMatchObject({ code: 'PERMISSION', message: expect.stringContaining('was not trusted') });
    expect(existsSync(otherKnown)).toBe(false);

    const shown: string[] = [];
    const c = await client({ confirm: async (fp) => (shown.push(fp), true) });
    expect(shown).toEqual([server.certificate.fingerprint]);
    expect(new KnownServers(knownFile()).pinned(parseServerAddress(`127.0.0.1:${port}`))).toBe(server.certificate.fingerprint);
    expect(result(await c.invoke('auth.status', {}))).toMatchObject({ signedIn: true, user: { username: 'boss' } });
    c.close();
    const again = await client({ confirm: async () => expect.fail('a pinned server is not asked about again') });
    again.close();
  });

  it('a wrong password: the client is refused with the reason, and the log has the failure', async () => {
    await expect(client({ password: 'wrong-password-x' })).rejects.toMatchObject({ message: expect.stringContaining('did not accept the sign-in of boss') });
  });

  it('a changed certificate is refused with both fingerprints and what to do; nothing is sent to that server', { timeout: 240_000 }, async () => {
    const pinned = server.certificate.fingerprint;
    await server.close();
    const otherDir = join(dir, 'other');
    mkdirSync(otherDir);
    const other = await loadOrCreateCertificate(join(otherDir, 'x.db'));
    server = await start({ cert: other.certFile, key: other.keyFile });
    expect(server.certificate.fingerprint).toBe(other.fingerprint);
    const before = logText().split('\n').filter((l) => l.includes('connected from')).length;
    const refused = client();
    await expect(refused).rejects.toMatchObject({ code: 'PERMISSION' });
    const message = await refused.catch((e: Error) => e.message);
    expect(message).toContain(`Trusted fingerprint: ${pinned}`);
    expect(message).toContain(`Presented now: ${other.fingerprint}`);
    expect(message).toMatch(/did not connect and sent nothing.*remove 127\.0\.0\.1:\d+ from .*known-servers\.json/);
    expect(logText().split('\n').filter((l) => l.includes('connected from')).length).toBe(before);
    // Back to the server's own certificate for the tests that follow.
    await server.close();
    server = await start();
    expect(server.certificate.fingerprint).toBe(pinned);
  });
});

describe('connection loss: writes refused while down, reconnect, an in-flight post resolved by its idempotency key', () => {
  it('a receipt sent whose answer is lost is answered after reconnecting, posted exactly once; a write while down is refused at once', { timeout: 60_000 }, async () => {
    const admin = await client();
    const site = result<{ id: number }>(await admin.invoke('masterdata.siteCreate', { code: 'WH', name: 'Warehouse', kind: 'warehouse', allowNegative: false }));
    const product = result<{ id: number }>(
      await admin.invoke('masterdata.productCreate', { sku: 'OIL', name: 'Olive oil', unit: 'l', scale: 0, stockType: 'Supplied', tracking: 'BULK', stockKeeping: true, lowStockLevel: null }),
    );
    admin.close();
    const receipt = (key: string) => ({ idempotencyKey: key, kind: 'stock_receipt', siteId: site.id, lines: [{ productId: product.id, qty: 5, unitCost: 10_000 }] });
    const receiptsWith = async (reference: string) => {
      const docs = result<DocumentSummary[]>(await server.app.dispatch('operations.recentDocuments', { limit: 200 }, server.app.session));
      return docs.filter((d) => d.reference === reference).length;
    };

    const proxy = await startCutProxy(port);
    const c = await client({ address: `127.0.0.1:${proxy.port}` });
    const statuses: RemoteStatus[] = [];
    c.onStatus((s) => statuses.push(s));
    const first = result<PostedDocument>(await c.invoke('operations.receive', { ...receipt('in-flight-key-1'), reference: 'R-1' }));
    expect(first.replayed).toBe(false);

    proxy.holdReplies();
    const inFlight = c.invoke('operations.receive', { ...receipt('in-flight-key-2'), reference: 'R-2' });
    // The server commits it; its answer never reaches the client.
    while ((await receiptsWith('R-2')) === 0) await new Promise((r) => setTimeout(r, 20));
    proxy.cutAll();
    while (c.status() === 'open') await new Promise((r) => setTimeout(r, 5));
    expect(c.status()).toBe('reconnecting');
    // A new write while disconnected: refused at once, never queued (so never done later behind the clerk's back).
    const refused = await c.invoke('operations.receive', { ...receipt('while-down-key'), reference: 'R-DOWN' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('nothing was sent and nothing was saved') } });

    const resolved = result<PostedDocument>(await inFlight);
    expect(resolved.replayed).toBe(true);
    expect(statuses).toEqual(['reconnecting', 'open']);
    expect([await receiptsWith('R-1'), await receiptsWith('R-2'), await receiptsWith('R-DOWN')]).toEqual([1, 1, 0]);
    const docs = result<DocumentSummary[]>(await c.invoke('operations.recentDocuments', { limit: 200 }));
    expect(docs.find((d) => d.reference === 'R-2')?.documentId).toBe(resolved.documentId);
    // Two connections each time (the certificate read, then the socket): the first, and one reconnection.
    expect(proxy.connections()).toBe(4);
    c.close();
    await proxy.close();
  });

  it('a write without an idempotency key whose answer is lost fails saying it may or may not have been done (nothing to resolve it by)', async () => {
    const proxy = await startCutProxy(port);
    const c = await client({ address: `127.0.0.1:${proxy.port}` });
    proxy.holdReplies();
    const read = c.invoke('masterdata.siteCreate', { code: 'NOKEY', name: 'No key', kind: 'warehouse', allowNegative: false });
    const hasSite = async () => result<{ code: string }[]>(await server.app.dispatch('sites.list', {}, server.app.session)).some((x) => x.code === 'NOKEY');
    while (!(await hasSite())) await new Promise((r) => setTimeout(r, 20));
    proxy.cutAll();
    expect(await read).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('may or may not have been done') } });
    c.close();
    await proxy.close();
  });
});

describe('a desktop on a server: desktop.* runs on the desktop, an export made on the server arrives in the file chosen there', () => {
  it("the window signs in itself; Save dialog, Open, Show in folder and printToPDF are the desktop's; the export streams down before 'done'", { timeout: 120_000 }, async () => {
    const here = join(dir, 'desktop');
    mkdirSync(here);
    const chosen = join(here, 'movements.csv');
    const pdf = join(here, 'report.pdf');
    const dialog = fakeDialog([chosen, pdf]);
    const shell = fakeShell();
    const desktop = createDesktopServices({ dialog, shell, window: () => fakeWindow(), documentsDir: here, writeFile: (p, d) => Promise.resolve(writeFileSync(p, d)), updates: {} as DesktopUpdates });
    const c = await RemoteClient.connect({
      address: parseServerAddress(`127.0.0.1:${port}`),
      knownServers: new KnownServers(knownFile()),
      confirmFingerprint: async () => true,
    });
    const events: { event: string; payload: unknown }[] = [];
    const fingerprint = new KnownServers(knownFile()).pinned(c.address)!;
    const win = remoteDesktopWindow({
      server: c,
      desktop,
      download: (path, file) => downloadPinned(c.address, fingerprint, path, file),
      toWindow: (event, payload) => events.push({ event, payload }),
    });
    // Signed out: neither the server's calls nor the desktop's own are allowed, and no dialog opens.
    expect(await win.call('stock.current', {})).toMatchObject({ ok: false, error: { code: 'PERMISSION', details: { signIn: true } } });
    expect(await win.call('desktop.saveDialog', { suggestedName: 'movements', format: 'csv' })).toMatchObject({ ok: false, error: { code: 'PERMISSION' } });
    expect(dialog.asked).toHaveLength(0);
    expect(await win.call('auth.signIn', { username: 'boss', kind: 'password', secret: PASSWORD })).toMatchObject({ ok: true });
    expect(await win.call('app.info', {})).toMatchObject({ ok: true, result: { mode: 'electron', server: `127.0.0.1:${port}`, user: { username: 'boss' } } });

    // The Save dialog is this computer's (the server, asked, would answer that only the desktop app can).
    expect(await c.invoke('desktop.saveDialog', { suggestedName: 'movements', format: 'csv' })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(result(await win.call('desktop.saveDialog', { suggestedName: 'movements', format: 'csv' }))).toEqual({ path: chosen });
    // A path not chosen in the dialog is refused here and nothing is started on the server.
    const other = join(here, 'other.csv');
    expect(await win.call('exports.start', { what: { list: 'movements' }, format: 'csv', saveTo: other })).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'saveTo' }] } } });
    const started = result<ExportJobInfo>(await win.call('exports.start', { what: { list: 'movements' }, format: 'csv', saveTo: chosen }));
    expect(started.file).toBe(chosen);
    while (!events.some((e) => e.event === 'job.finished' && (e.payload as JobFinished).jobId === started.jobId)) await new Promise((r) => setTimeout(r, 20));
    // When the window hears "finished", the file is already here, whole.
    const finished = events.find((e) => e.event === 'job.finished' && (e.payload as JobFinished).jobId === started.jobId)!.payload as JobFinished;
    expect(finished).toMatchObject({ ok: true, message: expect.any(String) });
    const job = result<ExportJobInfo>(await win.call('exports.job', { jobId: started.jobId }));
    expect(job).toMatchObject({ status: 'done', file: chosen, fileName: 'movements.csv' });
    const onServer = result<ExportJobInfo>(await c.invoke('exports.job', { jobId: started.jobId }));
    expect(onServer.file).not.toBe(chosen);
    expect(readFileSync(chosen, 'utf8')).toBe(readFileSync(onServer.file, 'utf8'));
    expect(readFileSync(chosen, 'utf8').trim().split('\n')).toHaveLength(job.rows + 1);
    expect(existsSync(other) || existsSync(`${chosen}.part`)).toBe(false);
    // Open and Show in folder open the desktop's copy.
    expect(result(await win.call('desktop.openExport', { jobId: started.jobId, show: 'file' }))).toEqual({ opened: true });
    expect(result(await win.call('desktop.openExport', { jobId: started.jobId, show: 'folder' }))).toEqual({ opened: true });
    expect(shell).toMatchObject({ opened: [chosen], shown: [chosen] });
    // The download checks the pinned certificate before it sends the one-time address: with another fingerprint nothing
    // is fetched, nothing written, and the address is not spent (the real server never saw the request).
    const ticket = result<{ url: string }>(await c.invoke('exports.download', { jobId: started.jobId }));
    const again = join(here, 'again.csv');
    await expect(downloadPinned(c.address, `${'AA:'.repeat(31)}AA`, ticket.url, again)).rejects.toMatchObject({ code: 'PERMISSION', message: expect.stringContaining('nothing was fetched') });
    expect(existsSync(again) || existsSync(`${again}.part`)).toBe(false);
    await downloadPinned(c.address, fingerprint, ticket.url, again);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(chosen, 'utf8'));
    // printToPDF prints this window, into a file here.
    expect(result(await win.call('desktop.printToPdf', { suggestedName: 'report', landscape: true }))).toEqual({ path: pdf });
    expect(readFileSync(pdf, 'latin1')).toBe('%PDF');
    win.close();
    c.close();
  });
});

describe('the CLI against a server (--server): verify and end-of-day posting, with the same pinning', () => {
  it('refuses an unpinned server without --fingerprint, naming the fingerprint; with it, verify runs on the server', { timeout: 60_000 }, async () => {
    const lines: string[] = [];
    const log = (l: unknown) => lines.push(String(l));
    const origLog = console.log;
    console.log = log;
    process.env.STOCKBOOK_USER = 'boss';
    process.env.STOCKBOOK_PASSWORD = PASSWORD;
    process.env.STOCKBOOK_KNOWN_SERVERS = join(dir, 'cli-known.json');
    try {
      await expect(runCli(['verify', '--server', `https://127.0.0.1:${port}`])).rejects.toMatchObject({
        message: expect.stringContaining(`run again with --fingerprint ${server.certificate.fingerprint}`),
      });
      await expect(runCli(['verify', '--server', `127.0.0.1:${port}`, '--fingerprint', '00:11'])).rejects.toMatchObject({ message: expect.stringContaining('not the --fingerprint 00:11') });
      expect(await runCli(['verify', '--server', `127.0.0.1:${port}`, '--fingerprint', server.certificate.fingerprint])).toBe(0);
      expect(lines.join('\n')).toMatch(/Verifying the ledger of the server 127\.0\.0\.1:\d+ \(\d+ movements\)[\s\S]*All invariants hold\./);
      // Pinned now: no --fingerprint needed; end-of-day posting of the receipts posted above.
      lines.length = 0;
      expect(await runCli(['post', '--server', `127.0.0.1:${port}`, '--to', '2099-12-31'])).toBe(0);
      expect(lines.join('\n')).toMatch(/Stockbook posting report — batch \d+/);
      const batches = result<{ movementCount: number }[]>(await server.app.dispatch('posting.batches', {}, server.app.session));
      expect(batches).toHaveLength(1);
      expect(batches[0]!.movementCount).toBe(2);
    } finally {
      console.log = origLog;
      delete process.env.STOCKBOOK_USER;
      delete process.env.STOCKBOOK_PASSWORD;
      delete process.env.STOCKBOOK_KNOWN_SERVERS;
    }
  });
});
