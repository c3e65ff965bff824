// The fail-safe statements ([E]) as the engine gets them: CALL names a procedure with
// string arguments (the only one there is: system$fuse_amend); COPY INTO's and a staged
// read's options are checked and given Databend's defaults.
import { sqlError } from '../../errors/registry.js';
import { FILE_FORMAT_TYPES, type FailSafeStatement, type FileFormat, type FileFormatType, type StageRead } from '../failsafe-statement.js';
import type { CopyOptionNode, FailSafeNode, TableNode } from './ast.js';
import { objectName } from './build-common.js';

const FUSE_AMEND = 'system$fuse_amend';

const CSV_OPTIONS = ['type', 'skip_header', 'field_delimiter', 'record_delimiter', 'quote', 'escape', 'null_display'] as const;
const RECORD_DELIMITERS: Readonly<Record<string, string>> = { '\n': '\n', '\\n': '\n', '\r\n': '\r\n', '\\r\\n': '\r\n' };

function wrong(message: string): never {
  throw sqlError('ER_WRONG_ARGUMENTS', message);
}

function formatType(value: string): FileFormatType {
  const type = value.toLowerCase();
  if (!(FILE_FORMAT_TYPES as readonly string[]).includes(type)) {
    wrong(`Unknown file format type '${value}' (known: ${FILE_FORMAT_TYPES.map((t) => t.toUpperCase()).join(', ')})`);
  }
  return type as FileFormatType;
}

function oneCharacter(name: string, value: string): string {
  if ([...value].length !== 1) wrong(`FILE_FORMAT option ${name.toUpperCase()} must be one character, not '${value}'`);
  return value;
}

function fileFormat(options: readonly (readonly [name: string, value: string])[]): FileFormat {
  const given = new Map<string, string>();
  for (const [name, value] of options) {
    if (given.has(name)) wrong(`FILE_FORMAT option ${name.toUpperCase()} is given twice`);
    given.set(name, value);
  }
  const type = formatType(given.get('type') ?? 'parquet');
  const allowed: readonly string[] = type === 'csv' ? CSV_OPTIONS : ['type'];
  for (const name of given.keys()) {
    if (!allowed.includes(name)) wrong(`FILE_FORMAT option ${name.toUpperCase()} does not apply to ${type.toUpperCase()} files`);
  }
  if (type === 'parquet') return { type };
  const skip = given.get('skip_header') ?? '0';
  if (!/^\d{1,9}$/.test(skip)) wrong(`FILE_FORMAT option SKIP_HEADER must be a whole number, not '${skip}'`);
  const record = given.get('record_delimiter') ?? '\n';
  const recordDelimiter = RECORD_DELIMITERS[record];
  if (recordDelimiter === undefined) wrong(`FILE_FORMAT option RECORD_DELIMITER must be '\\n' or '\\r\\n'`);
  return {
    type,
    skipHeader: Number(skip),
    fieldDelimiter: oneCharacter('field_delimiter', given.get('field_delimiter') ?? ','),
    recordDelimiter,
    quote: oneCharacter('quote', given.get('quote') ?? '"'),
    escape: oneCharacter('escape', given.get('escape') ?? '"'),
    nullDisplay: given.get('null_display') ?? '\\N',
  };
}

function copyInto(node: Extract<FailSafeNode, { kind: 'copyInto' }>): FailSafeStatement {
  let files: string[] | undefined;
  let pattern: string | undefined;
  let format: FileFormat | undefined;
  const once = (option: CopyOptionNode['kind'], seen: boolean): void => {
    if (seen) wrong(`COPY INTO option ${option === 'fileFormat' ? 'FILE_FORMAT' : option.toUpperCase()} is given twice`);
  };
  for (const option of node.options) {
    switch (option.kind) {
      case 'files':
        once('files', files !== undefined);
        files = [...option.files];
        break;
      case 'pattern':
        once('pattern', pattern !== undefined);
        pattern = option.pattern;
        break;
      case 'fileFormat':
        once('fileFormat', format !== undefined);
        format = fileFormat(option.options);
        break;
    }
  }
  return {
    kind: 'copyInto',
    table: objectName(node.table),
    from: node.from,
    ...(files === undefined ? {} : { files }),
    ...(pattern === undefined ? {} : { pattern }),
    format: format ?? { type: 'parquet' },
  };
}

export function failSafeStatement(node: FailSafeNode): FailSafeStatement {
  switch (node.kind) {
    case 'call': {
      if (node.procedure.toLowerCase() !== FUSE_AMEND) throw sqlError('ER_SP_DOES_NOT_EXIST', `PROCEDURE ${node.procedure} does not exist`);
      const [db, table] = node.args;
      if (node.args.length !== 2 || db === undefined || table === undefined) {
        throw sqlError('ER_SP_WRONG_NO_OF_ARGS', `Incorrect number of arguments for PROCEDURE ${FUSE_AMEND}; expected 2, got ${node.args.length}`);
      }
      return { kind: 'fuseAmend', db, table, dryRun: node.dryRun };
    }
    case 'copyInto':
      return copyInto(node);
    default:
      return node;
  }
}

/** `FROM @stage/path (FILE_FORMAT => 'csv', PATTERN => '...')`: parquet unless said otherwise. */
export function stageRead(stage: NonNullable<TableNode['stage']>): StageRead {
  let format: FileFormatType = 'parquet';
  let pattern: string | undefined;
  for (const [name, value] of stage.options) {
    if (name === 'file_format') format = formatType(value);
    else if (name === 'pattern') pattern = value;
    else wrong(`Unknown option ${name.toUpperCase()} for reading a stage (known: FILE_FORMAT, PATTERN)`);
  }
  return pattern === undefined ? { at: stage.at, format } : { at: stage.at, format, pattern };
}
