// The storage engines SHOW ENGINES and information_schema.ENGINES list. Every
// table is a DUCKSAFE table; InnoDB is named as well because tools (DBeaver, ORMs
// emitting ENGINE=InnoDB) expect it, and CREATE TABLE accepts it.

export interface EngineInfo {
  readonly engine: string;
  readonly support: 'DEFAULT' | 'YES' | 'NO';
  readonly comment: string;
  readonly transactions: 'YES' | 'NO' | null;
  readonly xa: 'YES' | 'NO' | null;
  readonly savepoints: 'YES' | 'NO' | null;
}

export const ENGINES: readonly EngineInfo[] = [
  { engine: 'DUCKSAFE', support: 'DEFAULT', comment: 'Parquet files on versioned object storage, with time travel', transactions: 'YES', xa: 'NO', savepoints: 'NO' },
  { engine: 'InnoDB', support: 'YES', comment: 'Accepted in CREATE TABLE; stored as DUCKSAFE', transactions: 'YES', xa: 'NO', savepoints: 'NO' },
];
