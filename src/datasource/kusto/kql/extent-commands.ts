/**
 * Extent commands of the Transactional commit: count, move, drop, tag checks. The connector's move
 * text is kept byte for byte (reference §3.6 step 4.3, names escaped); the attempt-scoped variants
 * are kjob's exactly-once design:
 *
 * - every blob a task attempt ingests into the staging table carries the attempt's tag (a `drop-by:`
 *   tag, see naming/staging-names.ts `attemptExtentTag`), so each extent names the attempt that made it;
 * - on commit the driver knows which attempt of each task it accepted. It first drops the extents of
 *   every other attempt (retried, zombie or duplicate attempts), then moves only extents tagged with an
 *   accepted attempt. Extents that land later from a dead attempt's queued blob are never moved, and
 *   go away with the staging table. The moved tags can then be removed from the destination with
 *   {@link dropExtentTagsCommand}.
 *
 * Tags are matched exactly (the `Tags` column of `.show extents` is the list of tags joined by
 * `\r\n`), never with `has`, whose term matching would treat `ingest-by:a-1` and `a` as related.
 */
import { ConfigError } from '../../../errors/kjob-error.js';
import { quoteIdentifier, quoteString } from './quote.js';

export function countExtentsCommand(table: string): string {
  return `.show table ${quoteIdentifier(table)} extents | count`;
}

export interface MoveExtentsOptions {
  /** Destination table. */
  readonly table: string;
  /** Staging table. */
  readonly stagingTable: string;
  /** Only extents created in this window move: protects against moving a stale, older staging table's data. */
  readonly createdOnFrom: Date;
  readonly createdOnTo: Date;
  /** Needed when the destination is the source of a materialized view (#218/#221). */
  readonly setNewIngestionTime?: boolean;
  /** Move at most this many extents per command (the connector's split for big moves). */
  readonly maxExtents?: number;
}

function withClause(o: MoveExtentsOptions): string {
  const window = `extentCreatedOnFrom='${o.createdOnFrom.toISOString()}', extentCreatedOnTo='${o.createdOnTo.toISOString()}'`;
  // The connector writes two groups, `with(SetNewIngestionTime=true) with(…)`, which Kusto's grammar
  // (as checked by Microsoft's parser) does not allow; one group holds all properties.
  return o.setNewIngestionTime ? `with(SetNewIngestionTime=true, ${window})` : `with(${window})`;
}

function checkBatch(n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n <= 0)) throw new ConfigError(`Move-extents batch size must be a positive integer, got ${n}`);
}

/**
 * The connector's move of every staging extent (or the first `maxExtents`):
 * `.move async extents to table ['T'] with(…) <|\n       .show table ['tmp'] extents[ with(…)];\n`.
 * Column 0 of the result is the operation id to poll.
 */
export function moveExtentsCommand(o: MoveExtentsOptions): string {
  checkBatch(o.maxExtents);
  const limit = o.maxExtents === undefined ? '' : ` with(extentsShowFilteringRuntimePolicy='{"MaximumResultsCount":${o.maxExtents}}')`;
  return `.move async extents to table ${quoteIdentifier(o.table)} ${withClause(o)} <|\n       .show table ${quoteIdentifier(o.stagingTable)} extents${limit};\n`;
}

/**
 * The exact-match predicate "this extent carries one of these tags" over the `Tags` column: the
 * line-delimited list is framed with line breaks and searched for `\r\n<tag>\r\n` (a tag cannot hold a
 * line break). Plain string functions, so the local emulator runs it as well as Kusto does.
 */
export function taggedWithAny(tags: readonly string[]): string {
  const terms = tags.map((t) => `strcat('\\r\\n', Tags, '\\r\\n') contains_cs ${quoteString(`\r\n${t}\r\n`)}`);
  return terms.length === 1 ? terms[0]! : `(${terms.join(' or ')})`;
}

function checkTags(tags: readonly string[]): void {
  if (tags.length === 0) throw new ConfigError('At least one accepted attempt tag is required');
  for (const t of tags) if (t.length === 0 || /[\r\n]/.test(t)) throw new ConfigError(`Invalid extent tag ${JSON.stringify(t)}`);
}

/**
 * Moves only the extents of accepted task attempts (`tags` are full tags, e.g. `drop-by:kjob-…`).
 * `maxExtents` bounds one command; repeat until {@link countTaggedExtentsCommand} reaches 0.
 */
export function moveTaggedExtentsCommand(o: MoveExtentsOptions & { readonly tags: readonly string[] }): string {
  checkBatch(o.maxExtents);
  checkTags(o.tags);
  const take = o.maxExtents === undefined ? '' : ` | take ${o.maxExtents}`;
  return `.move async extents to table ${quoteIdentifier(o.table)} ${withClause(o)} <|\n       .show table ${quoteIdentifier(o.stagingTable)} extents | where ${taggedWithAny(o.tags)}${take} | project ExtentId;\n`;
}

/** Drops every staging extent that does NOT carry one of the accepted tags (losing attempts, strays). */
export function dropExtentsNotTaggedCommand(stagingTable: string, acceptedTags: readonly string[]): string {
  checkTags(acceptedTags);
  return `.drop extents <| .show table ${quoteIdentifier(stagingTable)} extents | where not(${taggedWithAny(acceptedTags)}) | project ExtentId`;
}

/** How many staging extents still carry one of the accepted tags. */
export function countTaggedExtentsCommand(stagingTable: string, tags: readonly string[]): string {
  checkTags(tags);
  return `.show table ${quoteIdentifier(stagingTable)} extents | where ${taggedWithAny(tags)} | count`;
}

/**
 * The connector's removal of its dedup tags after the move (ensureNoDuplicatedBlobs), run async:
 * every `ingest-by:` tag starting with `prefix` is dropped from the staging extents.
 */
export function dropIngestByTagsCommand(stagingTable: string, prefix: string): string {
  const t = quoteIdentifier(stagingTable);
  return `.drop async table ${t} extent tags <| .show table ${t} extents | where isnotempty(Tags) | extend Tags = split(Tags, '\\r\\n') | mv-expand Tags to typeof(string) | where Tags startswith ${quoteString(`ingest-by:${prefix}`)}`;
}

/**
 * The connector's "which ingest-by tags does the destination already hold" query, as text: a command
 * followed by a query over `$command_results` (one row, one `set_Tags` array).
 */
export function ingestByTagsOfTableCommandReference(table: string): string {
  return `.show table ${quoteIdentifier(table)}  extents;\n$command_results | mv-apply split(Tags, "\\r\\n") on (where Tags startswith "ingest-by" | project Tags = substring(Tags,10)) | summarize make_set(Tags)`;
}

/**
 * kjob's form of the same check, a single piped command the emulator also runs: the `ingest-by:`
 * values among `tags` that the destination's extents already carry (one row per tag found).
 */
export function existingIngestByTagsCommand(table: string, tags: readonly string[]): string {
  if (tags.length === 0) throw new ConfigError('existingIngestByTagsCommand needs at least one tag');
  const full = tags.map((t) => `ingest-by:${t}`);
  checkTags(full);
  return `.show table ${quoteIdentifier(table)} extents | where isnotempty(Tags) | mv-expand Tag = split(Tags, '\\r\\n') to typeof(string) | where Tag in (${full.map(quoteString).join(', ')}) | project Tag = substring(Tag, 10) | distinct Tag`;
}

/**
 * Removes the given tags from a table's extents (e.g. the attempt tags that moved into the destination
 * with their extents), run async: the result's column 0 is an operation id.
 */
export function dropExtentTagsCommand(table: string, tags: readonly string[]): string {
  checkTags(tags);
  const t = quoteIdentifier(table);
  return `.drop async table ${t} extent tags <| .show table ${t} extents | where ${taggedWithAny(tags)} | extend Tags = split(Tags, '\\r\\n') | mv-expand Tags to typeof(string) | where Tags in (${tags.map(quoteString).join(', ')})`;
}
