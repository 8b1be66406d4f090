import { Metadata, TypeRegistry } from '@polkadot/types';
import staticSubstrate from '@polkadot/types-support/metadata/static-substrate';
import { describe, expect, it } from 'vitest';
import {
  type DispatchErrorLike,
  decodeDispatchError,
  decodePoolError,
  type ErrorRegistry,
} from './dispatch-error.js';

/** A registry built from real metadata (substrate's kitchensink, shipped with @polkadot/types-support). */
let built: { registry: TypeRegistry; metadata: Metadata } | undefined;
function substrateRegistry() {
  if (!built) {
    const registry = new TypeRegistry();
    const metadata = new Metadata(registry, staticSubstrate);
    registry.setMetadata(metadata);
    built = { registry, metadata };
  }
  return built;
}

/** Pallet and variant index of an error, looked up by name in the metadata's type table. */
function errorIndex(metadata: Metadata, pallet: string, error: string): { index: number; variant: number } {
  const latest = metadata.asLatest;
  const p = latest.pallets.find((x) => x.name.toString() === pallet)!;
  const type = latest.lookup.getSiType(p.errors.unwrap().type);
  const v = type.def.asVariant.variants.find((x) => x.name.toString() === error)!;
  return { index: p.index.toNumber(), variant: v.index.toNumber() };
}

describe('decodeDispatchError', () => {
  it('names module errors through metadata', () => {
    const { registry, metadata } = substrateRegistry();
    for (const [pallet, name] of [
      ['Balances', 'InsufficientBalance'],
      ['System', 'CallFiltered'],
      ['Staking', 'NotController'],
    ] as const) {
      const { index, variant } = errorIndex(metadata, pallet, name);
      const dispatchError = registry.createType('DispatchError', {
        Module: { index, error: new Uint8Array([variant, 0, 0, 0]) },
      });
      const decoded = decodeDispatchError(
        registry as unknown as ErrorRegistry,
        dispatchError as unknown as DispatchErrorLike,
      );
      expect(decoded.name).toBe(name);
      expect(decoded.section).toBe(pallet[0].toLowerCase() + pallet.slice(1));
    }
  });

  it('names non-module errors by their variant', () => {
    const { registry } = substrateRegistry();
    const badOrigin = registry.createType('DispatchError', 'BadOrigin');
    const token = registry.createType('DispatchError', { Token: 'NoFunds' });
    const reg = registry as unknown as ErrorRegistry;
    expect(decodeDispatchError(reg, badOrigin as unknown as DispatchErrorLike).name).toBe('BadOrigin');
    expect(decodeDispatchError(reg, token as unknown as DispatchErrorLike).name).toBe('Token.NoFunds');
  });

  it('uses a mocked subtensor registry the same way', () => {
    const registry: ErrorRegistry = {
      findMetaError: (m: never) => {
        const { index, error } = m as { index: number; error: number };
        if (index === 7 && error === 2)
          return { section: 'subtensorModule', name: 'SettingWeightsTooFast', docs: ['rate limited'] };
        throw new Error('unknown');
      },
    };
    const err = (index: number, error: number): DispatchErrorLike => ({
      isModule: true,
      asModule: { index, error },
      type: 'Module',
      toString: () => `{"module":{"index":${index},"error":${error}}}`,
    });
    expect(decodeDispatchError(registry, err(7, 2))).toEqual({
      name: 'SettingWeightsTooFast',
      section: 'subtensorModule',
      docs: 'rate limited',
    });
    expect(decodeDispatchError(registry, err(7, 99)).name).toBe('UnknownModuleError');
  });
});

describe('decodePoolError', () => {
  it("maps subtensor's custom transaction codes", () => {
    expect(decodePoolError('1010: Invalid Transaction: Custom error: 6').name).toBe('RateLimitExceeded');
    expect(decodePoolError('1010: Invalid Transaction: Custom error: 12').name).toBe(
      'ServingRateLimitExceeded',
    );
    expect(decodePoolError('1010: Invalid Transaction: Custom error: 200').name).toBe(
      'CustomTransactionError200',
    );
    expect(
      decodePoolError('1010: Invalid Transaction: Inability to pay some fees , e.g. account balance too low')
        .name,
    ).toBe('InabilityToPaySomeFees');
    expect(decodePoolError('1014: Priority is too low').name).toBe('TransactionRejected');
  });
});
