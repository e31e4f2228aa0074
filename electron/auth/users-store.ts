import type Database from 'better-sqlite3';
import type { SecretKind, UserSummary } from '../../shared/auth';
import { runNow } from '../ledger/steps';
import { insertUserSteps, saveSecretSteps, userNamed, type ActiveUserRow, type UserRecords } from './user-rules';
import { toSecrets, toSummary, type UserSecretsRow, type UserSecrets } from './user-secrets';

export { toSummary, type UserSecrets };

/** Users as sign-in sees them; 'system' is the ledger's own actor and never signs in. The rules are in user-rules.ts. */
export class UsersStore implements UserRecords {
  constructor(private readonly db: Database.Database) {}

  list(): UserSummary[] {
    return (this.db.prepare("SELECT * FROM users WHERE username != 'system' ORDER BY username").all() as UserSecretsRow[]).map((r) => toSummary(toSecrets(r)));
  }

  find(username: string): UserSecrets | null {
    const row = this.db.prepare("SELECT * FROM users WHERE username = ? AND username != 'system'").get(username) as UserSecretsRow | undefined;
    return row ? toSecrets(row) : null;
  }

  byId(id: number): UserSecrets | null {
    const row = this.db.prepare("SELECT * FROM users WHERE id = ? AND username != 'system'").get(id) as UserSecretsRow | undefined;
    return row ? toSecrets(row) : null;
  }

  get(username: string): UserSecrets {
    return runNow(userNamed(this, username));
  }

  /** True while no user has a password or PIN: the first run, before the administrator sets one. */
  openAccess(): boolean {
    return !this.db.prepare("SELECT 1 FROM users WHERE active = 1 AND username != 'system' AND (password_hash IS NOT NULL OR pin_hash IS NOT NULL)").get();
  }

  taken(username: string): boolean {
    return Boolean(this.db.prepare('SELECT 1 FROM users WHERE username = ?').get(username));
  }

  insert(username: string, displayName: string, permissions: string[], now: number): void {
    this.db.prepare('INSERT INTO users (username, display_name, permissions, created_at) VALUES (?, ?, ?, ?)').run(username, displayName, JSON.stringify(permissions), now);
  }

  saveSecret(username: string, kind: SecretKind, hash: string | null): void {
    this.db.prepare(`UPDATE users SET ${kind === 'pin' ? 'pin_hash' : 'password_hash'} = ? WHERE username = ?`).run(hash, username);
  }

  savePermissions(username: string, permissions: string[]): void {
    this.db.prepare('UPDATE users SET permissions = ? WHERE username = ?').run(JSON.stringify(permissions), username);
  }

  saveActive(id: number, active: boolean): void {
    this.db.prepare('UPDATE users SET active = ? WHERE id = ?').run(active ? 1 : 0, id);
  }

  setSecret(username: string, kind: SecretKind, hash: string | null): UserSummary {
    return runNow(saveSecretSteps(this, username, kind, hash));
  }

  create(username: string, displayName: string, permissions: string[], now = Date.now()): UserSummary {
    return runNow(insertUserSteps(this, username, displayName, permissions, now));
  }

  /** An active user by name ('system' included) as the ledger's operations act for it: its permissions still JSON text. */
  activeUser(username: string): ActiveUserRow | undefined {
    return this.db.prepare('SELECT id, username, display_name AS displayName, permissions FROM users WHERE username = ? AND active = 1').get(username) as ActiveUserRow | undefined;
  }
}
