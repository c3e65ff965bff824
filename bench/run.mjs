// `npm run bench` (builds first): runs every benchmark suite and rewrites
// bench/RESULTS.md. BENCH_ONLY=<file stem,...> runs some suites only.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SUITES = ['server', 'storage', 'engine', 'retention', 'failsafe', 'backup', 'clients'];
const only = process.env.BENCH_ONLY?.split(',');

const resultsFile = path.join(HERE, 'RESULTS.md');
// Sections of suites not run this time are kept from the previous file.
const previous = new Map();
try {
  const text = await readFile(resultsFile, 'utf8');
  for (const part of text.split(/^(?=## )/m).slice(1)) previous.set(part.split('\n')[0].slice(3).trim(), part.trimEnd());
} catch {
  // no previous results
}

const sections = new Map();
for (const name of SUITES) {
  if (only !== undefined && !only.includes(name)) continue;
  const suite = await import(path.join(HERE, `${name}.mjs`));
  console.log(`## ${suite.title}`);
  const started = Date.now();
  const rows = await suite.run();
  const table = ['| benchmark | measured | rate | notes |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  console.log(table);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const machine = `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`;
  sections.set(
    suite.title,
    `## ${suite.title}\n\nRun ${new Date().toISOString()} on ${machine}, in ${((Date.now() - started) / 1000).toFixed(0)} s.\n\n${table}\n${suite.notes ?? ''}`.trimEnd(),
  );
}
for (const [title, text] of previous) if (!sections.has(title)) sections.set(title, text);

const doc = `# Benchmark results

Produced by \`npm run bench\` (bench/run.mjs runs each suite in bench/*.mjs against
the real server or store). Re-run it to refresh this file; \`BENCH_ONLY=server\` runs
one suite and keeps the other sections, and each suite documents its size knobs at its top.

${[...sections.values()].join('\n\n')}
`;
await writeFile(resultsFile, doc);
