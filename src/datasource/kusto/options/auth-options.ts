/**
 * Which credential the Kusto clients use (reference §2.2), as a discriminated union whose secrets are
 * {@link Secret}s: printing, logging or JSON-encoding an auth object never shows them.
 *
 * Order: more than one of (app id, access token, token provider, Key Vault) → error; then app secret,
 * app certificate, managed identity, access token, token provider, Key Vault, interactive prompt, and
 * finally the fallback (Azure CLI, then the default credential chain). kjob differences: an app id
 * with neither secret nor certificate is an error here (the connector failed later, obscurely), and a
 * plain-http emulator endpoint with no auth option uses no credential at all.
 */
import { InvalidParameterException } from '../errors/parameter-errors.js';
import { CERT_PASSWORD_ALIAS, CERT_PATH_ALIAS, COMMON_KEYS as K } from './option-keys.js';
import type { OptionMap } from './option-map.js';
import { Secret } from './secret.js';

export const DEFAULT_AUTHORITY = 'microsoft.com';

export type KustoAuth =
  | { readonly kind: 'appSecret'; readonly appId: string; readonly appSecret: Secret; readonly authority: string }
  | { readonly kind: 'appCertificate'; readonly appId: string; readonly certPath: string; readonly certPassword: Secret | undefined; readonly authority: string }
  | { readonly kind: 'managedIdentity'; readonly clientId: string | undefined }
  | { readonly kind: 'accessToken'; readonly token: Secret }
  /** A module path exporting a token callback (the TS counterpart of the connector's Callable class). */
  | { readonly kind: 'tokenProvider'; readonly provider: string }
  | { readonly kind: 'keyVault'; readonly uri: string; readonly appId: string | undefined; readonly appKey: Secret | undefined; readonly authority: string }
  | { readonly kind: 'interactive'; readonly authority: string }
  | { readonly kind: 'azureCliOrDefault' }
  | { readonly kind: 'none' };

export function resolveKustoAuth(options: OptionMap, { localEndpoint }: { localEndpoint: boolean }): KustoAuth {
  const appId = options.getNonBlank(K.appId);
  const accessToken = options.getNonBlank(K.accessToken);
  const provider = options.getNonBlank(K.tokenProvider);
  const keyVaultUri = options.getNonBlank(K.keyVaultUri);
  const present = [appId, accessToken, provider, keyVaultUri].filter((v) => v !== undefined).length;
  if (present > 1) throw new InvalidParameterException('More than one authentication methods were provided. Failing.', { option: 'auth' });
  const authority = options.getNonBlank(K.authorityId) ?? DEFAULT_AUTHORITY;

  if (appId !== undefined) {
    const secret = options.getNonBlank(K.appSecret);
    if (secret !== undefined) return { kind: 'appSecret', appId, appSecret: new Secret(secret), authority };
    const certPath = options.getNonBlank(K.certPath) ?? options.getNonBlank(CERT_PATH_ALIAS);
    if (certPath !== undefined) {
      const pw = options.getAny(K.certPassword, CERT_PASSWORD_ALIAS);
      return { kind: 'appCertificate', appId, certPath, certPassword: pw === undefined || pw === '' ? undefined : new Secret(pw), authority };
    }
    // Worded so that no quote follows an "h": the shared redact() treats h'…' as a hidden literal.
    throw new InvalidParameterException(`${K.appId} is set, but neither a secret (${K.appSecret}) nor a PFX certificate (${K.certPath}) is given for it`, { option: K.appId });
  }
  if (options.boolean(K.managedIdentity, false)) return { kind: 'managedIdentity', clientId: options.getNonBlank(K.managedIdentityClientId) };
  if (accessToken !== undefined) return { kind: 'accessToken', token: new Secret(accessToken) };
  if (provider !== undefined) return { kind: 'tokenProvider', provider };
  if (keyVaultUri !== undefined) {
    const key = options.getNonBlank(K.keyVaultAppKey);
    return { kind: 'keyVault', uri: keyVaultUri, appId: options.getNonBlank(K.keyVaultAppId), appKey: key === undefined ? undefined : new Secret(key), authority };
  }
  if (options.has(K.userPrompt)) return { kind: 'interactive', authority };
  return localEndpoint ? { kind: 'none' } : { kind: 'azureCliOrDefault' };
}

/** One line naming the method and its non-secret parts. */
export function describeKustoAuth(auth: KustoAuth): string {
  switch (auth.kind) {
    case 'appSecret':
      return `AAD application ${auth.appId} (secret) @ ${auth.authority}`;
    case 'appCertificate':
      return `AAD application ${auth.appId} (certificate ${auth.certPath}) @ ${auth.authority}`;
    case 'managedIdentity':
      return auth.clientId ? `managed identity ${auth.clientId}` : 'system-assigned managed identity';
    case 'accessToken':
      return 'access token';
    case 'tokenProvider':
      return `token provider ${auth.provider}`;
    case 'keyVault':
      return `Key Vault ${auth.uri}`;
    case 'interactive':
      return 'interactive login';
    case 'azureCliOrDefault':
      return 'Azure CLI / default credential';
    case 'none':
      return 'no authentication (local endpoint)';
  }
}
