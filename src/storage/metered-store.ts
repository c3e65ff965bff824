// Counts what crosses the boundary to a store — requests by operation, bytes
// read and written — for /metrics. It wraps the raw backend, below the retry
// layer, so a retried request counts as many times as it was sent.
import { PassThrough, type Readable } from 'node:stream';
import type { GetOptions, ListOptions, ObjectMeta, ObjectStore, PutOptions, VersionRef } from './object-store.js';
import { exposesLocalFiles } from './local/local-files.js';
import { exposesPeerCopy, type PeerCopy } from './peer-copy.js';

export interface StoreMeter {
  request(op: string): void;
  read(bytes: number): void;
  written(bytes: number): void;
}

export function metered(inner: ObjectStore, meter: StoreMeter): ObjectStore {
  const counting = (source: Readable): Readable => {
    const out = new PassThrough();
    source.on('data', (chunk: Buffer) => meter.read(chunk.length));
    source.on('error', (err) => out.destroy(err));
    out.on('close', () => {
      if (!source.destroyed) source.destroy();
    });
    return source.pipe(out);
  };
  const wrapped: ObjectStore = {
    url: inner.url,
    capabilities: inner.capabilities,
    async put(key: string, body: Uint8Array | Readable, options?: PutOptions): Promise<ObjectMeta> {
      meter.request('put');
      const meta = await inner.put(key, body, options);
      meter.written(meta.size);
      return meta;
    },
    async putFile(key: string, path: string, options?: PutOptions): Promise<ObjectMeta> {
      meter.request('put');
      const meta = await inner.putFile(key, path, options);
      meter.written(meta.size);
      return meta;
    },
    async get(key: string, options?: GetOptions): Promise<Uint8Array> {
      meter.request('get');
      const body = await inner.get(key, options);
      meter.read(body.length);
      return body;
    },
    async getStream(key: string, options?: GetOptions): Promise<Readable> {
      meter.request('get');
      return counting(await inner.getStream(key, options));
    },
    async getFile(key: string, path: string, options?: GetOptions): Promise<ObjectMeta> {
      meter.request('get');
      const meta = await inner.getFile(key, path, options);
      meter.read(meta.size);
      return meta;
    },
    head(key: string, options?: { readonly versionId?: string }): Promise<ObjectMeta> {
      meter.request('head');
      return inner.head(key, options);
    },
    delete(key: string): Promise<void> {
      meter.request('delete');
      return inner.delete(key);
    },
    deleteVersion(key: string, versionId: string): Promise<void> {
      meter.request('delete');
      return inner.deleteVersion(key, versionId);
    },
    list(options: ListOptions) {
      meter.request('list');
      return inner.list(options);
    },
    deleteVersions(versions: readonly VersionRef[]): Promise<void> {
      meter.request('delete');
      return inner.deleteVersions(versions);
    },
    listVersions(options: ListOptions) {
      meter.request('list');
      return inner.listVersions(options);
    },
    copy(fromKey: string, toKey: string, options?: { readonly versionId?: string }): Promise<ObjectMeta> {
      meter.request('copy');
      return inner.copy(fromKey, toKey, options);
    },
    close: () => inner.close(),
  };
  if (exposesPeerCopy(inner)) {
    const peer: PeerCopy = {
      copyDomain: inner.copyDomain,
      copySource: (key) => inner.copySource(key),
      copyFromPeer: (source, size, toKey, options) => {
        meter.request('copy');
        return inner.copyFromPeer(source, size, toKey, options);
      },
    };
    Object.assign(wrapped, peer);
  }
  // Files a local store serves in place are read by DuckDB directly, not through here.
  if (!exposesLocalFiles(inner)) return wrapped;
  return Object.assign(wrapped, { localPath: (key: string): string => inner.localPath(key) });
}
