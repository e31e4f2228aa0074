import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { AppError } from '../../shared/contract/errors';

interface ErrorBarProps {
  error: AppError;
  /** A short lead-in such as "Current stock could not be loaded."; the error's own message follows as written. */
  title?: string;
  onRetry?: () => void;
  /** Someone else saved the record first: load its current values into the form (shown as "Reload"). */
  onReload?: () => void;
  onDismiss?: () => void;
  /** Wrap a long message (the default: advice and the close button are never cut off); false keeps a short one on one line. */
  multiline?: boolean;
}

/** A Fluent error MessageBar that shows the error's message exactly as the backend wrote it. */
export function ErrorBar({ error, title, onRetry, onReload, onDismiss, multiline = true }: ErrorBarProps) {
  return (
    <MessageBar intent="error" layout={multiline ? 'multiline' : 'singleline'} data-testid="error-bar">
      <MessageBarBody>
        {title ? <MessageBarTitle>{title}</MessageBarTitle> : null}
        {error.message}
      </MessageBarBody>
      <MessageBarActions
        containerAction={
          onDismiss ? <Button aria-label="Dismiss" appearance="transparent" icon={<DismissRegular />} size="small" onClick={onDismiss} /> : undefined
        }
      >
        {onReload ? (
          <Button size="small" onClick={onReload} data-testid="reload-record">
            Reload
          </Button>
        ) : null}
        {onRetry ? (
          <Button size="small" onClick={onRetry}>
            Retry
          </Button>
        ) : null}
      </MessageBarActions>
    </MessageBar>
  );
}
