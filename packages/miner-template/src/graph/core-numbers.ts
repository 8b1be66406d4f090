/**
 * k-core numbers of an undirected graph in compressed sparse rows (Batagelj–Zaversnik, O(V + E)):
 * the largest k such that a vertex belongs to a subgraph whose vertices all have degree ≥ k.
 * Shared by both SOT producers, which compute the upstream `kcore` column from their own graphs.
 */
export function coreNumbers(offsets: ArrayLike<number>, neighbors: ArrayLike<number>): Int32Array {
  const n = offsets.length - 1;
  const deg = new Int32Array(n);
  let maxDeg = 0;
  for (let v = 0; v < n; v++) {
    deg[v] = offsets[v + 1] - offsets[v];
    if (deg[v] > maxDeg) maxDeg = deg[v];
  }
  const bin = new Int32Array(maxDeg + 1);
  for (let v = 0; v < n; v++) bin[deg[v]]++;
  let start = 0;
  for (let d = 0; d <= maxDeg; d++) {
    const c = bin[d];
    bin[d] = start;
    start += c;
  }
  const vert = new Int32Array(n);
  const pos = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    pos[v] = bin[deg[v]]++;
    vert[pos[v]] = v;
  }
  for (let d = maxDeg; d > 0; d--) bin[d] = bin[d - 1];
  bin[0] = 0;
  for (let i = 0; i < n; i++) {
    const v = vert[i];
    for (let k = offsets[v]; k < offsets[v + 1]; k++) {
      const u = neighbors[k];
      if (deg[u] > deg[v]) {
        const du = deg[u];
        const pu = pos[u];
        const pw = bin[du];
        const w = vert[pw];
        if (u !== w) {
          pos[u] = pw;
          vert[pu] = w;
          pos[w] = pu;
          vert[pw] = u;
        }
        bin[du]++;
        deg[u]--;
      }
    }
  }
  return deg;
}
