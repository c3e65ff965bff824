import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:', { default_collation: 'nocase' });
const c = await inst.connect();
for (const sql of process.argv.slice(2)) {
  try { const r = await c.runAndReadAll(sql); console.log(sql, '=>', JSON.stringify(r.getRowsJS(), (k,v)=>typeof v==='bigint'?String(v):v)); }
  catch (e) { console.log(sql, 'ERR', e.message.split('\n')[0]); }
}
