// BackupAdminNode → BackupAdminStatement ([D]). The grammar already gives each
// statement its shape; what is left is what a grammar cannot say by name: a WHERE
// column the statement does not filter on, a PROPERTIES key or a table given twice,
// and names too long to be names. Doris compares the WHERE columns case-insensitively.
import { sqlError, type SqlError } from '../../errors/registry.js';
import type { BackupAdminStatement, LabelFilter, Properties, SnapshotScope } from '../backup-statement.js';
import type { BackupAdminNode, BackupConditionNode } from './ast.js';
import { checkIdentifier } from './build-common.js';

export function buildBackupAdmin(node: BackupAdminNode): BackupAdminStatement {
  switch (node.kind) {
    case 'createRepository':
    case 'alterRepository':
      checkIdentifier(node.name);
      checkProperties(node.properties);
      return node;
    case 'dropRepository':
      checkIdentifier(node.name);
      return node;
    case 'showRepositories':
    case 'cancelBackup':
    case 'cancelRestore':
      return node;
    case 'backup':
    case 'restore':
      if (node.db !== undefined) checkIdentifier(node.db);
      checkIdentifier(node.repository);
      checkScope(node.scope);
      checkProperties(node.properties);
      return node;
    case 'showBackup': {
      const { where, ...rest } = node;
      return where === undefined ? rest : { ...rest, where: labelFilter(where, 'SnapshotName', 'SHOW BACKUP') };
    }
    case 'showRestore': {
      const { where, ...rest } = node;
      return where === undefined ? rest : { ...rest, where: labelFilter(where, 'Label', 'SHOW RESTORE') };
    }
    case 'showSnapshot':
      return { kind: 'showSnapshot', repository: node.repository, ...snapshotConditions(node.where) };
    case 'dropSnapshot': {
      const { where, ...rest } = node;
      if (where === undefined) return rest;
      if (where.column.toUpperCase() !== 'TIMESTAMP') throw unknownColumn(where.column, 'DROP SNAPSHOT filters on TIMESTAMP');
      return { ...rest, timestamp: where.value };
    }
  }
}

function unknownColumn(column: string, hint: string): SqlError {
  return sqlError('ER_BAD_FIELD_ERROR', `Unknown column '${column}' in 'where clause': ${hint}`);
}

function labelFilter(condition: BackupConditionNode, column: string, statement: string): LabelFilter {
  if (condition.column.toLowerCase() !== column.toLowerCase()) {
    throw unknownColumn(condition.column, `${statement} filters on ${column} = "..." or ${column} LIKE "..."`);
  }
  return { op: condition.op, value: condition.value };
}

/** SHOW SNAPSHOT's WHERE SNAPSHOT = "label" [AND TIMESTAMP = "ts"], either way round. */
function snapshotConditions(conditions: readonly BackupConditionNode[]): { snapshot?: string; timestamp?: string } {
  let snapshot: string | undefined;
  let timestamp: string | undefined;
  for (const c of conditions) {
    const column = c.column.toUpperCase();
    if (column !== 'SNAPSHOT' && column !== 'TIMESTAMP') throw unknownColumn(c.column, 'SHOW SNAPSHOT filters on SNAPSHOT and TIMESTAMP');
    if ((column === 'SNAPSHOT' ? snapshot : timestamp) !== undefined) {
      throw sqlError('ER_DUP_ARGUMENT', `Column '${c.column}' used twice in the WHERE clause of SHOW SNAPSHOT`);
    }
    if (column === 'SNAPSHOT') snapshot = c.value;
    else timestamp = c.value;
  }
  if (snapshot === undefined) {
    // A timestamp names one snapshot only together with its label.
    if (timestamp !== undefined) throw sqlError('ER_WRONG_USAGE', 'Incorrect usage of TIMESTAMP without SNAPSHOT: write WHERE SNAPSHOT = "<label>" AND TIMESTAMP = "<ts>"');
    return {};
  }
  return timestamp === undefined ? { snapshot } : { snapshot, timestamp };
}

function checkProperties(properties: Properties): void {
  const seen = new Set<string>();
  for (const [key] of properties) {
    if (seen.has(key)) throw sqlError('ER_DUP_ARGUMENT', `Property '${key}' used twice in PROPERTIES`);
    seen.add(key);
  }
}

/** Table names compare case-insensitively, as the catalog compares them. */
function checkScope(scope: SnapshotScope): void {
  switch (scope.kind) {
    case 'all':
      return;
    case 'exclude':
      checkUnique(scope.tables);
      return;
    case 'on':
      checkUnique(scope.tables.map((t) => t.table));
      // Two tables restored under one name would overwrite each other.
      checkUnique(scope.tables.map((t) => t.as ?? t.table));
      return;
  }
}

function checkUnique(names: readonly string[]): void {
  const seen = new Set<string>();
  for (const name of names) {
    checkIdentifier(name);
    const key = name.toLowerCase();
    if (seen.has(key)) throw sqlError('ER_NONUNIQ_TABLE', `Not unique table/alias: '${name}'`);
    seen.add(key);
  }
}
