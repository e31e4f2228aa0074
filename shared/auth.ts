import type { SafeModeInfo } from './safety';

/** Users, sign-in and the audit log: types shared by main and renderer. */
export const SECRET_KINDS = ['password', 'pin'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  permissions: string[];
}

export interface UserSummary {
  id: number;
  username: string;
  displayName: string;
  permissions: string[];
  hasPassword: boolean;
  hasPin: boolean;
  active: boolean;
}

export interface AuthStatus {
  signedIn: boolean;
  locked: boolean;
  user: SessionUser | null;
  /** No user has a password or PIN yet: everyone who can open Stockbook is the administrator. */
  openAccess: boolean;
  idleLockMinutes: number;
  /**
   * Who can sign in (for the sign-in list); empty in safe mode. On a Stockbook server's connection (`network`) only
   * the session's own user, once signed in: a connection from the network never learns the other users' names.
   */
  users: { username: string; displayName: string; hasPassword: boolean; hasPin: boolean }[];
  /** A connection to a Stockbook server: the sign-in screen asks for the user name to be typed. */
  network: boolean;
  safeMode: SafeModeInfo | null;
}

export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'lock',
  'secret-changed',
  'user-created',
  'permissions-changed',
  'user-disabled',
  'user-enabled',
  'setting-changed',
  'backup',
  'backup-failed',
  'restore-scheduled',
  'restore-applied',
  'permission-refused',
  'master-data-changed',
  /** A Stockbook server found the ledger damaged and stopped (PostgreSQL: the others are told of this entry). */
  'safe-mode-entered',
  /** `stockbook verify --database … --clear-safe-mode` passed: the servers' safe mode recorded up to then no longer stands. */
  'safe-mode-cleared',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  id: number;
  at: number;
  userId: number | null;
  username: string;
  action: AuditAction;
  detail: Record<string, unknown>;
}
