/**
 * A small Dockerfile reader for the packaging tests (there is no Docker engine in CI): splits a
 * Dockerfile into instructions the way BuildKit does for the forms this repo uses, i.e. comment
 * lines dropped, `\` line continuations joined, leading `--flag=value` options split off, exec
 * (JSON array) form told apart from shell form, and ENV/ARG/LABEL key=value pairs unquoted.
 * It reads; it does not evaluate build arguments or run anything.
 */

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY, ... */
  keyword: string;
  /** 1-based line where the instruction starts. */
  line: number;
  /** Leading `--name=value` options (COPY --from, HEALTHCHECK --interval, ...). */
  flags: Record<string, string>;
  /** Everything after the keyword and flags, continuations joined with a space. */
  rest: string;
  /** The JSON array when `rest` is exec form, else undefined. */
  exec?: string[];
}

export interface Stage {
  /** The `AS name`, or the stage's index as a string. */
  name: string;
  image: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into instructions. */
export function parseDockerfile(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const out: Instruction[] = [];
  let pending: { line: number; parts: string[] } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const trimmed = raw.trim();
    // Comment and blank lines vanish, also inside a continued instruction.
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const continued = /\\\s*$/.test(raw);
    const body = continued ? raw.replace(/\\\s*$/, '') : raw;
    if (!pending) pending = { line: i + 1, parts: [] };
    pending.parts.push(body.trim());
    if (!continued) {
      out.push(toInstruction(pending.parts.join(' '), pending.line));
      pending = undefined;
    }
  }
  if (pending) out.push(toInstruction(pending.parts.join(' '), pending.line));
  return out;
}

function toInstruction(joined: string, line: number): Instruction {
  const match = /^(\S+)\s*(.*)$/s.exec(joined)!;
  const keyword = match[1].toUpperCase();
  let rest = match[2].trim();
  const flags: Record<string, string> = {};
  for (;;) {
    const flag = /^--([\w-]+)(?:=(\S*))?\s*/.exec(rest);
    if (!flag) break;
    flags[flag[1]] = flag[2] ?? 'true';
    rest = rest.slice(flag[0].length);
  }
  return { keyword, line, flags, rest, exec: execForm(rest) };
}

/** The JSON array of strings when `text` is exec form; Docker falls back to shell form otherwise. */
export function execForm(text: string): string[] | undefined {
  if (!text.startsWith('[')) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    // Not JSON: shell form, as Docker reads it.
  }
  return undefined;
}

/** Shell-like words: whitespace splits, quotes group, backslash escapes the next character. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let started = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      started = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      started = true;
    } else if (/\s/.test(c)) {
      if (started) words.push(word);
      word = '';
      started = false;
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  return words;
}

/** ENV/ARG/LABEL pairs: `k=v k2="v 2"`, or the legacy `ENV k v` form. */
export function keyValues(rest: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const words = splitWords(rest);
  if (words.length > 0 && !words[0].includes('=')) {
    // Legacy form: the key, then the whole remainder as the value.
    const key = words[0];
    pairs.set(key, rest.trim().slice(key.length).trim());
    return pairs;
  }
  for (const word of words) {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`expected key=value, got "${word}"`);
    pairs.set(word.slice(0, eq), word.slice(eq + 1));
  }
  return pairs;
}

/** The instructions grouped by FROM; instructions before the first FROM (global ARGs) are dropped. */
export function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const words = splitWords(ins.rest);
      const as = words.findIndex((w) => w.toUpperCase() === 'AS');
      stages.push({
        name: as >= 0 ? words[as + 1] : String(stages.length),
        image: words[0],
        instructions: [],
      });
    } else if (stages.length > 0) {
      stages[stages.length - 1].instructions.push(ins);
    }
  }
  return stages;
}

/** COPY/ADD sources and destination, in either form. */
export function copyPaths(ins: Instruction): { sources: string[]; dest: string } {
  const words = ins.exec ?? splitWords(ins.rest);
  if (words.length < 2) throw new Error(`line ${ins.line}: ${ins.keyword} needs a source and a destination`);
  return { sources: words.slice(0, -1), dest: words[words.length - 1] };
}

/** HEALTHCHECK's options and command (exec or shell form), or undefined for HEALTHCHECK NONE. */
export function healthcheckCommand(ins: Instruction): { exec?: string[]; shell?: string } | undefined {
  const m = /^(CMD|NONE)\b\s*(.*)$/is.exec(ins.rest);
  if (!m) throw new Error(`line ${ins.line}: HEALTHCHECK needs CMD or NONE`);
  if (m[1].toUpperCase() === 'NONE') return undefined;
  const exec = execForm(m[2].trim());
  return exec ? { exec } : { shell: m[2].trim() };
}
