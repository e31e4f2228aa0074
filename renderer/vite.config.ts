import react from '@vitejs/plugin-react';
// eslint-disable-next-line no-restricted-imports -- this build config runs in Node; it is not renderer code
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The dev server injects an inline React Refresh preamble that script-src 'self' forbids,
 * so the CSP meta is dropped when serving; built output keeps it.
 */
function devWithoutCsp(): Plugin {
  return {
    name: 'stockbook-dev-without-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/<meta\s+http-equiv="Content-Security-Policy"[\s\S]*?\/>\s*/i, ''),
  };
}

export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [react(), devWithoutCsp()],
  build: {
    outDir: '../out/renderer',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2_000,
  },
  server: {
    fs: { allow: [repoRoot] },
  },
});
