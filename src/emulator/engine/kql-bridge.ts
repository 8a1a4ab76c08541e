import { KustoServiceError, type KustoColumn } from '../contracts.js';

/**
 * The KQL translator's API (src/emulator/kql, written alongside this engine), loaded lazily so the
 * engine starts without paying for Microsoft's parser until the first query (or warmUp()).
 */
export interface CatalogTable {
  readonly sqlName: string;
  readonly columns: readonly KustoColumn[];
}
export interface Catalog {
  table(name: string): CatalogTable | undefined;
  tableNames(): readonly string[];
}
interface KqlModule {
  translateQuery(kql: string, catalog: Catalog, options?: { nowTicks?: bigint }): { sql: string; columns: readonly KustoColumn[] };
  warmUp?(): void | Promise<void>;
}

let loaded: Promise<KqlModule> | undefined;

export function kqlModule(): Promise<KqlModule> {
  // Imported on first use: loading Microsoft's parser costs ~1 s and 250 MB, which commands-only
  // uses of the engine never pay.
  loaded ??= import('../kql/index.js');
  return loaded;
}

export async function translate(kql: string, catalog: Catalog, nowTicks?: bigint): Promise<{ sql: string; columns: readonly KustoColumn[] }> {
  let m: KqlModule;
  try {
    m = await kqlModule();
  } catch (err) {
    loaded = undefined;
    throw new KustoServiceError(500, 'Internal_KqlUnavailable', `The KQL translator could not be loaded: ${(err as Error).message}`, false);
  }
  return m.translateQuery(kql, catalog, nowTicks === undefined ? undefined : { nowTicks });
}

export async function warmUpKql(): Promise<void> {
  try {
    const m = await kqlModule();
    await m.warmUp?.();
  } catch {
    // Reported on the first query instead: management commands work without the translator.
    loaded = undefined;
  }
}
