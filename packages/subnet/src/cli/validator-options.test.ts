import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildValidatorProgram } from '../validator/cli-program.js';
import {
  LOOP_OPTIONS,
  LoopOptionsSchema,
  optionDefaults,
  RUN_OPTIONS,
  renderOptionsTable,
} from './validator-options.js';

describe('the validator options', () => {
  it("are docs/validator.md's option table", () => {
    const doc = readFileSync(new URL('../../../../docs/validator.md', import.meta.url), 'utf8');
    const table = /<!-- validator-options:start -->\n([\s\S]*?)\n<!-- validator-options:end -->/.exec(
      doc,
    )?.[1];
    expect(table).toBe(renderOptionsTable());
  });

  it('are what the program declares, with the schema defaults', () => {
    const program = buildValidatorProgram(() => {});
    const declared = new Map(program.options.map((o) => [o.attributeName(), o]));
    const defaults = optionDefaults(LOOP_OPTIONS);
    for (const [key, spec] of Object.entries(LOOP_OPTIONS)) {
      const option = declared.get(key);
      expect(option?.flags, key).toBe(spec.flag);
      // a --no-x switch has no declared default: commander sets it true when the flag is absent
      expect(option?.defaultValue, key).toBe(spec.flag.startsWith('--no-') ? undefined : defaults[key]);
    }
    const runOnce = program.commands.find((c) => c.name() === 'run-once')!;
    expect(runOnce.options.map((o) => o.flags)).toEqual(Object.values(RUN_OPTIONS).map((o) => o.flag));
  });

  it('parse into a typed record: defaults filled, values kept, other keys dropped', () => {
    const parsed = LoopOptionsSchema.parse({ traps: 80, 'dashboard.port': 8095, stealthAudit: false });
    expect(parsed.traps).toBe(80);
    expect(parsed.stealthAudit).toBe(false);
    expect(parsed['neuron.batch_encoding']).toBe('arrow');
    expect(parsed['cycle.interval_s']).toBe(3600);
    expect('dashboard.port' in parsed).toBe(false);
  });
});
