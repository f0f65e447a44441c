// Entry point of the construction_sync bundle: registers the cockpit client action.
import { registry } from "@web/core/registry";
import { Cockpit } from "./cockpit/Cockpit/Cockpit";

registry.category("actions").add("construction_sync.cockpit", Cockpit);

export { Cockpit };
