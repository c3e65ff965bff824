import { Readable } from 'node:stream';
import { CopyObjectCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { addServerSideEncryption, type S3ServerSideEncryption } from './s3-sse.js';

interface Seen {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
}

/** A client whose requests never leave the process: each is recorded and answered with `reply`. */
function recordingClient(sse: S3ServerSideEncryption | undefined, reply: { headers: Record<string, string>; body: string }): { client: S3Client; seen: Seen[] } {
  const seen: Seen[] = [];
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: 'http://127.0.0.1:9',
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-real-secret' },
    maxAttempts: 1,
    requestHandler: {
      handle: (request: { method: string; path: string; headers: Record<string, string> }) => {
        seen.push({ method: request.method, path: request.path, headers: { ...request.headers } });
        return Promise.resolve({ response: { statusCode: 200, headers: reply.headers, body: Readable.from([Buffer.from(reply.body)]) } });
      },
    },
  });
  addServerSideEncryption(client, sse);
  return { client, seen };
}

const COPY_RESULT = '<?xml version="1.0" encoding="UTF-8"?><CopyObjectResult><ETag>"0123456789abcdef0123456789abcdef"</ETag></CopyObjectResult>';
const UPLOAD_RESULT = '<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>u1</UploadId></InitiateMultipartUploadResult>';

describe('server-side encryption headers', () => {
  it('sends AES256 on every request that creates an object, and nothing on reads', async () => {
    const { client, seen } = recordingClient({ mode: 'AES256' }, { headers: { etag: '"0123456789abcdef0123456789abcdef"' }, body: '' });
    await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' }));
    await client.send(new GetObjectCommand({ Bucket: 'b', Key: 'k' }));
    const copy = recordingClient({ mode: 'AES256' }, { headers: {}, body: COPY_RESULT });
    await copy.client.send(new CopyObjectCommand({ Bucket: 'b', Key: 'k2', CopySource: 'b/k' }));
    const upload = recordingClient({ mode: 'AES256' }, { headers: {}, body: UPLOAD_RESULT });
    await upload.client.send(new CreateMultipartUploadCommand({ Bucket: 'b', Key: 'k3' }));
    const sent = [...seen, ...copy.seen, ...upload.seen].map((r) => r.headers['x-amz-server-side-encryption']);
    expect(sent).toEqual(['AES256', undefined, 'AES256', 'AES256']);
    for (const c of [client, copy.client, upload.client]) c.destroy();
  });

  it('sends aws:kms with the key id, and drops the ETag of KMS objects (it is not their MD5)', async () => {
    const kms = { mode: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:111122223333:key/test' } as const;
    const { client, seen } = recordingClient(kms, { headers: { etag: '"0123456789abcdef0123456789abcdef"', 'x-amz-server-side-encryption': 'aws:kms' }, body: '' });
    const out = await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' }));
    expect(seen[0]?.headers['x-amz-server-side-encryption']).toBe('aws:kms');
    expect(seen[0]?.headers['x-amz-server-side-encryption-aws-kms-key-id']).toBe(kms.kmsKeyId);
    expect(out.ETag).toBeUndefined();
    client.destroy();
  });

  it('sends no header without a setting, and keeps the ETag of other objects', async () => {
    const { client, seen } = recordingClient(undefined, { headers: { etag: '"0123456789abcdef0123456789abcdef"' }, body: '' });
    const out = await client.send(new PutObjectCommand({ Bucket: 'b', Key: 'k', Body: 'x' }));
    expect(seen[0]?.headers['x-amz-server-side-encryption']).toBeUndefined();
    expect(out.ETag).toBe('"0123456789abcdef0123456789abcdef"');
    client.destroy();
  });
});
