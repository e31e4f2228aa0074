import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { preloadPage } from './pages';
import { routeFromHash } from './routes';
import { createClient, pickBridge } from '../client';

/** Connects to Stockbook and shows the app; the window it opens on loads meanwhile (its own script). */
export function start(): void {
  preloadPage(routeFromHash(location.hash));
  const bridge = pickBridge();
  const client = createClient(bridge);
  const container = document.getElementById('root');
  if (!container) throw new Error('index.html has no #root element');

  createRoot(container).render(
    <StrictMode>
      <App client={client} bridge={bridge} />
    </StrictMode>,
  );
}
