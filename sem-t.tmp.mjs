import { DuckDBInstance } from '@duckdb/node-api';
const inst = await DuckDBInstance.create(':memory:', {autoinstall_known_extensions:'false', autoload_known_extensions:'true', default_collation:'noaccent.nocase', default_null_order:'nulls_first_on_asc_last_on_desc'});
const c = await inst.connect();
const qs = process.argv.slice(2);
for (const q of qs) {
  try { const r = await c.runAndReadAll(q); console.log(q, '=>', JSON.stringify(r.getRowObjectsJS(), (k,v)=>typeof v==='bigint'?String(v):v)); } catch(e) { console.log(q, 'ERR', e.message.slice(0,300)); }
}
