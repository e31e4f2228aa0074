import type { RouteId } from './routes';

/** What each not-yet-built window will do, shown on its placeholder page. */
export const PLACEHOLDER_TEXT: Partial<Record<RouteId, string>> = {
};
