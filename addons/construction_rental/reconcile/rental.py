"""What a rental system's snapshot of its rentals carries: per rental, the state of its line and
what was billed."""

from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY
from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec

_lt = LazyTranslate(__name__)


class RentalLineSpec(ReconcileSpec):
    """Rental lines. A reservation missing in Odoo is taken through rental.reserved when the
    snapshot carries its equipment, project and direction (and the terms it knows). Nothing else
    can be taken: any other state is reached through its own event (rental.dispatched,
    rental.returned, rental.transferred) carrying the dates, rates and project that make the
    charges, none of which a snapshot of states carries, and the billed amount is what Odoo
    invoiced from those charges. The lost state change is what to ask for."""

    object_type = "rental_line"
    object_model = "construction.rental.line"
    summary = ("One object per rental (its external id from rental.reserved / rental.dispatched): values state "
               "(the rental line's state key) and billed_amount; optionally equipment_id, project_id, direction, "
               "cost_code_id, rate_basis and rate, so that a reservation missing in Odoo can be created.")
    fields = {"state": "text", "billed_amount": "money"}
    # handlers/rental.py maps each dispatched rental a second time, as "<id>@dispatched".
    helper_key_pattern = "%@dispatched"
    upsert_event_type = "rental.reserved"
    upsert_values = {
        "equipment_id": EXTERNAL_ID,
        "project_id": EXTERNAL_ID,
        "direction": {"type": "string", "enum": ["out", "in", "internal"]},
        "cost_code_id": EXTERNAL_ID,
        "rate_basis": {"type": "string", "enum": ["hour", "day", "week", "month"]},
        "rate": {**MONEY, "minimum": 0},
    }
    take_refused = {
        "state": _lt("a rental's state is reached through rental.dispatched, rental.returned or rental.transferred "
                     "with the dates and rates its charges follow from, which a snapshot does not carry"),
        "billed_amount": _lt("the billed amount is what Odoo invoiced from the rental's charges, which only the "
                             "rental's own events change"),
    }

    def upsert_data(self, record, external_id, source_values, external_id_of):  # pylint: disable=unused-argument
        values = source_values
        if record or values.get("state") != "reserved":
            return None
        data = {"id": external_id, **{key: values.get(key) for key in ("equipment_id", "project_id", "direction")}}
        if not all(data.values()):
            return None
        data.update({key: values[key] for key in ("cost_code_id", "rate_basis", "rate") if key in values})
        return data

    def odoo_values(self, records):
        return {
            record["id"]: {"state": record["state"], "billed_amount": record["billed_amount"]}
            for record in records.read(["state", "billed_amount"], load=None)
        }


SPECS = [RentalLineSpec]
