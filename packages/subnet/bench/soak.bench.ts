/**
 * Bounded load and soak of the miner API and the axon proxy (issue 17, item 5), as an operator runs
 * them: the built bins in their own processes (`npm run build` first), 32 connections for 60 s
 * each (SOAK_SECONDS, SOAK_CONNECTIONS), batch sizes 1, 10, 100 and 500 alerts in turn on every
 * connection, after a 10 s warm-up. Reports requests, errors, 5xx, p50/p99/max latency and the
 * server's RSS growth over the measured run; exits 1 unless errors = 0 and RSS growth < 10 %.
 * SOAK_TARGETS=proxy (or api) loads only one of them.
 * Run: `node --import tsx bench/soak.bench.ts` from packages/subnet (or `npm run bench -- soak`).
 * The load generator shares the machine's cores with the servers.
 */
import { built } from '../test/support/bin-process.js';
import { type SoakFigures, soakMinerApi, soakProxy, soakSigners } from '../test/support/soak.js';
import { startSoakServers } from '../test/support/soak-servers.js';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 32);
const WARMUP = Number(process.env.SOAK_WARMUP_SECONDS ?? 10);
/** `api`, `proxy` or both (default). */
const TARGETS = (process.env.SOAK_TARGETS ?? 'api,proxy').split(',');

function row(f: SoakFigures): string {
  return `| ${f.target} | ${f.requests} | ${(f.requests / f.seconds).toFixed(0)} | ${f.errors} | ${f.fiveXx} | ${f.p50Ms} | ${f.p99Ms} | ${f.maxMs} | ${f.rssStartMb} → ${f.rssEndMb} (max ${f.rssMaxMb}) | ${f.rssGrowthPct} % |`;
}

async function main() {
  if (!built) throw new Error('build the packages first (npm run build)');
  const signers = soakSigners(CONNECTIONS);
  const servers = await startSoakServers(signers.map((s) => s.address));
  try {
    const options = { seconds: SECONDS, connections: CONNECTIONS, warmupSeconds: WARMUP };
    const figures: SoakFigures[] = [];
    if (TARGETS.includes('api'))
      figures.push(await soakMinerApi(servers.apiUrl, { ...options, pid: servers.api.child.pid! }));
    if (TARGETS.includes('proxy'))
      figures.push(await soakProxy(servers.axon, signers, { ...options, pid: servers.proxy.child.pid! }));
    console.log(
      `${CONNECTIONS} connections, ${SECONDS} s each after ${WARMUP} s warm-up; batches of 1/10/100/500 alerts in turn`,
    );
    console.log(
      '| target | requests | req/s | errors | 5xx | p50 ms | p99 ms | max ms | RSS MB | RSS growth |',
    );
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: |');
    for (const f of figures) console.log(row(f));
    for (const f of figures)
      if (f.errors > 0) console.log(`${f.target} errors: ${JSON.stringify(f.errorKinds)}`);
    const bad = figures.filter((f) => f.errors > 0 || f.fiveXx > 0 || f.rssGrowthPct >= 10);
    if (bad.length > 0) {
      console.error(`FAILED: ${bad.map((f) => f.target).join(', ')} (errors, 5xx or RSS growth >= 10 %)`);
      process.exitCode = 1;
    }
  } finally {
    await servers.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
