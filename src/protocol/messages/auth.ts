// Authentication exchange packets the server sends after the handshake response.
// The client's replies (AuthSwitchResponse, caching_sha2 requests) are raw payloads
// the server reads as bytes.

import { CachingSha2Status } from '../auth/caching-sha2-password.js';
import { ResponseHeaders } from '../constants.js';
import type { PayloadWriter } from '../payload-writer.js';

export interface AuthSwitchRequest {
  readonly pluginName: string;
  /**
   * Plugin data as the plugin expects it. MySQL sends mysql_native_password and
   * caching_sha2_password a 20-byte scramble followed by a NUL (21 bytes).
   */
  readonly pluginData: Uint8Array;
}

export function writeAuthSwitchRequest(writer: PayloadWriter, request: AuthSwitchRequest): void {
  writer.writeInt1(ResponseHeaders.AUTH_SWITCH_REQUEST);
  writer.writeNulTerminatedString(request.pluginName);
  writer.writeBytes(request.pluginData);
}

/**
 * Extra authentication data (0x01 + data), e.g. caching_sha2_password's fast-auth
 * result (0x03 success, 0x04 full authentication needed) or a PEM public key.
 */
export function writeAuthMoreData(writer: PayloadWriter, data: Uint8Array): void {
  writer.writeInt1(ResponseHeaders.AUTH_MORE_DATA);
  writer.writeBytes(data);
}

/**
 * caching_sha2_password full authentication, plain connection: the client's one-byte
 * request for the server's RSA public key (answered with the PEM in AuthMoreData).
 */
export function isPublicKeyRequest(payload: Uint8Array): boolean {
  return payload.length === 1 && payload[0] === CachingSha2Status.REQUEST_PUBLIC_KEY;
}
