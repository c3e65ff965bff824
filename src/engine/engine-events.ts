// What the engine tells the server about work it did, for metrics: a narrow callback
// so that engine/ records nothing itself and knows no metric names.
export type EngineEvent =
  /** system$fuse_amend brought `recovered` objects back and found `notRecoverable` gone for good. */
  | { readonly kind: 'failSafeRecovery'; readonly recovered: number; readonly notRecoverable: number }
  /** VACUUM (a statement or the background job) removed one object from storage. */
  | { readonly kind: 'vacuumRemoved'; readonly files: number; readonly bytes: number }
  /** Compaction merged `merged` small files of a table into fewer. */
  | { readonly kind: 'compacted'; readonly merged: number };

export interface EngineEvents {
  emit(event: EngineEvent): void;
}

export const NO_EVENTS: EngineEvents = { emit: () => {} };
