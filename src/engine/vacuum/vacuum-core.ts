// The part of the engine VACUUM works with: the warehouse and its store, the
// clock, retention settings, pins, and the lock it runs under.
import type { EngineCore } from '../exec/context.js';

export type VacuumCore = Pick<EngineCore, 'warehouse' | 'store' | 'pins' | 'retention' | 'now' | 'tableLock'>;
