// Odoo ships Chart.js as a lazily loaded bundle (web.chartjs_lib) that defines the global Chart;
// the cockpit loads that bundle and must not carry a second copy. This module is the single place
// that reaches for the global, typed from the npm package; jest fills it from the npm package.
import type { Chart as ChartClass, ChartConfiguration } from "chart.js";

type ChartConstructor = typeof ChartClass;

export function chartConstructor(): ChartConstructor {
    const lib = (globalThis as { Chart?: ChartConstructor }).Chart;
    if (!lib) {
        throw new Error("Chart.js is not loaded: load the web.chartjs_lib bundle first");
    }
    return lib;
}

/** A category label; an array is drawn as one line per item (long event types, wrapped). */
export type ChartLabel = string | string[];

export type ChartInstance = ChartClass<"bar", number[], ChartLabel>;

export function createChart(
    canvas: HTMLCanvasElement,
    config: ChartConfiguration<"bar", number[], ChartLabel>
): ChartInstance {
    const Chart = chartConstructor();
    return new Chart(canvas, config);
}
