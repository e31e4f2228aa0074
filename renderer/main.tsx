import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { preloadPage } from './app/pages';
import { routeFromHash } from './app/routes';
import { createClient, pickBridge } from './client';
import './global.css';

// The window the app opens on loads while the app connects and signs in.
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
