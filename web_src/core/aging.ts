import type { Words } from "./format";
import type { DateTime } from "./luxon";

/** When people work: weekdays are luxon's (1 = Monday … 7 = Sunday), hours on the wall clock. */
export interface BusinessHours {
    zone: string;
    startHour: number;
    endHour: number;
    workdays: readonly number[];
}

/** Monday to Friday, 8 to 17: the accounting office's day unless told otherwise. */
export function defaultBusinessHours(zone: string): BusinessHours {
    return { zone, startHour: 8, endHour: 17, workdays: [1, 2, 3, 4, 5] };
}

/**
 * Seconds of business time between two moments. Each calendar day is opened and closed on the
 * wall clock of `hours.zone`, so a day whose clock jumps (DST) keeps its 8 to 17 and an
 * event waiting over a weekend or a night is not counted as late for those hours.
 */
export function businessSeconds(from: DateTime, to: DateTime, hours: BusinessHours): number {
    const start = from.setZone(hours.zone);
    const end = to.setZone(hours.zone);
    if (end <= start) {
        return 0;
    }
    let total = 0;
    const lastDay = end.startOf("day");
    for (
        let day = start.startOf("day");
        day <= lastDay;
        day = day.plus({ days: 1 }).startOf("day")
    ) {
        if (!hours.workdays.includes(day.weekday)) {
            continue;
        }
        const open = day.set({ hour: hours.startHour });
        // set({ hour: 24 }) is not a time of day: the day closes when the next one starts.
        const close =
            hours.endHour >= 24
                ? day.plus({ days: 1 }).startOf("day")
                : day.set({ hour: hours.endHour });
        const from_ = open > start ? open : start;
        const to_ = close < end ? close : end;
        if (to_ > from_) {
            total += to_.toMillis() - from_.toMillis();
        }
    }
    return Math.floor(total / 1000);
}

/** "45 min", "7 h": business time reads in hours, a working week is 45 of them. */
export function formatBusinessAge(seconds: number, words: Words): string {
    if (seconds < 3_600) {
        return words.minutes(Math.floor(seconds / 60));
    }
    return words.hours(Math.floor(seconds / 3_600));
}
