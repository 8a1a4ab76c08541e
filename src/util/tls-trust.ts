import tls from 'node:tls';
import { readFileSync } from 'node:fs';

/**
 * Makes THIS process (and the local[N] worker threads it starts afterwards: trustedCertificatePems)
 * trust the emulator's self-signed table certificate, for in-process tests and
 * tools that cannot be restarted with NODE_EXTRA_CA_CERTS (Node reads that variable only at start).
 *
 * Why a patch: the ingest SDK builds its status-table client without any TLS option, and the Azure
 * HTTP pipeline then creates its own https.Agent with the default trust store, so there is no option
 * to pass a CA through. Every TLS connection without an explicit `ca` is created through
 * `tls.createSecureContext`; wrapping it to add the certificate to the default store extends trust
 * process-wide, exactly as NODE_EXTRA_CA_CERTS would. Connections that pass their own `ca` are left
 * alone. Returns a function that removes the patch. Not meant for production processes: prefer
 * NODE_EXTRA_CA_CERTS there.
 */
type CreateSecureContext = typeof tls.createSecureContext;

const patches: { pem: string }[] = [];
let original: CreateSecureContext | undefined;

export function trustEmulatorCertificate(certPath: string): () => void {
  const pem = readFileSync(certPath, 'utf8');
  if (!/-----BEGIN CERTIFICATE-----/.test(pem)) throw new Error(`${certPath} is not a PEM certificate`);
  return trustCertificatePem(pem);
}

/**
 * The certificates trusted through this module, for worker threads: a thread has its own copy of the
 * `tls` module, so the patch does not reach it — the local[N] backend hands these over at spawn.
 */
export function trustedCertificatePems(): string[] {
  return patches.map((p) => p.pem);
}

/** trustEmulatorCertificate for a PEM text. */
export function trustCertificatePem(pem: string): () => void {
  const entry = { pem };
  patches.push(entry);
  if (!original) {
    const base = tls.createSecureContext;
    original = base;
    const patched: CreateSecureContext = (options) => {
      const ctx = base(options);
      if (!options?.ca) {
        const native = (ctx as unknown as { context: { addCACert(pem: string): void } }).context;
        for (const p of patches) native.addCACert(p.pem);
      }
      return ctx;
    };
    (tls as { createSecureContext: CreateSecureContext }).createSecureContext = patched;
  }
  return () => {
    const i = patches.indexOf(entry);
    if (i >= 0) patches.splice(i, 1);
    if (patches.length === 0 && original) {
      (tls as { createSecureContext: CreateSecureContext }).createSecureContext = original;
      original = undefined;
    }
  };
}
