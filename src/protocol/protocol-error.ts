// The one error the codec raises for bytes a peer sent. The server maps each kind to
// a MySQL error of its own choosing; the codec knows no errno (it imports nothing
// from the rest of src/).

export const PROTOCOL_ERROR_KINDS = [
  /** The bytes do not follow the protocol: truncated, length past the end, bad marker. */
  'malformed',
  /** A logical payload is larger than the configured maximum (max_allowed_packet). */
  'packet-too-large',
  /**
   * Well-formed bytes the statement cannot be executed with, e.g. COM_STMT_EXECUTE
   * without parameter types on its first execution (MySQL: ER_WRONG_ARGUMENTS).
   */
  'wrong-arguments',
] as const;

export type ProtocolErrorKind = (typeof PROTOCOL_ERROR_KINDS)[number];

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly kind: ProtocolErrorKind;

  constructor(message: string, kind: ProtocolErrorKind = 'malformed') {
    super(message);
    this.kind = kind;
  }
}
