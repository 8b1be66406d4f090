/**
 * The layer check behind both packages' architecture tests (test/architecture/layers.test.ts):
 * reads every import, export-from and dynamic import of a package's src/ and reports each one that
 * points from a lower layer to a higher one. TypeScript's own pre-processor finds the imports, so
 * an import written in a comment or a string never counts. The layer orders themselves are in
 * docs/architecture.md and in each package's test.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

/** One import statement: the importing file and the target, both relative to src/ with `/`. */
export interface ImportEdge {
  file: string;
  specifier: string;
  /** The imported file relative to src/ (`.js` mapped back to `.ts`); undefined for packages. */
  target?: string;
}

export interface LayerRules {
  /** Layers from the bottom up; the names in one entry are siblings, which may not import each other. */
  order: readonly (readonly string[])[];
  /** The layer of a src-relative file; by default its folder (or its name for a top-level file). */
  layerOf?: (file: string) => string;
  /** Packages src/ must never import (the template never imports the subnet). */
  forbiddenPackages?: readonly string[];
}

/** Test code sits above every layer: it may import anything in its own package. */
export function isTestCode(file: string): boolean {
  return /\.test(-support)?\.ts$/.test(file);
}

export function defaultLayerOf(file: string): string {
  const first = file.split('/')[0] ?? file;
  return first.replace(/\.ts$/, '');
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? tsFiles(join(dir, e.name)) : [join(dir, e.name)]))
    .filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts'))
    .sort();
}

/** The edge for `import … from specifier` in `file` (src-relative, `/`-separated). */
export function edge(file: string, specifier: string): ImportEdge {
  if (!specifier.startsWith('.')) return { file, specifier };
  const target = posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts');
  return { file, specifier, target };
}

/** Every import edge of the .ts files under `srcDir`. */
export function readImportGraph(srcDir: string): ImportEdge[] {
  return tsFiles(srcDir).flatMap((path) => {
    const file = relative(srcDir, path).split('\\').join('/');
    const found = ts.preProcessFile(readFileSync(path, 'utf8'), true, true).importedFiles;
    return found.map(({ fileName }) => edge(file, fileName));
  });
}

/** One line per import that breaks the rules, naming the file and the import; empty when clean. */
export function layerViolations(edges: readonly ImportEdge[], rules: LayerRules): string[] {
  const layerOf = rules.layerOf ?? defaultLayerOf;
  const rank = new Map<string, number>();
  rules.order.forEach((names, i) => {
    for (const name of names) rank.set(name, i);
  });
  const out: string[] = [];
  for (const { file, specifier, target } of edges) {
    const where = `src/${file} imports '${specifier}'`;
    if (target === undefined) {
      const pkg = rules.forbiddenPackages?.find((p) => specifier === p || specifier.startsWith(`${p}/`));
      if (pkg !== undefined) out.push(`${where}: this package never imports ${pkg}`);
      continue;
    }
    if (isTestCode(file)) continue;
    if (target.startsWith('../')) {
      out.push(`${where}: outside src/`);
      continue;
    }
    const from = layerOf(file);
    const to = layerOf(target);
    const fromRank = rank.get(from);
    const toRank = rank.get(to);
    if (fromRank === undefined) {
      out.push(
        `${where}: layer '${from}' is in no layer order (add it to docs/architecture.md and the test)`,
      );
    } else if (toRank === undefined) {
      out.push(`${where}: layer '${to}' is in no layer order (add it to docs/architecture.md and the test)`);
    } else if (from !== to && toRank >= fromRank) {
      const how = toRank === fromRank ? 'a sibling layer' : 'a higher layer';
      out.push(`${where} (${from} → ${to}): ${how}`);
    }
  }
  return out;
}
