import type { Permission } from './domain';

/** Each permission in plain words, as users and administrators see it (the codes stay inside the program). */
export const PERMISSION_NAMES: Record<Permission, string> = {
  'read:stock': 'View stock',
  'post:movements': 'Post stock movements',
  'manage:data': 'Manage data',
  'create:stock-count': 'Count stock',
  'update:stock-count': 'Complete stock counts',
  'post:finance': 'Post to finance',
  'manage:users': 'Manage users',
  'manage:sites': 'Manage sites and bins',
  'manage:products': 'Manage products',
  'manage:suppliers': 'Manage suppliers',
  'manage:settings': 'Change company settings',
  'sign:in': 'Sign in',
};

/** A permission as a user reads it: `“Post stock movements”`; an unknown code is named as what it is. */
export function permissionName(p: string): string {
  return `“${(PERMISSION_NAMES as Record<string, string>)[p] ?? 'an unknown permission'}”`;
}

/** Whom to ask for a permission one lacks: every refusal for want of a permission ends with this, said only here. */
export const ASK_FOR_PERMISSION = 'Ask an administrator for it (Settings → Users).';

/**
 * A refusal for want of a permission, in one shape everywhere (main's refusals, the windows' notes):
 * `${doing} needs the “Manage products” permission. Ask an administrator for it (Settings → Users).`
 * Several permissions are alternatives (“A” or “B”).
 */
export function needsPermission(doing: string, ...permissions: readonly [Permission, ...Permission[]]): string {
  return `${doing} needs the ${permissions.map(permissionName).join(' or ')} permission. ${ASK_FOR_PERMISSION}`;
}
