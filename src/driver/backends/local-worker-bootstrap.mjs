// Worker threads do not inherit the parent's tsx loader, and Node 20 rejects `execArgv: ['--import', 'tsx']`
// for a .ts entry ("Unknown file extension"), so each worker registers tsx itself before importing the
// TypeScript executor loop (and, through runTask, the user's job module).
import { register } from 'tsx/esm/api';

register();
await import(new URL('./local-worker.ts', import.meta.url).href);
