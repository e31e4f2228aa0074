import {
  ArrowSwapFilled,
  ArrowSwapRegular,
  BoxMultipleFilled,
  BoxMultipleRegular,
  BriefcaseFilled,
  BriefcaseRegular,
  BuildingFilled,
  BuildingRegular,
  BowlSaladFilled,
  BowlSaladRegular,
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
  VehicleTruckProfileFilled,
  VehicleTruckProfileRegular,
  bundleIcon,
  type FluentIcon,
} from '@fluentui/react-icons';

export type RouteId = 'enquiry' | 'stock' | 'operations' | 'counts' | 'posting' | 'products' | 'sites' | 'suppliers' | 'settings' | 'company' | 'recipes' | 'catalog';

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
  { id: 'recipes', label: 'Recipes', title: 'Recipes', icon: bundleIcon(BowlSaladFilled, BowlSaladRegular) },
  { id: 'sites', label: 'Sites', title: 'Sites & bins', icon: bundleIcon(BuildingFilled, BuildingRegular) },
  { id: 'suppliers', label: 'Suppliers', title: 'Suppliers', icon: bundleIcon(VehicleTruckProfileFilled, VehicleTruckProfileRegular) },
  { id: 'company', label: 'Company', title: 'Company', icon: bundleIcon(BriefcaseFilled, BriefcaseRegular) },
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

/** A window's address; params open it on something (`#/enquiry?product=12&label=FLOUR-00`). */
export function hrefFor(id: RouteId, params?: Record<string, string | number>): string {
  const query = params ? new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)])).toString() : '';
  return `#/${id}${query ? `?${query}` : ''}`;
}

/** The params of a window's address (see hrefFor). */
export function paramsFromHash(hash: string): URLSearchParams {
  const at = hash.indexOf('?');
  return new URLSearchParams(at < 0 ? '' : hash.slice(at + 1));
}
