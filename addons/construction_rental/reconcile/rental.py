"""What a rental system's snapshot of its rentals carries: per rental, the state of its line and
what was billed."""

from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec


class RentalLineSpec(ReconcileSpec):
    object_type = "rental_line"
    object_model = "construction.rental.line"
    summary = ("One object per rental (its external id from rental.reserved / rental.dispatched): values state "
               "(the rental line's state key) and billed_amount.")
    fields = {"state": "text", "billed_amount": "money"}
    # handlers/rental.py maps each dispatched rental a second time, as "<id>@dispatched".
    helper_key_pattern = "%@dispatched"

    def odoo_values(self, records):
        return {
            record["id"]: {"state": record["state"], "billed_amount": record["billed_amount"]}
            for record in records.read(["state", "billed_amount"], load=None)
        }


SPECS = [RentalLineSpec]
