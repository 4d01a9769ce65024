// One async lock per key: calls for the same key run one after another in arrival order,
// calls for different keys run in parallel. Idle keys leave nothing behind.
export class KeyedMutex {
  /**
   * Held keys, each with the starters of the calls waiting for it, oldest first (null while
   * none waits: the usual, uncontended case allocates no queue and no promise to wait on).
   */
  private readonly held = new Map<string, Array<() => void> | null>();

  get activeKeys(): number {
    return this.held.size;
  }

  run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    if (!this.held.has(key)) {
      this.held.set(key, null);
      return this.hold(key, fn);
    }
    let waiting = this.held.get(key);
    if (waiting == null) this.held.set(key, (waiting = []));
    const queue = waiting;
    return new Promise<void>((start) => queue.push(start)).then(() => this.hold(key, fn));
  }

  /** Runs fn with the key held, then hands the key to the next waiting call or frees it. */
  private async hold<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    try {
      return await fn();
    } finally {
      const next = this.held.get(key)?.shift();
      if (next !== undefined) next();
      else this.held.delete(key);
    }
  }
}
