/** The Dockerfile reader used by docker.test.ts, on hand-written inputs with known readings. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  copyPaths,
  execForm,
  healthcheckCommand,
  keyValues,
  parseDockerfile,
  splitWords,
  stagesOf,
} from './dockerfile.js';

const SAMPLE = `# syntax=docker/dockerfile:1
ARG V=24
FROM node:\${V}-slim AS build
RUN apt-get update \\
  # a comment inside a continuation is dropped
  && apt-get install -y g++
COPY --from=other --chown=node:node ["a b.txt", "c", "/dst/"]
env A=1 B="two words" \\
    C=x\\ y
ENV LEGACY some value
HEALTHCHECK --interval=30s --retries=3 \\
  CMD ["node", "-e", "1"]
FROM build
HEALTHCHECK NONE
CMD node server.js
`;

describe('parseDockerfile', () => {
  const ins = parseDockerfile(SAMPLE);

  it('joins continuations, drops comments and upper-cases keywords', () => {
    expect(ins.map((i) => i.keyword)).toEqual([
      'ARG',
      'FROM',
      'RUN',
      'COPY',
      'ENV',
      'ENV',
      'HEALTHCHECK',
      'FROM',
      'HEALTHCHECK',
      'CMD',
    ]);
    expect(ins[2].rest).toBe('apt-get update && apt-get install -y g++');
    expect(ins[2].line).toBe(4);
    expect(ins[9].line).toBe(15);
  });

  it('splits flags off and reads exec form', () => {
    expect(ins[3].flags).toEqual({ from: 'other', chown: 'node:node' });
    expect(copyPaths(ins[3])).toEqual({ sources: ['a b.txt', 'c'], dest: '/dst/' });
    expect(ins[9].exec).toBeUndefined();
    expect(ins[9].rest).toBe('node server.js');
  });

  it('reads ENV pairs with quotes and escapes, and the legacy form', () => {
    expect([...keyValues(ins[4].rest)]).toEqual([
      ['A', '1'],
      ['B', 'two words'],
      ['C', 'x y'],
    ]);
    expect([...keyValues(ins[5].rest)]).toEqual([['LEGACY', 'some value']]);
  });

  it('reads HEALTHCHECK options and command', () => {
    expect(ins[6].flags).toEqual({ interval: '30s', retries: '3' });
    expect(healthcheckCommand(ins[6])).toEqual({ exec: ['node', '-e', '1'] });
    expect(healthcheckCommand(ins[8])).toBeUndefined();
  });

  it('groups instructions by stage', () => {
    const stages = stagesOf(ins);
    expect(stages.map((s) => [s.name, s.image, s.instructions.length])).toEqual([
      ['build', `node:\${V}-slim`, 5],
      ['1', 'build', 2],
    ]);
  });
});

describe('execForm and splitWords', () => {
  it('falls back to shell form for text that is not a JSON string array', () => {
    expect(execForm('["a", 1]')).toBeUndefined();
    expect(execForm('[not json')).toBeUndefined();
    expect(execForm('["a","b"]')).toEqual(['a', 'b']);
  });

  it('round-trips any words written JSON-quoted (property)', () => {
    // JSON.stringify escapes " and \ with a backslash, which double quotes undo in shell syntax.
    const unit = fc.constantFrom('a', 'Z', '0', ' ', '"', "'", '\\', '=', '$', '-', '[');
    fc.assert(
      fc.property(fc.array(fc.string({ unit, minLength: 1 }), { maxLength: 6 }), (words) => {
        const text = words.map((w) => JSON.stringify(w)).join(' ');
        expect(splitWords(text)).toEqual(words);
      }),
    );
  });
});
