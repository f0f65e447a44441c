import { Component } from "@odoo/owl";
import type { EventDetail as Detail } from "../../core/schemas";

interface Props {
    detail: Detail;
    isManager: boolean;
    busy: boolean;
    onAccept: (eventIds: number[]) => void;
    onClose: () => void;
    onOpenRecord: (model: string, id: number) => void;
    onFixMapping: (detail: Detail) => void;
}

/** One event in full: the reason in plain words, the payload, the trail, the way to fix it. */
export class EventDetail extends Component<Props> {
    static override template = "construction_sync.EventDetail";
    static override props = {
        detail: { type: Object },
        isManager: { type: Boolean },
        busy: { type: Boolean },
        onAccept: { type: Function },
        onClose: { type: Function },
        onOpenRecord: { type: Function },
        onFixMapping: { type: Function },
    };

    declare props: Props;

    /** Escape closes the panel from wherever the focus is inside it, as it does from the list. */
    onKeydown(ev: KeyboardEvent): void {
        if (ev.key === "Escape") {
            ev.preventDefault();
            this.props.onClose();
        }
    }
}
