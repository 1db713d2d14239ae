/**
 * Facts by content hash, so a file that did not change is never analysed again. Least recently used
 * entries go first once the cache holds `capacity` files. Facts depend only on a file's text and on
 * whether it is the entrypoint, so the cache is safely shared by every project and tenant.
 */
import type { FileFacts } from './facts.js';
export type CachedFacts = Omit<FileFacts, 'path'>;
export declare class FactsCache {
    private readonly capacity;
    private readonly entries;
    constructor(capacity?: number);
    get(key: string): CachedFacts | undefined;
    set(key: string, facts: CachedFacts): void;
    get size(): number;
    clear(): void;
}
