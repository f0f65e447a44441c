"""What a project platform's snapshots of contracts carry: projects with their approved changes,
commitment lines with what is committed and billed, pay applications with their totals."""

from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_base.reconcile.project import ProjectSpec
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY, QUANTITY
from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec

_lt = LazyTranslate(__name__)


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
    """Commitment lines. The committed amount is taken through commitment.approved (naming only
    this line: the commitment's other lines stay), with the line's quantity and unit price when
    the snapshot carries them, else Odoo's quantity and the committed amount divided by it when
    that is exact to the cent. A line missing in Odoo is created when the snapshot carries its
    commitment, project, vendor, cost code and description. The billed amount cannot be taken: it
    is the sum of the subcontractor bills posted against the line, which only the missing
    subcontractor_invoice.received events can change."""

    object_type = "commitment_line"
    object_model = "purchase.order.line"
    summary = ("One object per commitment line (its external id from commitment.approved): values committed "
               "(untaxed line amount) and billed (subcontractor bills posted against it); optionally what "
               "commitment.approved needs to apply it (commitment_id, project_id, vendor_id, cost_code_id, "
               "description, quantity, unit_price).")
    fields = {"committed": "money", "billed": "money"}
    upsert_event_type = "commitment.approved"
    upsert_fields = ("committed",)
    upsert_values = {
        "commitment_id": {**EXTERNAL_ID, "description": "The commitment (commitment.approved id) of the line."},
        "project_id": EXTERNAL_ID,
        "vendor_id": EXTERNAL_ID,
        "cost_code_id": EXTERNAL_ID,
        "description": {"type": "string", "minLength": 1, "maxLength": 255},
        "quantity": QUANTITY,
        "unit_price": MONEY,
    }
    take_refused = {
        "billed": _lt("the billed amount is the sum of the subcontractor bills posted against the line, which only "
                      "the missing subcontractor_invoice.received events can change"),
    }

    def odoo_values(self, records):
        return {
            record["id"]: {"committed": record["price_subtotal"], "billed": record["construction_billed_amount"]}
            for record in records.read(["price_subtotal", "construction_billed_amount"], load=None)
        }

    def upsert_data(self, record, external_id, source_values, external_id_of):
        values = source_values
        order = record.order_id if record else None
        references = {
            "id": values.get("commitment_id") or external_id_of(order),
            "project_id": values.get("project_id") or external_id_of(order and order.construction_project_id),
            "vendor_id": values.get("vendor_id") or external_id_of(order and order.partner_id)
            or external_id_of(order and order.partner_id.commercial_partner_id),
        }
        line = {
            "id": external_id,
            "cost_code_id": values.get("cost_code_id") or external_id_of(record and record.cost_code_id),
            "description": values.get("description") or (record.name if record else None),
        }
        if not all(references.values()) or not all(line.values()):
            return None
        if "unit_price" in values:
            quantity, unit_price = values.get("quantity", record.product_qty if record else 1), values["unit_price"]
        elif values.get("committed") is None:
            return None
        else:
            quantity = values.get("quantity", record.product_qty if record else 1)
            unit_price = round(values["committed"] / quantity, 2) if quantity else None
            if unit_price is None or round(unit_price * quantity - values["committed"], 2) != 0:
                return None  # no unit price gives the committed amount: the snapshot must say
        return {**references, "lines": [{**line, "quantity": quantity, "unit_price": unit_price}]}


class PayApplicationSpec(ReconcileSpec):
    """Pay applications (G702 totals). Their source values cannot be taken: every total follows
    from the G703 lines (work completed and stored per cost code) of progress_billing.certified,
    which a snapshot of totals does not carry; the certification is what to ask for."""

    object_type = "pay_application"
    object_model = "construction.pay.application"
    summary = ("values: total_completed (completed and stored to date), retainage (total), payment_due "
               "(current payment due), the G702 totals.")
    fields = {"total_completed": "money", "retainage": "money", "payment_due": "money"}
    take_refused = {
        "*": _lt("its totals follow from the G703 lines per cost code of progress_billing.certified, which a "
                 "snapshot of totals does not carry"),
    }

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
