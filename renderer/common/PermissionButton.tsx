import { Button, type ButtonProps } from '@fluentui/react-components';
import { useId } from 'react';
import type { Permission } from '../../shared/domain';
import { needsPermission } from '../../shared/permission-names';
import { useAppInfo } from '../app/app-info-context';

/**
 * Why the signed-in user may not do `doing`, or null when they hold one of `permissions`: needsPermission's sentence
 * (for 'Adding products' and manage:products, that it needs Manage products and to ask an administrator in Settings → Users).
 * Until who is signed in is known, it is refused too (as the windows always did: greyed until then).
 */
export function useRefusal(doing: string, ...permissions: readonly [Permission, ...Permission[]]): string | null {
  const held = useAppInfo().info?.user.permissions;
  if (held && permissions.some((p) => held.includes(p))) return null;
  return needsPermission(doing, ...permissions);
}

/**
 * A button the user may not be allowed to use. With a `refusal` it is disabled but stays focusable (so the keyboard
 * reaches it), and says why and whom to ask: as its tooltip (`title`) and as its accessible description. Without one it
 * is the plain button. The one place a greyed button says why (a missing permission; Lock now without a password).
 */
export function PermissionButton({ refusal, ...props }: ButtonProps & { refusal: string | null }) {
  const id = useId();
  if (refusal === null) return <Button {...props} />;
  return (
    <>
      <Button {...props} disabled={false} disabledFocusable title={refusal} aria-describedby={id} onClick={undefined} />
      <span id={id} hidden>
        {refusal}
      </span>
    </>
  );
}
