import { Component, onMounted, onPatched, onWillUnmount, useRef, useState } from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { _t } from "../translation";
import { createChart, type ChartInstance } from "../../core/chart";
import { now } from "../../core/luxon";
import type { EventState, Trends } from "../../core/schemas";
import { breakdownChart, hourlyChart } from "../../core/trends";

interface Props {
    /** Collapsed, only the title shows: the list is what people open the cockpit for. */
    open: boolean;
    trends: Trends | null;
    days: 7 | 30;
    error: string | null;
    onDays: (days: 7 | 30) => void;
    onToggle: () => void;
}

/**
 * Events per hour by state, and the exceptions by error class and by event type. Chart.js comes
 * from Odoo's lazy bundle, loaded once the cockpit is on screen so the list never waits for it.
 */
export class TrendsPanel extends Component<Props> {
    static override template = "construction_sync.TrendsPanel";
    static override props = {
        open: { type: Boolean },
        trends: { type: [Object, { value: null }] },
        days: { type: Number },
        error: { type: [String, { value: null }] },
        onDays: { type: Function },
        onToggle: { type: Function },
    };

    declare props: Props;
    private charts: ChartInstance[] = [];
    private drawn: Trends | null = null;
    private hourly = useRef<HTMLCanvasElement>("hourly");
    private byErrorClass = useRef<HTMLCanvasElement>("byErrorClass");
    private byEventType = useRef<HTMLCanvasElement>("byEventType");
    state!: { libraryReady: boolean; libraryError: string | null };

    override setup(): void {
        this.state = useState({ libraryReady: false, libraryError: null });
        onMounted(() => {
            if (this.props.open) {
                void this.loadLibrary();
            }
        });
        onPatched(() => {
            if (this.props.open) {
                void this.loadLibrary();
                this.draw();
            } else {
                // Collapsed: the canvases are gone, so are their charts.
                this.destroy();
            }
        });
        onWillUnmount(() => this.destroy());
    }

    private loading = false;

    private async loadLibrary(): Promise<void> {
        if (this.state.libraryReady || this.loading) {
            return;
        }
        this.loading = true;
        try {
            await loadBundle("web.chartjs_lib");
            this.state.libraryReady = true;
        } catch (error) {
            this.state.libraryError = error instanceof Error ? error.message : String(error);
        } finally {
            this.loading = false;
        }
    }

    get empty(): boolean {
        return !!this.props.trends && !this.props.trends.by_hour.length;
    }

    get hasExceptions(): boolean {
        return !!this.props.trends?.by_error_class.length;
    }

    get stateLabels(): Record<EventState, string> {
        return {
            pending: _t("Pending"),
            processing: _t("Processing"),
            awaiting_approval: _t("Awaiting approval"),
            done: _t("Done"),
            failed: _t("Failed"),
            dead: _t("Dead"),
            stale: _t("Stale"),
            ignored: _t("Ignored"),
        };
    }

    errorClassLabel(key: string): string {
        const labels: Record<string, string> = {
            data: _t("Data"),
            business: _t("Business"),
            technical: _t("Technical"),
            transient: _t("Transient"),
            approval: _t("Awaiting approval"),
        };
        return labels[key] ?? key;
    }

    private draw(): void {
        const trends = this.props.trends;
        if (!this.state.libraryReady || !trends || trends === this.drawn) {
            return;
        }
        const canvases = [this.hourly.el, this.byErrorClass.el, this.byEventType.el];
        if (canvases.some((canvas) => !canvas)) {
            return;
        }
        this.destroy();
        const [hourly, byErrorClass, byEventType] = canvases as HTMLCanvasElement[];
        const zone = now().zoneName ?? "UTC";
        this.charts = [
            createChart(hourly as HTMLCanvasElement, hourlyChart(trends, zone, this.stateLabels)),
            createChart(
                byErrorClass as HTMLCanvasElement,
                breakdownChart(trends.by_error_class, _t("Exceptions"), (key) =>
                    this.errorClassLabel(key)
                )
            ),
            createChart(
                byEventType as HTMLCanvasElement,
                breakdownChart(trends.by_event_type, _t("Exceptions"))
            ),
        ];
        this.drawn = trends;
    }

    private destroy(): void {
        for (const chart of this.charts) {
            chart.destroy();
        }
        this.charts = [];
        this.drawn = null;
    }
}
