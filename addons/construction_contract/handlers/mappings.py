"""Mapping look-ups and creations of many external ids at once, for handlers whose one event
names dozens of objects (a commitment's lines, a pay application's cost codes).

HandlerContext.find and .map ask for one mapping per call, a query each on the hot path; these
fill the context's own cache with one query, so find, resolve and map work as before, with the
same results and the same errors for what is unknown."""


def prefetch(ctx, model, external_ids):
    """Looks up the mappings of `external_ids` of `model` in one query, for ctx.find and
    ctx.resolve to use (unknown ones are cached as unknown, as ctx.mapping would)."""
    wanted = {str(external_id) for external_id in external_ids} - {key for m, key in ctx._known if m == model}
    if not wanted:
        return
    Mapping = ctx._mappings
    # Same criteria as construction.sync.mapping._find, for many external ids.
    found = {mapping.external_id: mapping for mapping in Mapping.search([
        ("system_id", "=", ctx.system.id), ("res_model", "=", model), ("external_id", "in", sorted(wanted)),
    ])}
    for external_id in wanted:
        ctx._known[(model, external_id)] = found.get(external_id, Mapping)


def map_many(ctx, model, pairs):
    """ctx.map for many (external id, record) pairs: the new mappings in one create."""
    new = {}
    for external_id, record in pairs:
        mapping = ctx.mapping(model, external_id)
        if mapping:
            if mapping.res_id != record.id:
                mapping.write({"res_id": record.id})
        else:
            # An id named twice ends up mapped to its last record, as with ctx.map one by one.
            new[str(external_id)] = record
    created = ctx._mappings.create([
        {"system_id": ctx.system.id, "res_model": model, "external_id": external_id, "res_id": record.id}
        for external_id, record in new.items()
    ])
    for external_id, mapping in zip(new, created):
        ctx._known[(model, external_id)] = mapping
