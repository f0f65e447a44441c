// "Select all N matching, then act": the ids are known up front, the server acts on a chunk per
// call, and the page stays usable because every chunk is its own awaited request.

/** What a bulk run shows while it runs and after: it is the reactive state the component renders. */
export interface BulkProgress {
    total: number;
    processed: number;
    /** Events the action was applied to, by the state they ended in. */
    states: Record<string, number>;
    /** Events that had left the action's states meanwhile (retried or fixed by someone else). */
    skipped: number;
    /** Events of chunks the server refused, with its first reasons. */
    failed: number;
    errors: string[];
    running: boolean;
    cancelRequested: boolean;
    cancelled: boolean;
}

export const CHUNK_SIZE = 500;

export function emptyProgress(total = 0): BulkProgress {
    return {
        total,
        processed: 0,
        states: {},
        skipped: 0,
        failed: 0,
        errors: [],
        running: false,
        cancelRequested: false,
        cancelled: false,
    };
}

export function chunked<T>(items: readonly T[], size: number): T[][] {
    if (size < 1) {
        throw new RangeError("chunk size must be at least 1");
    }
    const chunks: T[][] = [];
    for (let start = 0; start < items.length; start += size) {
        chunks.push(items.slice(start, start + size));
    }
    return chunks;
}

export function percentDone(progress: BulkProgress): number {
    return progress.total ? Math.round((100 * progress.processed) / progress.total) : 100;
}

/**
 * Applies `apply` to `ids` one chunk at a time, updating `progress` (pass the component's
 * reactive state) after each. A refused chunk is counted and the run goes on; a cancel stops
 * before the next chunk, never in the middle of one the server is already applying.
 */
export async function runInChunks(
    ids: readonly number[],
    apply: (chunk: number[]) => Promise<ReadonlyArray<{ id: number; state: string }>>,
    progress: BulkProgress,
    size = CHUNK_SIZE
): Promise<BulkProgress> {
    Object.assign(progress, emptyProgress(ids.length), { running: true });
    try {
        for (const chunk of chunked(ids, size)) {
            if (progress.cancelRequested) {
                progress.cancelled = true;
                break;
            }
            try {
                const results = await apply(chunk);
                for (const result of results) {
                    progress.states[result.state] = (progress.states[result.state] ?? 0) + 1;
                }
                progress.skipped += chunk.length - results.length;
            } catch (error) {
                progress.failed += chunk.length;
                if (progress.errors.length < 3) {
                    progress.errors.push(errorMessage(error));
                }
            }
            progress.processed += chunk.length;
        }
    } finally {
        progress.running = false;
    }
    return progress;
}

/** An Odoo RPC error carries the server's sentence in data.message. */
export function errorMessage(error: unknown): string {
    const data = (error as { data?: { message?: string } } | null)?.data;
    return data?.message ?? (error instanceof Error ? error.message : String(error));
}
