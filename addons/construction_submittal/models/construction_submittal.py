import re

from odoo import _, api, fields, models

STATUSES = [
    ("pending", "Pending Review"),
    ("approved", "Approved"),
    ("approved_as_noted", "Approved as Noted"),
    ("revise_resubmit", "Revise and Resubmit"),
    ("rejected", "Rejected"),
    ("superseded", "Superseded"),
]
APPROVED = ("approved", "approved_as_noted")


def revision_key(revision):
    """Orders revisions the way document registers number them: 0, 1, 2, ... 10 numerically,
    letters (A, B, ...) after numbers, alphabetically."""
    revision = (revision or "").strip()
    if re.fullmatch(r"\d+", revision):
        return (0, int(revision), "")
    return (1, 0, revision.upper())


class ConstructionSubmittal(models.Model):
    """A submittal of the project's register (shop drawings, product data, samples) and the
    purchase order lines whose material it covers.

    A line linked to a submittal needs it approved (approved or approved as noted): its order
    cannot be confirmed before. Once confirmed, a later revision under review, a rejection or a
    supersession puts the line on hold: receipts and vendor bills for it are blocked and the
    buyer gets an activity; approving a new revision lifts the hold. `revision_ids` keeps every
    revision and status the submittal went through."""

    _name = "construction.submittal"
    _description = "Submittal"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "project_id, number, id"
    _rec_names_search = ["number", "title"]
    _check_company_auto = True

    # identity
    number = fields.Char(required=True, tracking=True, help="Register number, e.g. 03 20 00-001.")
    revision = fields.Char(required=True, default="0", tracking=True)
    title = fields.Char(required=True, tracking=True)
    spec_section = fields.Char(string="Spec Section", tracking=True, help="Specification section, e.g. 03 20 00.")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)

    # relations
    project_id = fields.Many2one("project.project", required=True, index=True, tracking=True, ondelete="restrict")
    purchase_line_ids = fields.Many2many(
        "purchase.order.line", "construction_submittal_purchase_line_rel", "submittal_id", "purchase_line_id",
        string="Purchase Lines", check_company=True,
    )
    revision_ids = fields.One2many("construction.submittal.revision", "submittal_id", string="Revision History")

    # state
    status = fields.Selection(STATUSES, required=True, default="pending", tracking=True, index=True)
    is_approved = fields.Boolean(compute="_compute_is_approved", store=True)
    held_line_count = fields.Integer(compute="_compute_held_line_count", compute_sudo=True)

    _sql_constraints = [
        ("number_uniq", "unique(company_id, project_id, number)",
         "This submittal number already exists on the project."),
    ]

    @api.depends("status")
    def _compute_is_approved(self):
        for submittal in self:
            submittal.is_approved = submittal.status in APPROVED

    @api.depends("purchase_line_ids.construction_submittal_hold")
    def _compute_held_line_count(self):
        for submittal in self:
            submittal.held_line_count = len(submittal.purchase_line_ids.filtered("construction_submittal_hold"))

    @api.depends("number", "revision", "title")
    def _compute_display_name(self):
        for submittal in self:
            submittal.display_name = "%s rev %s %s" % (submittal.number, submittal.revision, submittal.title or "")

    def _status_label(self):
        return dict(self._fields["status"]._description_selection(self.env))[self.status]

    @api.model_create_multi
    def create(self, vals_list):
        submittals = super().create(vals_list)
        submittals._log_revision()
        # Linked at once to lines already ordered (e.g. a register entry created by the document
        # system after the order): not approved means on hold from the start.
        for submittal in submittals.sudo().filtered(lambda s: not s.is_approved):
            submittal._hold_lines()
        return submittals

    def write(self, vals):
        if not {"status", "revision"} & set(vals):
            return super().write(vals)
        was_approved = {submittal: submittal.is_approved for submittal in self}
        result = super().write(vals)
        self._log_revision()
        # Whoever reviews documents may lack purchase rights; the hold is the company's rule.
        for submittal in self.sudo():
            if was_approved[submittal] and not submittal.is_approved:
                submittal._hold_lines()
            elif not was_approved[submittal] and submittal.is_approved:
                submittal._release_lines()
        return result

    def _log_revision(self):
        # The context carries why (e.g. which drawing superseded it) from the caller to the history.
        note = self.env.context.get("construction_submittal_note") or False
        self.env["construction.submittal.revision"].create([{
            "submittal_id": submittal.id, "revision": submittal.revision, "status": submittal.status, "note": note,
        } for submittal in self])

    def _apply_status(self, revision, status, values=None, note=None):
        """Applies a status reported for `revision`. A status of an older revision than the
        current one arrives late and changes nothing: it is kept in the history, marked not
        applied, so the register shows what the document system said and why it was ignored."""
        self.ensure_one()
        if revision_key(revision) < revision_key(self.revision):
            self.env["construction.submittal.revision"].create({
                "submittal_id": self.id, "revision": revision, "status": status, "applied": False,
                "note": _("Arrived after revision %(current)s: the current revision's status stands.",
                          current=self.revision),
            })
            return False
        values = dict(values or {}, revision=revision, status=status)
        if self.revision == revision and self.status == status:
            values.pop("revision")
            values.pop("status")
        self.with_context(construction_submittal_note=note).write(values)
        return True

    def _hold_lines(self):
        """Each confirmed order with lines on hold gets one activity per submittal, for its buyer or
        whoever follows the project up (project_project._construction_activity_user)."""
        self.ensure_one()
        held = self.purchase_line_ids.filtered("construction_submittal_hold")
        if held:
            self.env["construction.sync.outbox"]._publish("purchase_line.held", held)
        for order in held.order_id:
            order.activity_schedule(
                "construction_submittal.mail_activity_type_submittal_hold",
                user_id=self.project_id._construction_activity_user(order.user_id, order.company_id).id,
                summary=_("Submittal %(number)s is %(status)s",
                          number=self.number, status=self._status_label().lower()),
                note=_("Lines %(lines)s are on hold: their receipts and vendor bills are blocked until a new "
                       "revision of %(submittal)s is approved.",
                       lines=", ".join(line.name for line in held if line.order_id == order),
                       submittal=self.display_name),
            )

    def _release_lines(self):
        """Approval lifts the hold; an order's hold activities are done once none of its lines is held."""
        self.ensure_one()
        released = self.purchase_line_ids.filtered(
            lambda line: line.order_id.state in ("purchase", "done") and not line.construction_submittal_hold)
        if released:
            self.env["construction.sync.outbox"]._publish("purchase_line.released", released)
        for order in self.purchase_line_ids.order_id:
            if order.state in ("purchase", "done") and not order.order_line.filtered("construction_submittal_hold"):
                order.activity_feedback(
                    ["construction_submittal.mail_activity_type_submittal_hold"],
                    feedback=_("Released: %(submittal)s is %(status)s.", submittal=self.display_name,
                               status=self._status_label().lower()),
                )

    def _describe_block(self):
        """`number rev N "title" (status)`, as quoted in the messages that refuse an operation."""
        return ", ".join(self.env._('%(number)s rev %(revision)s "%(title)s" (%(status)s)', number=s.number,
                                    revision=s.revision, title=s.title, status=s._status_label().lower())
                         for s in self)

    def action_view_purchase_lines(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Purchase Lines"), "res_model": "purchase.order.line",
            "view_mode": "list,form", "domain": [("id", "in", self.purchase_line_ids.ids)],
        }
