import type Database from 'better-sqlite3';
import { AppError } from '../../shared/contract/errors';
import type { SecretKind, UserSummary } from '../../shared/auth';

type Row = { id: number; username: string; display_name: string; permissions: string; password_hash: string | null; pin_hash: string | null; active: number };

export interface UserSecrets extends UserSummary {
  passwordHash: string | null;
  pinHash: string | null;
}

const toSecrets = (r: Row): UserSecrets => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  permissions: JSON.parse(r.permissions) as string[],
  hasPassword: r.password_hash !== null,
  hasPin: r.pin_hash !== null,
  active: r.active === 1,
  passwordHash: r.password_hash,
  pinHash: r.pin_hash,
});
export const toSummary = ({ passwordHash: _p, pinHash: _q, ...s }: UserSecrets): UserSummary => s;

/** Users as sign-in sees them; 'system' is the ledger's own actor and never signs in. */
export class UsersStore {
  constructor(private readonly db: Database.Database) {}

  list(): UserSummary[] {
    return (this.db.prepare("SELECT * FROM users WHERE username != 'system' ORDER BY username").all() as Row[]).map((r) => toSummary(toSecrets(r)));
  }

  find(username: string): UserSecrets | null {
    const row = this.db.prepare("SELECT * FROM users WHERE username = ? AND username != 'system'").get(username) as Row | undefined;
    return row ? toSecrets(row) : null;
  }

  get(username: string): UserSecrets {
    const u = this.find(username);
    if (!u) throw new AppError('NOT_FOUND', `There is no user "${username}". Check the name, or create the user in Settings.`);
    return u;
  }

  /** True while no user has a password or PIN: the first run, before the administrator sets one. */
  openAccess(): boolean {
    return !this.db.prepare("SELECT 1 FROM users WHERE active = 1 AND username != 'system' AND (password_hash IS NOT NULL OR pin_hash IS NOT NULL)").get();
  }

  setSecret(username: string, kind: SecretKind, hash: string | null): UserSummary {
    this.get(username);
    this.db.prepare(`UPDATE users SET ${kind === 'pin' ? 'pin_hash' : 'password_hash'} = ? WHERE username = ?`).run(hash, username);
    return toSummary(this.get(username));
  }

  create(username: string, displayName: string, permissions: string[], now = Date.now()): UserSummary {
    if (this.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username)) {
      throw new AppError('CONFLICT', `A user "${username}" already exists. Choose another name.`);
    }
    this.db.prepare('INSERT INTO users (username, display_name, permissions, created_at) VALUES (?, ?, ?, ?)').run(username, displayName, JSON.stringify(permissions), now);
    return toSummary(this.get(username));
  }

  /** An active user by name ('system' included) as the ledger's operations act for it: its permissions still JSON text. */
  activeUser(username: string): { id: number; username: string; displayName: string; permissions: string } | undefined {
    return this.db.prepare('SELECT id, username, display_name AS displayName, permissions FROM users WHERE username = ? AND active = 1').get(username) as
      | { id: number; username: string; displayName: string; permissions: string }
      | undefined;
  }

  setPermissions(username: string, permissions: string[]): { before: string[]; after: UserSummary } {
    const before = this.get(username).permissions;
    this.db.prepare('UPDATE users SET permissions = ? WHERE username = ?').run(JSON.stringify(permissions), username);
    return { before, after: toSummary(this.get(username)) };
  }
}
