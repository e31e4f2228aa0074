#!/usr/bin/env node
// The `stockbook` command: runs the TypeScript CLI through tsx (no build step needed).
import { register } from 'tsx/esm/api';

register();
await import('../electron/cli/main.ts');
