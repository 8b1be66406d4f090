/**
 * Version numbers on the wire. Bittensor sends `version` as major·10⁶ + minor·10³ + patch and an
 * axon only applies the nonce-window rule to dendrites at or above 7.2.0, so we always claim a
 * v9-line number (the SDK line we are wire-compatible with).
 */

/** The Bittensor SDK release whose wire format we speak. */
export const BITTENSOR_COMPAT_VERSION = '9.12.0';

/** The lowest version for which the axon enforces the nonce time window (Bittensor's V_7_2_0). */
export const MIN_NONCE_WINDOW_VERSION = 7_002_000;

/** `major·10⁶ + minor·10³ + patch` for a `major.minor.patch` string (each part < 1000). */
export function versionAsInt(version: string): number {
  const m = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) throw new Error(`expected a version as major.minor.patch, got "${version}"`);
  const parts = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (parts.some((p) => p >= 1000)) throw new Error(`expected version parts below 1000, got "${version}"`);
  return parts[0] * 1_000_000 + parts[1] * 1_000 + parts[2];
}

/** The `version` our dendrite and axon put in their TerminalInfo. */
export const WIRE_VERSION = versionAsInt(BITTENSOR_COMPAT_VERSION);

/**
 * The subnet's own protocol version, sent as `version_key` with every weights call. Bumped with
 * every change to the wire protocol or to the scoring (2: scoring that pays only for excess over
 * the reference, docs/validator.md); a subnet owner raises `WeightsVersionKey` to it so weights
 * from validators still on an older scoring are refused.
 */
export const SUBNET_VERSION_KEY = 2;
