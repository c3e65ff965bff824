// `ducksafe jobs`: lists the BACKUP and RESTORE jobs of a running server, or follows
// one with a progress bar until it ends. It reads the server's HTTP admin port
// (/jobs), so it needs no MySQL client and no credentials beyond reaching that port.

export interface JobView {
  readonly id: number;
  readonly kind: string;
  readonly label: string;
  readonly db: string;
  readonly state: string;
  readonly status: string;
  readonly totalFiles: number;
  readonly doneFiles: number;
  readonly totalBytes: number;
  readonly doneBytes: number;
  readonly bytesPerSecond?: number;
  readonly etaSeconds?: number;
}

export const JOBS_HELP = `Usage: ducksafe jobs [--admin-url URL] [--follow LABEL|ID] [--interval-ms N]

Lists the BACKUP and RESTORE jobs of a running server, newest first, or follows one
(by label or job id; the newest job of that label) with a progress bar until it ends.
Reads the server's HTTP admin port (start the server with --admin-port).

  --admin-url URL     the admin port (default: http://127.0.0.1:9307)
  --follow LABEL|ID   follow this job; exit 0 when it finishes, 1 when it is cancelled
  --interval-ms N     how often to ask while following (default: 1000)`;

interface Options {
  readonly adminUrl: string;
  readonly follow?: string;
  readonly intervalMs: number;
}

function parse(argv: readonly string[]): Options {
  let adminUrl = 'http://127.0.0.1:9307';
  let follow: string | undefined;
  let intervalMs = 1000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`option ${flag} needs a value`);
    if (flag === '--admin-url') adminUrl = value.replace(/\/+$/, '');
    else if (flag === '--follow') follow = value;
    else if (flag === '--interval-ms') {
      intervalMs = Number(value);
      if (!Number.isInteger(intervalMs) || intervalMs < 50) throw new Error(`option --interval-ms: '${value}' is not a whole number of at least 50`);
    } else throw new Error(`unknown option '${flag}' (see ducksafe jobs --help)`);
  }
  return { adminUrl, intervalMs, ...(follow === undefined ? {} : { follow }) };
}

async function fetchJobs(adminUrl: string): Promise<JobView[]> {
  const res = await fetch(`${adminUrl}/jobs`);
  if (!res.ok) throw new Error(`${adminUrl}/jobs answered ${res.status}`);
  const body = (await res.json()) as { jobs: JobView[] };
  return body.jobs;
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}

/** One line: a 30-character bar, percent, files, MiB, rate, time left and state. */
export function progressBar(job: JobView): string {
  const fraction = job.totalBytes > 0 ? job.doneBytes / job.totalBytes : job.state === 'FINISHED' ? 1 : 0;
  const filled = Math.round(fraction * 30);
  const rate = job.bytesPerSecond === undefined ? '' : ` ${mib(job.bytesPerSecond)} MiB/s`;
  const eta = job.etaSeconds === undefined || job.state === 'FINISHED' || job.state === 'CANCELLED' ? '' : ` ETA ${job.etaSeconds}s`;
  return (
    `${job.kind} ${job.label} [${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${Math.floor(fraction * 100)}% ` +
    `${job.doneFiles}/${job.totalFiles} files ${mib(job.doneBytes)}/${mib(job.totalBytes)} MiB${rate}${eta} ${job.state}`
  );
}

function table(jobs: readonly JobView[]): string {
  const lines = ['JobId  Kind     Label                State            Progress'];
  for (const j of jobs) {
    const percent = j.totalBytes > 0 ? Math.floor((j.doneBytes * 100) / j.totalBytes) : j.state === 'FINISHED' ? 100 : 0;
    lines.push(`${String(j.id).padEnd(6)} ${j.kind.padEnd(8)} ${`${j.db}.${j.label}`.padEnd(20)} ${j.state.padEnd(16)} ${percent}%`);
  }
  return lines.join('\n');
}

/** Runs the command; returns the exit code. `out` receives text, `tty` says whether it may redraw a line. */
export async function jobsCommand(argv: readonly string[], out: { write(text: string): void }, tty: boolean): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    out.write(`${JOBS_HELP}\n`);
    return 0;
  }
  const options = parse(argv);
  if (options.follow === undefined) {
    out.write(`${table(await fetchJobs(options.adminUrl))}\n`);
    return 0;
  }
  const wanted = options.follow;
  let last = '';
  for (;;) {
    const jobs = await fetchJobs(options.adminUrl);
    const job = jobs.find((j) => String(j.id) === wanted) ?? jobs.find((j) => j.label === wanted);
    if (job === undefined) throw new Error(`no job with the label or id '${wanted}'`);
    const line = progressBar(job);
    if (line !== last) {
      out.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      last = line;
    }
    if (job.state === 'FINISHED' || job.state === 'CANCELLED') {
      if (tty) out.write('\n');
      if (job.state === 'CANCELLED') out.write(`${job.status}\n`);
      return job.state === 'FINISHED' ? 0 : 1;
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
