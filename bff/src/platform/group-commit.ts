// Group commit: writes asked for while an earlier one is on its way to the
// database go together in the next, as one command. Nothing waits on a timer:
// the first write goes at once, and a caller's promise settles when the
// write that carried its part has (or has not) been made, as if it were its
// own. Under load many writes of the same few documents (the supervision
// counters) become one; idle, nothing changes.
export class GroupCommit<T, R> {
  private waiting: { item: T; resolve: (value: R) => void; reject: (err: unknown) => void }[] = [];
  private writing = false;

  /** `write` makes the writes of `items` and returns each one's result, in order. */
  constructor(private readonly write: (items: T[]) => Promise<R[]>) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.writing) return;
    this.writing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting.splice(0);
        try {
          const results = await this.write(group.map((g) => g.item));
          group.forEach((g, i) => g.resolve(results[i]!));
        } catch (err) {
          for (const g of group) g.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
