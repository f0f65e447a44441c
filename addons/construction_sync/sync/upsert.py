"""Master data events: the event carries the whole external object, which is one Odoo record,
created the first time and updated after. A handler gives the values and the sentence an approver
reads; finding, creating and updating are done once, here."""

from .registry import EventHandler


class UpsertHandler(EventHandler):
    """Subclasses implement `_values(ctx)` (resolving every reference, raising what applying
    would) and `_describe(ctx, values, existing)`; `_existing` may adopt a record entered by hand
    before the sending system was connected."""

    def _values(self, ctx):
        raise NotImplementedError

    def _describe(self, ctx, values, existing):
        """The approver's sentence for the values about to be written; `existing` is the record
        they update, empty when they create one."""
        raise NotImplementedError

    def _existing(self, ctx, _values):
        return ctx.find(self.object_model, self.object_external_id(ctx.data))

    def prepare(self, ctx):
        values = self._values(ctx)
        return self._describe(ctx, values, self._existing(ctx, values))

    def apply(self, ctx):
        values = self._values(ctx)
        record = self._existing(ctx, values)
        if record:
            record.write(values)
            return record
        return ctx.env[self.object_model].create(values)
