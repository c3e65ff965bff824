// LOAD DATA LOCAL INFILE: the server answers the query with this request; the
// client then sends the file's bytes as packets and an empty packet to end them.
import { ResponseHeaders } from '../constants.js';
import type { PayloadWriter } from '../payload-writer.js';

export function writeLocalInfileRequest(writer: PayloadWriter, filename: string): void {
  writer.writeInt1(ResponseHeaders.LOCAL_INFILE);
  writer.writeString(filename);
}
