import { z } from 'zod';
import { oneLineString } from './one-line';
import { PERMISSIONS } from '../domain';
import { SECRET_KINDS } from '../auth';

/** An absolute folder or file path without "..", NUL or control characters (the user picks it; we never build it from parts). */
export const safePathSchema = z
  .string()
  .trim()
  .min(1)
  .max(1000)
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  .refine((p) => !/[\u0000-\u001f]/.test(p), 'must not contain control characters')
  .refine((p) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(p), 'must be an absolute path such as C:\\Backups or /srv/backups')
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must not contain ".." segments')
  .refine((p) => !/^\/(proc|sys|dev)(\/|$)/.test(p), 'must not be a system folder (/proc, /sys, /dev)');

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time such as 21:30');
const keep = z.number().int().min(0).max(366);

export const backupsRunSchema = z.object({ toFolder: safePathSchema.optional() }).strict();
export const backupsConfigureSchema = z
  .object({
    folder: safePathSchema.optional(),
    dailyAt: hhmm.optional(),
    retention: z.object({ daily: keep, weekly: keep, monthly: keep }).strict().optional(),
  })
  .strict();
export const backupsRestoreSchema = z
  .object({
    backupId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional(),
    /** In safe mode the ledger's records may be unreadable: a file from the backup folder listing instead. */
    file: safePathSchema.refine((p) => /\.db$/i.test(p), 'must be a Stockbook backup file (*.db)').optional(),
  })
  .strict()
  .refine((v) => (v.backupId === undefined) !== (v.file === undefined), 'give either backupId or file');

const username = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, 'may hold letters, digits, ".", "_" and "-" only');
const secret = z.string().min(1).max(256);

export const signInSchema = z.object({ username, kind: z.enum(SECRET_KINDS), secret }).strict();
export const setSecretSchema = z
  .object({ username, kind: z.enum(SECRET_KINDS), secret, currentSecret: secret.optional() })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'pin' && !/^\d{4,12}$/.test(v.secret)) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'a PIN is 4 to 12 digits' });
    if (v.kind === 'password' && v.secret.length < 8) ctx.addIssue({ code: 'custom', path: ['secret'], message: 'a password has at least 8 characters' });
  });
export const clearSecretSchema = z.object({ username, kind: z.enum(SECRET_KINDS) }).strict();
export const createUserSchema = z
  .object({ username, displayName: oneLineString().min(1).max(128), permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length) })
  .strict();
export const setPermissionsSchema = z.object({ username, permissions: z.array(z.enum(PERMISSIONS)).max(PERMISSIONS.length) }).strict();
/** Disables a user (their sessions are signed out, they cannot sign in) or enables them again; by id, as users.list gives it. */
export const setDisabledSchema = z.object({ userId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), disabled: z.boolean() }).strict();
export const authConfigureSchema = z.object({ idleLockMinutes: z.number().int().min(1).max(480) }).strict();
export const auditListSchema = z
  .object({ limit: z.number().int().min(1).max(500).optional(), beforeId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() })
  .strict();

export type BackupsRunInput = z.output<typeof backupsRunSchema>;
export type BackupsConfigureInput = z.output<typeof backupsConfigureSchema>;
export type BackupsRestoreInput = z.output<typeof backupsRestoreSchema>;
export type SignInInput = z.output<typeof signInSchema>;
export type SetSecretInput = z.output<typeof setSecretSchema>;
export type CreateUserInput = z.output<typeof createUserSchema>;
export type SetPermissionsInput = z.output<typeof setPermissionsSchema>;
export type SetDisabledInput = z.output<typeof setDisabledSchema>;
