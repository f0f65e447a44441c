"""Company isolation of the ids a person sends: the cockpit's calls, the event actions and the
wizards all take ids from the browser, and ids are sequential, so one call could name every
company's events. Each of them turns the ids into records through `readable` first, before
anything is read back or written."""

from odoo.exceptions import AccessError


def readable(model, ids):
    """The records of `model` with these ids, in the order given (each once), provided the
    current user may read every one of them: the ids are searched under the access rights and
    record rules (the company rules), so another company's record is refused exactly like one
    that does not exist. Raises AccessError naming how many ids are not readable, and then the
    caller has read and written nothing. Under sudo every existing record is readable."""
    ids = list(dict.fromkeys(int(record_id) for record_id in ids))
    if not ids:
        return model.browse()
    found = model.with_context(active_test=False).search([("id", "in", ids)])
    missing = len(ids) - len(found)
    if missing:
        raise AccessError(model.env._(
            "%(missing)s of the %(count)s %(model)s records asked for do not exist or belong to a company you "
            "cannot access: nothing was done.",
            missing=missing, count=len(ids), model=model._description,
        ))
    return model.browse(ids)
