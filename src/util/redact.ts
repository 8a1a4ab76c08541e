/**
 * The one place where secrets are scrubbed from text that may reach a log line, an error message,
 * a task payload or a `toString()`. Everything that echoes options, URLs or service errors goes
 * through `redact`.
 */

const SAS_SIGNATURE = /([?&;](?:sig|se?cret|skoid|sktid|skt|ske|sks|skv|saoid|suoid|token|code)=)[^&\s"';)]+/gi;
const ACCOUNT_KEY = /(AccountKey=)[^;"'\s]+/gi;
const BEARER = /(Bearer\s+)[A-Za-z0-9._~+/=-]+/g;
const SHARED_ACCESS_SIGNATURE = /(SharedAccessSignature=)[^;"'\s]+/gi;
// A KQL hidden literal (h"…", h'…', h@"…") starts a token: an `h` that ends a word (`'hash'`) is not one.
const HIDDEN_LITERAL = /(?<![\w'"])(h@?["'])[^"']*(["'])/g;

/** Option keys whose values are secrets wherever they appear (compared case-insensitively). */
export const SECRET_OPTION_KEYS: ReadonlySet<string> = new Set(
  [
    'kustoAadAppSecret',
    'kutoAadAppCertPassword',
    'accessToken',
    'keyVaultAppKey',
    'storageAccountKey',
    'sasKey',
    'sasToken',
    'sas',
    'password',
    'clientSecret',
    'connectionString',
    'storageConnectionString',
  ].map((k) => k.toLowerCase()),
);

export const REDACTED = '<redacted>';

/** Replaces SAS signatures, account keys, bearer tokens and hidden KQL literals in free text. */
export function redact(text: string): string {
  return text
    .replace(SAS_SIGNATURE, `$1${REDACTED}`)
    .replace(ACCOUNT_KEY, `$1${REDACTED}`)
    .replace(SHARED_ACCESS_SIGNATURE, `$1${REDACTED}`)
    .replace(BEARER, `$1${REDACTED}`)
    .replace(HIDDEN_LITERAL, `$1${REDACTED}$2`);
}

/** Whether an option key names a secret. */
export function isSecretOptionKey(key: string): boolean {
  const k = key.toLowerCase();
  return (
    SECRET_OPTION_KEYS.has(k) ||
    /(secret|password|token|accountkey|sas|credential|connectionstring)$/i.test(k) ||
    // Hadoop-style storage keys: fs.azure.account.key.<account>…, fs.azure.sas.<container>…, fs.azure.sas.fixed.token…
    /(^|\.)(account\.key|sas)\./i.test(k)
  );
}

/** A copy of an option map that is safe to print: secret values replaced, other values redacted. */
export function redactOptions(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    out[k] = isSecretOptionKey(k) ? REDACTED : typeof v === 'string' ? redact(v) : v;
  }
  return out;
}
