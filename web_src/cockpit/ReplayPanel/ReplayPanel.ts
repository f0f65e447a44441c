import { Component, useState } from "@odoo/owl";
import { _t } from "../translation";
import type { ReplayRange } from "../../core/api";
import { errorMessage } from "../../core/bulk";
import { localInputToServer, now, toLocalInput } from "../../core/luxon";
import type { SystemHealth } from "../../core/schemas";

interface Props {
    systems: SystemHealth[];
    eventTypes: string[];
    systemId: number | null;
    onReplay: (range: ReplayRange) => Promise<number>;
    onClose: () => void;
}

interface State {
    systemId: string;
    eventType: string;
    from: string;
    to: string;
    reason: string;
    includeDone: boolean;
    running: boolean;
    result: string | null;
    error: string | null;
}

/** Managers send back to the queue what one system delivered in a time range (after an outage,
 * a mapping fixed late, a handler corrected); the server's replay wizard does the work. */
export class ReplayPanel extends Component<Props> {
    static override template = "construction_sync.ReplayPanel";
    static override props = {
        systems: { type: Array },
        eventTypes: { type: Array },
        systemId: { type: [Number, { value: null }] },
        onReplay: { type: Function },
        onClose: { type: Function },
    };

    declare props: Props;
    state!: State;

    override setup(): void {
        const zone = this.zone;
        const first = this.props.systemId ?? this.props.systems[0]?.id;
        this.state = useState<State>({
            systemId: first ? String(first) : "",
            eventType: "",
            from: toLocalInput(now().minus({ days: 1 }), zone),
            to: toLocalInput(now(), zone),
            reason: "",
            includeDone: false,
            running: false,
            result: null,
            error: null,
        });
    }

    get selectedSystemId(): number {
        return Number(this.state.systemId);
    }

    get zone(): string {
        return now().zoneName ?? "UTC";
    }

    async replay(): Promise<void> {
        const dateFrom = localInputToServer(this.state.from, this.zone);
        const dateTo = localInputToServer(this.state.to, this.zone, "end");
        if (!this.state.systemId || !dateFrom || !dateTo) {
            this.state.error = _t("Choose a system and both ends of the range.");
            return;
        }
        this.state.running = true;
        this.state.error = null;
        this.state.result = null;
        try {
            const replayed = await this.props.onReplay({
                systemId: Number(this.state.systemId),
                dateFrom,
                dateTo,
                eventType: this.state.eventType || null,
                reason: this.state.reason,
                includeDone: this.state.includeDone,
            });
            this.state.result = _t("%s events sent back to the queue.", replayed);
        } catch (error) {
            this.state.error = errorMessage(error);
        } finally {
            this.state.running = false;
        }
    }
}
