// The systems' cards: which come first and which a filter keeps. With a dozen systems or more the
// cards are a compact row, and the unhealthy ones are what the accountant looks for.
import type { SystemHealth } from "./schemas";

/** Unhealthy first (the server's alert), then those with open failures, then by name. */
export function orderSystems(systems: readonly SystemHealth[]): SystemHealth[] {
    return [...systems].sort(
        (a, b) =>
            Number(b.alert) - Number(a.alert) ||
            b.open_failures - a.open_failures ||
            a.name.localeCompare(b.name)
    );
}

export interface SystemFilter {
    /** Part of the name or code, any case. */
    text: string;
    unhealthyOnly: boolean;
}

export function filterSystems(
    systems: readonly SystemHealth[],
    filter: SystemFilter
): SystemHealth[] {
    const text = filter.text.trim().toLowerCase();
    return systems.filter(
        (system) =>
            (!filter.unhealthyOnly || system.alert) &&
            (!text ||
                system.name.toLowerCase().includes(text) ||
                system.code.toLowerCase().includes(text))
    );
}

export function unhealthyCount(systems: readonly SystemHealth[]): number {
    return systems.filter((system) => system.alert).length;
}
