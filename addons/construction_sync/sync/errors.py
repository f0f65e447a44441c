"""Error classes of the engine. The class decides what happens to an event after a failure:

- transient: retried automatically with backoff until the event type's max attempts, then dead;
- data: a referenced master record is unknown; the event waits and is released when it arrives;
- business: a rule of the business refuses the event; a person decides;
- technical: a bug or an unexpected failure; a person decides (traceback kept for managers).
"""

TRANSIENT = "transient"
DATA = "data"
BUSINESS = "business"
TECHNICAL = "technical"

ERROR_CLASSES = [
    (TRANSIENT, "Transient"),
    (DATA, "Data"),
    (BUSINESS, "Business"),
    (TECHNICAL, "Technical"),
]


class SyncError(Exception):
    error_class = TECHNICAL


class SyncDataError(SyncError):
    """A reference the event needs is not mapped yet. `waiting_for` names what would release it,
    as a mapping key "<model>:<external id>" (see construction.sync.mapping._key)."""

    error_class = DATA

    def __init__(self, message, waiting_for=None):
        super().__init__(message)
        self.waiting_for = waiting_for


class SyncBusinessError(SyncError):
    error_class = BUSINESS


class DeliveryRejected(Exception):
    """A delivery the webhook endpoint refuses: carries the HTTP status and machine-readable code
    of the reply. `keep` says whether the body goes to the rejected-deliveries log (only for
    authenticated deliveries). `authenticated` says whether the signature had been verified when
    the delivery was refused: refusals before count against the source address's budget (sync.flood)."""

    authenticated = False

    def __init__(self, status, code, message, details=None, keep=False, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.keep = keep
        self.headers = headers or {}

    def as_json(self):
        error = {"code": self.code, "message": self.message}
        if self.details:
            error["details"] = self.details
        return {"error": error}
