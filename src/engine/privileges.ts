// The one place that decides whether a session may do something. Until users and
// grants exist ([H]) root is the only user and holds every privilege; every check
// already goes through here so that [H] only has to fill in the decision.
import { sqlError } from '../errors/registry.js';
import type { Session } from '../server/session.js';

export const PRIVILEGES = ['ADMIN'] as const;
export type Privilege = (typeof PRIVILEGES)[number];

export function hasPrivilege(session: Session, _privilege: Privilege): boolean {
  return session.user === 'root';
}

/** Throws MySQL's 1227 unless the session holds `privilege`; `what` names the refused operation. */
export function requirePrivilege(session: Session, privilege: Privilege, what: string): void {
  if (hasPrivilege(session, privilege)) return;
  throw sqlError(
    'ER_SPECIFIC_ACCESS_DENIED_ERROR',
    `Access denied; you need (at least one of) the ${privilege} privilege(s) for this operation (${what})`,
  );
}
