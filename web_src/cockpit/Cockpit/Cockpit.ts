import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

interface Props {
    action: { id?: number; name?: string };
}

interface State {
    loading: boolean;
}

/**
 * The integration cockpit, the client action behind Construction > Sync > Cockpit. Later issues
 * fill it with the health strip, exceptions list and detail panel; each is a child component.
 */
export class Cockpit extends Component<Props> {
    static override template = "construction_sync.Cockpit";
    static override props = { ...standardActionServiceProps };

    declare props: Props;
    state!: State;

    override setup(): void {
        this.state = useState({ loading: true });
        onWillStart(() => {
            this.state.loading = false;
        });
    }

    get title(): string {
        return _t("Integration Cockpit");
    }
}
