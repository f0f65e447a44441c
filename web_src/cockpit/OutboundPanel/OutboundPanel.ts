import { Component, onWillStart, onWillUpdateProps, useState } from "@odoo/owl";
import { _t } from "../translation";
import { withLoading } from "../loading";
import { words } from "../words";
import { useService } from "@web/core/utils/hooks";
import { errorMessage } from "../../core/bulk";
import { formatAge } from "../../core/format";
import { formatServerDatetime, now } from "../../core/luxon";
import {
    OutboundApi,
    orderSubscriptions,
    outboxActions,
    subscriptionStatus,
    subscriptionsOf,
    type FailedDelivery,
    type OutboxAction,
    type SubscriptionHealth,
    type SubscriptionStatus,
} from "../../core/outbound";

interface Props {
    /** The inbound card selected in the cockpit: its subscriptions only; null for all. */
    systemId: number | null;
    isManager: boolean;
    onOpenRecord: (model: string, id: number) => void;
}

interface State {
    loading: boolean;
    error: string | null;
    subscriptions: SubscriptionHealth[];
    subscriptionId: number | null;
    rows: FailedDelivery[];
    total: number;
    offset: number;
    /** What Retry or Replay did, on the row acted on (kept until the next refresh). */
    outcomes: Record<number, { ok: boolean; text: string }>;
    busyIds: number[];
}

const PAGE_SIZE = 50;

/** Outbound events beside the inbound ones: each subscription's health (queue, failures, dead
 * messages, disabled), and the deliveries that failed with Retry and Replay for managers. */
export class OutboundPanel extends Component<Props> {
    static override template = "construction_sync.OutboundPanel";
    static override props = {
        systemId: { type: [Number, { value: null }] },
        isManager: { type: Boolean },
        onOpenRecord: { type: Function },
    };

    declare props: Props;
    state!: State;
    private api!: OutboundApi;

    override setup(): void {
        const orm = useService("orm");
        this.api = new OutboundApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState<State>({
            loading: true,
            error: null,
            subscriptions: [],
            subscriptionId: null,
            rows: [],
            total: 0,
            offset: 0,
            outcomes: {},
            busyIds: [],
        });
        onWillStart(() => this.reload());
        onWillUpdateProps(async (next: Props) => {
            if (next.systemId !== this.props.systemId) {
                this.state.subscriptionId = null;
                this.state.offset = 0;
                await this.reload(next.systemId);
            }
        });
    }

    /** The subscriptions of the selected system, those needing a person first. */
    get shown(): SubscriptionHealth[] {
        return orderSubscriptions(subscriptionsOf(this.state.subscriptions, this.props.systemId));
    }

    /** Failed deliveries are listed per subscription (the server filters by subscription only). */
    get listTitle(): string {
        const selected = this.state.subscriptions.find(
            (subscription) => subscription.id === this.state.subscriptionId
        );
        return selected
            ? _t("Failed deliveries to %s", selected.name)
            : _t("Failed deliveries, all subscriptions");
    }

    get pageLabel(): string {
        const last = Math.min(this.state.offset + PAGE_SIZE, this.state.total);
        return _t("%s-%s of %s", this.state.offset + 1, last, this.state.total);
    }

    get hasPrevious(): boolean {
        return this.state.offset > 0;
    }

    get hasNext(): boolean {
        return this.state.offset + PAGE_SIZE < this.state.total;
    }

    async reload(systemId: number | null = this.props.systemId): Promise<void> {
        await withLoading(this.state, async () => {
            const [subscriptions, page] = await Promise.all([
                this.api.health(systemId),
                this.api.failedDeliveries({
                    subscriptionId: this.state.subscriptionId,
                    offset: this.state.offset,
                    limit: PAGE_SIZE,
                }),
            ]);
            this.state.subscriptions = subscriptions;
            this.state.rows = page.rows;
            this.state.total = page.total;
            this.state.outcomes = {};
        });
    }

    async selectSubscription(subscriptionId: number): Promise<void> {
        this.state.subscriptionId =
            this.state.subscriptionId === subscriptionId ? null : subscriptionId;
        this.state.offset = 0;
        await this.reload();
    }

    async page(step: 1 | -1): Promise<void> {
        this.state.offset = Math.max(0, this.state.offset + step * PAGE_SIZE);
        await this.reload();
    }

    actionsOf(row: FailedDelivery): OutboxAction[] {
        return this.props.isManager ? outboxActions(row.state) : [];
    }

    actionLabel(action: OutboxAction): string {
        return action === "retry" ? _t("Retry") : _t("Replay");
    }

    actionTitle(action: OutboxAction): string {
        return action === "retry"
            ? _t("Send it again now, with the same webhook id.")
            : _t("Send it once more: a receiver that kept it ignores the copy.");
    }

    isBusy(row: FailedDelivery): boolean {
        return this.state.busyIds.includes(row.id);
    }

    /** Sends one message again; the outcome shows on its row, which stays until the next refresh
     * (a retried message leaves the failed list at once). */
    async act(action: OutboxAction, row: FailedDelivery): Promise<void> {
        this.state.busyIds = [...this.state.busyIds, row.id];
        try {
            const done = await this.api.act(action, [row.id]);
            this.state.outcomes[row.id] = done
                ? { ok: true, text: _t("Queued again: the runner sends it in a moment.") }
                : { ok: false, text: _t("Nothing sent: the message no longer exists.") };
            this.state.subscriptions = await this.api.health(this.props.systemId);
        } catch (error) {
            this.state.outcomes[row.id] = { ok: false, text: errorMessage(error) };
        } finally {
            this.state.busyIds = this.state.busyIds.filter((id) => id !== row.id);
        }
    }

    status(subscription: SubscriptionHealth): SubscriptionStatus {
        return subscriptionStatus(subscription);
    }

    statusLabel(subscription: SubscriptionHealth): string {
        const labels: Record<SubscriptionStatus, () => string> = {
            disabled: () => _t("Disabled"),
            dead: () => _t("Dead messages"),
            failing: () => _t("Failing"),
            healthy: () => _t("Healthy"),
        };
        return labels[subscriptionStatus(subscription)]();
    }

    oldestQueued(subscription: SubscriptionHealth): string {
        const seconds = subscription.oldest_queued_seconds;
        if (seconds === null) {
            return "—";
        }
        const reference = now();
        return formatAge(reference.minus({ seconds: Math.max(0, seconds) }), reference, words);
    }

    when(value: string | null): string {
        return value ? formatServerDatetime(value) : "";
    }

    stateLabel(row: FailedDelivery): string {
        return row.state === "dead" ? _t("Dead") : _t("Retrying");
    }

    lastAnswer(row: FailedDelivery): string {
        const status = row.last_status ? _t("HTTP %s", row.last_status) : _t("No answer");
        return row.last_error ? `${status}: ${row.last_error}` : status;
    }
}
