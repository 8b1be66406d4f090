/**
 * Progress for long jobs on stderr: a redrawn line on a terminal, a line every few percent
 * otherwise (CI logs, files), so a reader always sees how far along the job is and when it ends.
 */

export interface Progress {
  update(done: number, total: number, detail?: string): void;
  log(line: string): void;
  done(line?: string): void;
}

function eta(startedMs: number, done: number, total: number): string {
  if (done <= 0) return '';
  const left = ((Date.now() - startedMs) / done) * (total - done);
  const s = Math.round(left / 1000);
  return ` eta ${s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`}`;
}

export function createProgress(
  label: string,
  options: { quiet?: boolean; stream?: NodeJS.WriteStream } = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  const tty = stream.isTTY === true;
  const started = Date.now();
  let lastStep = -1;
  let open = false;
  const write = (s: string) => {
    if (!options.quiet) stream.write(s);
  };
  return {
    update(done, total, detail = '') {
      const pct = total > 0 ? Math.min(100, Math.floor((done / total) * 100)) : 100;
      const text = `[${label}] ${done}/${total} (${pct}%)${eta(started, done, total)}${detail ? ` ${detail}` : ''}`;
      if (tty) {
        write(`\r\x1b[2K${text}`);
        open = true;
      } else if (Math.floor(pct / 10) !== lastStep || done === total) {
        lastStep = Math.floor(pct / 10);
        write(`${text}\n`);
      }
    },
    log(line) {
      if (open) write('\n');
      open = false;
      write(`[${label}] ${line}\n`);
    },
    done(line) {
      if (open) write('\n');
      open = false;
      if (line) write(`[${label}] ${line}\n`);
    },
  };
}
