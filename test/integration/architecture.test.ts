// DESIGN.md §2 as a test: who may import whom, which module owns each
// third-party package, where process.env is read, and no import cycles.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

interface Module {
  readonly file: string;
  readonly text: string;
  /** Resolved relative imports (src-relative paths) and bare package names. */
  readonly local: string[];
  readonly packages: string[];
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'generated' ? [] : sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') && e.name !== 'test-support.ts' ? [p] : [];
  });
}

const modules: Module[] = sources(SRC).map((abs) => {
  const text = readFileSync(abs, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)[^'"]*?from\s+'([^']+)'/gm), ...text.matchAll(/import\('([^']+)'\)/g)].map((m) => m[1] ?? '');
  const file = path.relative(SRC, abs);
  return {
    file,
    text,
    local: specs.filter((s) => s.startsWith('.')).map((s) => path.normalize(path.join(path.dirname(file), s)).replace(/\.js$/, '.ts')),
    packages: specs.filter((s) => !s.startsWith('.') && !s.startsWith('node:')).map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s))),
  };
});

const top = (file: string): string => file.split(path.sep)[0] ?? file;

describe('module rules', () => {
  it('finds the sources', () => {
    expect(modules.length).toBeGreaterThan(40);
  });

  it('keeps protocol/ pure and server/ away from engine/', () => {
    for (const m of modules) {
      if (top(m.file) === 'protocol') expect(m.local.filter((l) => top(l) !== 'protocol'), m.file).toEqual([]);
      if (top(m.file) === 'server') expect(m.local.filter((l) => top(l) === 'engine'), m.file).toEqual([]);
      if (top(m.file) === 'sql') {
        expect(m.local.filter((l) => !['sql', 'errors'].includes(top(l))), m.file).toEqual([]);
        expect(m.text, `${m.file} does I/O`).not.toMatch(/from 'node:(fs|net|child_process|http)/);
      }
      if (top(m.file) === 'storage') expect(m.local.filter((l) => !['storage', 'logging'].includes(top(l))), m.file).toEqual([]);
    }
  });

  it('gives each third-party package one home', () => {
    const homes: Record<string, string> = {
      '@duckdb/node-api': 'engine/duckdb/',
      '@aws-sdk/client-s3': 'storage/s3/',
      '@aws-sdk/credential-providers': 'storage/s3/',
      pino: 'logging/',
      'smol-toml': 'config/',
    };
    for (const m of modules) {
      for (const p of m.packages) {
        const home = homes[p];
        expect(home, `${m.file} imports ${p}, which has no home in DESIGN.md`).toBeDefined();
        expect(m.file.startsWith(home ?? ''), `${m.file} imports ${p} outside ${home ?? '?'}`).toBe(true);
      }
    }
  });

  it('reads process.env only in config/', () => {
    const readers = modules.filter((m) => /process\.env/.test(m.text.replace(/\/\/.*$/gm, ''))).map((m) => m.file);
    expect(readers.filter((f) => top(f) !== 'config')).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map(modules.map((m) => [m.file, m.local.filter((l) => modules.some((o) => o.file === l))]));
    const cycles: string[] = [];
    const state = new Map<string, 'active' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'active') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'active');
      for (const next of graph.get(file) ?? []) visit(next, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(cycles).toEqual([]);
  });
});
