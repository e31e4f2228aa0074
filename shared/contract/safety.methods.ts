import type { AuditEntry, AuthStatus, UserSummary } from '../auth';
import type { BackupFile, BackupRecord, BackupStatus } from '../safety';
import { method, returns } from './define-method';
import { emptySchema } from './schemas';
import {
  auditListSchema,
  clearSecretSchema,
  authConfigureSchema,
  backupsConfigureSchema,
  backupsRestoreSchema,
  backupsRunSchema,
  createUserSchema,
  setDisabledSchema,
  setPermissionsSchema,
  setSecretSchema,
  signInSchema,
} from './safety.schemas';

/** Backups, restore and safe mode. */
export const safetyMethods = {
  'backups.status': method({
    input: emptySchema,
    result: returns<BackupStatus>(),
    permission: 'read:stock',
    description: 'Show the backup settings, the last good backup and recent backups',
  }),
  'backups.run': method({
    input: backupsRunSchema,
    result: returns<{ jobId: string }>(),
    permission: 'manage:data',
    description: 'Back up the ledger now (or export a checked copy to a folder) as a background job',
  }),
  'backups.configure': method({
    input: backupsConfigureSchema,
    result: returns<BackupStatus>(),
    permission: 'manage:data',
    description: 'Change the backup folder, daily time or retention',
  }),
  'backups.files': method({
    input: emptySchema,
    result: returns<BackupFile[]>(),
    permission: 'manage:data',
    description: 'List the backup files in the backup folder',
  }),
  'backups.restore': method({
    input: backupsRestoreSchema,
    result: returns<{ scheduled: BackupRecord | BackupFile; message: string }>(),
    permission: 'manage:data',
    description: 'Restore a backup at the next start (the current file is kept aside)',
  }),
} as const;

/** Users, sign-in, lock and the audit log. */
export const authMethods = {
  'auth.status': method({
    input: emptySchema,
    result: returns<AuthStatus>(),
    permission: 'sign:in',
    description: 'Show who is signed in, whether the session is locked, and safe mode',
  }),
  'auth.signIn': method({
    input: signInSchema,
    result: returns<AuthStatus>(),
    permission: 'sign:in',
    description: 'Sign in with a password or PIN',
  }),
  'auth.signOut': method({ input: emptySchema, result: returns<AuthStatus>(), permission: 'sign:in', description: 'Sign out' }),
  'auth.lock': method({ input: emptySchema, result: returns<AuthStatus>(), permission: 'sign:in', description: 'Lock this session' }),
  'auth.configure': method({
    input: authConfigureSchema,
    result: returns<AuthStatus>(),
    permission: 'manage:users',
    description: 'Set the idle time after which Stockbook locks',
  }),
  'users.list': method({ input: emptySchema, result: returns<UserSummary[]>(), permission: 'manage:users', description: 'List users' }),
  'users.create': method({ input: createUserSchema, result: returns<UserSummary>(), permission: 'manage:users', description: 'Create a user' }),
  'users.setPermissions': method({
    input: setPermissionsSchema,
    result: returns<UserSummary>(),
    permission: 'manage:users',
    description: "Change a user's permissions",
  }),
  'users.setDisabled': method({
    input: setDisabledSchema,
    result: returns<UserSummary>(),
    permission: 'manage:users',
    description: 'Disable a user (signed out, cannot sign in) or enable them again',
  }),
  'users.setSecret': method({
    input: setSecretSchema,
    result: returns<UserSummary>(),
    permission: 'sign:in',
    description: "Set a password or PIN (your own, or anyone's with the Manage users permission)",
  }),
  'users.clearSecret': method({
    input: clearSecretSchema,
    result: returns<UserSummary>(),
    permission: 'manage:users',
    description: "Remove a user's password or PIN (when no user has one left, Stockbook is open to anyone again)",
  }),
  'audit.list': method({ input: auditListSchema, result: returns<AuditEntry[]>(), permission: 'manage:users', description: 'Read the audit log' }),
} as const;
