// Plain-JS entry for the matching worker thread. A worker does not reliably inherit
// tsx's loader (vitest, plain node --import, tsx itself all differ), so register it
// here and then load the TypeScript implementation.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
