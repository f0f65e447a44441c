import { describe, expect, test } from "@jest/globals";
import { DateTime } from "luxon";
import {
    businessSeconds,
    defaultBusinessHours,
    formatBusinessAge,
    type BusinessHours,
} from "../../../web_src/core/aging";
import { english } from "../words";

const BERLIN = defaultBusinessHours("Europe/Berlin");

function at(iso: string, zone = "Europe/Berlin"): DateTime {
    return DateTime.fromISO(iso, { zone });
}

function hours(from: string, to: string, business: BusinessHours = BERLIN): number {
    return businessSeconds(at(from), at(to), business) / 3_600;
}

describe("businessSeconds", () => {
    test("inside one working day it is the plain difference", () => {
        expect(hours("2026-11-24T09:00", "2026-11-24T11:30")).toBe(2.5);
    });

    test("before opening and after closing count nothing", () => {
        expect(hours("2026-11-24T06:00", "2026-11-24T07:59")).toBe(0);
        expect(hours("2026-11-24T17:00", "2026-11-24T23:00")).toBe(0);
    });

    test("overnight counts only the evening and morning business hours", () => {
        // Tuesday 16:30 to Wednesday 08:30: half an hour each side.
        expect(hours("2026-11-24T16:30", "2026-11-25T08:30")).toBe(1);
    });

    test("a weekend counts nothing", () => {
        // Friday 16:00 to Monday 09:00: one hour on Friday, one on Monday.
        expect(hours("2026-11-27T16:00", "2026-11-30T09:00")).toBe(2);
        expect(hours("2026-11-28T10:00", "2026-11-29T15:00")).toBe(0);
    });

    test("a full working week is 45 hours", () => {
        expect(hours("2026-11-23T00:00", "2026-11-30T00:00")).toBe(45);
    });

    test("the spring DST change keeps 8 to 17 on the wall clock", () => {
        // Europe/Berlin jumps from 02:00 to 03:00 on Sunday 29 March 2026.
        const fridayToMonday = hours("2026-03-27T12:00", "2026-03-30T12:00");
        expect(fridayToMonday).toBe(9);
        const around = defaultBusinessHours("Europe/Berlin");
        const allDay = { ...around, startHour: 0, endHour: 24, workdays: [7] };
        expect(hours("2026-03-29T00:00", "2026-03-30T00:00", allDay)).toBe(23);
    });

    test("the autumn DST change gives its Sunday 25 hours when every hour counts", () => {
        const allDay = { ...BERLIN, startHour: 0, endHour: 24, workdays: [7] };
        expect(hours("2026-10-25T00:00", "2026-10-26T00:00", allDay)).toBe(25);
    });

    test("the reader's zone decides: 8 UTC is 9 in Berlin but 3 in New York", () => {
        const from = DateTime.fromISO("2026-11-24T08:00:00Z");
        const to = DateTime.fromISO("2026-11-24T14:00:00Z");
        expect(businessSeconds(from, to, BERLIN) / 3_600).toBe(6);
        expect(businessSeconds(from, to, defaultBusinessHours("America/New_York")) / 3_600).toBe(1);
    });

    test("an end before the start (clock skew) is zero", () => {
        expect(hours("2026-11-24T11:00", "2026-11-24T10:00")).toBe(0);
    });
});

describe("formatBusinessAge", () => {
    test.each([
        [0, "0 min"],
        [59 * 60, "59 min"],
        [3_600, "1 h"],
        [45 * 3_600 + 59, "45 h"],
    ])("%i seconds reads %s", (seconds, expected) => {
        expect(formatBusinessAge(seconds, english)).toBe(expected);
    });
});
