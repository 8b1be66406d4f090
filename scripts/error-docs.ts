/**
 * docs/errors.md against an error table: each package's errors test reads its section of the page
 * into the same shape as its table, so one `toEqual` catches a missing, stale or changed row.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export interface ErrorRow {
  status: number;
  message: string;
}

/** The rows of the section headed `## <heading>`, code → status and message (`\|` unescaped). */
export function documentedErrors(page: string, heading: string): Map<string, ErrorRow> {
  const section = page.split('\n## ').find((s) => s.startsWith(`${heading}\n`));
  if (section === undefined) throw new Error(`docs/errors.md has no section '## ${heading}'`);
  const rows = [...section.matchAll(/^\| `(AML_ERR_\w+)` \| (\d+) \| (.*) \|$/gm)];
  const mentions = section.match(/AML_ERR_[A-Z0-9_]+/g)?.length ?? 0;
  // a code named outside the table (in prose) is one the table may have lost
  if (mentions !== rows.length) throw new Error(`'## ${heading}' names codes outside its table`);
  return new Map(rows.map((m) => [m[1]!, { status: Number(m[2]), message: m[3]!.replaceAll('\\|', '|') }]));
}

/** The same shape from a table of `{ code, status, message }` entries. */
export function tableErrors(table: Record<string, ErrorRow & { code: string }>): Map<string, ErrorRow> {
  return new Map(Object.values(table).map((d) => [d.code, { status: d.status, message: d.message }]));
}

/**
 * Places in a package's library code (not its tests, not its error table) that name an error code
 * as a string literal or compare a `.code` to a table entry's: codes are thrown as
 * `amlError(ERRORS.X, ...)` and told apart with `hasErrorCode(err, ERRORS.X)`. Each as `file:line`.
 */
export function codesByString(srcDir: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.ts$/.test(entry.name) && !/\.test(-support)?\.ts$/.test(entry.name)) {
        if (relative(srcDir, path) === 'errors.ts') continue;
        readFileSync(path, 'utf8')
          .split('\n')
          .forEach((line, i) => {
            if (/['"`]AML_ERR_|\.code\s*[!=]==?\s*\w*ERRORS\.|ERRORS\.\w+\.code\s*[!=]==?/.test(line))
              found.push(`${relative(srcDir, path)}:${i + 1}`);
          });
      }
    }
  };
  walk(srcDir);
  return found;
}
