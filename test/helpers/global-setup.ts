// Runs once per test run, before any suite. Shared fixtures that are expensive to
// start (the S3 test server) are started here and described to suites through
// environment variables.
export default function setup(): () => Promise<void> {
  return async () => {};
}
