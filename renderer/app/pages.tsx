import { lazy, type ComponentType, type LazyExoticComponent } from 'react';
import type { RouteId } from './routes';

/**
 * Each window is its own script, fetched and run when it is first opened: the app starts by running only the shell and
 * the window it opens on, instead of every window's code (and recharts) in one task that froze the start (issue 14).
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

const pages = new Map<RouteId, LazyExoticComponent<ComponentType>>();

/** The window's component, loaded on first use (the same component every time, so React keeps its state). */
export function lazyPage(route: RouteId): LazyExoticComponent<ComponentType> | null {
  const load = LOADERS[route];
  if (!load) return null;
  let page = pages.get(route);
  if (!page) {
    page = lazy(() => load().then((component) => ({ default: component })));
    pages.set(route, page);
  }
  return page;
}

/** Starts fetching a window's script now (the one the app opens on, while it connects and signs in). */
export function preloadPage(route: RouteId): void {
  void LOADERS[route]?.().catch(() => undefined);
}

/** The first-run assistant, only ever needed once. */
export const SetupAssistant = lazy(() => import('../company/SetupAssistant').then((m) => ({ default: m.SetupAssistant })));
