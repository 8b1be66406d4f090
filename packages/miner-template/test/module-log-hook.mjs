/** The resolve hook behind module-log.mjs (loaded on the hooks thread). */
import { appendFileSync } from 'node:fs';

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (process.env.AML_MODULE_LOG) appendFileSync(process.env.AML_MODULE_LOG, `${resolved.url}\n`);
  return resolved;
}
