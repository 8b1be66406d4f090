/** Server configuration: schema and loader. Re-exports only. */
export { defaultConfig, type LoadConfigOptions, loadConfig } from './load.js';
export {
  CONFIG_SOURCES,
  LOG_LEVELS,
  type LogLevel,
  type ServerConfig,
  type ServerConfigField,
  type ServerConfigInput,
  ServerConfigSchema,
} from './schema.js';
