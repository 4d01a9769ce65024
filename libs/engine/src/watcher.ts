// Calls `onChange` (debounced) when anything below a directory, or a single file, changes.
// Uses fs.watch (recursive) and falls back to polling a cheap stamp when watching is unavailable.
import { watch, statSync, readdirSync, type FSWatcher } from 'node:fs';
import { join, dirname, basename } from 'node:path';

export interface WatchHandle {
  close(): void;
  readonly mode: 'watch' | 'poll';
}

export interface WatchOptions {
  debounceMs: number;
  pollIntervalMs: number;
  /** Force polling (network filesystems, containers where inotify is unreliable). */
  poll?: boolean;
}

export function watchPath(target: string, isDir: boolean, onChange: () => void, opts: WatchOptions): WatchHandle {
  let timer: NodeJS.Timeout | null = null;
  const fire = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onChange();
    }, opts.debounceMs);
    timer.unref();
  };
  if (!opts.poll) {
    try {
      const w: FSWatcher = isDir
        ? watch(target, { recursive: true, persistent: false }, fire)
        : watch(dirname(target), { persistent: false }, (_e, name) => {
            if (!name || name === basename(target)) fire();
          });
      w.on('error', () => undefined);
      return {
        mode: 'watch',
        close: () => {
          if (timer) clearTimeout(timer);
          w.close();
        },
      };
    } catch {
      // fall through to polling
    }
  }
  let last = stamp(target, isDir);
  const iv = setInterval(() => {
    const now = stamp(target, isDir);
    if (now !== last) {
      last = now;
      fire();
    }
  }, opts.pollIntervalMs);
  iv.unref();
  return {
    mode: 'poll',
    close: () => {
      if (timer) clearTimeout(timer);
      clearInterval(iv);
    },
  };
}

/** Names, sizes and mtimes of everything below `target`: changes whenever a file does. */
function stamp(target: string, isDir: boolean): string {
  const parts: string[] = [];
  const visit = (p: string, depth: number) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      parts.push(`${p}:missing`);
      return;
    }
    parts.push(`${p}:${st.size}:${st.mtimeMs}`);
    if (st.isDirectory() && depth < 32) {
      for (const name of readdirSync(p).sort()) visit(join(p, name), depth + 1);
    }
  };
  visit(target, isDir ? 0 : 32);
  return parts.join('|');
}
