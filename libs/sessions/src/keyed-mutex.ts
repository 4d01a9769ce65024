// One async lock per key: calls for the same key run one after another in arrival order,
// calls for different keys run in parallel. Idle keys leave nothing behind.
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  get activeKeys(): number {
    return this.tails.size;
  }

  async run<T>(key: string, fn: () => Promise<T> | T): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = prev.then(() => mine);
    this.tails.set(key, tail);
    await prev;
    try {
      return await fn();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
