import { describe, expect, it } from 'vitest';
import { Registry } from './metrics.js';

describe('Registry', () => {
  it('renders counters, gauges and histograms in the Prometheus text format', () => {
    const r = new Registry();
    const c = r.counter('x_total', 'Things');
    c.inc({ kind: 'select', outcome: 'ok' });
    c.inc({ outcome: 'ok', kind: 'select' }, 2);
    c.inc({ kind: 'insert', outcome: 'error' });
    r.gauge('y', 'Now', () => 7);
    r.gauge('z', 'Per label', () => [{ labels: { db: 'a"b' }, value: 1.5 }]);
    const h = r.histogram('lat_seconds', 'Latency', [0.1, 1]);
    h.observe(0.05, { kind: 'select' });
    h.observe(0.5, { kind: 'select' });
    h.observe(3, { kind: 'select' });
    const text = r.render();
    expect(text).toContain('# TYPE x_total counter\n');
    expect(text).toContain('x_total{kind="select",outcome="ok"} 3\n');
    expect(text).toContain('x_total{kind="insert",outcome="error"} 1\n');
    expect(text).toContain('y 7\n');
    expect(text).toContain('z{db="a\\"b"} 1.5\n');
    expect(text).toContain('lat_seconds_bucket{kind="select",le="0.1"} 1\n');
    expect(text).toContain('lat_seconds_bucket{kind="select",le="1"} 2\n');
    expect(text).toContain('lat_seconds_bucket{kind="select",le="+Inf"} 3\n');
    expect(text).toContain('lat_seconds_sum{kind="select"} 3.55\n');
    expect(text).toContain('lat_seconds_count{kind="select"} 3\n');
    expect(c.value({ outcome: 'ok', kind: 'select' })).toBe(3);
  });

  it('refuses a name registered twice', () => {
    const r = new Registry();
    r.counter('a', 'A');
    expect(() => r.counter('a', 'again')).toThrow(/registered twice/);
  });
});
