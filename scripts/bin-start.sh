#!/usr/bin/env bash
# Start time and peak RSS of the subnet bins (`--help`: everything a bin imports at start, then
# exit), for two builds of the repository side by side, interleaved round by round so both see the
# same machine load. Usage: scripts/bin-start.sh BEFORE_ROOT AFTER_ROOT [ROUNDS]
# Each ROOT holds packages/{miner-template,subnet} with bin/ and a built dist/, and a node_modules
# in which @aml/* point at those packages. Prints one line per bin and build: median seconds and
# median peak RSS (MB), with `node -e 0` in the same rounds as the floor, and `uptime` before and after.
set -euo pipefail
before=$1 after=$2 rounds=${3:-15}
out=$(mktemp)
uptime
for ((i = 0; i < rounds; i++)); do
  /usr/bin/time -f "node-baseline node %e %M" -a -o "$out" node -e 0
  for build in before after; do
    root=$before; [[ $build == after ]] && root=$after
    for bin in aml-miner-proxy aml-validator; do
      /usr/bin/time -f "$build $bin %e %M" -a -o "$out" node "$root/packages/subnet/bin/$bin.js" --help >/dev/null
    done
  done
done
uptime
node -e '
const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map((l) => l.split(" "));
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const [bin, builds] of [["node", ["node-baseline"]], ["aml-miner-proxy", ["before", "after"]], ["aml-validator", ["before", "after"]]]) for (const build of builds) {
  const r = rows.filter((x) => x[0] === build && x[1] === bin);
  const t = r.map((x) => +x[2]);
  console.log(`${bin} ${build}: median ${med(t).toFixed(2)} s (min ${Math.min(...t).toFixed(2)}), median peak RSS ${(med(r.map((x) => +x[3])) / 1024).toFixed(0)} MB (n=${r.length})`);
}' "$out"
rm -f "$out"
