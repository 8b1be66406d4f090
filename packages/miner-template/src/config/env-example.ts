/**
 * Renders .env.example from CONFIG_SOURCES so the file and the schema cannot drift (a test
 * compares the committed file with this output).
 */
import { CONFIG_SOURCES, type ServerConfigField } from './schema.js';

const EXAMPLE_VALUES: Partial<Record<ServerConfigField, string>> = {
  host: '127.0.0.1',
  port: '8000',
  modelsDir: 'trained_models',
  bodyLimitMb: '200',
  threads: '1',
  logLevel: 'info',
  shutdownTimeoutMs: '10000',
  validateResponses: 'false',
};

export function renderEnvExample(): string {
  const lines = [
    '# aml-miner serve: environment variables (CLI flags of the same name override them).',
    '# Generated from packages/miner-template/src/config/schema.ts; keep the two in step.',
    '',
  ];
  for (const [field, source] of Object.entries(CONFIG_SOURCES) as [
    ServerConfigField,
    (typeof CONFIG_SOURCES)[ServerConfigField],
  ][]) {
    const flag = source.flag === undefined ? '' : ` (flag ${source.flag})`;
    lines.push(`# ${source.help}${flag}`);
    const value = EXAMPLE_VALUES[field];
    lines.push(value === undefined ? `# ${source.env}=` : `${source.env}=${value}`);
    lines.push('');
  }
  return lines.join('\n');
}
