// Server-side encryption headers for stores that honour them (AWS S3, MinIO with KMS).
// They are set by a middleware on every request that creates an object (PutObject,
// CopyObject, CreateMultipartUpload), so no write path can forget them. ducksafe's own
// encryption (encrypted-store.ts) is independent and works where the store ignores these.
import type { S3Client } from '@aws-sdk/client-s3';

export const SSE_MODES = ['AES256', 'aws:kms'] as const;
export type SseMode = (typeof SSE_MODES)[number];

export interface S3ServerSideEncryption {
  readonly mode: SseMode;
  /** For aws:kms: the KMS key; the bucket's default key when absent. */
  readonly kmsKeyId?: string;
}

/** Commands that create an object and so carry the SSE headers. */
const CREATING_COMMANDS = new Set(['PutObjectCommand', 'CopyObjectCommand', 'CreateMultipartUploadCommand']);

interface SseInput {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
}

interface EtagOutput {
  ServerSideEncryption?: string;
  ETag?: string;
  CopyObjectResult?: { ETag?: string };
}

/**
 * Adds the SSE headers to object-creating requests, and removes ETags from answers about
 * SSE-KMS objects: their ETag is not the MD5 of the content, and copies are verified by
 * comparing a 32-hex-digit ETag with the MD5 of the bytes.
 */
export function addServerSideEncryption(client: S3Client, sse: S3ServerSideEncryption | undefined): void {
  if (sse !== undefined) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (!CREATING_COMMANDS.has(context.commandName ?? '')) return next(args);
        const input: SseInput = {
          ...(args.input as SseInput),
          ServerSideEncryption: sse.mode,
          ...(sse.mode === 'aws:kms' && sse.kmsKeyId !== undefined ? { SSEKMSKeyId: sse.kmsKeyId } : {}),
        };
        return next({ ...args, input: input as typeof args.input });
      },
      { step: 'initialize', name: 'ducksafeServerSideEncryption' },
    );
  }
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const output = result.output as EtagOutput;
      if (output.ServerSideEncryption === 'aws:kms') {
        delete output.ETag;
        if (output.CopyObjectResult !== undefined) delete output.CopyObjectResult.ETag;
      }
      return result;
    },
    { step: 'initialize', name: 'ducksafeKmsEtag' },
  );
}
