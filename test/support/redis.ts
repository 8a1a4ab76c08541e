import { randomUUID } from 'node:crypto';

/** The Redis the test harness made sure of (scripts/run-tests.mjs). */
export function testRedisUrl(): string {
  return process.env['KJOB_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}

/** A key prefix no other test run shares, so runs on one Redis never see each other's keys. */
export function uniqueTestPrefix(label = 'test'): string {
  return `kjob-${label}-${randomUUID().slice(0, 8)}`;
}
