import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import { ArrowClockwiseRegular } from '@fluentui/react-icons';
import { Component, type ReactNode } from 'react';
import { retryFailedScripts } from './pages';

interface State {
  error: Error | null;
}

/**
 * A window whose script could not be fetched (the connection dropped while it came) or that failed while drawing: says
 * so in the window's place, with Retry, instead of the whole app going blank. The rail, header and status bar stay;
 * choosing another window clears it.
 */
export class WindowErrorBoundary extends Component<{ children: ReactNode; window: string }, State> {
  override state: State = { error: null };

  /** Another window chosen: it gets its own try. */
  override componentDidUpdate(previous: { window: string }): void {
    if (previous.window !== this.props.window && this.state.error) {
      retryFailedScripts();
      this.setState({ error: null });
    }
  }

  static getDerivedStateFromError(error: unknown): State {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <MessageBar intent="error" layout="multiline" data-testid="window-error">
        <MessageBarBody>
          <MessageBarTitle>This window could not be opened.</MessageBarTitle>
          {`${error.message.replace(/\.?\s*$/, '.')} Check that Stockbook is connected (status bar), then press Retry; if it fails again, reload the app (Ctrl+R) and report it.`}
        </MessageBarBody>
        <MessageBarActions>
          <Button icon={<ArrowClockwiseRegular />} onClick={() => {
              retryFailedScripts();
              this.setState({ error: null });
            }}>
            Retry
          </Button>
        </MessageBarActions>
      </MessageBar>
    );
  }
}
