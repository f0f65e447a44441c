from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__)

# How _check_state's refusal words each verb its callers pass, translated when it is worded.
VERBS = {"submitted": _lt("submitted"), "approve": _lt("approved"), "rejected": _lt("rejected"),
         "voided": _lt("voided"), "reset to draft": _lt("reset to draft")}


class ConstructionChangeOrder(models.Model):
    """A change to a contract. A `prime` change order changes the customer contract: once
    approved it moves the project's revised contract value and the budget of its cost codes. A
    `commitment` change order changes a subcontract or material purchase order: once approved its
    lines become lines of that purchase order. Totals are computed from approved change orders,
    never accumulated, so voiding one reverses it to the cent."""

    _name = "construction.change.order"
    _description = "Change Order"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "project_id, number, id"
    _rec_names_search = ["number", "title"]
    _check_company_auto = True

    number = fields.Char(required=True, tracking=True, copy=False)
    title = fields.Char(required=True, tracking=True)
    project_id = fields.Many2one("project.project", required=True, index=True, check_company=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    kind = fields.Selection(
        [("prime", "Prime Contract"), ("commitment", "Commitment")], required=True, default="prime", tracking=True,
        help="Prime: changes the customer contract and budget. Commitment: changes a subcontract or purchase order.",
    )
    purchase_order_id = fields.Many2one(
        "purchase.order", string="Commitment", check_company=True, tracking=True,
        domain="[('construction_project_id', '=', project_id)]",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"),
         ("rejected", "Rejected"), ("void", "Void")],
        default="draft", required=True, tracking=True, copy=False, index=True,
    )
    line_ids = fields.One2many("construction.change.order.line", "change_order_id", string="Lines", copy=True)
    amount_total = fields.Monetary(compute="_compute_totals", store=True, tracking=True)
    budget_total = fields.Monetary(compute="_compute_totals", store=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    description = fields.Html()
    approval_event_id = fields.Many2one(
        "construction.sync.event", readonly=True, copy=False,
        help="The synced event whose acceptance approved this change order.",
    )

    _sql_constraints = [
        ("number_unique", "UNIQUE(project_id, number)", "A change order number is used once per project."),
    ]

    @api.depends("line_ids.amount", "line_ids.budget_amount")
    def _compute_totals(self):
        for change_order in self:
            change_order.amount_total = sum(change_order.line_ids.mapped("amount"))
            change_order.budget_total = sum(change_order.line_ids.mapped("budget_amount"))

    @api.depends("number", "title")
    def _compute_display_name(self):
        for change_order in self:
            change_order.display_name = " ".join(filter(None, [change_order.number, change_order.title]))

    @api.constrains("kind", "purchase_order_id", "project_id")
    def _check_commitment(self):
        for change_order in self:
            if change_order.kind == "commitment" and change_order.purchase_order_id.construction_project_id not in (
                False, change_order.project_id
            ) and change_order.purchase_order_id:
                raise UserError(_("Change order %(co)s changes %(po)s, which belongs to another project.",
                                  co=change_order.display_name, po=change_order.purchase_order_id.name))

    @api.model_create_multi
    def create(self, vals_list):
        change_orders = super().create(vals_list)
        change_orders._check_project_open()
        return change_orders

    # ------------------------------------------------------------------ rules

    def _check_project_open(self):
        for change_order in self:
            change_order.project_id._construction_check_open(change_order.number)

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group("construction_base.group_manager"):
            raise AccessError(_("Only construction managers approve, reject or void change orders."))

    def _check_state(self, allowed, verb):
        for change_order in self:
            if change_order.state == "approved" and verb == "approve":
                raise UserError(_("Change order %(co)s was already approved on %(date)s by %(user)s.",
                                  co=change_order.display_name,
                                  date=fields.Datetime.to_string(change_order.approved_date),
                                  user=change_order.approved_by_id.name))
            if change_order.state not in allowed:
                state_labels = dict(self._fields["state"]._description_selection(self.env))
                raise UserError(_("Change order %(co)s is %(state)s and cannot be %(verb)s.",
                                  co=change_order.display_name, verb=VERBS.get(verb, verb),
                                  state=state_labels[change_order.state]))

    # ------------------------------------------------------------------ actions

    def action_submit(self):
        self._check_state(("draft",), "submitted")
        self._check_project_open()
        for change_order in self:
            if not change_order.line_ids:
                raise UserError(_("Change order %s has no lines.", change_order.display_name))
        self.state = "submitted"

    def action_approve(self):
        self._check_manager()
        self._check_state(("draft", "submitted"), "approve")
        self._check_project_open()
        for change_order in self:
            if not change_order.line_ids:
                raise UserError(_("Change order %s has no lines.", change_order.display_name))
            if change_order.kind == "commitment":
                change_order._apply_to_commitment()
            else:
                change_order.line_ids._ensure_budget_lines()
        self.write({"state": "approved", "approved_by_id": self.env.uid, "approved_date": fields.Datetime.now()})
        self._construction_publish("change_order.approved")

    def action_reject(self):
        self._check_manager()
        self._check_state(("draft", "submitted"), "rejected")
        self.state = "rejected"
        self._construction_publish("change_order.rejected")

    def action_void(self):
        self._check_manager()
        self._check_state(("approved",), "voided")
        for change_order in self.filtered(lambda co: co.kind == "commitment"):
            change_order.line_ids._reverse_commitment_lines()
        self.state = "void"
        self._construction_publish("change_order.voided")

    def _construction_publish(self, event_type):
        """Outbound events (construction_sync): the change order's decision, and for a commitment
        change order the purchase order it changed."""
        Outbox = self.env["construction.sync.outbox"]
        Outbox._publish(event_type, self)
        if event_type != "change_order.rejected":
            orders = self.filtered(lambda co: co.kind == "commitment").purchase_order_id
            if orders:
                Outbox._publish("purchase_order.changed", orders)

    def action_reset_to_draft(self):
        self._check_state(("rejected",), "reset to draft")
        self.state = "draft"

    def _apply_to_commitment(self):
        self.ensure_one()
        order = self.purchase_order_id
        if not order:
            raise UserError(_("Commitment change order %s names no purchase order.", self.display_name))
        if order.state == "cancel":
            raise UserError(_("Purchase order %s is cancelled: change order %s cannot change it.",
                              order.name, self.number))
        product = self.env.ref("construction_contract.product_subcontract_work").product_variant_id
        project = order.construction_project_id
        taxes = project._construction_purchase_taxes(order.partner_id) if project else self.env["account.tax"]
        for line in self.line_ids:
            line.purchase_line_id = self.env["purchase.order.line"].create({
                "order_id": order.id,
                "product_id": product.id,
                "name": "%s: %s" % (self.number, line.description),
                "product_qty": 1.0,
                "product_uom": product.uom_po_id.id,
                "price_unit": line.amount,
                "taxes_id": [Command.set(taxes.ids)],
                "cost_code_id": line.cost_code_id.id,
                "change_order_line_id": line.id,
                "date_planned": fields.Datetime.now(),
            })
