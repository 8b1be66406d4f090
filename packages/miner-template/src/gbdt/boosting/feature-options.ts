/**
 * Per-feature training options resolved against the data's feature names: which features are
 * categorical (LightGBM's categorical_feature, indices or "name:" names) and the monotone
 * direction of each feature. Mistakes are errors naming the parameter.
 */
import { amlError, ERRORS } from '../../errors.js';
import type { GbdtParams } from '../params.js';

export function categoricalFeatures(params: GbdtParams, featureNames: readonly string[]): Set<number> {
  const spec = params.categorical_feature;
  const out = new Set<number>();
  if (spec === undefined) return out;
  const fail = (what: string) => amlError(ERRORS.AML_ERR_GBDT_PARAM, ['categorical_feature', what]);
  if (typeof spec === 'string' && spec.trim().startsWith('name:')) {
    for (const raw of spec.trim().slice(5).split(',')) {
      const name = raw.trim();
      if (name === '') continue;
      const f = featureNames.indexOf(name);
      if (f < 0) throw fail(`no feature named "${name}"`);
      out.add(f);
    }
    return out;
  }
  const items = typeof spec === 'string' ? spec.split(',').filter((t) => t.trim() !== '') : spec;
  for (const item of items) {
    const f = Number(item);
    if (!Number.isInteger(f) || f < 0 || f >= featureNames.length) {
      throw fail(`"${String(item).trim()}" is not a feature index below ${featureNames.length}`);
    }
    out.add(f);
  }
  return out;
}

/** The monotone directions as an Int8Array, or undefined when none were given. */
export function monotoneDirections(params: GbdtParams, numFeatures: number): Int8Array | undefined {
  const list = params.monotone_constraints;
  if (list === undefined || list.length === 0) return undefined;
  if (list.length !== numFeatures) {
    throw amlError(ERRORS.AML_ERR_GBDT_PARAM, [
      'monotone_constraints',
      `expected ${numFeatures} values (one per feature), got ${list.length}`,
    ]);
  }
  return Int8Array.from(list);
}
