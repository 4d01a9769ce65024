// Policy revision: a content hash over the files the service loads, so equal trees share a revision.
import { createHash } from 'node:crypto';

export function contentRevision(files: Array<{ name: string; content: string | Buffer }>): string {
  const hash = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(f.name).update('\0').update(f.content).update('\0');
  }
  return 'sha256:' + hash.digest('hex').slice(0, 16);
}
