// Routes a statement by its leading keywords (comments skipped) before any
// grammar runs: empty input, MySQL statements ducksafe does not implement (so
// that the client hears "not supported" instead of "syntax error"), and the rest,
// which goes to the grammar.
import { leadingWords, scanRegions } from './sql-scanner.js';

export type Route = { readonly kind: 'empty' } | { readonly kind: 'unsupported'; readonly what: string } | { readonly kind: 'grammar' };

/** Statements known to MySQL and not implemented here, by first word; `true` means any second word. */
const UNSUPPORTED: Readonly<Record<string, true | readonly string[]>> = {
  ALTER: ['ALGORITHM', 'DATABASE', 'DEFINER', 'EVENT', 'FUNCTION', 'INSTANCE', 'LOGFILE', 'PROCEDURE', 'RESOURCE', 'SCHEMA', 'SERVER', 'SQL', 'TABLESPACE', 'UNDO', 'VIEW'],
  ANALYZE: true,
  BINLOG: true,
  CACHE: true,
  CHANGE: true,
  CHECK: true,
  CLONE: true,
  DEALLOCATE: true,
  DO: true,
  EXECUTE: true,
  GET: true,
  HANDLER: true,
  HELP: true,
  IMPORT: true,
  INSTALL: true,
  LOAD: ['INDEX', 'XML'],
  PREPARE: true,
  PURGE: true,
  RELEASE: true,
  RENAME: ['USER'],
  REPAIR: true,
  RESET: true,
  RESIGNAL: true,
  RESTART: true,
  SAVEPOINT: true,
  SHUTDOWN: true,
  SIGNAL: true,
  STOP: true,
  UNINSTALL: true,
  XA: true,
  CREATE: ['ALGORITHM', 'DEFINER', 'EVENT', 'FULLTEXT', 'FUNCTION', 'LOGFILE', 'OR', 'PROCEDURE', 'RESOURCE', 'SERVER', 'SPATIAL', 'SQL', 'TABLESPACE', 'TRIGGER'],
  DROP: ['EVENT', 'FUNCTION', 'LOGFILE', 'PROCEDURE', 'RESOURCE', 'SERVER', 'SPATIAL', 'TABLESPACE', 'TRIGGER'],
  SHOW: ['BINARY', 'BINLOG', 'EVENTS', 'FUNCTION', 'MASTER', 'OPEN', 'PROCEDURE', 'PROFILE', 'PROFILES', 'RELAYLOG', 'REPLICA', 'REPLICAS', 'SLAVE', 'TRIGGERS'],
  SET: ['DEFAULT', 'RESOURCE', 'ROLE'],
  START: ['GROUP_REPLICATION', 'REPLICA', 'SLAVE'],
};

/** SHOW CREATE <object> for objects other than tables and databases. */
const UNSUPPORTED_SHOW_CREATE = new Set(['EVENT', 'FUNCTION', 'PROCEDURE', 'TRIGGER', 'USER']);

/** CREATE [OR REPLACE] [ALGORITHM=..] [DEFINER=..] [SQL SECURITY ..] VIEW: the prefixes also start routines and triggers. */
const CREATE_VIEW = /\bCREATE\s+(?:OR\s+REPLACE\s+)?(?:ALGORITHM\s*=\s*\w+\s+)?(?:DEFINER\s*=\s*\S+\s+)?(?:SQL\s+SECURITY\s+\w+\s+)?VIEW\b/i;

/** Classifies a statement whose executable comments were already unwrapped. */
export function classify(text: string): Route {
  let hasCode = false;
  for (const r of scanRegions(text)) {
    if (r.kind !== 'comment' && text.slice(r.start, Math.min(r.end, r.start + 64)).trim() !== '') {
      hasCode = true;
      break;
    }
  }
  if (!hasCode) return { kind: 'empty' };
  const [first, second, third] = leadingWords(text, 3);
  if (first === undefined) return { kind: 'grammar' };
  if (first === 'CREATE' && CREATE_VIEW.test(text)) return { kind: 'grammar' };
  const rule = UNSUPPORTED[first];
  if (rule === true) return { kind: 'unsupported', what: first };
  if (rule !== undefined && second !== undefined && rule.includes(second)) return { kind: 'unsupported', what: `${first} ${second}` };
  if (first === 'SHOW' && second === 'CREATE' && third !== undefined && UNSUPPORTED_SHOW_CREATE.has(third)) {
    return { kind: 'unsupported', what: `SHOW CREATE ${third}` };
  }
  return { kind: 'grammar' };
}
