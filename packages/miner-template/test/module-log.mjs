/**
 * `node --import ./test/module-log.mjs …`: appends the URL of every module the process loads to
 * the file named by AML_MODULE_LOG, one per line, so a test can see what a command loads.
 * Plain JavaScript: resolve hooks run on their own thread, before tsx could compile anything.
 */
import { register } from 'node:module';

register('./module-log-hook.mjs', import.meta.url);
