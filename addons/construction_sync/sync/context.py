"""What a handler sees while it applies one event: the environment, the event's data, and the
mapping helpers that turn external ids into Odoo records."""

from .errors import SyncDataError


def handler_lang(env, company):
    """The language handlers run in: the company's (its partner's language), when active.

    Business and data errors, approval summaries and the model errors a handler runs into are
    worded once, when the event is applied, and stored on the event; they are stored in the
    language of the people who work that company's exceptions, whoever or whatever (a French
    user's retry, the runner's cron) applied the event. Translatable fields a handler writes are
    written in that language too, as when one of those people edits them."""
    lang = company.partner_id.lang
    return lang if lang and env["res.lang"]._get_code(lang) else "en_US"


class HandlerContext:
    def __init__(self, env, event, handler, data):
        lang = handler_lang(env, event.company_id)
        self.env = env if env.context.get("lang") == lang else env(context=dict(env.context, lang=lang))
        self.event = event
        self.system = event.system_id
        self.company = event.company_id
        self.handler = handler
        self.data = data
        self._mappings = env["construction.sync.mapping"].sudo()
        # Mappings looked up while applying this one event; the engine, the handler and map()
        # ask for the same ones, and each lookup is a query on the hot path.
        self._known = {}

    def mapping(self, model, external_id):
        key = (model, str(external_id))
        if key not in self._known:
            self._known[key] = self._mappings._find(self.system, model, external_id)
        return self._known[key]

    def find(self, model, external_id):
        """The Odoo record mapped to `external_id`, or an empty recordset."""
        mapping = self.mapping(model, external_id)
        if mapping and mapping.res_id:
            record = self.env[model].browse(mapping.res_id).exists()
            if record:
                return record
        return self.env[model]

    def resolve(self, model, external_id, label):
        """Like find, but an unknown reference is a data error: the event waits and is released
        when the referenced master record is mapped."""
        record = self.find(model, external_id)
        if not record:
            # `label` names what is missing; callers pass it through _lt so it is translated too.
            raise SyncDataError(
                self.env._("Unknown %(label)s %(id)r from %(system)s: it is released automatically when that "
                           "%(label)s arrives or is mapped.", label=label, id=external_id, system=self.system.name),
                waiting_for=self._mappings._key(model, external_id),
            )
        return record

    def map(self, model, external_id, record, watermark_event=None):
        """Maps `external_id` to `record` (creating or re-pointing the mapping)."""
        mapping = self.mapping(model, external_id)
        values = {"res_id": record.id}
        if watermark_event:
            values.update(last_source_timestamp=watermark_event.source_timestamp, last_event_id=watermark_event.id)
        if mapping:
            if mapping.res_id != record.id or watermark_event:
                mapping.write(values)
            return mapping
        mapping = self._mappings.create({
            "system_id": self.system.id, "res_model": model, "external_id": str(external_id), **values,
        })
        self._known[(model, str(external_id))] = mapping
        return mapping
