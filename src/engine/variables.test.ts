import { describe, expect, it } from 'vitest';
import { Session } from '../server/session.js';
import { Variables } from './variables.js';

function setup(): { variables: Variables; session: Session } {
  return { variables: new Variables({ hostname: 'h', port: 3306, maxAllowedPacket: 1 << 20, maxConnections: 10 }), session: new Session(1, 'root', 'localhost', null) };
}

describe('time_zone', () => {
  it('keeps what MySQL accepts, in the form MySQL shows it', () => {
    const { variables, session } = setup();
    expect(variables.get(session, 'time_zone', 'default')).toBe('SYSTEM');
    expect(variables.set(session, 'time_zone', 'session', '+2:00')).toBe('+02:00');
    expect(variables.set(session, 'time_zone', 'session', 'Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(variables.set(session, 'time_zone', 'session', 'system')).toBe('SYSTEM');
    expect(variables.get(session, 'time_zone', 'global')).toBe('SYSTEM');
  });

  it('refuses other zones with 1298, leaving the session zone as it was', () => {
    const { variables, session } = setup();
    variables.set(session, 'time_zone', 'session', '-05:00');
    for (const bad of ['+14:30', 'Nowhere/City', '5']) {
      expect(() => variables.set(session, 'time_zone', 'session', bad)).toThrow(expect.objectContaining({ errno: 1298, message: `Unknown or incorrect time zone: '${bad}'` }) as Error);
    }
    expect(variables.get(session, 'time_zone', 'session')).toBe('-05:00');
  });

  it('calls the server zone what the process zone is', () => {
    const { variables, session } = setup();
    expect(variables.get(session, 'system_time_zone', 'global')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
  });
});

describe('diagnostics counts', () => {
  it('counts errors in @@warning_count as MySQL does, and only errors in @@error_count', () => {
    const { variables, session } = setup();
    session.warnings = [
      { level: 'Warning', code: 1365, message: 'Division by 0' },
      { level: 'Error', code: 1146, message: "Table 'd.t' doesn't exist" },
    ];
    expect(variables.get(session, 'warning_count', 'default')).toBe(2);
    expect(variables.get(session, 'error_count', 'session')).toBe(1);
  });
});
