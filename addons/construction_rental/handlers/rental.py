"""Equipment rental events from the rental/field platform.

Lifecycle events (reserved, dispatched, returned, transferred, rate_changed) are about the
rental: they share its external id as object key, so the engine applies them in the platform's
order and treats an older one than the last applied as stale. Usage and downtime reports are
facts about a moment and are their own objects: a late telematics upload is never stale, it
lands on the line of the rental's transfer chain that covered its moment.

Out-of-order deliveries, deterministically:
- a return or transfer for a rental whose dispatch has not arrived waits (data error) and is
  applied by itself when the dispatch arrives;
- a return or transfer dated before the dispatch (or before an earlier transfer) is refused as a
  business error naming both moments: one of the two field records is wrong and a person decides;
- usage reported after the return is kept and marked "after return": its fuel is surcharged,
  its engine hours are not billed;
- a rate change dated before the dispatch, within a billed period or before a later transfer or
  rate change is refused as a business error; a dispatch sent again with other rates never
  re-prices the rental (rates change from a moment on, through rental.rate_changed).
"""

from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError, SyncDataError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.schema import parse_datetime
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY, QUANTITY

_lt = LazyTranslate(__name__)

LINE = "construction.rental.line"
NULLABLE_ID = {**EXTERNAL_ID, "type": ["string", "integer", "null"]}
DATETIME = {"type": "string", "format": "date-time"}


def _utc(value):
    """An ISO date-time with offset as the naive UTC datetime Odoo stores."""
    parsed = parse_datetime(value)
    return (parsed - parsed.utcoffset()).replace(tzinfo=None)


def _dispatched_key(rental_id):
    # A second mapping of the rental, created when its dispatch is applied: events that need the
    # dispatch wait for this key, and the engine releases them when the mapping appears.
    return "%s@dispatched" % rental_id


def _dispatched_line(ctx, rental_id):
    line = ctx.resolve(LINE, rental_id, _lt("rental"))
    if not line.dispatched_at:
        raise SyncDataError(
            ctx.env._("Rental %(rental)s has not been dispatched yet (its rental.dispatched has not arrived): "
                      "this event is applied automatically when it does.", rental=rental_id),
            waiting_for=ctx._mappings._key(LINE, _dispatched_key(rental_id)),
        )
    return line


RENTAL_PROPERTIES = {
    "id": EXTERNAL_ID,
    "equipment_id": EXTERNAL_ID,
    "project_id": EXTERNAL_ID,
    "cost_code_id": NULLABLE_ID,
    "partner_id": {**NULLABLE_ID, "description": "Customer (rented out) or vendor (rented in); "
                   "defaults to the project's customer or the equipment's vendor."},
    "direction": {"type": "string", "enum": ["out", "in", "internal"]},
    "rate_basis": {"type": "string", "enum": ["hour", "day", "week", "month", "cheapest"]},
    "rate": {**MONEY, "minimum": 0, "description": "Rate of the basis; defaults to the equipment's list rate."},
    "rates": {"type": "object", "additionalProperties": False,
              "properties": {basis: {**MONEY, "minimum": 0} for basis in ("hour", "day", "week", "month")}},
    "fuel_rate": {**MONEY, "minimum": 0, "description": "Fuel surcharge per liter."},
    "downtime_min_hours": {**QUANTITY, "minimum": 0},
    "expected_dispatch_at": DATETIME,
    "expected_return_at": DATETIME,
}


class RentalTermsHandler(EventHandler):
    object_model = LINE

    def _values(self, ctx):
        data = ctx.data
        equipment = ctx.resolve("maintenance.equipment", data["equipment_id"], _lt("equipment"))
        project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        direction = data["direction"]
        values = {
            "equipment_id": equipment.id, "project_id": project.id, "direction": direction,
            "company_id": ctx.company.id,
            **ctx.env[LINE]._equipment_terms(equipment, direction),
        }
        if data.get("rate_basis"):
            values["rate_basis"] = data["rate_basis"]
        for basis, rate in data.get("rates", {}).items():
            values["rate_%s" % basis] = rate
        if "rate" in data:
            if values.get("rate_basis") == "cheapest":
                raise SyncBusinessError(ctx.env._("Rental %(rental)s: the cheapest basis takes day, week and month "
                                                  "rates in \"rates\", not one \"rate\".", rental=data["id"]))
            values["rate_%s" % values.get("rate_basis", "day")] = data["rate"]
        if data.get("cost_code_id") not in (None, ""):
            values["cost_code_id"] = ctx.resolve("construction.cost.code", data["cost_code_id"], _lt("cost code")).id
        if data.get("partner_id") not in (None, ""):
            values["partner_id"] = ctx.resolve("res.partner", data["partner_id"], _lt("partner")).id
        for field in ("fuel_rate", "downtime_min_hours"):
            if field in data:
                values[field] = data[field]
        for field in ("expected_dispatch_at", "expected_return_at"):
            if data.get(field):
                values[field] = _utc(data[field])
        return values

    def prepare(self, ctx):
        self._values(ctx)
        if self.event_type == "rental.reserved":
            return ctx.env._("Reserved rental %(rental)s", rental=ctx.data["id"])
        return ctx.env._("Dispatched rental %(rental)s", rental=ctx.data["id"])


class RentalReserved(RentalTermsHandler):
    event_type = "rental.reserved"
    summary = "A machine was reserved for a project (rental contract terms, not on rent yet)."
    schema = {"type": "object", "required": ["id", "equipment_id", "project_id", "direction"],
              "properties": RENTAL_PROPERTIES}
    example = {"id": "R-5001", "equipment_id": "EQ-320", "project_id": "P-100", "cost_code_id": "CC-312300",
               "direction": "out", "rate_basis": "day", "rate": 650.0, "expected_dispatch_at": "2026-11-02T07:00:00Z",
               "expected_return_at": "2026-11-30T17:00:00Z"}

    def apply(self, ctx):
        values = self._values(ctx)
        line = ctx.find(LINE, ctx.data["id"])
        if not line:
            return ctx.env[LINE].create(values)
        if line.state != "reserved":
            raise SyncBusinessError(ctx.env._("Rental %(rental)s is already %(state)s: a reservation no longer "
                                              "changes it.", rental=ctx.data["id"], state=line._state_label().lower()))
        line.write(values)
        return line


class RentalDispatched(RentalTermsHandler):
    event_type = "rental.dispatched"
    summary = "A machine left for a project: the rental is on rent (and billable) from dispatched_at."
    schema = {"type": "object",
              "required": ["id", "equipment_id", "project_id", "direction", "rate_basis", "dispatched_at"],
              "properties": {**RENTAL_PROPERTIES, "dispatched_at": DATETIME}}
    example = {"id": "R-5001", "equipment_id": "EQ-320", "project_id": "P-100", "cost_code_id": "CC-312300",
               "direction": "out", "rate_basis": "day", "rate": 650.0, "dispatched_at": "2026-11-02T07:30:00Z"}

    def apply(self, ctx):
        values = self._values(ctx)
        dispatched_at = _utc(ctx.data["dispatched_at"])
        line = ctx.find(LINE, ctx.data["id"])
        if line and line.state not in ("reserved", "cancelled") and line._rate_differences(values):
            # A dispatch sent again with other rates would re-price time on rent, maybe billed:
            # rates change from a moment on (the line splits there), never in place.
            raise SyncBusinessError(ctx.env._(
                "Rental %(rental)s is already %(state)s at other rates (%(fields)s): a dispatch sent again does not "
                "change its rates. Send rental.rate_changed with the moment the new rates start.",
                rental=ctx.data["id"], state=line._state_label().lower(),
                fields=", ".join(line._fields[field].string for field in line._rate_differences(values)),
            ))
        if not line:
            line = ctx.env[LINE].create(values)
        elif line.state == "reserved":
            line.write(values)
        elif line.state == "dispatched" and not line.billing_ids:
            # A corrected dispatch (moment, project, cost code) before anything was billed simply
            # replaces the first one; its rates are the same (checked above).
            line.write(values)
            line.dispatched_at = dispatched_at
        elif line.dispatched_at != dispatched_at or line.state == "cancelled":
            raise SyncBusinessError(ctx.env._(
                "Rental %(rental)s is already %(state)s (dispatched at %(dispatched)s UTC): a new dispatch at "
                "%(at)s UTC cannot replace billed or closed rental time; correct the line by hand.",
                rental=ctx.data["id"], state=line._state_label().lower(), dispatched=line.dispatched_at,
                at=dispatched_at,
            ))
        if line.state == "reserved":
            if line.returned_at and line.returned_at < dispatched_at:
                raise SyncBusinessError(ctx.env._(
                    "Rental %(rental)s: dispatch at %(at)s UTC is after its return at %(returned)s UTC.",
                    rental=ctx.data["id"], at=dispatched_at, returned=line.returned_at,
                ))
            line.action_dispatch(dispatched_at)
        ctx.map(LINE, _dispatched_key(ctx.data["id"]), line)
        return line


class RentalReturned(EventHandler):
    event_type = "rental.returned"
    summary = "A machine came back from a project: billing of the rental stops at returned_at."
    object_model = LINE
    schema = {"type": "object", "required": ["id", "rental_id", "returned_at"],
              "properties": {"id": EXTERNAL_ID, "rental_id": EXTERNAL_ID, "returned_at": DATETIME}}
    example = {"id": "RET-7781", "rental_id": "R-5001", "returned_at": "2026-11-27T16:45:00Z"}

    def object_external_id(self, data):
        return data["rental_id"]

    def _target(self, ctx):
        returned_at = _utc(ctx.data["returned_at"])
        line = _dispatched_line(ctx, ctx.data["rental_id"])
        current = line._chain_line_at(returned_at)
        if current.state in ("returned", "invoiced") and current.returned_at == returned_at:
            return line, current, returned_at  # a replay: already applied
        if current.transferred_to_id or returned_at < current.dispatched_at:
            args = {"rental": ctx.data["rental_id"], "returned": returned_at, "at": current.dispatched_at}
            if current.transferred_from_id:
                raise SyncBusinessError(ctx.env._(
                    "Rental %(rental)s cannot be returned at %(returned)s UTC: it was transferred at %(at)s UTC. "
                    "One of the two field records is wrong; fix it at the source and send it again, or ignore "
                    "this event.", **args))
            raise SyncBusinessError(ctx.env._(
                "Rental %(rental)s cannot be returned at %(returned)s UTC: it was dispatched at %(at)s UTC. "
                "One of the two field records is wrong; fix it at the source and send it again, or ignore "
                "this event.", **args))
        if current.state != "dispatched":
            raise SyncBusinessError(ctx.env._(
                "Rental %(rental)s is already %(state)s (at %(at)s UTC): it cannot be returned again at "
                "%(returned)s UTC.",
                rental=ctx.data["rental_id"], state=current._state_label().lower(), at=current.returned_at,
                returned=returned_at,
            ))
        return line, current, returned_at

    def prepare(self, ctx):
        _line, current, returned_at = self._target(ctx)
        return ctx.env._("Return %(rental)s from %(project)s at %(at)s UTC", rental=current.display_name,
                         project=current.project_id.name, at=returned_at)

    def apply(self, ctx):
        line, current, returned_at = self._target(ctx)
        if current.state == "dispatched":
            current.action_return(returned_at)
        return line


class RentalTransferred(EventHandler):
    event_type = "rental.transferred"
    summary = "A machine on rent moved to another project: its line closes and a new one opens at the same moment."
    object_model = LINE
    schema = {"type": "object", "required": ["id", "rental_id", "to_project_id", "transferred_at"],
              "properties": {"id": EXTERNAL_ID, "rental_id": EXTERNAL_ID, "to_project_id": EXTERNAL_ID,
                             "to_cost_code_id": NULLABLE_ID, "transferred_at": DATETIME}}
    example = {"id": "TR-120", "rental_id": "R-5001", "to_project_id": "P-101",
               "transferred_at": "2026-11-16T12:00:00Z"}

    def object_external_id(self, data):
        return data["rental_id"]

    def _target(self, ctx):
        data = ctx.data
        at = _utc(data["transferred_at"])
        line = _dispatched_line(ctx, data["rental_id"])
        project = ctx.resolve("project.project", data["to_project_id"], _lt("project"))
        cost_code = None
        if data.get("to_cost_code_id") not in (None, ""):
            cost_code = ctx.resolve("construction.cost.code", data["to_cost_code_id"], _lt("cost code"))
        current = line._chain_line_at(at)
        if current.transferred_to_id or current.state != "dispatched" or at <= current.dispatched_at:
            args = {"rental": data["rental_id"], "project": project.name, "at": at, "line": current.display_name,
                    "state": current._state_label().lower(), "dispatched": current.dispatched_at,
                    "returned": current.returned_at}
            if current.returned_at:
                raise SyncBusinessError(ctx.env._(
                    "Rental %(rental)s cannot move to %(project)s at %(at)s UTC: on that moment %(line)s is "
                    "%(state)s (on rent from %(dispatched)s UTC to %(returned)s UTC). Transfers must follow each "
                    "other and fall while the machine is on rent.", **args))
            raise SyncBusinessError(ctx.env._(
                "Rental %(rental)s cannot move to %(project)s at %(at)s UTC: on that moment %(line)s is "
                "%(state)s (on rent from %(dispatched)s UTC). Transfers must follow each other and fall while "
                "the machine is on rent.", **args))
        return line, current, project, cost_code, at

    def prepare(self, ctx):
        if ctx.find(LINE, ctx.data["id"]):
            return ctx.env._("Transfer %(transfer)s already applied", transfer=ctx.data["id"])
        _line, current, project, _cost_code, at = self._target(ctx)
        return ctx.env._("Move %(rental)s from %(from)s to %(to)s at %(at)s UTC", rental=current.display_name,
                         **{"from": current.project_id.name, "to": project.name, "at": at})

    def apply(self, ctx):
        if ctx.find(LINE, ctx.data["id"]):
            return ctx.find(LINE, ctx.data["rental_id"])  # a replay: already applied
        line, current, project, cost_code, at = self._target(ctx)
        successor = current.action_transfer(project, at, cost_code)
        # Later events may name the new line by the transfer's id; the rental's own id keeps
        # pointing at its first line and events reach the right one through the chain.
        ctx.map(LINE, ctx.data["id"], successor)
        return line


class RentalRateChanged(EventHandler):
    event_type = "rental.rate_changed"
    summary = ("A rental's contract rates change from a moment on: its line closes at that moment and a new one "
               "opens with the new rates.")
    object_model = LINE
    schema = {"type": "object", "required": ["id", "rental_id", "changed_at", "rates"],
              "properties": {"id": EXTERNAL_ID, "rental_id": EXTERNAL_ID, "changed_at": DATETIME,
                             "rate_basis": RENTAL_PROPERTIES["rate_basis"],
                             "rates": RENTAL_PROPERTIES["rates"],
                             "fuel_rate": RENTAL_PROPERTIES["fuel_rate"]}}
    example = {"id": "RC-42", "rental_id": "R-5001", "changed_at": "2026-11-16T00:00:00Z",
               "rates": {"day": 600.0, "week": 2400.0}}

    def object_external_id(self, data):
        return data["rental_id"]

    def _target(self, ctx):
        data = ctx.data
        at = _utc(data["changed_at"])
        line = _dispatched_line(ctx, data["rental_id"])
        current = line._chain_line_at(at)
        values = {"rate_%s" % basis: rate for basis, rate in data["rates"].items()}
        for field in ("rate_basis", "fuel_rate"):
            if field in data:
                values[field] = data[field]
        if values.get("rate_basis", current.rate_basis) == "cheapest" and not any(
                values.get(field, current[field]) for field in ("rate_day", "rate_week", "rate_month")):
            raise SyncBusinessError(ctx.env._("Rental %(rental)s: the cheapest basis needs a day, week or month rate.",
                                              rental=data["rental_id"]))
        current._check_rate_change(at)
        return line, current, values, at

    def prepare(self, ctx):
        if ctx.find(LINE, ctx.data["id"]):
            return ctx.env._("Rate change %(change)s already applied", change=ctx.data["id"])
        _line, current, values, at = self._target(ctx)
        return ctx.env._("New rates for %(rental)s from %(at)s UTC: %(rates)s", rental=current.display_name, at=at,
                         rates=", ".join("%s %s" % (current._fields[field].string, value)
                                         for field, value in sorted(values.items())))

    def apply(self, ctx):
        if ctx.find(LINE, ctx.data["id"]):
            return ctx.find(LINE, ctx.data["rental_id"])  # a replay: already applied
        line, current, values, at = self._target(ctx)
        # The same rates again change nothing (the platform re-sent its current terms).
        repriced = current.action_change_rates(at, values) if current._rate_differences(values) else current
        # Later events may name the new line by the change's id, as for a transfer.
        ctx.map(LINE, ctx.data["id"], repriced)
        return line


class RentalFactHandler(EventHandler):
    """Usage and downtime: upserted by their own id on the chain line covering their moment."""

    def conflict_key(self, data):
        # Each report moves its rental line's stored usage or downtime totals: two runners
        # applying reports of one rental met on that row (hundreds of retried serialization
        # failures in a month of 6 000 usage reports).
        return "construction.rental.line:%s" % data["rental_id"]

    def _line(self, ctx, at):
        return ctx.resolve(LINE, ctx.data["rental_id"], _lt("rental"))._chain_line_at(at)

    def apply(self, ctx):
        values = self._values(ctx)
        record = ctx.find(self.object_model, ctx.data["id"])
        if record:
            record.write(values)
        else:
            record = ctx.env[self.object_model].create(values)
        return record


class RentalUsageReported(RentalFactHandler):
    event_type = "rental.usage_reported"
    summary = "Telematics usage of a machine on rent: engine hours since the previous report and fuel."
    object_model = "construction.rental.usage"
    schema = {"type": "object", "required": ["id", "rental_id", "reported_at"],
              "properties": {"id": EXTERNAL_ID, "rental_id": EXTERNAL_ID, "reported_at": DATETIME,
                             "hours": {**QUANTITY, "minimum": 0}, "fuel_liters": {**QUANTITY, "minimum": 0},
                             "odometer": {**QUANTITY, "minimum": 0}}}
    example = {"id": "U-99120", "rental_id": "R-5001", "reported_at": "2026-11-03T18:00:00Z",
               "hours": 7.5, "fuel_liters": 120.0, "odometer": 4412.5}

    def _values(self, ctx):
        data = ctx.data
        reported_at = _utc(data["reported_at"])
        values = {"line_id": self._line(ctx, reported_at).id, "reported_at": reported_at}
        for field in ("hours", "fuel_liters", "odometer"):
            if field in data:
                values[field] = data[field]
        return values

    def prepare(self, ctx):
        values = self._values(ctx)
        return ctx.env._("Usage on %(rental)s: %(hours)s h, %(fuel)s l",
                         rental=ctx.env[LINE].browse(values["line_id"]).display_name,
                         hours=ctx.data.get("hours", 0), fuel=ctx.data.get("fuel_liters", 0))


class RentalDowntimeReported(RentalFactHandler):
    event_type = "rental.downtime_reported"
    summary = "A machine on rent could not work (breakdown, weather, standby); may pause billing per the contract."
    object_model = "construction.rental.downtime"
    schema = {"type": "object", "required": ["id", "rental_id", "start"],
              "properties": {"id": EXTERNAL_ID, "rental_id": EXTERNAL_ID, "start": DATETIME,
                             "end": {**DATETIME, "type": ["string", "null"]},
                             "reason": {"type": ["string", "null"], "maxLength": 255},
                             "breakdown": {"type": "boolean"}}}
    example = {"id": "DT-311", "rental_id": "R-5001", "start": "2026-11-10T09:00:00Z", "end": None,
               "reason": "Hydraulic hose burst", "breakdown": True}

    def _values(self, ctx):
        data = ctx.data
        start = _utc(data["start"])
        end = _utc(data["end"]) if data.get("end") else False
        if end and end <= start:
            raise SyncBusinessError(ctx.env._(
                "Downtime %(downtime)s ends (%(end)s UTC) before it starts (%(start)s UTC).",
                downtime=data["id"], end=end, start=start,
            ))
        values = {"line_id": self._line(ctx, start).id, "start": start, "end": end}
        if "reason" in data:
            values["reason"] = data["reason"] or False
        if "breakdown" in data:
            values["breakdown"] = data["breakdown"]
        return values

    def prepare(self, ctx):
        values = self._values(ctx)
        rental = ctx.env[LINE].browse(values["line_id"]).display_name
        if values["end"]:
            return ctx.env._("Downtime on %(rental)s from %(start)s UTC to %(end)s UTC", rental=rental,
                             start=values["start"], end=values["end"])
        return ctx.env._("Downtime on %(rental)s from %(start)s UTC", rental=rental, start=values["start"])


HANDLERS = [RentalReserved, RentalDispatched, RentalReturned, RentalTransferred, RentalRateChanged, RentalUsageReported,
            RentalDowntimeReported]
