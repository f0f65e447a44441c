"""Helpers of the batchable handlers (apply_batch)."""


def in_source_order(contexts):
    """The contexts in the order the engine applies events one by one (source timestamp, then
    id): records numbered from a sequence, and each check that sees the records before it, come
    out as they would one by one, whatever the order of the claim."""
    return sorted(contexts, key=lambda ctx: (ctx.event.source_timestamp, ctx.event.id))


def in_given_order(contexts, ordered, records):
    """`records`, made for `ordered` (see in_source_order), in the order of `contexts`."""
    by_context = {id(ctx): record for ctx, record in zip(ordered, records, strict=True)}
    return [by_context[id(ctx)] for ctx in contexts]
