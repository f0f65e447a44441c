import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "../translation";
import { withLoading } from "../loading";
import { useService, type ActionService } from "@web/core/utils/hooks";
import { errorMessage } from "../../core/bulk";
import {
    DifferenceApi,
    openRecordAction,
    type DifferenceAction,
    type DifferenceSides as Sides,
} from "../../core/reconciliation";

interface Props {
    /** The difference shown. */
    differenceId: number;
    /** Called after an action ran, so that the panel refreshes its figures and list. */
    onChanged?: () => void;
}

interface State {
    loading: boolean;
    busy: boolean;
    error: string | null;
    sides: Sides | null;
    reason: string;
    /** What the last action did, in one sentence, shown in place. */
    outcome: string | null;
}

/** Both sides of one reconciliation difference: per field the source's value (from its snapshot)
 * beside Odoo's, the rows that disagree highlighted, the Odoo record to open, and the actions a
 * manager may take; the outcome of an action shows in place. */
export class DifferenceSides extends Component<Props> {
    static override template = "construction_sync.DifferenceSides";
    static override props = {
        differenceId: Number,
        onChanged: { type: Function, optional: true },
    };

    declare props: Props;
    state!: State;
    private api!: DifferenceApi;
    private actionService!: ActionService;

    override setup(): void {
        const orm = useService("orm");
        this.actionService = useService("action");
        this.api = new DifferenceApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState<State>({
            loading: true,
            busy: false,
            error: null,
            sides: null,
            reason: "",
            outcome: null,
        });
        onWillStart(() => this.load());
        onWillUpdateProps(async (next: Props) => {
            if (next.differenceId !== this.props.differenceId) {
                this.state.outcome = null;
                this.state.reason = "";
                await this.load(next.differenceId);
            }
        });
    }

    async load(differenceId: number = this.props.differenceId): Promise<void> {
        const read = await withLoading(this.state, async () => {
            this.state.sides = await this.api.sides(differenceId);
        });
        if (!read) {
            this.state.sides = null;
        }
    }

    get actionLabels(): { key: DifferenceAction; label: string; title: string }[] {
        return [
            {
                key: "resend",
                label: _t("Ask the source to resend"),
                title: _t("An outbound request when a subscription wants it, else a note"),
            },
            {
                key: "take",
                label: _t("Take the source's values"),
                title: _t("Applied through the same handler as an event, audited"),
            },
            {
                key: "keep",
                label: _t("Keep Odoo's"),
                title: _t(
                    "Odoo's values stand; published to the source when a subscription wants them"
                ),
            },
        ];
    }

    get canIgnore(): boolean {
        return Boolean(this.state.sides?.actions.ignore) && this.state.reason.trim().length > 0;
    }

    onReason(event: Event): void {
        this.state.reason = (event.target as HTMLInputElement).value;
    }

    async act(action: DifferenceAction): Promise<void> {
        const sides = this.state.sides;
        if (!sides || this.state.busy) {
            return;
        }
        this.state.busy = true;
        this.state.error = null;
        this.state.outcome = null;
        try {
            await this.api.act(sides.id, action, this.state.reason.trim());
            await this.load(sides.id);
            const after = this.state.sides;
            if (after) {
                this.state.outcome = after.resolution || after.last_note || after.state_label;
            }
            this.state.reason = "";
            this.props.onChanged?.();
        } catch (error) {
            this.state.error = errorMessage(error);
        } finally {
            this.state.busy = false;
        }
    }

    async openRecord(): Promise<void> {
        const record = this.state.sides?.record;
        if (record) {
            await this.actionService.doAction(openRecordAction(record));
        }
    }

    rowTitle(mismatch: boolean): string {
        return mismatch ? _t("The two sides differ") : _t("Both sides agree");
    }
}
