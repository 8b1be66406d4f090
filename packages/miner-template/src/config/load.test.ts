import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isAmlError } from '../errors.js';
import { renderEnvExample } from './env-example.js';
import { defaultConfig, loadConfig } from './load.js';
import { CONFIG_SOURCES } from './schema.js';

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isAmlError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an error');
}

describe('loadConfig', () => {
  it('has the documented defaults, with paths resolved against cwd', () => {
    const config = defaultConfig('/srv/miner');
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8000,
      modelsDir: '/srv/miner/trained_models',
      alertScorerPath: undefined,
      alertRankerPath: undefined,
      clusterScorerPath: undefined,
      bodyLimitMb: 200,
      threads: 1,
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
      validateResponses: false,
    });
  });

  it('reads environment variables and lets flags override them', () => {
    const config = loadConfig({
      cwd: '/w',
      env: {
        AML_HOST: '0.0.0.0',
        AML_PORT: '9000',
        AML_MODELS_DIR: 'models',
        AML_ALERT_SCORER_PATH: '/abs/alert.onnx',
        AML_BODY_LIMIT_MB: '12.5',
        AML_THREADS: '2',
        AML_WORKERS: '3',
        AML_LOG_LEVEL: 'DEBUG',
        AML_VALIDATE_RESPONSES: 'yes',
      },
      flags: { port: '9100', threads: undefined, workers: '0' },
    });
    expect(config.workers).toBe(0);
    expect(config.host).toBe('0.0.0.0');
    expect(config.port).toBe(9100);
    expect(config.modelsDir).toBe('/w/models');
    expect(config.alertScorerPath).toBe('/abs/alert.onnx');
    expect(config.bodyLimitMb).toBe(12.5);
    expect(config.threads).toBe(2);
    expect(config.logLevel).toBe('debug');
    expect(config.validateResponses).toBe(true);
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ env: { AML_PORT: '' } }).port).toBe(8000);
  });

  it('names the variable or flag of an invalid value', () => {
    const port = errorOf(() => loadConfig({ env: { AML_PORT: 'eighty' } }));
    expect(port.code).toBe('AML_ERR_CONFIG_INVALID');
    expect(port.message).toContain('AML_PORT="eighty"');
    expect(errorOf(() => loadConfig({ env: { AML_PORT: '70000' } })).message).toContain('AML_PORT');
    expect(errorOf(() => loadConfig({ env: {}, flags: { port: '-1' } })).message).toContain('--port="-1"');
    expect(errorOf(() => loadConfig({ env: { AML_THREADS: '1.5' } })).message).toContain('AML_THREADS');
    expect(errorOf(() => loadConfig({ env: { AML_WORKERS: '-1' } })).message).toContain('AML_WORKERS');
    expect(errorOf(() => loadConfig({ env: { AML_LOG_LEVEL: 'loud' } })).message).toContain('AML_LOG_LEVEL');
    expect(errorOf(() => loadConfig({ env: { AML_BODY_LIMIT_MB: '0' } })).message).toContain(
      'AML_BODY_LIMIT_MB',
    );
    expect(errorOf(() => loadConfig({ env: { AML_VALIDATE_RESPONSES: 'maybe' } })).message).toContain(
      'AML_VALIDATE_RESPONSES',
    );
  });

  it('.env.example at the repo root lists every variable (regenerate with renderEnvExample)', () => {
    const path = fileURLToPath(new URL('../../../../.env.example', import.meta.url));
    // The file opens with the server's variables; docker-compose.yml's own follow them (checked in
    // packages/subnet/test/packaging/docker.test.ts).
    const rendered = renderEnvExample();
    expect(readFileSync(path, 'utf8').slice(0, rendered.length)).toBe(rendered);
  });

  it("docs/api.md's configuration table gives each variable the schema's default", () => {
    const doc = readFileSync(fileURLToPath(new URL('../../../../docs/api.md', import.meta.url)), 'utf8');
    const defaults = defaultConfig('/srv') as Record<string, unknown>;
    for (const [field, source] of Object.entries(CONFIG_SOURCES)) {
      const row = doc
        .split('\n')
        .find((line) => /^\| `AML_/.test(line) && line.includes(`\`${source.env}\``));
      expect(row, source.env).toBeDefined();
      const value = defaults[field];
      if (typeof value === 'number' || typeof value === 'boolean')
        expect(row!.split('|')[3]!.trim(), source.env).toBe(`\`${value}\``);
    }
  });
});
