import fc from 'fast-check';

/** Split parameters for property tests: L1 and L2 on or off, small minimums, an optional gain floor. */
export const splitParamsArb = fc.record({
  lambdaL1: fc.constantFrom(0, 0.3),
  lambdaL2: fc.constantFrom(0, 1),
  minDataInLeaf: fc.integer({ min: 1, max: 4 }),
  minSumHessianInLeaf: fc.constantFrom(0, 0.5),
  minGainToSplit: fc.constantFrom(0, 0.1),
});
