import { describe, expect, test } from "@jest/globals";
import { DateTime } from "luxon";
import { formatAge } from "../../../web_src/core/format";
import { english } from "../words";
import { localInputToServer, parseServerDatetime, toLocalInput } from "../../../web_src/core/luxon";

const reference = DateTime.fromISO("2026-11-23T12:00:00Z");

describe("formatAge", () => {
    test.each([
        [0, "0 s"],
        [59, "59 s"],
        [60, "1 min"],
        [3_599, "59 min"],
        [3_600, "1 h"],
        [86_399, "23 h"],
        [86_400, "1 d"],
        [10 * 86_400 + 5, "10 d"],
    ])("%i seconds reads %s", (seconds, expected) => {
        expect(formatAge(reference.minus({ seconds }), reference, english)).toBe(expected);
    });

    test("a timestamp in the future (clock skew) reads as zero, not negative", () => {
        expect(formatAge(reference.plus({ minutes: 3 }), reference, english)).toBe("0 s");
    });
});

describe("parseServerDatetime", () => {
    test("reads Odoo's naive UTC format as UTC", () => {
        const parsed = parseServerDatetime("2026-11-23 08:15:00");
        expect(parsed.toUTC().toISO()).toBe("2026-11-23T08:15:00.000Z");
    });

    test("reads ISO 8601 with an offset", () => {
        const parsed = parseServerDatetime("2026-11-23T09:15:00+01:00");
        expect(parsed.toUTC().toISO()).toBe("2026-11-23T08:15:00.000Z");
    });
});

describe("datetime-local inputs", () => {
    test("a Berlin wall-clock time is sent as naive UTC, in winter and in summer", () => {
        expect(localInputToServer("2026-11-23T09:00", "Europe/Berlin")).toBe("2026-11-23 08:00:00");
        expect(localInputToServer("2026-07-01T09:00", "Europe/Berlin")).toBe("2026-07-01 07:00:00");
        expect(localInputToServer("", "Europe/Berlin")).toBeNull();
    });

    test("the end of a range takes in the whole minute shown", () => {
        expect(localInputToServer("2026-11-23T09:00", "Europe/Berlin", "end")).toBe(
            "2026-11-23 08:00:59"
        );
    });

    test("an input is filled with the reader's wall clock", () => {
        const moment = DateTime.fromISO("2026-11-23T08:00:00Z");
        expect(toLocalInput(moment, "Europe/Berlin")).toBe("2026-11-23T09:00");
    });
});
