// The part of the engine VACUUM works with: the warehouse and its store, the
// clock, retention settings, pins, the lock it runs under, and where it reports progress.
import type { EngineCore } from '../exec/context.js';

export type VacuumCore = Pick<EngineCore, 'warehouse' | 'store' | 'pins' | 'retention' | 'now' | 'tableLock' | 'logger' | 'events' | 'work'>;
