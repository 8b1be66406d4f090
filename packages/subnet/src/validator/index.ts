/** The validator: cycle, store, scoring, batch sources, traps (the CLI program is re-exported by src/index.ts: it sits above this layer). Pure scoring lives in scoring/. */
export * from './batch-source.js';
export * from './cycle/index.js';
export {
  type DashboardHistory,
  type DashboardStatus,
  type DashboardStore,
  dashboardHistory,
  dashboardStatus,
} from './dashboard/data.js';
export { type DashboardOptions, type DashboardServer, startDashboard } from './dashboard/server.js';
export { EXPORT_FORMATS, type ExportFormat, encodeCanonical } from './export.js';
export { ValidatorMetrics } from './metrics.js';
export { createNeuron, type Neuron, type NeuronOptions, openStore, runLoop } from './neuron.js';
export * from './scoring/index.js';
export {
  formatStatus,
  formatStatusHeader,
  formatTable,
  type StatusReport,
  type StatusRow,
  statusRows,
} from './status.js';
export { PostgresStore, type PostgresStoreOptions } from './store/postgres-store.js';
export { SqliteStore } from './store/sqlite-store.js';
export type * from './store/types.js';
export { BANK_MAX_ENTRIES, BANK_PER_BATCH, bankSettledBatch, poolMaterial } from './traps/trap-bank.js';
