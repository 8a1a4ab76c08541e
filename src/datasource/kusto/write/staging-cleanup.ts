/** Dropping the staging table: on success, on failure, on abort (never throws: clean-up must not mask the real error). */
import type { Log } from '../../datasource.js';
import { dropTableIfExistsCommand } from '../kql/table-commands.js';
import { dropExtentTagsCommand, taggedWithAny } from '../kql/extent-commands.js';
import type { Clock } from '../polling/clock.js';
import { awaitOperation } from './move-extents.js';
import { quoteIdentifier } from '../kql/quote.js';
import type { KustoEngineClient } from '../client/engine-client.js';
import type { ResolvedKustoSinkOptions } from '../options/sink-options.js';

export async function dropStagingTable(engine: KustoEngineClient, o: ResolvedKustoSinkOptions, staging: string, log: Log): Promise<boolean> {
  try {
    await engine.mgmt(o.coordinates.database, dropTableIfExistsCommand(staging), { activity: 'KJOB.dropStagingTable' });
    return true;
  } catch (e) {
    log.error({ requestId: o.requestId, table: staging, err: (e as Error).message }, 'dropping the staging table failed; its auto_delete policy removes it later');
    return false;
  }
}

/**
 * `.drop extents` of the destination extents carrying one of `tags` (exact match on the line-delimited
 * Tags column, as kql/extent-commands.ts matches them).
 */
export function dropTaggedExtentsCommand(table: string, tags: readonly string[]): string {
  return `.drop extents <| .show table ${quoteIdentifier(table)} extents | where ${taggedWithAny(tags)} | project ExtentId`;
}

/** After a failed move: removes from the destination whatever part of this write already moved. */
export async function rollBackMovedExtents(engine: KustoEngineClient, o: ResolvedKustoSinkOptions, tags: readonly string[], log: Log): Promise<void> {
  try {
    await engine.mgmt(o.coordinates.database, dropTaggedExtentsCommand(o.table, tags), { activity: 'KJOB.commit.rollBack' });
  } catch (e) {
    log.error({ requestId: o.requestId, table: o.table, err: (e as Error).message }, `rolling back moved extents failed; drop them with .drop extents <| .show table ... extents where tags has this write's drop-by tags`);
  }
}

/**
 * After a successful move: the attempt tags came into the destination with the extents. Kusto never
 * merges extents whose sets of `drop-by:` tags differ, so a tag unique to each task attempt would keep
 * every write's extents apart for good (the extent-tags docs warn against exactly this). Once the move
 * has succeeded nothing needs them any more; the user's own tags are left alone. Best effort: the data
 * is committed, so a failure here is a warning naming the command to run by hand.
 */
export async function releaseAttemptTags(engine: KustoEngineClient, o: ResolvedKustoSinkOptions, tags: readonly string[], clock: Clock, log: Log): Promise<boolean> {
  if (tags.length === 0) return true;
  const command = dropExtentTagsCommand(o.table, tags);
  try {
    const rows = await engine.mgmt(o.coordinates.database, command, { activity: 'KJOB.commit.releaseAttemptTags' });
    const operationId = String(Object.values(rows[0] ?? {})[0] ?? '');
    await awaitOperation(engine, o.coordinates.database, operationId, { timeoutMs: o.timeoutLimitSeconds < 0 ? -1 : o.timeoutLimitMs, clock, requestId: o.requestId });
    return true;
  } catch (e) {
    log.warn({ requestId: o.requestId, table: o.table, err: (e as Error).message, command }, 'the write is committed, but removing its attempt tags from the destination failed; until they are removed Kusto will not merge these extents with others (run the command shown)');
    return false;
  }
}
