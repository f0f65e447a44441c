"""Schema fragments shared by the handlers of every construction addon."""

EXTERNAL_ID = {
    "type": ["string", "integer"],
    "minLength": 1,
    "maxLength": 255,
    "description": "The sending system's id of the object.",
}
MONEY = {"type": "number", "description": "An amount in the currency's unit, e.g. 1250.50."}
PERCENT = {"type": "number", "minimum": 0, "maximum": 100}
