import { lazy, use, type ComponentType } from 'react';
import { ROUTES, type RouteId } from './routes';

/**
 * Each window is its own script, fetched and run when it is first opened: the app starts by running only the shell and
 * the window it opens on, instead of every window's code (and recharts) in one task that froze the start (issue 14).
 * Once the first window shows, the others' scripts are fetched in idle time (prefetchPages), so switching to a window
 * normally never shows "Opening…" — on a busy clerk PC that wait lasted seconds, and keys typed meanwhile went nowhere.
 */
type Loader = () => Promise<ComponentType>;

const LOADERS: Partial<Record<RouteId, Loader>> = {
  stock: () => import('../stock/CurrentStockPage').then((m) => m.CurrentStockPage),
  enquiry: () => import('../enquiry/EnquiryPage').then((m) => m.EnquiryPage),
  operations: () => import('../operations/OperationsPage').then((m) => m.OperationsPage),
  settings: () => import('../settings/SettingsPage').then((m) => m.SettingsPage),
  counts: () => import('../counts/CountsPage').then((m) => m.CountsPage),
  posting: () => import('../posting/PostingPage').then((m) => m.PostingPage),
  products: () => import('../masterdata/ProductsPage').then((m) => m.ProductsPage),
  sites: () => import('../masterdata/SitesPage').then((m) => m.SitesPage),
  suppliers: () => import('../suppliers/SuppliersPage').then((m) => m.SuppliersPage),
  company: () => import('../company/CompanyPage').then((m) => m.CompanyPage),
  recipes: () => import('../recipes/RecipesPage').then((m) => m.RecipesPage),
  catalog: () => import('../catalog/CatalogPage').then((m) => m.CatalogPage),
};

/** A window's script: not asked for, on its way, or run (its component known, so the window renders without waiting). */
interface Script {
  loading: Promise<ComponentType> | null;
  loaded: ComponentType | null;
  /** A window waits on it (its failure is the window's to show, not to forget). */
  shown: boolean;
}
const scripts = new Map<RouteId, Script>();
const pages = new Map<RouteId, ComponentType>();

function scriptOf(route: RouteId): Script {
  let script = scripts.get(route);
  if (!script) {
    script = { loading: null, loaded: null, shown: false };
    scripts.set(route, script);
  }
  return script;
}

/**
 * Fetches and runs a window's script once. A failed fetch (the connection dropped) stays failed, so the window shows
 * the error with Retry (WindowErrorBoundary) instead of asking again on every render ("Opening…" for ever); Retry
 * (retryFailedScripts) and the background fetches (which nobody sees fail) ask again.
 */
function load(route: RouteId, loader: Loader): Promise<ComponentType> {
  const script = scriptOf(route);
  script.loading ??= loader().then((component) => (script.loaded = component));
  return script.loading;
}

/** A background fetch that failed is forgotten: the window's own opening asks again. */
function loadInBackground(route: RouteId, loader: Loader): Promise<unknown> {
  const loading = load(route, loader);
  return loading.catch(() => {
    const script = scriptOf(route);
    if (script.loading === loading && !script.shown) script.loading = null;
  });
}

/** Retry: every window script whose fetch failed is asked for again when next needed. */
export function retryFailedScripts(): void {
  for (const script of scripts.values()) if (!script.loaded) script.loading = null;
}

/**
 * The window's component (the same one every time, so React keeps its state). A window whose script has run renders
 * at once; otherwise it suspends ("Opening…") until the script has come.
 */
export function lazyPage(route: RouteId): ComponentType | null {
  const loader = LOADERS[route];
  if (!loader) return null;
  let page = pages.get(route);
  if (!page) {
    const script = scriptOf(route);
    const Page = () => {
      script.shown = true;
      const Component = script.loaded ?? use(load(route, loader));
      return <Component />;
    };
    Page.displayName = `Page(${route})`;
    page = Page;
    pages.set(route, page);
  }
  return page;
}

/** Starts fetching a window's script now (the one the app opens on, while it connects and signs in). */
export function preloadPage(route: RouteId): void {
  const loader = LOADERS[route];
  if (loader) void loadInBackground(route, loader);
}

type Idle = (run: () => void) => void;
const whenIdle: Idle =
  typeof requestIdleCallback === 'function' ? (run) => void requestIdleCallback(run, { timeout: 2000 }) : (run) => void setTimeout(run, 50);
let prefetching = false;

/**
 * Fetches every other window's script, one at a time in idle time, once the first window shows: a clerk's first switch
 * to a window then finds its script already run. Never competes with the window in use (one script per idle period).
 */
export function prefetchPages(): void {
  if (prefetching) return;
  prefetching = true;
  const queue = ROUTES.map((r) => r.id).filter((id) => LOADERS[id] && !scriptOf(id).loaded);
  const next = () => {
    const route = queue.shift();
    if (!route) return;
    const loader = LOADERS[route];
    if (!loader || scriptOf(route).loaded) return whenIdle(next);
    void loadInBackground(route, loader).then(() => whenIdle(next));
  };
  whenIdle(next);
}

/** The first-run assistant, only ever needed once. */
export const SetupAssistant = lazy(() => import('../company/SetupAssistant').then((m) => ({ default: m.SetupAssistant })));
