// Corpus queries (file:line) that cannot answer as MariaDB does, each with the reason.
// Keep it short: a difference that can be fixed is fixed, not listed here.
export const EXCLUSIONS: Readonly<Record<string, string>> = {};
