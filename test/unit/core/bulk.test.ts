import { describe, expect, test } from "@jest/globals";
import {
    chunked,
    emptyProgress,
    percentDone,
    runInChunks,
    type BulkProgress,
} from "../../../web_src/core/bulk";

const ids = Array.from({ length: 1_234 }, (_, index) => index + 1);

describe("chunked", () => {
    test("cuts in chunks of the given size, the last one shorter", () => {
        expect(chunked(ids, 500).map((chunk) => chunk.length)).toEqual([500, 500, 234]);
        expect(chunked([], 500)).toEqual([]);
        expect(() => chunked(ids, 0)).toThrow(RangeError);
    });
});

describe("runInChunks", () => {
    test("acts chunk by chunk and counts every outcome, skipped events included", async () => {
        const calls: number[][] = [];
        const seen: number[] = [];
        const progress: BulkProgress = emptyProgress();
        await runInChunks(
            ids,
            async (chunk) => {
                calls.push(chunk);
                seen.push(progress.processed);
                // The server leaves out the events someone fixed meanwhile (here: every 100th).
                return chunk
                    .filter((id) => id % 100 !== 0)
                    .map((id) => ({ id, state: id % 2 ? "pending" : "failed" }));
            },
            progress
        );
        expect(calls.map((chunk) => chunk.length)).toEqual([500, 500, 234]);
        expect(seen).toEqual([0, 500, 1_000]);
        expect(progress).toMatchObject({
            total: 1_234,
            processed: 1_234,
            skipped: 12,
            failed: 0,
            running: false,
            cancelled: false,
        });
        expect(progress.states).toEqual({ pending: 617, failed: 605 });
        expect(percentDone(progress)).toBe(100);
    });

    test("a refused chunk is counted with its reason and the run goes on", async () => {
        const progress = emptyProgress();
        await runInChunks(
            ids,
            async (chunk) => {
                if (chunk[0] === 501) {
                    throw { data: { message: "Only integration managers can do this." } };
                }
                return chunk.map((id) => ({ id, state: "ignored" }));
            },
            progress
        );
        expect(progress.failed).toBe(500);
        expect(progress.states).toEqual({ ignored: 734 });
        expect(progress.errors).toEqual(["Only integration managers can do this."]);
    });

    test("cancel stops before the next chunk, never inside one", async () => {
        const progress = emptyProgress();
        let calls = 0;
        await runInChunks(
            ids,
            async (chunk) => {
                calls += 1;
                progress.cancelRequested = true;
                return chunk.map((id) => ({ id, state: "pending" }));
            },
            progress
        );
        expect(calls).toBe(1);
        expect(progress).toMatchObject({ processed: 500, cancelled: true, running: false });
        expect(percentDone(progress)).toBe(41);
    });

    test("while it runs, it says so", async () => {
        const progress = emptyProgress();
        const running: boolean[] = [];
        await runInChunks(
            [1, 2],
            async (chunk) => {
                running.push(progress.running);
                return chunk.map((id) => ({ id, state: "pending" }));
            },
            progress,
            1
        );
        expect(running).toEqual([true, true]);
        expect(progress.running).toBe(false);
    });
});
