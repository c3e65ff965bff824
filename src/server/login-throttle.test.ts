import { describe, expect, it } from 'vitest';

import { LoginThrottle } from './login-throttle.js';

describe('LoginThrottle', () => {
  it('delays a host after its free failures, growing to a bound, and forgets it on success', () => {
    const throttle = new LoginThrottle({ freeFailures: 2, stepMs: 1000, maxDelayMs: 2500 });
    const delays = [];
    for (let i = 0; i < 5; i++) {
      delays.push(throttle.delayMs('10.0.0.1'));
      throttle.failed('10.0.0.1');
    }
    expect(delays).toEqual([0, 0, 1000, 2000, 2500]);
    expect(throttle.delayMs('10.0.0.2')).toBe(0);
    throttle.succeeded('10.0.0.1');
    expect(throttle.failures('10.0.0.1')).toBe(0);
    expect(throttle.delayMs('10.0.0.1')).toBe(0);
  });

  it('forgets a host after a quiet spell and never delays when the bound is 0', () => {
    let now = 0;
    const throttle = new LoginThrottle({ freeFailures: 0, stepMs: 1000, maxDelayMs: 5000, forgetAfterMs: 60_000, now: () => now });
    expect(throttle.failed('h')).toBe(1);
    expect(throttle.delayMs('h')).toBe(2000);
    now = 60_001;
    expect(throttle.delayMs('h')).toBe(0);
    const off = new LoginThrottle({ freeFailures: 0, stepMs: 1000, maxDelayMs: 0 });
    off.failed('h');
    expect(off.delayMs('h')).toBe(0);
  });

  it('remembers a bounded number of hosts, dropping the stalest', () => {
    const throttle = new LoginThrottle({ freeFailures: 0, stepMs: 1, maxDelayMs: 10, maxHosts: 2 });
    throttle.failed('a');
    throttle.failed('b');
    throttle.failed('a');
    throttle.failed('c');
    expect([throttle.failures('a'), throttle.failures('b'), throttle.failures('c')]).toEqual([2, 0, 1]);
  });
});
