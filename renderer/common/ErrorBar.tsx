import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, makeStyles } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { AppError } from '../../shared/contract/errors';
import { lineProblemsParts } from '../../shared/line-problems';
import type { SavedValue } from './saved-now';

interface ErrorBarProps {
  error: AppError;
  /** A short lead-in such as "Current stock could not be loaded."; the error's own message follows as written. */
  title?: string;
  onRetry?: () => void;
  /** Someone else saved the record first: load its current values into the form (shown as "Reload"). */
  onReload?: () => void;
  /** With onReload: what the other person changed, as now saved (common/saved-now.ts), listed under the message. */
  savedNow?: SavedValue[];
  onDismiss?: () => void;
  /** Wrap a long message (the default: advice and the close button are never cut off); false keeps a short one on one line. */
  multiline?: boolean;
}

const useStyles = makeStyles({ saved: { display: 'block', marginTop: '4px' }, lines: { margin: '4px 0', paddingLeft: '20px' } });

/**
 * A Fluent error MessageBar that shows the error's message exactly as the backend wrote it; a refusal of several lines
 * of a document lists them, one bad line a row (its words unchanged: lineProblemsParts).
 */
export function ErrorBar({ error, title, onRetry, onReload, savedNow, onDismiss, multiline = true }: ErrorBarProps) {
  const s = useStyles();
  const problems = lineProblemsParts(error);
  return (
    <MessageBar intent="error" layout={multiline ? 'multiline' : 'singleline'} data-testid="error-bar">
      <MessageBarBody>
        {/* the space keeps title and message two sentences for screen readers and copied text ("Not set. Could not …") */}
        {title ? <><MessageBarTitle>{title}</MessageBarTitle>{' '}</> : null}
        {problems ? (
          <>
            {problems.lead}
            <ul className={s.lines} data-testid="error-lines">
              {problems.lines.map((line, i) => (
                <li key={i}>{line}</li>
              ))}
            </ul>
            {problems.tail}
          </>
        ) : (
          error.message
        )}
        {savedNow?.length ? (
          <span className={s.saved} data-testid="saved-now">
            <strong>Saved now: </strong>
            {savedNow.map((v, i) => (
              <span key={v.label}>
                {i ? ' · ' : ''}
                {v.label} “{v.value}”
              </span>
            ))}
          </span>
        ) : null}
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
