import type pg from 'pg';
import type { PgOpsFactory } from '../ledger/pg/pg-ops';
import { pgTransaction } from '../ledger/pg/store/pg-ledger-store';
import { runLater, type Steps } from '../ledger/steps';
import { actorOf } from '../ledger/caller';
import { appendPgAudit, listPgAudit } from '../safety/pg-audit-store';
import { getPgSetting, setPgSetting } from '../safety/pg-settings-store';
import { PgUsersStore } from './pg-users-store';
import { createUser, idleMinutes, setDisabled, setIdleMinutes, setPermissions, setSecret, type AuthRecords } from './user-rules';

/** The users, settings and audit log of a PostgreSQL ledger inside one transaction on `c`. */
const recordsOn = (c: pg.PoolClient): AuthRecords & { users: PgUsersStore } => ({
  users: new PgUsersStore(c),
  setting: (key, fallback) => getPgSetting(c, key, fallback),
  saveSetting: (key, v, now) => setPgSetting(c, key, v, now),
  audit: (actor, action, detail, now) => appendPgAudit(c, actor, action, detail, now),
});

/**
 * Users, secrets (hashed by the caller), the idle-lock setting and the audit log on PostgreSQL: the rules of
 * user-rules.ts, each write and its audit entry one transaction. A change of permissions, or disabling a user, locks
 * every user row first, so two servers cannot each take "manage:users" from the one the other leaves it with.
 */
export const authPgOps: PgOpsFactory = (ctx) => {
  const { pool, clock } = ctx;
  const write = <T>(steps: (r: ReturnType<typeof recordsOn>) => Steps<T>, lock = false) =>
    pgTransaction(pool, async (c) => {
      const r = recordsOn(c);
      if (lock) await r.users.lockAll();
      return runLater(steps(r));
    });
  const read = new PgUsersStore(pool);
  return {
    'users.list': () => read.list(),
    authFind: (username) => read.find(username),
    authOpenAccess: () => read.openAccess(),
    'users.setSecret': (username, kind, hash, actor) => write((r) => setSecret(r, username, kind, hash, actor, clock())),
    'users.clearSecret': (username, kind, actor) => write((r) => setSecret(r, username, kind, null, actor, clock())),
    'users.create': (input, caller) => write((r) => createUser(r, input, actorOf(caller), clock())),
    'users.setPermissions': (input, caller) => write((r) => setPermissions(r, input, actorOf(caller), clock()), true),
    'users.setDisabled': (input, caller) => write((r) => setDisabled(r, input, actorOf(caller), clock()), true),
    authIdleMinutes: () => pgTransaction(pool, (c) => runLater(idleMinutes(recordsOn(c)))),
    'auth.configure': (minutes, actor) => write((r) => setIdleMinutes(r, minutes, actor, clock())),
    authAudit: (actor, action, detail) => pgTransaction(pool, (c) => appendPgAudit(c, actor, action, detail, clock())),
    'audit.list': (options) => listPgAudit(pool, options),
  };
};
