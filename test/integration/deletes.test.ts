// DESIGN.md invariant 4 as a test: nothing that a retained state references is
// deleted, except by VACUUM after the retention period. Structurally: every call of
// delete() or deleteVersion() on an object store (anything with the ObjectStore
// shape, found by type, not by name) is in a module listed here with its reason.
// A new caller fails this test until it is listed, which is the moment to ask
// whether it can ever touch a data file that a retained state still needs.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** src-relative module → why it may delete from a store. */
const ALLOWED: Readonly<Record<string, string>> = {
  'engine/vacuum/objects.ts': 'VACUUM: removes objects that no retained state, running query, transaction or backup needs',
  'storage/retry.ts': 'the retry layer forwards the call it wraps',
  'storage/metered-store.ts': 'the metrics wrapper forwards the call it wraps',
  'storage/local/local-store.ts': 'deleteVersions is a loop over deleteVersion',
  'storage/encrypted-store.ts': 'the encryption wrapper forwards the call it wraps',
  'storage/transfer.ts': 'removes a copy it just made that failed verification (never a source object)',
  'backup/repository-content.ts': 'DROP SNAPSHOT and cancelled backups remove repository objects no manifest or running backup references (the repository, never the warehouse)',
  'backup/backup-job.ts': 'removes a manifest that read back differently from what was written (the repository)',
  'backup/service.ts': 'DROP SNAPSHOT removes the manifest of the snapshot dropped (the repository)',
  'backup/restore-job.ts': 'a failed or cancelled restore removes the files it copied into the warehouse for a commit that never happened',
  'engine/exec/stages.ts': "REMOVE @stage: removal the user asks for, in a stage's own location (Databend's fail-safe flow), never through the warehouse store",
  'storage/lease.ts': 'the single-writer lease object (never a data file), and the lease guard forwarding calls it wraps',
  'storage/s3/s3-store.ts': "the conditional-create probe's own object, written and removed at startup",
};

function storeDeletes(): { file: string; line: number; call: string }[] {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  if (config === undefined) throw new Error('cannot read tsconfig.json');
  const files = config.fileNames.filter((f) => f.includes(`${path.sep}src${path.sep}`) && !f.endsWith('.test.ts') && !f.includes(`${path.sep}generated${path.sep}`));
  const program = ts.createProgram(files, config.options);
  const checker = program.getTypeChecker();
  const isStore = (type: ts.Type): boolean => {
    const candidates = type.isUnion() ? type.types : [type];
    return candidates.some((t) => ['deleteVersion', 'listVersions', 'putFile'].every((p) => t.getProperty(p) !== undefined));
  };
  const found: { file: string; line: number; call: string }[] = [];
  for (const source of program.getSourceFiles()) {
    if (!files.includes(path.normalize(source.fileName)) && !files.includes(source.fileName)) continue;
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression)) {
        const method = node.expression.name.text;
        if ((method === 'delete' || method === 'deleteVersion') && isStore(checker.getTypeAtLocation(node.expression.expression))) {
          const { line } = source.getLineAndCharacterOfPosition(node.getStart());
          found.push({ file: path.relative(path.join(ROOT, 'src'), source.fileName), line: line + 1, call: node.expression.getText(source) });
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

describe('deleting from the warehouse store', () => {
  const calls = storeDeletes();

  it('finds the calls it is meant to find', () => {
    // If these disappear the detection is broken, not the code clean.
    expect(calls.some((c) => c.file === path.join('engine', 'vacuum', 'objects.ts'))).toBe(true);
    expect(calls.some((c) => c.file === 'storage/retry.ts'.split('/').join(path.sep))).toBe(true);
  });

  it('happens only in the modules listed with their reason', () => {
    const allowed = new Set(Object.keys(ALLOWED).map((f) => f.split('/').join(path.sep)));
    expect(calls.filter((c) => !allowed.has(c.file)).map((c) => `${c.file}:${c.line} ${c.call}`)).toEqual([]);
  });

  it('in the engine, happens only in VACUUM (and REMOVE @stage, outside the warehouse)', () => {
    const engine = calls.filter((c) => c.file.startsWith(`engine${path.sep}`)).map((c) => c.file);
    expect([...new Set(engine)].sort()).toEqual([path.join('engine', 'exec', 'stages.ts'), path.join('engine', 'vacuum', 'objects.ts')]);
  });
});
