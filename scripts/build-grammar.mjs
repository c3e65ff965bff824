// Builds grammar/*.peggy into one ES-module parser with TypeScript
// declarations at src/sql/parse/generated/mysql-parser.{js,d.ts} (gitignored).
//
// tsc does not copy .js files (allowJs is off), so the parser is also written next
// to where tsc puts the compiled parse/ code (dist/src/sql/parse/generated/); that
// is what `npm run build` runs from dist.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const peggyCli = join(dirname(require.resolve('peggy/package.json')), 'bin', 'peggy.js');

// Order matters only for the first file: it holds the initializer and the default start rule.
const sources = ['mysql-statements.peggy', 'ducksafe-backup.peggy', 'ducksafe-vacuum.peggy', 'ducksafe-users.peggy', 'mysql-query.peggy', 'mysql-expression.peggy', 'mysql-lexical.peggy', 'ducksafe-failsafe.peggy'].map((file) =>
  join(root, 'grammar', file),
);

const outDir = join(root, 'src', 'sql', 'parse', 'generated');
const distDir = join(root, 'dist', 'src', 'sql', 'parse', 'generated');
const out = join(outDir, 'mysql-parser.js');

const returnTypes = {
  Statement: 'import("../../translate/ast.js").StatementNode',
  ColumnTypeOnly: 'import("../../translate/ast.js").TypeSpec',
};

const args = [
  peggyCli,
  '--format',
  'es',
  '--dts',
  '--allowed-start-rules',
  Object.keys(returnTypes).join(','),
  '--return-types',
  JSON.stringify(returnTypes),
  '-o',
  out,
  ...sources,
];

mkdirSync(outDir, { recursive: true });
try {
  execFileSync(process.execPath, args, { stdio: 'inherit' });
} catch {
  // peggy has already printed the grammar error with its location.
  process.exit(1);
}

mkdirSync(distDir, { recursive: true });
copyFileSync(out, join(distDir, 'mysql-parser.js'));
console.log(`grammar: wrote ${out}`);
