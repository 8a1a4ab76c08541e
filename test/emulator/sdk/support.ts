import { Client, ClientRequestProperties } from 'azure-kusto-data';
import { startEmulator, type RunningEmulator } from '../../../src/emulator/index.js';

/** Starts an in-memory emulator on a free port and an unmodified SDK client pointed at it. */
export async function emulatorWithClient(options: { dataDir?: string } = {}): Promise<{ emu: RunningEmulator; client: Client; close(): Promise<void> }> {
  const emu = await startEmulator({ port: 0, ...options });
  const client = new Client(emu.clusterUrl);
  return {
    emu,
    client,
    async close() {
      client.close();
      await emu.stop();
    },
  };
}

export function rows(r: { primaryResults: { toJSON(): { data: unknown[] } }[] }): Record<string, unknown>[] {
  return r.primaryResults[0]!.toJSON().data as Record<string, unknown>[];
}

export function crp(clientRequestId: string): ClientRequestProperties {
  const p = new ClientRequestProperties();
  p.clientRequestId = clientRequestId;
  return p;
}

/** The AxiosError the SDK throws for a non-200 answer: status and OneApi body. */
export async function httpError(p: Promise<unknown>): Promise<{ status: number; code: string; message: string; body: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    const e = err as { response?: { status: number; data: { error: Record<string, unknown> } }; inner?: { response?: { status: number; data: { error: Record<string, unknown> } } } };
    const resp = e.response ?? e.inner?.response;
    if (!resp) throw err;
    return { status: resp.status, code: String(resp.data.error['code']), message: String(resp.data.error['message']), body: resp.data.error };
  }
  throw new Error('expected the call to fail');
}
