/**
 * docker-compose.yml against the code and .env.example (no Docker engine here): the services run
 * real bins with real flags, publish and probe the ports and routes the servers use, the proxy waits
 * for a healthy API and reaches it by service name, wallets are mounted read-only where --wallet.path
 * points, the validator profile keeps its store on a named volume, and every variable is accounted
 * for (substituted ones listed in .env.example with the same default, container ones read by code).
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { defaultConfig } from '@aml/miner-template';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  argProblems,
  binOwner,
  envExample,
  optionDefault,
  programFor,
  readRepoText,
  repoPath,
  sourceMentions,
} from './repo-facts.js';

interface Service {
  build?: { context: string; dockerfile: string };
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  env_file?: { path: string; required: boolean }[];
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const RAW = readRepoText('docker-compose.yml');
const REFERENCE = /\$\{(\w+)(?:(:?-)([^}]*))?\}/g;
/** The line in .env.example where docker-compose.yml's own variables begin. */
const COMPOSE_SECTION = '# ---- docker-compose.yml';

/** Compose's `${NAME}`, `${NAME:-default}` and `${NAME-default}` substitution over every string. */
function interpolate<T>(value: T, vars: Map<string, string>): T {
  if (typeof value === 'string')
    return value.replace(REFERENCE, (_, name: string, op?: string, fallback?: string) => {
      const set = vars.get(name);
      if (set === undefined || (op === ':-' && set === '')) return fallback ?? '';
      return set;
    }) as T;
  if (Array.isArray(value)) return value.map((v) => interpolate(v, vars)) as T;
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, vars)])) as T;
  return value;
}

const references = [...RAW.matchAll(REFERENCE)].map((m) => ({ name: m[1], op: m[2], fallback: m[3] }));
const example = envExample();
const exampleValues = new Map(example.filter((e) => !e.commented).map((e) => [e.name, e.value]));

/** The file as Compose sees it: with no .env at all, and with .env copied from .env.example. */
const bare = interpolate(parse(RAW) as Compose, new Map());
const withExample = interpolate(parse(RAW) as Compose, exampleValues);

/** The value after `flag` in a command line. */
function flagValue(command: string[], flag: string): string | undefined {
  const i = command.indexOf(flag);
  return i < 0 ? undefined : command[i + 1];
}

/** Port and path probed by a `CMD node -e "fetch('http://127.0.0.1:PORT/PATH')..."` healthcheck. */
function probe(service: Service): { port: string; path: string } {
  const test = service.healthcheck?.test ?? [];
  expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
  const m = /fetch\('http:\/\/127\.0\.0\.1:(\d+)(\/[\w/-]*)'\)/.exec(test[3]);
  expect(m, `probe URL in ${test[3]}`).not.toBeNull();
  return { port: m![1], path: m![2] };
}

let apiPort: string;
let axonPort: string;

beforeAll(async () => {
  apiPort = String(defaultConfig('/').port);
  axonPort = String(optionDefault(await programFor('aml-miner-proxy'), '--axon.port'));
});

describe.each([
  ['without .env', bare],
  ['with .env from .env.example', withExample],
])('docker-compose.yml %s', (_, compose) => {
  const { services } = compose;

  it('has the miner pair by default and the validator behind its profile', () => {
    expect(Object.keys(services).sort()).toEqual(['miner-api', 'miner-proxy', 'validator']);
    expect(services['miner-api'].profiles).toBeUndefined();
    expect(services['miner-proxy'].profiles).toBeUndefined();
    expect(services.validator.profiles).toEqual(['validator']);
  });

  it('builds each service from a Dockerfile that ships the bin it runs', () => {
    const shipped: Record<string, string> = {
      'Dockerfile.miner-api': '@aml/miner-template',
      'Dockerfile.neuron': '@aml/subnet',
    };
    for (const [name, service] of Object.entries(services)) {
      const dockerfile = service.build!.dockerfile;
      expect(readFileSync(repoPath(service.build!.context, dockerfile), 'utf8')).toContain('FROM ');
      const bin = service.command?.[0] ?? 'aml-miner';
      expect(binOwner(bin)?.name, `${name} runs ${bin}`).toBe(shipped[dockerfile]);
    }
    expect(services.validator.image).toBe(services['miner-proxy'].image);
  });

  it('passes only flags the programs declare, with values they accept', async () => {
    for (const service of [services['miner-proxy'], services.validator]) {
      const [bin, ...args] = service.command!;
      expect(argProblems(await programFor(bin), args), bin).toEqual([]);
    }
  });

  it('wires the proxy to the API by service name, after the API is healthy', () => {
    const proxy = services['miner-proxy'];
    expect(proxy.depends_on).toEqual({ 'miner-api': { condition: 'service_healthy' } });
    const api = new URL(flagValue(proxy.command!, '--miner.api_url')!);
    expect(api.hostname).toBe('miner-api');
    expect(api.port).toBe(apiPort);
    expect(services['miner-api'].environment?.AML_PORT).toBe(apiPort);
    // the server binds 127.0.0.1 unless told; in its container it must listen on every interface
    // for the proxy to reach it, while the host publishes it on loopback only
    expect(services['miner-api'].environment?.AML_HOST).toBe('0.0.0.0');
    expect(services['miner-api'].ports).toEqual([`127.0.0.1:${apiPort}:${apiPort}`]);
  });

  it('publishes and probes the ports and routes the servers use', () => {
    const api = services['miner-api'];
    expect(api.ports?.map((p) => p.split(':').at(-1))).toEqual([apiPort]);
    expect(probe(api)).toEqual({ port: apiPort, path: '/health' });

    const proxy = services['miner-proxy'];
    expect(flagValue(proxy.command!, '--axon.port')).toBe(axonPort);
    expect(proxy.ports?.map((p) => p.split(':').at(-1))).toEqual([axonPort]);
    expect(probe(proxy)).toEqual({ port: axonPort, path: '/healthz' });

    const validator = services.validator;
    expect(validator.ports).toBeUndefined();
    expect(probe(validator)).toEqual({
      port: flagValue(validator.command!, '--metrics.port'),
      path: '/metrics',
    });
    // The validator's metrics server answers /metrics on 127.0.0.1, where the probe runs.
    const source = readRepoText('packages/subnet/src/validator/cli-program.ts');
    expect(source).toContain("req.url !== '/metrics'");
    expect(source).toMatch(/listen\(opts\['metrics\.port'\], '127\.0\.0\.1'\)/);
  });

  it('mounts the wallets read-only where --wallet.path points', () => {
    for (const service of [services['miner-proxy'], services.validator]) {
      const path = flagValue(service.command!, '--wallet.path')!;
      const mount = service.volumes!.find((v) => v.split(':')[1] === path);
      expect(mount?.split(':')[2]).toBe('ro');
      expect(mount?.split(':')[0]).toBe('~/.bittensor/wallets');
    }
  });

  it('runs the validator on finney, netuid 42, with its store on a named volume', () => {
    const { command, volumes } = services.validator;
    expect(command![0]).toBe('aml-validator');
    expect(flagValue(command!, '--netuid')).toBe('42');
    expect(flagValue(command!, '--subtensor.network')).toBe('finney');
    const store = flagValue(command!, '--store.path')!;
    const volume = volumes!.map((v) => v.split(':')).find(([, target]) => target === posix.dirname(store));
    expect(volume).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(volume![0]);
  });

  it('sets only container variables the code reads, and takes the API settings from .env', () => {
    for (const service of Object.values(services)) {
      for (const name of Object.keys(service.environment ?? {}))
        expect(sourceMentions(name), `${name} is read by no source file`).toBe(true);
    }
    expect(services['miner-api'].env_file).toEqual([{ path: '.env', required: false }]);
  });
});

describe('.env.example and docker-compose.yml', () => {
  const markerLine =
    readRepoText('.env.example')
      .split('\n')
      .findIndex((l) => l.startsWith(COMPOSE_SECTION)) + 1;
  const section = example.findIndex((e) => e.line > markerLine);

  it('gives every substituted variable a default equal to its .env.example value', () => {
    expect(references.length).toBeGreaterThan(0);
    for (const ref of references) {
      expect(ref.op, `${ref.name} has a default`).toBe(':-');
      expect(exampleValues.get(ref.name), `${ref.name} in .env.example`).toBe(ref.fallback);
    }
  });

  it('lists in its compose section only variables the compose file uses', () => {
    expect(section).toBeGreaterThan(0);
    const used = new Set(references.map((r) => r.name));
    for (const entry of example.slice(section)) expect(used.has(entry.name), entry.name).toBe(true);
  });

  it('lists before that section only variables the code reads', () => {
    for (const entry of example.slice(0, section))
      expect(sourceMentions(entry.name), `${entry.name} is read by no source file`).toBe(true);
  });
});
