"""What a project platform's snapshots of contracts carry: projects with their approved changes,
commitment lines with what is committed and billed, pay applications with their totals."""

from odoo.addons.construction_base.reconcile.project import ProjectSpec
from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec


class ContractProjectSpec(ProjectSpec):
    """Projects once change orders exist: the approved changes too. They come from the change
    orders' own events, so taking the source's value of this field is not offered (see
    upsert_fields): the missing change order is what to ask for."""

    summary = "values: name, contract_value (original), approved_changes (approved change orders)."
    fields = {**ProjectSpec.fields, "approved_changes": "money"}
    upsert_fields = ("name", "contract_value")

    def odoo_values(self, records):
        values = super().odoo_values(records)
        for record in records.read(["approved_change_order_total"], load=None):
            values[record["id"]]["approved_changes"] = record["approved_change_order_total"]
        return values


class CommitmentLineSpec(ReconcileSpec):
    object_type = "commitment_line"
    object_model = "purchase.order.line"
    summary = ("One object per commitment line (its external id from commitment.approved): values committed "
               "(untaxed line amount) and billed (subcontractor bills posted against it).")
    fields = {"committed": "money", "billed": "money"}

    def odoo_values(self, records):
        return {
            record["id"]: {"committed": record["price_subtotal"], "billed": record["construction_billed_amount"]}
            for record in records.read(["price_subtotal", "construction_billed_amount"], load=None)
        }


class PayApplicationSpec(ReconcileSpec):
    object_type = "pay_application"
    object_model = "construction.pay.application"
    summary = ("values: total_completed (completed and stored to date), retainage (total), payment_due "
               "(current payment due), the G702 totals.")
    fields = {"total_completed": "money", "retainage": "money", "payment_due": "money"}

    def odoo_values(self, records):
        return {
            record["id"]: {"total_completed": record["total_completed_stored"],
                           "retainage": record["retainage_total"],
                           "payment_due": record["current_payment_due"]}
            for record in records.read(["total_completed_stored", "retainage_total", "current_payment_due"],
                                       load=None)
        }


def spec_classes(classes):
    """The contract addon's specs: its project spec replaces construction_base's."""
    return [ContractProjectSpec if cls is ProjectSpec else cls for cls in classes] + [
        CommitmentLineSpec, PayApplicationSpec]
