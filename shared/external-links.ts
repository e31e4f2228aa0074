/**
 * Every link Stockbook itself may open in the system browser. The Electron window hands a link to
 * `shell.openExternal` only when it is exactly one of these (electron/app/window-security.ts); any other URL a page,
 * an imported file or a product note might carry is dropped. Add a link here before the renderer uses it.
 */
export const EXTERNAL_LINKS = {
  help: 'https://stockbook.example/help',
  importFormat: 'https://stockbook.example/help/import',
  backups: 'https://stockbook.example/help/backups',
  support: 'https://stockbook.example/support',
  releaseNotes: 'https://stockbook.example/releases',
} as const;

export type ExternalLink = keyof typeof EXTERNAL_LINKS;
