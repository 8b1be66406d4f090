import { sha3_256 } from '@noble/hashes/sha3.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { sr25519PairFromSeed, sr25519Verify } from '@polkadot/util-crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyHashOf, EMPTY_BODY_HASH, sha3Hex, synapseBodyHash } from './body-hash.js';
import { decodeSynapseBody, encodeSynapseBody } from './codec.js';
import { decodeHeaders, encodeHeaders, pythonFloatString } from './headers.js';
import { NonceClock, NonceGuard } from './nonce.js';
import { createSr25519Signer, cryptoReady, signingMessage, signRequest, verifyRequest } from './signing.js';
import { AmlScoringSynapseSchema, createSynapse, parseSynapseResponse } from './synapse.js';
import { versionAsInt, WIRE_VERSION } from './version.js';

// an implementation independent of the one under test (which uses node:crypto)
const nobleSha3 = (s: string) => bytesToHex(sha3_256(utf8ToBytes(s)));
// Substrate's published dev vector: this seed's sr25519 key has this SS58 (prefix 42) address.
const DEV_SEED = '0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e';
const DEV_ADDRESS = '5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV';
const ALICE = '5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY';

beforeAll(async () => {
  await cryptoReady();
});

describe('body hash', () => {
  it('matches the published SHA3-256 vectors', () => {
    expect(sha3Hex('')).toBe(EMPTY_BODY_HASH);
    expect(sha3Hex('')).toBe('a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a');
    expect(sha3Hex('abc')).toBe('3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532');
    expect(bodyHashOf([])).toBe(EMPTY_BODY_HASH);
  });
  it('is sha3(hex(sha3(batch_id))) per an independent SHA3', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (batchId) => {
        expect(synapseBodyHash({ batch_id: batchId })).toBe(nobleSha3(nobleSha3(batchId)));
        expect(synapseBodyHash({ batch_id: batchId, batch_arrow: null })).toBe(nobleSha3(nobleSha3(batchId)));
      }),
    );
  });
  it('covers batch_arrow when present: sha3(hex(sha3(batch_id)) + hex(sha3(batch_arrow)))', () => {
    fc.assert(
      fc.property(fc.string(), fc.base64String({ minLength: 4 }), (batchId, arrow) => {
        const expected = nobleSha3(nobleSha3(batchId) + nobleSha3(arrow));
        expect(synapseBodyHash({ batch_id: batchId, batch_arrow: arrow })).toBe(expected);
      }),
    );
    // one changed character of the batch changes the hash
    expect(synapseBodyHash({ batch_id: 'b', batch_arrow: 'AAAA' })).not.toBe(
      synapseBodyHash({ batch_id: 'b', batch_arrow: 'AAAB' }),
    );
  });
});

describe('version', () => {
  it('encodes major·10⁶ + minor·10³ + patch', () => {
    expect(versionAsInt('7.2.0')).toBe(7_002_000);
    expect(versionAsInt('9.12.3')).toBe(9_012_003);
    expect(WIRE_VERSION).toBeGreaterThanOrEqual(7_002_000);
    expect(() => versionAsInt('1.2')).toThrow();
  });
});

describe('signatures', () => {
  it('derives the published address from the dev seed', () => {
    const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
    expect(keyring.addFromSeed(Buffer.from(DEV_SEED.slice(2), 'hex')).address).toBe(DEV_ADDRESS);
  });
  it('signs the documented message and verifies only for that message', () => {
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromSeed(
      Buffer.from(DEV_SEED.slice(2), 'hex'),
    );
    const fields = {
      nonce: 1732560000123456789n,
      axonHotkey: ALICE,
      dendriteUuid: 'uuid-1',
      bodyHash: EMPTY_BODY_HASH,
    };
    const sig = signRequest(pair, fields);
    expect(sig).toMatch(/^0x[0-9a-f]{128}$/);
    const message = `1732560000123456789.${DEV_ADDRESS}.${ALICE}.uuid-1.${EMPTY_BODY_HASH}`;
    expect(signingMessage({ ...fields, dendriteHotkey: DEV_ADDRESS })).toBe(message);
    // Verified with the raw primitive, independent of verifyRequest.
    expect(sr25519Verify(new TextEncoder().encode(message), sig, pair.publicKey)).toBe(true);
    expect(verifyRequest(sig, { ...fields, dendriteHotkey: DEV_ADDRESS })).toBe(true);
    expect(verifyRequest(sig, { ...fields, nonce: fields.nonce + 1n, dendriteHotkey: DEV_ADDRESS })).toBe(
      false,
    );
    expect(verifyRequest(sig, { ...fields, axonHotkey: DEV_ADDRESS, dendriteHotkey: DEV_ADDRESS })).toBe(
      false,
    );
    expect(verifyRequest(undefined, { ...fields, dendriteHotkey: DEV_ADDRESS })).toBe(false);
    expect(verifyRequest('', { ...fields, dendriteHotkey: DEV_ADDRESS })).toBe(false);
    expect(verifyRequest('0xzz', { ...fields, dendriteHotkey: DEV_ADDRESS })).toBe(false);
    expect(verifyRequest(sig, { ...fields, dendriteHotkey: 'not-an-address' })).toBe(false);
    expect(u8aToHex(pair.publicKey)).toMatch(/^0x[0-9a-f]{64}$/);
  });
});

describe('fast signer', () => {
  it('has the keyring address and signs what the pure-JS verifier accepts', () => {
    const seed = Buffer.from(DEV_SEED.slice(2), 'hex');
    const signer = createSr25519Signer(sr25519PairFromSeed(seed));
    expect(signer.address).toBe(DEV_ADDRESS);
    const message = new TextEncoder().encode('1.a.b.c.d');
    const pair = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromSeed(seed);
    expect(sr25519Verify(message, signer.sign(message), pair.publicKey)).toBe(true);
    expect(pair.verify(message, signer.sign(message), pair.publicKey)).toBe(true);
  });
});

describe('headers', () => {
  it('encodes a known synapse exactly as Bittensor does', () => {
    const headers = encodeHeaders({
      name: 'AmlScoringSynapse',
      timeout: 12,
      total_size: 1234,
      computed_body_hash: EMPTY_BODY_HASH,
      dendrite: {
        ip: '10.0.0.1',
        version: 9012000,
        nonce: 1732560000123456789n,
        uuid: 'u-1',
        hotkey: DEV_ADDRESS,
        signature: '0xab',
      },
      axon: { ip: '10.0.0.2', port: 8091, hotkey: ALICE },
    });
    const { header_size, ...rest } = headers;
    expect(rest).toEqual({
      name: 'AmlScoringSynapse',
      timeout: '12.0',
      bt_header_axon_ip: '10.0.0.2',
      bt_header_axon_port: '8091',
      bt_header_axon_hotkey: ALICE,
      bt_header_dendrite_ip: '10.0.0.1',
      bt_header_dendrite_version: '9012000',
      bt_header_dendrite_nonce: '1732560000123456789',
      bt_header_dendrite_uuid: 'u-1',
      bt_header_dendrite_hotkey: DEV_ADDRESS,
      bt_header_dendrite_signature: '0xab',
      total_size: '1234',
      computed_body_hash: EMPTY_BODY_HASH,
    });
    expect(Number(header_size)).toBeGreaterThan(0);
    expect(pythonFloatString(0.25)).toBe('0.25');
  });
  it('decodes what Python sends, strings everywhere', () => {
    const d = decodeHeaders({
      name: 'AmlScoringSynapse',
      timeout: '12.5',
      bt_header_dendrite_nonce: '1732560000123456789',
      bt_header_dendrite_version: '9012000',
      bt_header_axon_port: '8091',
      bt_header_axon_status_code: '200',
      bt_header_axon_process_time: '0.0123',
      computed_body_hash: 'h',
    });
    expect(d.timeout).toBe(12.5);
    expect(d.dendrite.nonce).toBe(1732560000123456789n);
    expect(d.axon).toEqual({ port: 8091, status_code: 200, process_time: 0.0123 });
    expect(() => decodeHeaders({ bt_header_dendrite_nonce: '1.5e18' })).toThrow(/nonce/);
    expect(() => decodeHeaders({ timeout: 'abc' })).toThrow(/timeout/);
  });
  it('round-trips arbitrary envelopes', () => {
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => /^[\x21-\x7e]+$/.test(s));
    const terminal = fc.record(
      {
        status_code: fc.integer({ min: 100, max: 599 }),
        status_message: text,
        process_time: fc.double({ min: 0, max: 1e4, noNaN: true }),
        ip: text,
        port: fc.integer({ min: 0, max: 65535 }),
        version: fc.integer({ min: 0, max: 99_999_999 }),
        nonce: fc.bigInt({ min: 0n, max: 2n ** 64n }),
        uuid: text,
        hotkey: text,
        signature: text,
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        terminal,
        terminal,
        fc.double({ min: 0.001, max: 1e5, noNaN: true }),
        text,
        (dendrite, axon, timeout, hash) => {
          const h = encodeHeaders({
            name: 'AmlScoringSynapse',
            timeout,
            total_size: 7,
            computed_body_hash: hash,
            dendrite,
            axon,
          });
          const d = decodeHeaders(h);
          expect(d.dendrite).toEqual(dendrite);
          expect(d.axon).toEqual(axon);
          expect(d.timeout).toBe(timeout);
          expect(d.computed_body_hash).toBe(hash);
          expect(d.total_size).toBe(7);
        },
      ),
    );
  });
});

describe('body codec', () => {
  it('writes exact nonces and reads the envelope back', () => {
    const s = createSynapse({
      task: 'score_alerts',
      batch_id: 'b-1',
      alerts: [{ alert_id: 'a1', address: 'x' }],
    });
    s.dendrite = { nonce: 2n ** 63n + 5n, hotkey: 'h' };
    const text = encodeSynapseBody(s);
    expect(text).toContain('"nonce":9223372036854775813');
    expect(text.startsWith('{"name":"AmlScoringSynapse","timeout":120,')).toBe(true);
    const back = decodeSynapseBody(text);
    expect(back.batch_id).toBe('b-1');
    expect(back.task).toBe('score_alerts');
    expect(back.alerts).toEqual([{ alert_id: 'a1', address: 'x' }]);
    expect(back.dendrite.hotkey).toBe('h');
    expect(() => decodeSynapseBody('{')).toThrow(/not JSON/);
    expect(() => decodeSynapseBody('{"task":"nope","batch_id":"x"}')).toThrow(/task/);
    const full = AmlScoringSynapseSchema.parse(JSON.parse(text));
    expect(full.alerts[0].severity).toBe('medium');
  });
  it('round-trips the output fields through the response parser', () => {
    const entry = fc.record({
      alert_id: fc.string(),
      score: fc.double({ min: 0, max: 1, noNaN: true }),
      model_version: fc.string(),
      latency_ms: fc.double({ min: 0, max: 1e3, noNaN: true }),
      explain_json: fc.string(),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 5 }), fc.string(), (scores, batchId) => {
        const s = createSynapse({ task: 'score_alerts', batch_id: batchId });
        s.scores = scores;
        s.model_version = 'v1';
        const parsed = parseSynapseResponse(JSON.parse(encodeSynapseBody(s)), 'score_alerts');
        expect(parsed.ok && parsed.value.scores).toEqual(scores);
        expect(decodeSynapseBody(encodeSynapseBody(s)).batch_id).toBe(batchId);
      }),
    );
    expect(parseSynapseResponse({ scores: [{ alert_id: 'a', rank: 0, score: 1 }] }, 'rank_alerts').ok).toBe(
      false,
    );
  });
});

describe('nonces', () => {
  const now = 1_732_560_000_000_000_000n;
  it('issues strictly increasing nanosecond BigInts near the wall clock', () => {
    const clock = new NonceClock();
    let last = 0n;
    for (let i = 0; i < 1000; i++) {
      const n = clock.next();
      expect(n > last).toBe(true);
      last = n;
    }
    expect(Number(last / 1_000_000n) - Date.now()).toBeLessThan(5_000);
  });
  it('applies the window to the first nonce and monotonicity after', () => {
    const g = new NonceGuard(10, 600);
    expect(g.check('h', 'u', now - 5_000_000_000n, 12, now).ok).toBe(true); // 5 s old < 4 + 12
    expect(g.check('h', 'u', now - 17_000_000_000n, 12, now).ok).toBe(false); // 17 s old > 16
    expect(g.check('h', 'u', now + 60_000_000_000n, 12, now).ok).toBe(false); // a minute ahead
    g.record('h', 'u', now);
    expect(g.check('h', 'u', now, 12, now).ok).toBe(false); // replay
    expect(g.check('h', 'u', now - 1n, 12, now).ok).toBe(false);
    expect(g.check('h', 'u', now + 1n, 12, now).ok).toBe(true);
    expect(g.check('h', 'other', now - 1n, 12, now).ok).toBe(true); // another uuid is another endpoint
  });
  it('stays bounded and never forgets a nonce that could still be replayed', () => {
    const g = new NonceGuard(3, 10);
    for (let i = 0; i < 3; i++) g.record('h', `u${i}`, now);
    expect(g.check('h', 'new', now, 5, now)).toMatchObject({ ok: false });
    const later = now + 15_000_000_000n; // the entries are now older than 4 + 10 s: dead
    expect(g.check('h', 'new', later, 5, later).ok).toBe(true);
    g.record('h', 'new', later);
    expect(g.size).toBe(3);
  });
});
