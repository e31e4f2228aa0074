import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createClient, pickBridge } from './client';
import './global.css';

const bridge = pickBridge();
const client = createClient(bridge);

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');

createRoot(container).render(
  <StrictMode>
    <App client={client} bridge={bridge} />
  </StrictMode>,
);
