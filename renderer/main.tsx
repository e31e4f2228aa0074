import './global.css';
import { takeSessionToken } from './client/session-token';

/**
 * The app starts in steps, each its own short task: React first, then the shell (app/start), then the window it opens
 * on (pages.tsx). One script with all of it took one task of half a second and more before anything showed (issue 14).
 */
takeSessionToken(); // before anything can change the address (the scripts below load meanwhile)
// The first Intl formatter loads the browser's locale and time-zone data (tens of ms): here, while the scripts below
// load, rather than inside the shell's own start-up task, whose formatting module makes its first formatters.
Intl.DateTimeFormat().resolvedOptions();
Intl.NumberFormat().resolvedOptions();
void import('react-dom/client')
  .then(() => import('./app/start'))
  .then(({ start }) => start());
