import { KustoServiceError } from '../contracts.js';
import type { CommandHandler, ResultTable } from '../contracts.js';
import { DATABASE_ROLES, type DatabaseRole, type RoleStore } from './role-store.js';
import { roleTitle } from './required-role.js';

/**
 * `.add database D viewers|admins|ingestors|users ('aadapp=...', ...) ['notes']`,
 * `.drop database D <role> ('...', ...)`, `.show database D principals`.
 * Database names may be plain identifiers or bracketed (`['my db']`, `["my db"]`).
 */
const NAME = String.raw`(?:\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|([A-Za-z_][\w.-]*))`;
const ADD_DROP = new RegExp(String.raw`^\.(add|drop)\s+database\s+${NAME}\s+(\w+)\s*\((.*)\)\s*(?:(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"))?\s*$`, 'is');
const SHOW = new RegExp(String.raw`^\.show\s+database\s+${NAME}\s+principals\s*$`, 'is');

function unescape(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

function badRequest(msg: string): KustoServiceError {
  return new KustoServiceError(400, 'General_BadRequest', msg, true, 'Kusto.Data.Exceptions.SyntaxException');
}

/** Splits `'a', "b"` into ['a','b']; every entry must be a quoted string. */
export function parsePrincipalList(text: string): string[] {
  const out: string[] = [];
  const re = /\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while (last < text.length && (m = re.exec(text)) !== null) {
    out.push(unescape(m[1] ?? m[2] ?? ''));
    last = re.lastIndex;
    if (m[3] === '') break;
  }
  if (last < text.trimEnd().length || out.length === 0) throw badRequest(`Expected a list of quoted principals like ('aadapp=<id>;<tenant>'), got (${text.slice(0, 100)})`);
  for (const p of out) if (!/^(aadapp|aaduser|aadgroup|msauser)=./i.test(p.trim())) throw badRequest(`Principal '${p}' must be written as aadapp=<id>, aaduser=<upn>, aadgroup=<id> or msauser=<email>.`);
  return out;
}

function roleOf(word: string): DatabaseRole {
  const r = word.toLowerCase();
  if (!(DATABASE_ROLES as readonly string[]).includes(r)) throw badRequest(`Unknown database role '${word}' (the emulator supports ${DATABASE_ROLES.join(', ')}).`);
  return r as DatabaseRole;
}

export function principalsTable(store: RoleStore, database: string): ResultTable {
  return {
    name: 'Table_0',
    columns: [
      { name: 'Role', type: 'string' },
      { name: 'PrincipalType', type: 'string' },
      { name: 'PrincipalDisplayName', type: 'string' },
      { name: 'PrincipalObjectId', type: 'string' },
      { name: 'PrincipalFQN', type: 'string' },
      { name: 'Notes', type: 'string' },
    ],
    rows: store.list(database).map((a) => {
      const [kind = '', rest = ''] = a.principal.split('=');
      const type = kind.toLowerCase() === 'aadapp' ? 'AAD Application' : kind.toLowerCase() === 'aadgroup' ? 'AAD Group' : 'AAD User';
      const id = rest.split(';')[0] ?? '';
      return [`Database ${a.database} ${roleTitle(a.role)}`, type, id, id, a.principal, a.notes];
    }),
  };
}

export function principalCommandHandlers(store: RoleStore, databaseExists: (db: string) => boolean): CommandHandler[] {
  const requireDb = (db: string) => {
    if (!databaseExists(db)) throw new KustoServiceError(400, 'BadRequest_EntityNotFound', `Database '${db}' was not found.`, true, 'Kusto.Data.Exceptions.EntityNotFoundException');
  };
  return [
    {
      matches: (t) => /^\.(add|drop)\s+database\s+\S+\s+(admins|users|viewers|ingestors|unrestrictedviewers|monitors)\b/i.test(t.trim()),
      async run(text) {
        const m = ADD_DROP.exec(text.trim());
        if (!m) throw badRequest(`Syntax error: expected .add|.drop database <name> <role> ('<principal>', ...) ['<notes>']`);
        const verb = m[1]!.toLowerCase();
        const db = m[2] !== undefined ? unescape(m[2]) : m[3] !== undefined ? unescape(m[3]) : m[4]!;
        const role = roleOf(m[5]!);
        const principals = parsePrincipalList(m[6]!);
        const notes = m[7] !== undefined ? unescape(m[7]) : m[8] !== undefined ? unescape(m[8]) : '';
        requireDb(db);
        for (const p of principals) {
          if (verb === 'add') store.add(db, role, p, notes);
          else store.drop(db, role, p);
        }
        return principalsTable(store, db);
      },
    },
    {
      matches: (t) => /^\.show\s+database\s+\S+.*\s+principals\s*$/is.test(t.trim()),
      async run(text) {
        const m = SHOW.exec(text.trim());
        if (!m) throw badRequest('Syntax error: expected .show database <name> principals');
        const db = m[1] !== undefined ? unescape(m[1]) : m[2] !== undefined ? unescape(m[2]) : m[3]!;
        requireDb(db);
        return principalsTable(store, db);
      },
    },
  ];
}
