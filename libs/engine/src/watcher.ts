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
    const watched = isDir ? target : dirname(target);
    const open = (): FSWatcher | null => {
      try {
        const w: FSWatcher = isDir
          ? watch(target, { recursive: true, persistent: false }, (event) => {
              // The root itself may have gone (filesystems without birth times): re-watch next tick.
              if (event === 'rename' && identity(watched) !== id) id = 'stale';
              fire();
            })
          : watch(watched, { persistent: false }, (_e, name) => {
              if (!name || name === basename(target)) fire();
            });
        w.on('error', () => undefined);
        return w;
      } catch {
        return null;
      }
    };
    // fs.watch stays bound to the old inode when the watched directory is deleted or replaced
    // (deploy swaps, rename-into-place): poll the root's identity (one stat) and re-watch.
    let id = identity(watched);
    let w = open();
    if (w) {
      const iv = setInterval(() => {
        const now = identity(watched);
        if (now === id) return;
        id = now;
        w?.close();
        w = now === 'missing' ? null : open();
        if (!w && now !== 'missing') id = 'unwatched'; // retry on the next tick
        fire();
      }, opts.pollIntervalMs);
      iv.unref();
      return {
        mode: 'watch',
        close: () => {
          if (timer) clearTimeout(timer);
          clearInterval(iv);
          w?.close();
        },
      };
    }
    // fall through to polling
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

/** Device, inode and birth time of a path: changes when it is deleted and recreated or replaced. */
function identity(p: string): string {
  try {
    const st = statSync(p);
    // Inode numbers are reused at once (ext4): the birth time tells a recreated directory apart.
    return `${st.dev}:${st.ino}:${st.birthtimeMs}`;
  } catch {
    return 'missing';
  }
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
