import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { ConfigError } from '../errors/kjob-error.js';
import { parseHistoryEntry, historyEntry, type RunHistoryEntry } from './run-history.js';
import { parseScheduleDefinition, type ScheduleDefinition } from './schedule-definition.js';
import { HISTORY_LIMIT, SCHEDULES_QUEUE, scheduleKeys } from './schedule-keys.js';

/** The data of a due run in the schedules queue. */
export interface DueRunData {
  readonly schedule: string;
  readonly trigger: 'cron' | 'manual';
}

export interface ScheduleSummary {
  readonly definition: ScheduleDefinition;
  /** When BullMQ's job scheduler fires next (ms since epoch); undefined if it has none. */
  readonly nextRunAt: number | undefined;
  readonly last: RunHistoryEntry | undefined;
}

const APPEND_HISTORY = `if redis.call('hexists', KEYS[1], ARGV[1]) == 1 then
  redis.call('lpush', KEYS[2], ARGV[2])
  redis.call('ltrim', KEYS[2], 0, tonumber(ARGV[3]) - 1)
end`;

/** Kept finished due runs in BullMQ (the history list is kjob's record; these are for inspection). */
const KEEP_FINISHED = { removeOnComplete: 200, removeOnFail: 200 } as const;

/**
 * Schedules in Redis: a BullMQ job scheduler per schedule (BullMQ computes the due times and creates
 * one job per due run, id `repeat:<name>:<dueMillis>`), the definition in a hash, the run history in
 * a capped list.
 */
export class ScheduleStore {
  readonly redis: Redis;
  readonly prefix: string;
  #queue: Queue<DueRunData> | undefined;

  constructor(url: string, prefix: string) {
    this.prefix = prefix;
    this.redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectTimeout: 5000 });
    this.redis.on('error', () => undefined);
  }

  /** BullMQ's queue over the same connection, created once `connect` reached Redis. */
  get queue(): Queue<DueRunData> {
    this.#queue ??= new Queue<DueRunData>(SCHEDULES_QUEUE, { connection: this.redis, prefix: this.prefix });
    return this.#queue;
  }

  async connect(display: string): Promise<void> {
    try {
      await this.redis.connect();
      await this.redis.ping();
    } catch (e) {
      this.redis.disconnect();
      throw new ConfigError(`Cannot reach the schedule store at ${display}: ${(e as Error).message}`, {
        resolution: 'Start Redis (docker compose up redis) or pass --redis redis://host:port (env KJOB_MASTER).',
        context: { option: '--redis' },
        cause: e,
      });
    }
  }

  async close(): Promise<void> {
    await this.#queue?.close().catch(() => undefined);
    this.redis.disconnect();
  }

  /** Adds or replaces a schedule: the definition first, so the first due run finds it. */
  async upsert(def: ScheduleDefinition): Promise<{ created: boolean; nextRunAt: number | undefined }> {
    const created = (await this.redis.hset(scheduleKeys.definitions(this.prefix), def.name, JSON.stringify(def))) === 1;
    await this.queue.upsertJobScheduler(def.name, { pattern: def.cron, ...(def.tz ? { tz: def.tz } : {}) }, { name: 'scheduled-run', data: { schedule: def.name, trigger: 'cron' }, opts: KEEP_FINISHED });
    const s = await this.queue.getJobScheduler(def.name);
    return { created, nextRunAt: s?.next };
  }

  async get(name: string): Promise<ScheduleDefinition | undefined> {
    const json = await this.redis.hget(scheduleKeys.definitions(this.prefix), name);
    return json === null ? undefined : parseScheduleDefinition(name, json);
  }

  async require(name: string): Promise<ScheduleDefinition> {
    const def = await this.get(name);
    if (!def) throw new ConfigError(`No schedule named '${name}'`, { resolution: 'See kjob schedule list.', context: { schedule: name } });
    return def;
  }

  async list(): Promise<ScheduleSummary[]> {
    const all = await this.redis.hgetall(scheduleKeys.definitions(this.prefix));
    const names = Object.keys(all).sort();
    return Promise.all(
      names.map(async (name) => {
        const [scheduler, last] = await Promise.all([this.queue.getJobScheduler(name), this.history(name, 1)]);
        return { definition: parseScheduleDefinition(name, all[name]!), nextRunAt: scheduler?.next, last: last[0] };
      }),
    );
  }

  /** Removes the job scheduler (and its pending due run), the definition and the history. */
  async remove(name: string): Promise<boolean> {
    const removedScheduler = await this.queue.removeJobScheduler(name);
    const removed = await this.redis.hdel(scheduleKeys.definitions(this.prefix), name);
    await this.redis.del(scheduleKeys.history(this.prefix, name));
    // SCAN, not KEYS: KEYS blocks the cluster's Redis (every queue, every executor) while it walks the keyspace.
    for await (const markers of this.redis.scanStream({ match: scheduleKeys.started(this.prefix, name, '*'), count: 500 }) as AsyncIterable<string[]>) {
      if (markers.length > 0) await this.redis.del(...markers);
    }
    return removed === 1 || removedScheduler;
  }

  /** Enqueues a run now (a running scheduler starts it); returns its run id. */
  async runNow(name: string): Promise<string> {
    await this.require(name);
    const runId = `manual-${name}-${randomUUID().slice(0, 8)}`;
    await this.queue.add('manual-run', { schedule: name, trigger: 'manual' }, { jobId: runId, ...KEEP_FINISHED });
    return runId;
  }

  /** Appends to the history unless the schedule was removed meanwhile (a run ending after `remove`). */
  async appendHistory(entry: RunHistoryEntry): Promise<void> {
    await this.redis.eval(APPEND_HISTORY, 2, scheduleKeys.definitions(this.prefix), scheduleKeys.history(this.prefix, entry.schedule), entry.schedule, JSON.stringify(historyEntry(entry)), String(HISTORY_LIMIT));
  }

  /** Newest first. */
  async history(name: string, limit = HISTORY_LIMIT): Promise<RunHistoryEntry[]> {
    const raw = await this.redis.lrange(scheduleKeys.history(this.prefix, name), 0, Math.max(0, limit - 1));
    return raw.map(parseHistoryEntry).filter((e): e is RunHistoryEntry => e !== undefined);
  }
}
