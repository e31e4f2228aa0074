import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { preloadPage } from './pages';
import { routeFromHash } from './routes';
import { createClient, pickBridge } from '../client';
import { startBridge } from '../start/start-bridge';
import { StartGate } from '../start/StartScreen';

/** Connects to Stockbook and shows the app; the window it opens on loads meanwhile (its own script). */
export function start(): void {
  preloadPage(routeFromHash(location.hash));
  const bridge = pickBridge();
  const client = createClient(bridge);
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');

  const app = <App client={client} bridge={bridge} />;
  // The desktop app first asks which ledger (this computer, or a Stockbook server); a browser is on its page's server.
  const start = startBridge();
  createRoot(container).render(<StrictMode>{start ? <StartGate bridge={start}>{app}</StartGate> : app}</StrictMode>);
}
