import type pg from 'pg';
import type { SecretKind, UserSummary } from '../../shared/auth';
import type { ActiveUserRow, UserRecords } from './user-rules';
import { toSecrets, toSummary, type UserSecretsRow, type UserSecrets } from './user-secrets';

const COLUMNS = 'id, username, display_name, permissions, password_hash, pin_hash, active';

/** Users on a PostgreSQL ledger, in the caller's transaction on `c` (or straight on the pool for a read). Rules: user-rules.ts. */
export class PgUsersStore implements UserRecords {
  constructor(private readonly c: pg.PoolClient | pg.Pool) {}

  private async rows(sql: string, params: unknown[] = []): Promise<UserSecretsRow[]> {
    return (await this.c.query<UserSecretsRow>(sql, params)).rows;
  }

  async list(): Promise<UserSummary[]> {
    // COLLATE "C": the byte order SQLite's ORDER BY gives, whatever the database's collation.
    return (await this.rows(`SELECT ${COLUMNS} FROM users WHERE username <> 'system' ORDER BY username COLLATE "C"`)).map((r) => toSummary(toSecrets(r)));
  }

  async find(username: string): Promise<UserSecrets | null> {
    const [row] = await this.rows(`SELECT ${COLUMNS} FROM users WHERE username = $1 AND username <> 'system'`, [username]);
    return row ? toSecrets(row) : null;
  }

  async byId(id: number): Promise<UserSecrets | null> {
    const [row] = await this.rows(`SELECT ${COLUMNS} FROM users WHERE id = $1 AND username <> 'system'`, [id]);
    return row ? toSecrets(row) : null;
  }

  /** True while no user has a password or PIN: the first run, before the administrator sets one. */
  async openAccess(): Promise<boolean> {
    const r = await this.c.query("SELECT 1 FROM users WHERE active AND username <> 'system' AND (password_hash IS NOT NULL OR pin_hash IS NOT NULL) LIMIT 1");
    return r.rowCount === 0;
  }

  async taken(username: string): Promise<boolean> {
    return ((await this.c.query('SELECT 1 FROM users WHERE username = $1', [username])).rowCount ?? 0) > 0;
  }

  async insert(username: string, displayName: string, permissions: string[], now: number): Promise<void> {
    await this.c.query('INSERT INTO users (username, display_name, permissions, created_at) VALUES ($1, $2, $3, $4)', [username, displayName, JSON.stringify(permissions), now]);
  }

  async saveSecret(username: string, kind: SecretKind, hash: string | null): Promise<void> {
    await this.c.query(`UPDATE users SET ${kind === 'pin' ? 'pin_hash' : 'password_hash'} = $1 WHERE username = $2`, [hash, username]);
  }

  async savePermissions(username: string, permissions: string[]): Promise<void> {
    await this.c.query('UPDATE users SET permissions = $1 WHERE username = $2', [JSON.stringify(permissions), username]);
  }

  async saveActive(id: number, active: boolean): Promise<void> {
    await this.c.query('UPDATE users SET active = $1 WHERE id = $2', [active, id]);
  }

  /** An active user by name ('system' included) as the ledger's operations act for it: its permissions still JSON text. */
  async activeUser(username: string): Promise<ActiveUserRow | undefined> {
    return (await this.c.query<ActiveUserRow>('SELECT id, username, display_name AS "displayName", permissions FROM users WHERE username = $1 AND active', [username])).rows[0];
  }

  /**
   * Locks every user row until the transaction ends, in id order, before a change whose rule reads all users (that
   * someone can still manage users): a second server making such a change waits, then reads the first one's
   * committed rows. FOR NO KEY UPDATE, so postings (whose foreign keys take KEY SHARE on their user) are not held up.
   */
  async lockAll(): Promise<void> {
    await this.c.query('SELECT id FROM users ORDER BY id FOR NO KEY UPDATE');
  }
}
