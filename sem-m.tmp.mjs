import { DuckDBInstance } from '@duckdb/node-api';
const { DUCKDB_MACROS } = await import('./dist/src/sql/translate/macros.js');
const inst = await DuckDBInstance.create(':memory:', {default_collation:'noaccent.nocase'});
const c = await inst.connect();
for (const m of DUCKDB_MACROS) await c.run(m);
for (const q of process.argv.slice(2)) {
  try { const r = await c.runAndReadAll(q); console.log(q, '=>', JSON.stringify(r.getRowObjectsJS(), (k,v)=>typeof v==='bigint'?String(v):v)); } catch(e) { console.log(q, 'ERR', e.message.slice(0,300)); }
}
