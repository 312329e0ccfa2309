// Plain-JS entry for the matching worker thread. In a compiled build the worker
// sits beside this file as worker.js; from source (tsx, vitest) a worker does not
// reliably inherit tsx's loader, so register it here and load the TypeScript.
import { existsSync } from 'node:fs';

if (existsSync(new URL('./worker.js', import.meta.url))) {
  await import(new URL('./worker.js', import.meta.url).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('./worker.ts', import.meta.url).href);
}
