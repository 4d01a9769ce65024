// In-memory tar (ustar + PAX for long names) built with the `tar` package's header codecs, so
// entries can carry OPA's absolute-looking paths (`/policy.wasm`) without touching the disk.
import { Header, Pax, Parser, type ReadEntry } from 'tar';

export interface TarFile {
  path: string;
  body: Buffer;
}

const BLOCK = 512;
const FIXED_MTIME = new Date(0);

function padTo512(n: number): number {
  return Math.ceil(n / BLOCK) * BLOCK;
}

export function packTar(files: TarFile[]): Buffer {
  const chunks: Buffer[] = [];
  for (const f of files) {
    const data = { path: f.path, mode: 0o644, size: f.body.length, mtime: FIXED_MTIME, type: 'File' as const, uid: 0, gid: 0 };
    const header = new Header(data);
    const block = Buffer.alloc(BLOCK);
    header.encode(block, 0);
    if (header.needPax) chunks.push(new Pax({ ...data }).encode());
    chunks.push(block);
    const body = Buffer.alloc(padTo512(f.body.length));
    f.body.copy(body);
    chunks.push(body);
  }
  chunks.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(chunks);
}

/** Regular files of an (uncompressed or gzipped) tar, in archive order. */
export function unpackTar(buf: Buffer): Promise<TarFile[]> {
  return new Promise((resolve, reject) => {
    const files: TarFile[] = [];
    const parser = new Parser({
      strict: true,
      onReadEntry(entry: ReadEntry) {
        if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
          entry.resume();
          return;
        }
        const parts: Buffer[] = [];
        entry.on('data', (d: Buffer) => parts.push(d));
        entry.on('end', () => files.push({ path: entry.path, body: Buffer.concat(parts) }));
      },
    });
    parser.on('error', reject);
    parser.on('warn', (code: string, message: string | Error) => {
      if (code !== 'TAR_ENTRY_INFO') reject(new Error(`${code}: ${typeof message === 'string' ? message : message.message}`));
    });
    parser.on('end', () => resolve(files));
    parser.on('close', () => resolve(files));
    parser.end(buf);
  });
}
