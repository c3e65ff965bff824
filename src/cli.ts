#!/usr/bin/env node
// The `ducksafe` command: parse the configuration, start the server, stop it
// cleanly on SIGINT/SIGTERM.
import { ConfigError, helpText, loadConfig } from './config/config.js';
import { createLogger } from './logging/create-logger.js';
import { startServer } from './main.js';
import { jobsCommand } from './cli-jobs.js';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'jobs') {
    try {
      return await jobsCommand(argv.slice(1), process.stdout, process.stdout.isTTY);
    } catch (err) {
      console.error(`ducksafe jobs: ${err instanceof Error ? err.message : String(err)}`);
      return 2;
    }
  }
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(helpText());
    return 0;
  }
  let config;
  try {
    config = loadConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`ducksafe: ${err.message}`);
      return 2;
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  // Signals are caught from the start: one that arrives while the server is still
  // starting (or right as it reports ready) must stop it cleanly, not kill it.
  let signals = 0;
  let stopRequested: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => {
    stopRequested = resolve;
  });
  const onSignal = (signal: NodeJS.Signals): void => {
    signals++;
    if (signals > 1) {
      // Every commit is one atomic object write, so leaving now cannot corrupt the warehouse.
      logger.warn({ signal }, 'second signal: exiting at once');
      process.exit(1);
    }
    logger.info({ signal }, 'shutting down');
    stopRequested();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let server;
  try {
    server = await startServer(config, logger);
  } catch (err) {
    logger.fatal({ err }, 'ducksafe could not start');
    return 1;
  }
  await stopping;
  try {
    await server.close();
  } catch (err) {
    logger.error({ err }, 'shutdown failed');
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err);
    process.exitCode = 1;
  },
);
