/** What a benchmark section gets in place of a test's ExecutionContext: a log and teardowns. */
export interface BenchContext {
  log(message: string): void;
  teardown(fn: () => Promise<void> | void): void;
}

export function benchContext(): BenchContext & { close(): Promise<void> } {
  const teardowns: (() => Promise<void> | void)[] = [];
  return {
    log: () => {},
    teardown: (fn) => { teardowns.push(fn); },
    async close() {
      for (const fn of teardowns.reverse()) await fn();
    },
  };
}
