import json
from datetime import datetime, timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError

from ..sync import reconcile
from ..sync.errors import SyncBusinessError
from ..sync.schema import parse_datetime, to_utc
from .access import readable

# Queued states: an event in one of them about an object is a version Odoo has received and will
# apply; a snapshot carrying that version is no difference yet.
IN_FLIGHT = ("pending", "processing", "awaiting_approval")
# Open differences: still waiting for a person or for the next snapshot.
OPEN = ("open", "resend_requested")
# Rows read per query when a snapshot's objects only in Odoo are listed (keyset pages).
PAGE = 1000
# Days of the cockpit's trend of differences found.
TREND_DAYS = 30


def _utc(value):
    return to_utc(parse_datetime(value))


class ConstructionSyncReconcile(models.AbstractModel):
    """The reconciliation engine: the per-database registry of object types that can be
    snapshotted (domain addons extend `_spec_classes`, like construction.sync.handler's
    `_handler_classes`), the comparison of one snapshot page with Odoo's mappings and records,
    control totals, sequence gaps, schedules and the cockpit's figures."""

    _name = "construction.sync.reconcile"
    _description = "Reconciliation Engine"

    # ------------------------------------------------------------------------------------------
    # registry
    # ------------------------------------------------------------------------------------------

    @api.model
    def _spec_classes(self):
        return []

    @api.model
    @tools.ormcache()
    def _specs(self):
        return reconcile.build(self._spec_classes())

    @api.model
    def _spec(self, object_type):
        return self._specs().get(object_type)

    @api.model
    def _object_type_selection(self):
        return [(object_type, object_type) for object_type in self._specs()]

    @api.model
    def _control_amount_paths(self):
        """{event type: SQL/JSON path of its amount(s) in the event as received, e.g.
        "$.data.lines[*].amount"}: what control totals sum; domain addons add their
        amount-bearing types. A type not listed is compared on its count only."""
        return {}

    # ------------------------------------------------------------------------------------------
    # snapshot pages
    # ------------------------------------------------------------------------------------------

    @api.model
    def _apply_page(self, ctx, spec):
        data = ctx.data
        as_of = _utc(data["as_of"])
        if ctx.event.source_timestamp != as_of:
            # Pages of one snapshot are one object ordered by timestamp: a page dated otherwise
            # would be found stale after a later page, and its objects never compared.
            raise SyncBusinessError(ctx.env._(
                "Page %(page)s of snapshot %(snapshot)s is dated %(timestamp)s but the snapshot is as of %(as_of)s: "
                "every page must carry the snapshot's as_of as its timestamp.",
                page=data["page"], snapshot=data["snapshot_id"], timestamp=ctx.event.source_timestamp, as_of=as_of))
        if data["page"] > data["pages"]:
            raise SyncBusinessError(ctx.env._("Page %(page)s of a snapshot of %(pages)s pages.",
                                              page=data["page"], pages=data["pages"]))
        Run = self.env["construction.sync.reconcile.run"].sudo()
        run = Run.search([("system_id", "=", ctx.system.id), ("object_type", "=", spec.object_type),
                          ("snapshot_id", "=", data["snapshot_id"])], limit=1)
        if not run:
            run = Run.create({"system_id": ctx.system.id, "object_type": spec.object_type,
                              "snapshot_id": data["snapshot_id"], "as_of": as_of, "pages": data["pages"]})
        elif run.pages != data["pages"]:
            raise SyncBusinessError(ctx.env._(
                "Snapshot %(snapshot)s was announced with %(known)s pages; this page says %(pages)s.",
                snapshot=data["snapshot_id"], known=run.pages, pages=data["pages"]))
        Page = self.env["construction.sync.reconcile.page"].sudo()
        if run.state == "done" or Page.search_count([("run_id", "=", run.id), ("page", "=", data["page"])]):
            return run  # a replayed page: compared already
        compared, skipped = self._compare_objects(run, spec, data["objects"])
        Page.create({"run_id": run.id, "page": data["page"], "objects": len(data["objects"])})
        run.write({"compared": run.compared + compared, "skipped": run.skipped + skipped})
        if Page.search_count([("run_id", "=", run.id)]) == run.pages:
            self._finish(run, spec)
        return run

    @api.model
    def _compare_objects(self, run, spec, objects):
        """Compares one page: returns (objects compared, objects skipped because Odoo holds or
        has queued a version at least as new)."""
        if not objects:
            return 0, 0
        self.env.flush_all()
        cr = self.env.cr
        ids = [str(obj["id"]) for obj in objects]
        versions = [_utc(obj["version"]) for obj in objects]
        # One query for the page: each object's mapping and whether an event about it with the
        # snapshot's version or a newer one is still queued (the object_idx index answers it).
        cr.execute(
            """
            SELECT o.ext, m.res_id, m.last_source_timestamp,
                   EXISTS (SELECT 1 FROM construction_sync_event e
                            WHERE e.system_id = %(system)s AND e.object_key = %(prefix)s || o.ext
                              AND e.source_timestamp >= o.version AND e.state IN %(in_flight)s) AS in_flight
              FROM unnest(%(ids)s::varchar[], %(versions)s::timestamp[]) AS o(ext, version)
              LEFT JOIN construction_sync_mapping m
                ON m.system_id = %(system)s AND m.res_model = %(model)s AND m.external_id = o.ext
            """,
            {"system": run.system_id.id, "prefix": spec.object_model + ":", "ids": ids, "versions": versions,
             "model": spec.object_model, "in_flight": IN_FLIGHT},
        )
        found = {ext: (res_id, watermark, in_flight) for ext, res_id, watermark, in_flight in cr.fetchall()}
        records = self.env[spec.object_model].sudo().with_context(active_test=False).browse(
            [row[0] for row in found.values() if row[0]]).exists()
        odoo_values = spec.odoo_values(records) if records else {}
        differences, skipped = [], 0
        for obj, external_id, version in zip(objects, ids, versions):
            res_id, watermark, in_flight = found[external_id]
            values = obj.get("values") or {}
            base = {"external_id": external_id, "source_version": version, "odoo_version": watermark,
                    "source_values": values, "res_id": res_id if res_id in odoo_values else False}
            if in_flight or (watermark and watermark > version):
                skipped += 1
            elif res_id not in odoo_values:
                differences.append(dict(base, kind="missing_in_odoo"))
            elif watermark and watermark < version:
                mismatched = spec.compare(values, odoo_values[res_id])
                differences.append(dict(
                    base, kind="older_in_odoo",
                    field_name=", ".join(name for name, _s, _o in mismatched) or False,
                    source_value=json.dumps({name: s for name, s, _o in mismatched}) if mismatched else False,
                    odoo_value=json.dumps({name: o for name, _s, o in mismatched}) if mismatched else False,
                ))
            else:
                for name, source, odoo in spec.compare(values, odoo_values[res_id]):
                    differences.append(dict(base, kind="value_mismatch", field_name=name,
                                            source_value=json.dumps(source), odoo_value=json.dumps(odoo)))
        self._record(run, spec, differences)
        cr.execute(
            "INSERT INTO construction_sync_reconcile_seen (run_id, external_id)"
            " SELECT %s, unnest(%s::varchar[]) ON CONFLICT DO NOTHING",
            (run.id, ids),
        )
        # Nothing of this page is needed for the next one.
        self.env.invalidate_all()
        return len(objects), skipped

    @api.model
    def _record(self, run, spec, differences):
        """Creates the differences found, or refreshes the open ones found again (their age counts
        from the run that first found them)."""
        if not differences:
            return
        Difference = self.env["construction.sync.difference"].sudo()
        existing = {
            (d.external_id, d.kind, d.field_name or ""): d
            for d in Difference.search([
                ("system_id", "=", run.system_id.id), ("object_type", "=", spec.object_type),
                ("external_id", "in", list({d["external_id"] for d in differences})), ("state", "in", OPEN),
            ])
        }
        new = []
        for values in differences:
            values = dict(values, last_run_id=run.id)
            known = existing.get((values["external_id"], values["kind"], values.get("field_name") or ""))
            if known:
                known.write({k: v for k, v in values.items() if k != "external_id"})
            else:
                new.append(dict(values, system_id=run.system_id.id, object_type=spec.object_type,
                                res_model=spec.object_model, first_run_id=run.id))
        Difference.create(new)

    @api.model
    def _finish(self, run, spec):
        """All pages arrived: the mapped objects the snapshot did not carry are unknown at the
        source (unless Odoo learnt of them after the snapshot was taken), and open differences
        this snapshot no longer shows are resolved."""
        self.env.flush_all()
        cr = self.env.cr
        after = ""
        while True:
            cr.execute(
                """
                SELECT m.external_id, m.res_id, m.last_source_timestamp
                  FROM construction_sync_mapping m
                 WHERE m.system_id = %s AND m.res_model = %s AND m.res_id IS NOT NULL AND m.external_id > %s
                   AND (m.last_source_timestamp IS NULL OR m.last_source_timestamp <= %s)
                   AND (%s IS NULL OR m.external_id NOT LIKE %s)
                   AND NOT EXISTS (SELECT 1 FROM construction_sync_reconcile_seen s
                                    WHERE s.run_id = %s AND s.external_id = m.external_id)
                 ORDER BY m.external_id
                 LIMIT %s
                """,
                (run.system_id.id, spec.object_model, after, run.as_of, spec.helper_key_pattern,
                 spec.helper_key_pattern, run.id, PAGE),
            )
            rows = cr.fetchall()
            if not rows:
                break
            after = rows[-1][0]
            self._record(run, spec, [
                {"external_id": ext, "kind": "unknown_at_source", "res_id": res_id, "odoo_version": watermark}
                for ext, res_id, watermark in rows
            ])
            self.env.invalidate_all()
        Difference = self.env["construction.sync.difference"].sudo()
        gone = Difference.search([
            ("system_id", "=", run.system_id.id), ("object_type", "=", spec.object_type), ("state", "in", OPEN),
            ("last_run_id", "!=", run.id),
        ])
        gone.write({"state": "resolved", "resolved_at": fields.Datetime.now(),
                    "resolution": _("Snapshot %s no longer shows this difference.", run.snapshot_id)})
        cr.execute("DELETE FROM construction_sync_reconcile_seen WHERE run_id = %s", (run.id,))
        run.write({"state": "done", "finished_at": fields.Datetime.now()})
        run._store_counts()
        schedules = self.env["construction.sync.reconcile.schedule"].sudo().search([
            ("system_id", "=", run.system_id.id), ("object_type", "=", spec.object_type),
        ])
        schedules.write({"missing": False, "last_run_id": run.id})
        self._close_alerts(schedules, _("Snapshot %s arrived.", run.snapshot_id))

    # ------------------------------------------------------------------------------------------
    # alerts: to-dos for the integration managers
    # ------------------------------------------------------------------------------------------

    @api.model
    def _alert_managers(self, records, summary, note, once=True):
        """A to-do for each integration manager of each record's company (the people the engine
        tells when it disables an outbound subscription). With `once`, a record that still has an
        open to-do gets no second one (a replayed report only refreshes its note)."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        managers = self.env.ref("construction_sync.group_manager").sudo().users
        for record in records.sudo():
            current = record.activity_ids.filtered(lambda a: a.activity_type_id == todo)
            if once and current:
                current.write({"note": note})
                continue
            for user in managers.filtered(lambda u, c=record.company_id: c in u.company_ids):
                record.activity_schedule("mail.mail_activity_data_todo", user_id=user.id, summary=summary,
                                         note=note)

    @api.model
    def _close_alerts(self, records, feedback):
        """Marks the records' open to-dos done: what they warned about is settled."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        activities = records.sudo().activity_ids.filtered(lambda a: a.activity_type_id == todo)
        if activities:
            activities.action_feedback(feedback=feedback)

    # ------------------------------------------------------------------------------------------
    # control totals
    # ------------------------------------------------------------------------------------------

    @api.model
    def _apply_control_totals(self, ctx):
        data = ctx.data
        day = fields.Date.to_date(data["date"])
        start = datetime.combine(day, datetime.min.time())
        path = self._control_amount_paths().get(data["event_type"])
        handler = self.env["construction.sync.handler"]._get(data["event_type"])
        self.env.flush_all()
        # Counted from the inbox in SQL: a busy day holds thousands of events of one type.
        self.env.cr.execute(
            """
            SELECT count(*), COALESCE(sum((SELECT sum(v::text::numeric)
                                             FROM jsonb_path_query(payload::jsonb, %s::jsonpath) AS v)), 0)
              FROM construction_sync_event
             WHERE system_id = %s AND event_type = %s AND state = 'done'
               AND source_timestamp >= %s AND source_timestamp < %s
            """,
            (path or "$.__none__", ctx.system.id, data["event_type"], start, start + timedelta(days=1)),
        )
        odoo_count, odoo_amount = self.env.cr.fetchone()
        missing = []
        if data.get("ids") and handler:
            prefix = handler.object_model + ":"
            self.env.cr.execute(
                """
                SELECT o.ext FROM unnest(%s::varchar[]) AS o(ext)
                 WHERE NOT EXISTS (SELECT 1 FROM construction_sync_event e
                                    WHERE e.system_id = %s AND e.event_type = %s AND e.state = 'done'
                                      AND e.object_key = %s || o.ext)
                 ORDER BY o.ext
                """,
                ([str(i) for i in data["ids"]], ctx.system.id, data["event_type"], prefix),
            )
            missing = [row[0] for row in self.env.cr.fetchall()]
        Total = self.env["construction.sync.control.total"].sudo()
        values = {
            "system_id": ctx.system.id, "day": day, "event_type": data["event_type"],
            "sent_count": data["count"], "sent_amount": data.get("amount") or 0.0,
            "amount_compared": bool(path) and "amount" in data,
            "odoo_count": odoo_count, "odoo_amount": float(odoo_amount) if path else 0.0,
            "missing_ids": "\n".join(missing) or False, "reported_at": fields.Datetime.now(),
        }
        total = Total.search([("system_id", "=", ctx.system.id), ("day", "=", day),
                              ("event_type", "=", data["event_type"])], limit=1)
        if total:
            total.write(values)
        else:
            total = Total.create(values)
        total._alert()
        return total

    # ------------------------------------------------------------------------------------------
    # sequence gaps (cron)
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_check_sequences(self):
        for system in self.env["construction.sync.system"].sudo().search([("sequence_grace_minutes", ">", 0)]):
            self._check_sequences(system)

    @api.model
    def _check_sequences(self, system, now=None):
        """Finds holes in the system's envelope `sequence` numbers over its recent events; a hole
        whose next number arrived more than the grace period ago becomes an open gap naming the
        missing numbers, a gap filled since is closed."""
        now = now or fields.Datetime.now()
        self.env.flush_all()
        cr = self.env.cr
        # payload is the envelope as received (a batch event's own object for batches); events
        # without a numeric sequence do not take part.
        cr.execute(
            """
            WITH s AS (
                SELECT (payload::jsonb ->> 'sequence')::numeric AS n, min(received_at) AS at
                  FROM construction_sync_event
                 WHERE system_id = %s AND received_at >= %s
                   AND jsonb_typeof(payload::jsonb -> 'sequence') = 'number'
                 GROUP BY 1
            ), l AS (
                SELECT n, lead(n) OVER (ORDER BY n) AS next_n, lead(at) OVER (ORDER BY n) AS next_at FROM s
            )
            SELECT n + 1, next_n - 1, next_at FROM l WHERE next_n > n + 1
            """,
            (system.id, now - timedelta(days=system.sequence_window_days or 7)),
        )
        holes = cr.fetchall()
        Gap = self.env["construction.sync.sequence.gap"].sudo()
        grace = timedelta(minutes=system.sequence_grace_minutes)
        open_gaps = Gap.search([("system_id", "=", system.id), ("state", "=", "open")])
        current = {(int(first), int(last)) for first, last, _at in holes}
        for gap in open_gaps:
            if (gap.first_missing, gap.last_missing) not in current:
                gap._fill(now)
        known = {(g.first_missing, g.last_missing) for g in open_gaps}
        Gap.create([
            {"system_id": system.id, "first_missing": int(first), "last_missing": int(last), "noticed_at": now}
            for first, last, at in holes
            if (int(first), int(last)) not in known and at <= now - grace
        ])._alert()

    # ------------------------------------------------------------------------------------------
    # schedules (cron)
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_check_schedules(self):
        self.env["construction.sync.reconcile.schedule"].sudo().search([("active", "=", True)])._check(
            fields.Datetime.now())

    # ------------------------------------------------------------------------------------------
    # cockpit
    # ------------------------------------------------------------------------------------------

    @api.model
    def get_reconciliation(self, system_id=None):
        """The cockpit's call (see _cockpit_reconciliation): integration users, their companies'
        systems only."""
        if not self.env.user.has_group("construction_sync.group_user"):
            raise AccessError(_("Only integration users can see reconciliation."))
        if system_id:
            readable(self.env["construction.sync.system"], [system_id])
        return self._cockpit_reconciliation(system_id=system_id)

    @api.model
    def _cockpit_reconciliation(self, system_id=None, now=None):
        """The cockpit's reconciliation view, per system the user may read: last run, objects
        compared, open differences by kind and by age, the number found per day over 30 days,
        missing snapshots, control total gaps and open sequence gaps. Read with the user's rights
        (record rules keep other companies out)."""
        now = now or fields.Datetime.now()
        Run = self.env["construction.sync.reconcile.run"]
        Difference = self.env["construction.sync.difference"]
        domain = [("id", "=", system_id)] if system_id else []
        result = []
        for system in self.env["construction.sync.system"].search(domain, order="name"):
            last = Run.search([("system_id", "=", system.id), ("state", "=", "done")],
                              order="finished_at desc, id desc", limit=1)
            # Counted in SQL: a system that lost a day of events can have thousands open.
            open_domain = [("system_id", "=", system.id), ("state", "in", OPEN)]
            by_kind = {kind: 0 for kind, _label in reconcile.KINDS}
            by_kind.update(dict(Difference._read_group(open_domain, ["kind"], ["__count"])))
            day_ago, week_ago = now - timedelta(days=1), now - timedelta(days=7)
            by_age = {
                "under_1_day": Difference.search_count(open_domain + [("create_date", ">", day_ago)]),
                "1_to_7_days": Difference.search_count(open_domain + [("create_date", "<=", day_ago),
                                                                      ("create_date", ">", week_ago)]),
                "over_7_days": Difference.search_count(open_domain + [("create_date", "<=", week_ago)]),
            }
            start = (now - timedelta(days=TREND_DAYS - 1)).date()
            per_day = self._per_day(system, start)
            result.append({
                "system_id": system.id,
                "system": system.name,
                "last_run": last and {
                    "id": last.id, "object_type": last.object_type, "snapshot_id": last.snapshot_id,
                    "as_of": fields.Datetime.to_string(last.as_of),
                    "finished_at": fields.Datetime.to_string(last.finished_at),
                    "compared": last.compared, "differences": last.difference_count,
                } or None,
                "compared_30_days": sum(Run.search([("system_id", "=", system.id),
                                                    ("create_date", ">=", now - timedelta(days=TREND_DAYS))])
                                        .mapped("compared")),
                "open_by_kind": by_kind,
                "open_by_age": by_age,
                "trend": [{"day": (start + timedelta(days=i)).isoformat(),
                           "found": per_day.get(start + timedelta(days=i), 0)} for i in range(TREND_DAYS)],
                "missing_snapshots": self.env["construction.sync.reconcile.schedule"].search_count(
                    [("system_id", "=", system.id), ("missing", "=", True)]),
                "control_total_gaps": self.env["construction.sync.control.total"].search_count(
                    [("system_id", "=", system.id), ("state", "=", "gap")]),
                "sequence_gaps": self.env["construction.sync.sequence.gap"].search_count(
                    [("system_id", "=", system.id), ("state", "=", "open")]),
            })
        return result

    @api.model
    def _per_day(self, system, start):
        """{date: differences first found that day} since `start`, with the user's rights."""
        Difference = self.env["construction.sync.difference"]
        groups = Difference._read_group(
            [("system_id", "=", system.id), ("create_date", ">=", datetime.combine(start, datetime.min.time()))],
            ["create_date:day"], ["__count"])
        return {day.date() if isinstance(day, datetime) else day: count for day, count in groups}
