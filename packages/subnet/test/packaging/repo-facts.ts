/**
 * What the packaging tests compare the Dockerfiles and docker-compose.yml against, read from the
 * repository itself: the workspaces and their bins, the CLI programs' declared options (commander
 * objects, introspected), the source text that reads environment variables, and .env.example.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Command, Option } from 'commander';
import { buildMinerProxyProgram } from '../../src/axon/cli-program.js';
import { buildValidatorProgram } from '../../src/validator/cli-program.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export function repoPath(...parts: string[]): string {
  return join(REPO_ROOT, ...parts);
}

export function readRepoText(...parts: string[]): string {
  return readFileSync(repoPath(...parts), 'utf8');
}

export interface Workspace {
  name: string;
  /** Folder relative to the repo root, e.g. packages/subnet. */
  dir: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
  dependencies: Record<string, string>;
}

export function workspaces(): Workspace[] {
  const root = JSON.parse(readRepoText('package.json')) as { workspaces: string[] };
  return root.workspaces.map((dir) => {
    const pkg = JSON.parse(readRepoText(dir, 'package.json'));
    return {
      name: pkg.name,
      dir,
      version: pkg.version,
      bin: pkg.bin ?? {},
      files: pkg.files ?? [],
      dependencies: pkg.dependencies ?? {},
    };
  });
}

/** The workspace whose package.json declares `bin`, if any. */
export function binOwner(bin: string): Workspace | undefined {
  return workspaces().find((w) => bin in w.bin);
}

/** The commander program behind each bin, built the way its entry point builds it. */
export async function programFor(bin: string): Promise<Command> {
  const quiet = () => undefined;
  if (bin === 'aml-miner-proxy') return buildMinerProxyProgram({ write: quiet });
  if (bin === 'aml-validator') return buildValidatorProgram(quiet);
  if (bin === 'aml-miner') {
    // The template's entry point runs on import, so its command list is taken from the build.
    const built = repoPath('packages/miner-template/dist/cli/commands/index.js');
    if (!existsSync(built)) throw new Error(`${built} is missing: run npm run build first`);
    const { Command: CommandClass } = await import('commander');
    const { registerCommands } = await import(pathToFileURL(built).href);
    const program = new CommandClass('aml-miner');
    registerCommands(program);
    return program;
  }
  throw new Error(`no program known for bin "${bin}"`);
}

/**
 * Problems with `args` (a command line after the bin name) for `program`: unknown subcommands,
 * unknown flags, flags missing their value, and values the option's own parser rejects.
 */
export function argProblems(program: Command, args: string[]): string[] {
  const problems: string[] = [];
  let command = program;
  let i = 0;
  // Leading words name subcommands (aml-miner serve, aml-validator run-once).
  while (i < args.length && !args[i].startsWith('-')) {
    const sub = command.commands.find((c) => c.name() === args[i]);
    if (!sub) {
      problems.push(`"${args[i]}" is not a subcommand of ${command.name()}`);
      return problems;
    }
    command = sub;
    i++;
  }
  for (; i < args.length; i++) {
    const token = args[i];
    if (!token.startsWith('--')) {
      problems.push(`unexpected argument "${token}" for ${command.name()}`);
      continue;
    }
    const eq = token.indexOf('=');
    const long = eq < 0 ? token : token.slice(0, eq);
    const option: Option | undefined = command.options.find((o) => o.long === long);
    if (!option) {
      problems.push(`${command.name()} has no option ${long}`);
      continue;
    }
    if (!option.required && !option.optional) continue;
    const value = eq >= 0 ? token.slice(eq + 1) : args[++i];
    if (value === undefined) {
      problems.push(`${long} needs a value`);
      continue;
    }
    const parse = (option as Option & { parseArg?: (v: string, prev: unknown) => unknown }).parseArg;
    try {
      parse?.(value, option.defaultValue);
    } catch (err) {
      problems.push(`${long} ${JSON.stringify(value)}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/** The default of a long option, as the program declares it. */
export function optionDefault(program: Command, long: string): unknown {
  const option = program.options.find((o) => o.long === long);
  if (!option) throw new Error(`${program.name()} has no option ${long}`);
  return option.defaultValue;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

let sourceCache: string[] | undefined;

/** True when some non-test source file of either package names the variable as a whole word. */
export function sourceMentions(name: string): boolean {
  sourceCache ??= workspaces().flatMap((w) =>
    tsFiles(repoPath(w.dir, 'src')).map((f) => readFileSync(f, 'utf8')),
  );
  const word = new RegExp(`\\b${name.replace(/[^\w]/g, '\\$&')}\\b`);
  return sourceCache.some((text) => word.test(text));
}

/** .env.example as ordered [name, value] pairs: set lines and commented-out `# NAME=` lines. */
export function envExample(): { name: string; value: string; commented: boolean; line: number }[] {
  return readRepoText('.env.example')
    .split('\n')
    .flatMap((text, i) => {
      const m = /^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$/.exec(text);
      return m ? [{ name: m[2], value: m[3], commented: m[1] !== undefined, line: i + 1 }] : [];
    });
}
