#!/usr/bin/env node
// The `ducksafe` command's entry point. Every running DuckDB query holds one of libuv's
// worker threads, and so does every file access: with libuv's default of 4, a fifth busy
// connection waits for a thread. libuv sizes its pool when it first starts a thread,
// which an ES module's loading already does, so the size is set here, in a CommonJS
// file, before anything else runs. An explicit UV_THREADPOOL_SIZE wins.
'use strict';
process.env.UV_THREADPOOL_SIZE ??= '64';
import('../dist/src/cli.js').catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
