// The compose driver's job (docker compose up): the README's main job, submitted to the cluster.
// Executors import this file too (same path on every container) — it only re-exports the example.
export { default } from '../examples/main-job.js';
