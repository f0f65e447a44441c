"""Schema fragments shared by the handlers of every construction addon."""

EXTERNAL_ID = {
    "type": ["string", "integer"],
    "minLength": 1,
    "maxLength": 255,
    "description": "The sending system's id of the object.",
}
# Amounts are bounded to what the books hold exactly: twelve integer digits and cents make 14
# significant digits, which Odoo's float arithmetic on amounts (doubles, 15 to 17 digits) keeps
# exact to the cent; far beyond any construction contract. "At most 2
# decimals" would be multipleOf, which the validator's subset does not have: extra decimals are
# rounded by the currency, as before. Handlers narrow the range ({**MONEY, "minimum": 0}); the
# maximum stays.
MONEY_LIMIT = 999999999999.99
MONEY = {"type": "number", "minimum": -MONEY_LIMIT, "maximum": MONEY_LIMIT,
         "description": "An amount in the currency's unit, e.g. 1250.50; at most 999,999,999,999.99 either way."}
# Quantities (units, hours, liters, odometer readings): at most 999,999,999, which with a unit
# price leaves the line amount to the handler's business rules.
QUANTITY_LIMIT = 999999999
QUANTITY = {"type": "number", "minimum": -QUANTITY_LIMIT, "maximum": QUANTITY_LIMIT}
# Integers that Odoo stores in an integer column (PostgreSQL int4).
INTEGER_LIMIT = 2147483647
PERCENT = {"type": "number", "minimum": 0, "maximum": 100}
