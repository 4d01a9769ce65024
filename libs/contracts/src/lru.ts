// Bounded least-recently-used map shared by the Rego builtins (regex/glob caches) and the
// session cache. Capacity 0 is allowed and caches nothing.
//
// Entries sit in a doubly linked list, oldest first, next to a Map from key to entry. A hit
// relinks its entry (a few pointer writes, nothing when it is already the newest) instead of
// deleting and re-inserting the Map key: that left a deleted slot per hit and made the Map
// rehash its table every few thousand hits, which is what made get() expensive.

interface Entry<K, V> {
  key: K;
  value: V;
  /** Toward the oldest entry (null at the oldest). */
  older: Entry<K, V> | null;
  /** Toward the newest entry (null at the newest). */
  newer: Entry<K, V> | null;
}

export class LruCache<K, V> {
  private readonly map = new Map<K, Entry<K, V>>();
  private oldest: Entry<K, V> | null = null;
  private newest: Entry<K, V> | null = null;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) throw new RangeError('capacity must be an integer >= 0');
  }

  get size(): number {
    return this.map.size;
  }

  /** The value, now the most recently used; undefined when absent. */
  get(key: K): V | undefined {
    const e = this.map.get(key);
    if (e === undefined) return undefined;
    if (e !== this.newest) {
      this.unlink(e);
      this.append(e);
    }
    return e.value;
  }

  set(key: K, value: V): void {
    const e = this.map.get(key);
    if (e !== undefined) {
      e.value = value;
      if (e !== this.newest) {
        this.unlink(e);
        this.append(e);
      }
      return;
    }
    if (this.capacity === 0) return;
    const added: Entry<K, V> = { key, value, older: null, newer: null };
    this.map.set(key, added);
    this.append(added);
    while (this.map.size > this.capacity) {
      const victim = this.oldest!;
      this.unlink(victim);
      this.map.delete(victim.key);
    }
  }

  delete(key: K): void {
    const e = this.map.get(key);
    if (e === undefined) return;
    this.unlink(e);
    this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
    this.oldest = null;
    this.newest = null;
  }

  private unlink(e: Entry<K, V>): void {
    if (e.older !== null) e.older.newer = e.newer;
    else this.oldest = e.newer;
    if (e.newer !== null) e.newer.older = e.older;
    else this.newest = e.older;
    e.older = null;
    e.newer = null;
  }

  private append(e: Entry<K, V>): void {
    e.older = this.newest;
    if (this.newest !== null) this.newest.newer = e;
    else this.oldest = e;
    this.newest = e;
  }
}
