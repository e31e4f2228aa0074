import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { Rect, ScreenLike, WindowLike } from './electron-seam';

/** The window's size and place, remembered between runs (window-state.json in the app-data folder). */
export interface WindowState {
  /** Absent: let the system centre the window. */
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export const MIN_SIZE = { width: 960, height: 600 };
export const DEFAULT_STATE: WindowState = { width: 1400, height: 900, maximized: false };
/** How much of the title bar must be on a display for the window to count as reachable. */
const GRIP = { width: 120, height: 40 };

const coord = z.number().int().min(-100_000).max(100_000);
const stateSchema = z
  .object({ x: coord, y: coord, width: z.number().int().min(200).max(100_000), height: z.number().int().min(200).max(100_000), maximized: z.boolean() })
  .strict();

/** The saved state, validated and made visible; the default (centred on the primary display) when missing or damaged. */
export function loadWindowState(file: string, screen: ScreenLike): WindowState {
  let saved: z.infer<typeof stateSchema>;
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) return fitSize(DEFAULT_STATE, screen.getPrimaryDisplay().workArea);
    saved = parsed.data;
  } catch {
    return fitSize(DEFAULT_STATE, screen.getPrimaryDisplay().workArea);
  }
  return placeOnScreen(saved, screen);
}

const overlap = (a: Rect, b: Rect) => ({
  width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
  height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
});

/** No bigger than the work area, no smaller than the minimum. */
function fitSize(s: WindowState, area: Rect): WindowState {
  return { ...s, width: Math.max(Math.min(s.width, area.width), Math.min(MIN_SIZE.width, area.width)), height: Math.max(Math.min(s.height, area.height), Math.min(MIN_SIZE.height, area.height)) };
}

/**
 * Keeps a saved window where it was when its title bar is on a display; otherwise (a monitor unplugged, a resolution
 * changed) moves it onto the display it overlaps most, or the primary one, shrunk to fit and kept inside its work area.
 */
export function placeOnScreen(s: Required<WindowState>, screen: ScreenLike): WindowState {
  const displays = screen.getAllDisplays();
  const titleBar: Rect = { x: s.x, y: s.y, width: s.width, height: GRIP.height };
  const reachable = displays.some((d) => {
    const o = overlap(titleBar, d.workArea);
    return o.width >= Math.min(GRIP.width, s.width) && o.height >= GRIP.height;
  });
  const home = reachable
    ? displays.find((d) => overlap(titleBar, d.workArea).height > 0 && overlap(titleBar, d.workArea).width > 0)!.workArea
    : (displays
        .map((d) => ({ area: d.workArea, o: overlap(s, d.workArea) }))
        .filter((d) => d.o.width > 0 && d.o.height > 0)
        .sort((a, b) => b.o.width * b.o.height - a.o.width * a.o.height)[0]?.area ?? screen.getPrimaryDisplay().workArea);
  const sized = fitSize(s, home);
  if (reachable && sized.width === s.width && sized.height === s.height) return s;
  const x = Math.min(Math.max(s.x, home.x), home.x + home.width - sized.width);
  const y = Math.min(Math.max(s.y, home.y), home.y + home.height - sized.height);
  return { ...sized, x, y };
}

/** Saves the window's normal (not maximised) bounds and whether it is maximised; written whole or not at all. */
export function saveWindowState(file: string, win: WindowLike): void {
  const b = win.getNormalBounds();
  const state = { x: Math.round(b.x), y: Math.round(b.y), width: Math.round(b.width), height: Math.round(b.height), maximized: win.isMaximized() };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}
