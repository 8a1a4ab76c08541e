import { mkdir, writeFile, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { generate } from 'selfsigned';

/**
 * The certificate the Table endpoint is served with. The ingest SDK's status-table client refuses
 * http, so the emulator serves the table over https with a certificate for 127.0.0.1/localhost that a
 * client trusts through `NODE_EXTRA_CA_CERTS=<certPath>`.
 *
 * The files are reused when they exist and are still valid for a day, so a client that was started
 * with NODE_EXTRA_CA_CERTS keeps working across emulator restarts with the same directory.
 */
export interface CertificateFiles {
  readonly certPath: string;
  readonly keyPath: string;
}

const CERT_FILE = 'emulator-table-cert.pem';
const KEY_FILE = 'emulator-table-key.pem';
const DAY_MS = 86_400_000;

export async function ensureSelfSignedCertificate(dir: string, extraHosts: readonly string[] = []): Promise<CertificateFiles> {
  await mkdir(dir, { recursive: true });
  const certPath = join(dir, CERT_FILE);
  const keyPath = join(dir, KEY_FILE);
  if (await reusable(certPath, keyPath, extraHosts)) return { certPath, keyPath };

  const notBeforeDate = new Date(Date.now() - DAY_MS);
  const altNames: { type: 2 | 7; value?: string; ip?: string }[] = [
    { type: 7, ip: '127.0.0.1' },
    { type: 2, value: 'localhost' },
  ];
  for (const h of extraHosts) altNames.push(/^[\d.]+$/.test(h) || h.includes(':') ? { type: 7, ip: h } : { type: 2, value: h });
  const pems = await generate([{ name: 'commonName', value: 'kjob-emulator' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate: new Date(notBeforeDate.getTime() + 825 * DAY_MS),
    extensions: [
      // Self-signed and used as its own trust anchor (NODE_EXTRA_CA_CERTS), hence CA:true.
      { name: 'basicConstraints', cA: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
  });
  await writeFile(keyPath, pems.private, { mode: 0o600 });
  await writeFile(certPath, pems.cert);
  return { certPath, keyPath };
}

async function reusable(certPath: string, keyPath: string, extraHosts: readonly string[]): Promise<boolean> {
  try {
    await stat(keyPath);
    const cert = new X509Certificate(await readFile(certPath));
    if (new Date(cert.validTo).getTime() < Date.now() + DAY_MS) return false;
    const san = cert.subjectAltName ?? '';
    return ['127.0.0.1', 'localhost', ...extraHosts].every((h) => san.includes(h));
  } catch {
    return false;
  }
}
