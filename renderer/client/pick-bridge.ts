import { AppError } from '../../shared/contract/errors';
import { WS_PATH, type Bridge, type CallOutcome } from '../../shared/contract/transport';
import { electronBridge } from './electron-bridge';
import { takeSessionToken } from './session-token';
import { WebSocketBridge } from './websocket-bridge';

/**
 * The Electron preload bridge when window.stockbook exists, else a WebSocket to this page's host: a Stockbook server's
 * page (https) needs no token, since every connection there signs in; browser mode's page carries its run's token.
 */
export function pickBridge(): Bridge {
  const electron = electronBridge();
  if (electron) return electron;
  if (location.protocol === 'https:') return new WebSocketBridge(`wss://${location.host}${WS_PATH}`);
  const token = takeSessionToken();
  if (!token) return missingTokenBridge();
  return new WebSocketBridge(`ws://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`);
}

/** Opened without a token: every call fails with an explanation instead of hanging. */
function missingTokenBridge(): Bridge {
  const error = new AppError(
    'PERMISSION',
    'This page was opened without an access token. Open Stockbook from the address it printed when it started (it ends in #token=…).',
  );
  return {
    invoke: async (): Promise<CallOutcome> => ({ ok: false, error: error.toWire() }),
    on: () => () => undefined,
  };
}
