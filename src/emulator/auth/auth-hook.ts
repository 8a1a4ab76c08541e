import { KustoServiceError } from '../contracts.js';
import type { RequestHook, RequestInfo } from '../contracts.js';
import type { RoleStore } from './role-store.js';
import { principalsMatch } from './role-store.js';
import { requiredRole, roleTitle } from './required-role.js';

/**
 * The emulator's optional auth mode. Tokens are plain strings configured at start (no AAD): each
 * maps to a principal FQN. Requests without a bearer token get 401; with an unknown token 401; with
 * a known principal lacking the role the request needs, 403 naming that role.
 */
export interface AuthOptions {
  /** Bearer token → principal, e.g. { 'admin-token': 'aadapp=admin-app', 'ingest-token': 'aadapp=ingestor' }. */
  readonly tokens: Readonly<Record<string, string>>;
  /** Principals that may do everything, on every database (cluster AllDatabasesAdmin). */
  readonly clusterAdmins?: readonly string[];
}

export function bearerToken(authorization: string | undefined): string | undefined {
  if (!authorization) return undefined;
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
  return m ? m[1] : undefined;
}

export class Authorizer {
  private readonly byToken: Map<string, string>;
  constructor(
    private readonly options: AuthOptions,
    private readonly roles: RoleStore,
  ) {
    this.byToken = new Map(Object.entries(options.tokens));
  }

  /** The principal of a request, or a 401. */
  principalOf(req: Pick<RequestInfo, 'authorization'>): string {
    const token = bearerToken(req.authorization);
    if (token === undefined) {
      throw new KustoServiceError(401, 'Unauthorized', 'Unauthorized: the request carries no bearer token (the emulator runs with auth enabled).', true, 'Kusto.Common.Svc.Exceptions.UnauthorizedOperationException');
    }
    const principal = this.byToken.get(token);
    if (principal === undefined) {
      throw new KustoServiceError(401, 'Unauthorized', 'Unauthorized: the bearer token is not valid for this emulator.', true, 'Kusto.Common.Svc.Exceptions.UnauthorizedOperationException');
    }
    return principal;
  }

  isClusterAdmin(principal: string): boolean {
    return (this.options.clusterAdmins ?? []).some((a) => principalsMatch(a, principal));
  }

  readonly hook: RequestHook = (req: RequestInfo) => {
    const principal = this.principalOf(req);
    if (this.isClusterAdmin(principal)) return;
    const need = requiredRole(req.endpoint, req.text);
    const allowed =
      need.role !== 'clusterAdmin' &&
      (need.anyDatabase ? this.roles.hasAnywhere(principal, need.role) || this.roles.has(principal, req.database, need.role) : this.roles.has(principal, req.database, need.role));
    if (allowed) return;
    const where = need.role === 'clusterAdmin' ? 'the cluster' : need.anyDatabase ? 'any database' : `database '${req.database}'`;
    throw new KustoServiceError(
      403,
      'Forbidden',
      `Principal '${principal}' is not authorized to perform operation '${need.operation}' on ${where}: it requires the ${need.role === 'clusterAdmin' ? 'Cluster Admin' : `Database ${roleTitle(need.role)}`} role (${need.role}).`,
      true,
      'Kusto.Common.Svc.Exceptions.UnauthorizedOperationException',
    );
  };
}
