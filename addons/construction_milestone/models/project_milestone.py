from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class ProjectMilestone(models.Model):
    """A milestone that bills a share of the contract. Reaching it (in Odoo or by the
    milestone.completed event) makes it ready to bill, with the evidence of who approved it and
    when; the accountant invoices it from the Ready to Bill list, or its draft invoice is created
    at once when the project asks for it."""

    _inherit = "project.milestone"

    construction_billable = fields.Boolean(string="Billable")
    construction_billing_percent = fields.Float(
        string="Contract Share %", digits=(5, 2), help="Share of the revised contract value this milestone bills.",
    )
    currency_id = fields.Many2one(related="project_id.currency_id")
    construction_amount = fields.Monetary(
        string="Amount to Bill", compute="_compute_construction_amount", currency_field="currency_id",
        help="The share of the project's revised contract value; frozen on the invoice once billed.",
    )
    construction_billing_state = fields.Selection(
        [("not_billable", "Not Billable"), ("to_reach", "Not Reached"), ("ready", "Ready to Bill"),
         ("invoiced", "Invoiced")],
        string="Billing", compute="_compute_construction_billing_state", store=True, index=True,
    )
    construction_approved_by = fields.Char(
        string="Approved By", readonly=True, copy=False,
        help="Who approved the milestone as reached: the field system's approver or the Odoo user.",
    )
    construction_approved_at = fields.Datetime(string="Approved On", readonly=True, copy=False)
    construction_event_id = fields.Many2one(
        "construction.sync.event", string="Source Event", readonly=True, copy=False, ondelete="set null",
        groups="construction_sync.group_user", help="The milestone.completed event that reached it.",
    )
    construction_invoice_id = fields.Many2one("account.move", string="Invoice", readonly=True, copy=False,
                                              index="btree_not_null")
    construction_billed_amount = fields.Monetary(string="Billed", readonly=True, copy=False,
                                                 currency_field="currency_id")
    company_id = fields.Many2one(related="project_id.company_id", store=True)

    _sql_constraints = [
        ("construction_billing_percent_range",
         "CHECK(construction_billing_percent >= 0 AND construction_billing_percent <= 100)",
         "A milestone bills between 0 and 100 % of the contract."),
    ]

    @api.depends("construction_billing_percent", "project_id.revised_contract_value", "construction_invoice_id")
    def _compute_construction_amount(self):
        for milestone in self:
            if milestone.construction_invoice_id:
                milestone.construction_amount = milestone.construction_billed_amount
            else:
                milestone.construction_amount = milestone.currency_id.round(
                    milestone.project_id.revised_contract_value * milestone.construction_billing_percent / 100.0)

    @api.depends("construction_billable", "project_id.construction_bill_by_milestone", "is_reached",
                 "construction_invoice_id", "construction_invoice_id.state")
    def _compute_construction_billing_state(self):
        for milestone in self:
            if milestone.construction_invoice_id and milestone.construction_invoice_id.state != "cancel":
                milestone.construction_billing_state = "invoiced"
            elif not (milestone.construction_billable and milestone.project_id.construction_bill_by_milestone):
                milestone.construction_billing_state = "not_billable"
            elif milestone.is_reached:
                milestone.construction_billing_state = "ready"
            else:
                milestone.construction_billing_state = "to_reach"

    @api.constrains("construction_billable", "construction_billing_percent", "project_id")
    def _check_construction_share(self):
        self.project_id._check_construction_milestone_percent()

    def write(self, vals):
        if vals.get("is_reached") and "construction_approved_by" not in vals:
            # Reached in Odoo: the evidence is the user who ticked it, now.
            newly = self.filtered(lambda m: not m.is_reached)
            result = super().write(vals)
            newly.write({"construction_approved_by": self.env.user.name,
                         "construction_approved_at": fields.Datetime.now()})
            newly._construction_on_reached()
            return result
        return super().write(vals)

    def _construction_reach(self, approved_by, approved_at, date=None, event=None):
        """Marks the milestone reached with its evidence (the field system's approval)."""
        new = self.filtered(lambda m: not m.is_reached)
        values = {"is_reached": True, "construction_approved_by": approved_by, "construction_approved_at": approved_at}
        if event:
            values["construction_event_id"] = event.id
        new.write(values)
        if date:
            new.write({"reached_date": date})
        new._construction_on_reached()

    def _construction_on_reached(self):
        for milestone in self.filtered(lambda m: m.construction_billing_state == "ready"):
            if milestone.project_id.construction_milestone_auto_invoice:
                milestone.action_construction_invoice()

    def action_construction_invoice(self):
        """Creates the milestone's draft invoice: its share of the contract, with the project's
        billing taxes and its retention withheld, on the project's analytic account."""
        moves = self.env["account.move"]
        for milestone in self:
            # Two accountants billing the same milestone at once: the second waits, then finds it invoiced.
            self.env.cr.execute("SELECT id FROM project_milestone WHERE id = %s FOR UPDATE", (milestone.id,))
            milestone.invalidate_recordset(["construction_invoice_id", "construction_billing_state"])
            if milestone.construction_billing_state != "ready":
                raise UserError(_("Milestone %(milestone)s is not ready to bill (%(state)s).",
                                  milestone=milestone.name,
                                  state=dict(self._fields["construction_billing_state"]._description_selection(
                                      self.env)).get(milestone.construction_billing_state)))
            project = milestone.project_id
            if not project.partner_id:
                raise UserError(_("%s has no customer to invoice.", project.display_name))
            amount = milestone.construction_amount
            if project.currency_id.compare_amounts(amount, 0.0) <= 0:
                raise ValidationError(_("Milestone %s bills nothing: set its contract share.", milestone.name))
            move = self.env["account.move"].create({
                "move_type": "out_invoice",
                "partner_id": project.partner_id.id,
                "company_id": (project.company_id or self.env.company).id,
                "construction_project_id": project.id,
                "retention_percent": project.retention_percent,
                "invoice_origin": project.name,
                "ref": _("Milestone: %(milestone)s (%(percent)s%% of contract)", milestone=milestone.name,
                         percent="%g" % milestone.construction_billing_percent),
                "invoice_line_ids": [Command.create({
                    "name": _("%(milestone)s, approved by %(who)s on %(when)s", milestone=milestone.name,
                              who=milestone.construction_approved_by or "-",
                              when=fields.Date.to_string(milestone.construction_approved_at or milestone.reached_date)
                              if (milestone.construction_approved_at or milestone.reached_date) else "-"),
                    "quantity": 1,
                    "price_unit": amount,
                    "tax_ids": [Command.set(project._construction_sale_taxes().ids)],
                    "analytic_distribution": self.env["construction.cost.code"]._analytic_distribution(project),
                })],
            })
            if project.retention_percent:
                move.action_construction_apply_retention()
            milestone.write({"construction_invoice_id": move.id, "construction_billed_amount": amount})
            moves |= move
        return moves

    def action_construction_open_invoice(self):
        self.ensure_one()
        if not self.construction_invoice_id:
            self.action_construction_invoice()
        return {"type": "ir.actions.act_window", "res_model": "account.move",
                "res_id": self.construction_invoice_id.id, "views": [(False, "form")]}
