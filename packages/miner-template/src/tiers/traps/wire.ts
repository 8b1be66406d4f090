/**
 * Trap material and pools travel through the store as JSON, where a missing number (NaN) becomes
 * null. Reviving them through the wire schemas gives back exactly the objects that were stored,
 * so a resumed cycle rebuilds a bit-identical request.
 */
import { AlertSchema } from '../../schemas/alert.js';
import { ClusterSchema } from '../../schemas/cluster.js';
import { MoneyFlowSchema } from '../../schemas/money-flow.js';
import type { ConformedTrap } from './conform.js';
import type { TrapMaterial } from './material.js';
import type { TrapPool } from './pool.js';

type Json = Record<string, unknown>;

export function reviveMaterial(json: unknown): TrapMaterial {
  const m = json as Json;
  return {
    ...(m as unknown as TrapMaterial),
    alert: AlertSchema.parse(m.alert),
    flows: (m.flows as unknown[]).map((f) => MoneyFlowSchema.parse(f)),
    ledClusters: ((m.ledClusters as unknown[] | undefined) ?? []).map((c) => ClusterSchema.parse(c)),
  };
}

export function revivePool(json: unknown): TrapPool {
  const p = json as Json;
  return {
    seed: Number(p.seed),
    aliases: p.aliases as string[],
    // Pools stored before withholding have none.
    withheld: (p.withheld as string[] | undefined) ?? [],
    lent: (p.lent as string[] | undefined) ?? [],
    traps: (p.traps as Json[]).map(
      (t) =>
        ({
          ...(t as unknown as ConformedTrap),
          alert: AlertSchema.parse(t.alert),
          flows: (t.flows as unknown[]).map((f) => MoneyFlowSchema.parse(f)),
          donorAddress: (t.donorAddress as string | null | undefined) ?? null,
        }) as ConformedTrap,
    ),
    clusters: (p.clusters as Json[]).map((c) => ({
      ...(c as unknown as TrapPool['clusters'][number]),
      template: ClusterSchema.parse(c.template),
    })),
  };
}
