import {
  ArrowSwapFilled,
  ArrowSwapRegular,
  BoxMultipleFilled,
  BoxMultipleRegular,
  BuildingFilled,
  BuildingRegular,
  ClipboardTaskListLtrFilled,
  ClipboardTaskListLtrRegular,
  DocumentArrowUpFilled,
  DocumentArrowUpRegular,
  DocumentSearchFilled,
  DocumentSearchRegular,
  ReceiptFilled,
  ReceiptRegular,
  SettingsFilled,
  SettingsRegular,
  TagMultipleFilled,
  TagMultipleRegular,
  bundleIcon,
  type FluentIcon,
} from '@fluentui/react-icons';

export type RouteId = 'enquiry' | 'stock' | 'operations' | 'counts' | 'posting' | 'products' | 'sites' | 'catalog' | 'settings';

export interface RouteDef {
  id: RouteId;
  /** Short label in the navigation rail. */
  label: string;
  /** Page title in the header. */
  title: string;
  icon: FluentIcon;
}

export const ROUTES: readonly RouteDef[] = [
  { id: 'enquiry', label: 'Enquiry', title: 'Movement Enquiry', icon: bundleIcon(DocumentSearchFilled, DocumentSearchRegular) },
  { id: 'stock', label: 'Stock', title: 'Current Stock', icon: bundleIcon(BoxMultipleFilled, BoxMultipleRegular) },
  { id: 'operations', label: 'Operations', title: 'Stock Operations', icon: bundleIcon(ArrowSwapFilled, ArrowSwapRegular) },
  { id: 'counts', label: 'Counts', title: 'Stock Counts', icon: bundleIcon(ClipboardTaskListLtrFilled, ClipboardTaskListLtrRegular) },
  { id: 'posting', label: 'Posting', title: 'Financial Posting', icon: bundleIcon(ReceiptFilled, ReceiptRegular) },
  { id: 'products', label: 'Products', title: 'Products', icon: bundleIcon(TagMultipleFilled, TagMultipleRegular) },
  { id: 'sites', label: 'Sites', title: 'Sites & bins', icon: bundleIcon(BuildingFilled, BuildingRegular) },
  { id: 'catalog', label: 'Catalog', title: 'Catalog import & export', icon: bundleIcon(DocumentArrowUpFilled, DocumentArrowUpRegular) },
  { id: 'settings', label: 'Settings', title: 'Settings', icon: bundleIcon(SettingsFilled, SettingsRegular) },
];

export const DEFAULT_ROUTE: RouteId = 'stock';

export function routeDef(id: RouteId): RouteDef {
  return ROUTES.find((r) => r.id === id) ?? { id, label: id, title: id, icon: BoxMultipleRegular };
}

export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/, 1)[0] ?? '';
  return ROUTES.find((r) => r.id === id)?.id ?? DEFAULT_ROUTE;
}

export function hrefFor(id: RouteId): string {
  return `#/${id}`;
}
