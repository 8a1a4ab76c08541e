// Shared set-up of the Kusto read tests: an emulator, a database, an SDK client for filling tables,
// and the Kusto source registered (the composed source when it exists, else the read methods).
import { Client } from 'azure-kusto-data';
import { registerDataSource } from '../../../../src/datasource/registry.js';
import type { DataSource } from '../../../../src/datasource/datasource.js';
import { kustoReadMethods } from '../../../../src/datasource/kusto/read/index.js';
import { startEmulator, type RunningEmulator } from '../../../../src/emulator/start-emulator.js';

export async function registerKustoSource(): Promise<void> {
  const mod = (await import('../../../../src/datasource/kusto/index.js')) as Record<string, unknown>;
  const composed = mod['kustoSource'] as DataSource | undefined;
  if (composed?.planRead) return;
  registerDataSource({ name: 'kusto', aliases: ['com.microsoft.kusto.spark.datasource'], ...kustoReadMethods });
}

export interface KustoTestCluster {
  readonly emulator: RunningEmulator;
  readonly client: Client;
  readonly db: string;
  mgmt(text: string): Promise<Record<string, unknown>[]>;
  stop(): Promise<void>;
}

export async function startKustoTestCluster(db = 'readdb'): Promise<KustoTestCluster> {
  await registerKustoSource();
  const emulator = await startEmulator({ autoDeleteIntervalMs: 0, dataManagement: { dmPollIntervalMs: 50 } });
  const client = new Client(emulator.clusterUrl);
  const mgmt = async (text: string) => [...(await client.executeMgmt(db, text)).primaryResults[0]!.rows()].map((r) => r.toJSON() as Record<string, unknown>);
  await mgmt(`.create database ${db} volatile`);
  return {
    emulator,
    client,
    db,
    mgmt,
    stop: async () => {
      client.close();
      await emulator.stop();
    },
  };
}
