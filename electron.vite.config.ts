import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

// electron-vite builds the shell: main (plus the ledger worker as its own entry), a CommonJS preload for the sandbox, and the renderer.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { main: resolve(__dirname, 'electron/main.ts'), 'ledger.worker': resolve(__dirname, 'electron/ledger/ledger.worker.ts'), 'pg-ledger.worker': resolve(__dirname, 'electron/ledger/pg/pg-ledger.worker.ts'), 'ledger-reader.worker': resolve(__dirname, 'electron/ledger/ledger-reader.worker.ts'), 'check-copy.worker': resolve(__dirname, 'electron/safety/check-copy.worker.ts'), 'full-check.worker': resolve(__dirname, 'electron/safety/full-check.worker.ts'), 'chain-scan.worker': resolve(__dirname, 'electron/ledger/store/chain-scan.worker.ts'), 'job.worker': resolve(__dirname, 'electron/jobs/job.worker.ts'), 'checkpointer.worker': resolve(__dirname, 'electron/ledger/checkpointer.worker.ts') },
        external: ['better-sqlite3', 'typeorm', 'node-hid'],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve(__dirname, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react()],
    build: { outDir: 'out/renderer', rollupOptions: { input: resolve(__dirname, 'renderer/index.html') } },
  },
});
