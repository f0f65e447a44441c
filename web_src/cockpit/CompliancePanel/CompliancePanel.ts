import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "../translation";
import { withLoading } from "../loading";
import { useService } from "@web/core/utils/hooks";
import {
    ComplianceApi,
    billLabel,
    type BlockedAction,
    type ComplianceSummary,
    type HeldBill,
    type VendorCompliance,
} from "../../core/compliance";
import { formatMoney } from "../../core/format";

interface Props {
    onOpenRecord: (model: string, id: number) => void;
}

interface State {
    loading: boolean;
    error: string | null;
    /** Null: construction_compliance is not installed, or this user may not read it. */
    summary: ComplianceSummary | null;
    /** Null: construction_receiving is not installed. */
    bills: HeldBill[] | null;
}

/** The vendors shown on the card; the rest are one click away in the compliance screens. */
const VENDORS_SHOWN = 8;

/** Vendor compliance (documents expiring, vendors blocked now) and the bills the three-way match
 * holds, each only where its addon is installed and the user may read it. */
export class CompliancePanel extends Component<Props> {
    static override template = "construction_sync.CompliancePanel";
    static override props = { onOpenRecord: { type: Function } };

    declare props: Props;
    state!: State;
    private api!: ComplianceApi;

    override setup(): void {
        const orm = useService("orm");
        this.api = new ComplianceApi((model, method, args, kwargs) =>
            orm.call(model, method, args, kwargs)
        );
        this.state = useState<State>({ loading: true, error: null, summary: null, bills: null });
        onWillStart(() => this.reload());
    }

    async reload(): Promise<void> {
        await withLoading(this.state, async () => {
            Object.assign(this.state, await this.api.figures());
        });
    }

    /** Nothing to show (neither addon installed, nothing this user may read, no bill held): the
     * panel renders nothing at all. */
    get empty(): boolean {
        return !this.state.summary && !this.state.bills?.length;
    }

    get vendors(): VendorCompliance[] {
        return this.state.summary?.by_vendor.slice(0, VENDORS_SHOWN) ?? [];
    }

    get moreVendors(): number {
        return Math.max(0, (this.state.summary?.by_vendor.length ?? 0) - VENDORS_SHOWN);
    }

    blockedLabel(vendor: VendorCompliance): string {
        const labels: Record<BlockedAction, () => string> = {
            commitment: () => _t("commitments"),
            bill: () => _t("bills"),
            payment: () => _t("payments"),
            receipt: () => _t("receipts"),
        };
        return vendor.blocked_actions.map((action) => labels[action]()).join(", ");
    }

    billLabel(bill: HeldBill): string {
        return billLabel(bill);
    }

    money(value: number, currency: string): string {
        return formatMoney({ value, currency }, document.documentElement.lang || undefined);
    }

    billState(bill: HeldBill): string {
        return bill.state === "draft" ? _t("Draft") : _t("Posted");
    }
}
