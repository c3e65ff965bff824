// `npm run bench` (builds first): runs every benchmark suite and rewrites
// bench/RESULTS.md. BENCH_ONLY=<file stem,...> runs some suites only.
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SUITES = ['server', 'storage'];
const only = process.env.BENCH_ONLY?.split(',');

const sections = [];
for (const name of SUITES) {
  if (only !== undefined && !only.includes(name)) continue;
  const suite = await import(path.join(HERE, `${name}.mjs`));
  console.log(`## ${suite.title}`);
  const started = Date.now();
  const rows = await suite.run();
  const table = ['| benchmark | measured | rate | notes |', '|---|---|---|---|', ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  console.log(table);
  sections.push(`## ${suite.title}\n\n${table}\n\n(${((Date.now() - started) / 1000).toFixed(0)} s)\n${suite.notes ?? ''}`);
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const machine = `${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}`;
const doc = `# Benchmark results

Produced by \`npm run bench\` (bench/run.mjs runs each suite in bench/*.mjs against
the real server or store). Re-run it to refresh this file; \`BENCH_ONLY=server\` runs
one suite, and each suite documents its size knobs at its top.

Last run: ${new Date().toISOString()} on ${machine}.

${sections.join('\n')}`;
await writeFile(path.join(HERE, 'RESULTS.md'), doc);
