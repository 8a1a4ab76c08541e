/**
 * The Kusto auth union (options/auth-options.ts) → an `@azure/identity` TokenCredential, or none.
 *
 * Driver and executors resolve credentials differently, because no secret ever travels in a task
 * payload (DESIGN "Credentials never travel through Redis"):
 * - the driver resolves the user's options (app secret, certificate, managed identity, access token,
 *   token callback module, Azure CLI / default chain);
 * - an executor gets only the auth *kind* and resolves a credential from its own environment:
 *   `KUSTO_ACCESS_TOKEN` (a static bearer token), else `DefaultAzureCredential` (which reads
 *   `AZURE_CLIENT_ID` / `AZURE_CLIENT_SECRET` / `AZURE_TENANT_ID`, a certificate, workload or managed
 *   identity, or the Azure CLI login). For a managed identity with a client id, that id is not a
 *   secret and is shipped.
 * - plain-http emulator endpoints (auth kind `none`) use no credential on either side.
 */
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { AccessToken, TokenCredential } from '@azure/identity';
import { InvalidParameterException } from '../errors/parameter-errors.js';
import type { KustoAuth } from '../options/auth-options.js';

/** A credential that always returns the same bearer token (accessToken option, KUSTO_ACCESS_TOKEN). */
export class StaticTokenCredential implements TokenCredential {
  readonly #token: string;
  constructor(token: string) {
    this.#token = token;
  }
  async getToken(_scopes?: string | string[]): Promise<AccessToken> {
    // Static tokens carry no expiry we could read without decoding; an hour is what AAD issues.
    return { token: this.#token, expiresOnTimestamp: Date.now() + 3_600_000 };
  }
  toString(): string {
    return 'StaticTokenCredential';
  }
}

/** A credential calling a user function for each token (the connector's token-provider callback). */
export class CallbackTokenCredential implements TokenCredential {
  readonly #callback: () => Promise<string> | string;
  constructor(callback: () => Promise<string> | string) {
    this.#callback = callback;
  }
  async getToken(_scopes?: string | string[]): Promise<AccessToken> {
    return { token: await this.#callback(), expiresOnTimestamp: Date.now() + 300_000 };
  }
}

/** The auth kind shipped to executors: no secret, only what an executor needs to pick its own credential. */
export type ExecutorAuth = { readonly kind: 'none' } | { readonly kind: 'environment' } | { readonly kind: 'managedIdentity'; readonly clientId: string | undefined };

export function executorAuthOf(auth: KustoAuth): ExecutorAuth {
  if (auth.kind === 'none') return { kind: 'none' };
  if (auth.kind === 'managedIdentity') return { kind: 'managedIdentity', clientId: auth.clientId };
  return { kind: 'environment' };
}

async function loadTokenProvider(modulePath: string): Promise<() => Promise<string> | string> {
  const url = /^[a-z]+:/i.test(modulePath) && !/^[a-z]:[\\/]/i.test(modulePath) ? modulePath : pathToFileURL(resolve(modulePath)).href;
  const mod = (await import(url)) as Record<string, unknown>;
  const fn = mod['default'] ?? mod['getToken'] ?? mod['tokenProvider'];
  if (typeof fn !== 'function') {
    throw new InvalidParameterException(`tokenProviderCallbackClasspath: module '${modulePath}' must export a function (default, getToken or tokenProvider) returning a token`, { option: 'tokenProviderCallbackClasspath' });
  }
  return fn as () => Promise<string> | string;
}

/** The driver's credential for the user's auth options; undefined for the emulator (no auth). */
export async function driverCredential(auth: KustoAuth): Promise<TokenCredential | undefined> {
  const identity = await import('@azure/identity');
  switch (auth.kind) {
    case 'none':
      return undefined;
    case 'appSecret':
      return new identity.ClientSecretCredential(tenantOf(auth.authority), auth.appId, auth.appSecret.reveal());
    case 'appCertificate':
      return new identity.ClientCertificateCredential(tenantOf(auth.authority), auth.appId, {
        certificatePath: auth.certPath,
        ...(auth.certPassword ? { certificatePassword: auth.certPassword.reveal() } : {}),
      } as unknown as ConstructorParameters<typeof identity.ClientCertificateCredential>[2]);
    case 'managedIdentity':
      return auth.clientId ? new identity.ManagedIdentityCredential({ clientId: auth.clientId }) : new identity.ManagedIdentityCredential();
    case 'accessToken':
      return new StaticTokenCredential(auth.token.reveal());
    case 'tokenProvider':
      return new CallbackTokenCredential(await loadTokenProvider(auth.provider));
    case 'keyVault':
      throw new InvalidParameterException('Key Vault authentication (keyVaultUri) is not supported by kjob; give the application credentials directly or through the environment', { option: 'keyVaultUri' });
    case 'interactive':
      return new identity.InteractiveBrowserCredential({ tenantId: tenantOf(auth.authority) });
    case 'azureCliOrDefault':
      return new identity.ChainedTokenCredential(new identity.AzureCliCredential(), new identity.DefaultAzureCredential());
  }
}

/** An executor's credential, from its own environment. */
export async function executorCredential(auth: ExecutorAuth, env: NodeJS.ProcessEnv = process.env, options: { localEndpoint?: boolean } = {}): Promise<TokenCredential | undefined> {
  if (auth.kind === 'none') return undefined;
  // A plain-http emulator with a token on the driver: executors without KUSTO_ACCESS_TOKEN send none
  // (the emulator without its auth mode accepts that; DefaultAzureCredential would only fail offline).
  if (auth.kind === 'environment' && options.localEndpoint && !env['KUSTO_ACCESS_TOKEN']) return undefined;
  const identity = await import('@azure/identity');
  if (auth.kind === 'managedIdentity') return auth.clientId ? new identity.ManagedIdentityCredential({ clientId: auth.clientId }) : new identity.ManagedIdentityCredential();
  const token = env['KUSTO_ACCESS_TOKEN'];
  if (token) return new StaticTokenCredential(token);
  return new identity.DefaultAzureCredential();
}

// The connector's default authority is the domain 'microsoft.com'; identity takes it as a tenant.
function tenantOf(authority: string): string {
  return authority;
}
