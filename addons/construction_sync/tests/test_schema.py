from odoo.tests.common import BaseCase, TransactionCase, tagged

from ..sync import schema


@tagged("post_install", "-at_install")
class TestSchema(BaseCase):
    SCHEMA = {
        "type": "object",
        "required": ["id", "lines"],
        "properties": {
            "id": {"type": ["string", "integer"], "minLength": 1},
            "when": {"type": "string", "format": "date"},
            "kind": {"type": "string", "enum": ["a", "b"]},
            "lines": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["amount"],
                "properties": {"amount": {"type": "number", "minimum": 0}},
            }},
        },
    }

    def test_valid_payload_has_no_errors(self):
        self.assertEqual(schema.validate({"id": 7, "lines": [{"amount": 1.5}], "extra": True}, self.SCHEMA), [])

    def test_every_violation_is_reported_with_its_field_path(self):
        errors = schema.validate(
            {"id": "", "when": "2026-13-40", "kind": "c", "lines": [{"amount": -1}, {"amount": "x"}, {}]},
            self.SCHEMA,
        )
        self.assertEqual(errors, [
            {"field": "id", "message": "must not be empty"},
            {"field": "when", "message": "must be a valid date"},
            {"field": "kind", "message": "must be one of 'a', 'b'"},
            {"field": "lines[0].amount", "message": "must be at least 0"},
            {"field": "lines[1].amount", "message": "must be number"},
            {"field": "lines[2].amount", "message": "is required"},
        ])

    def test_booleans_are_not_numbers(self):
        self.assertEqual(schema.validate(True, {"type": "number"}), [{"field": "(root)", "message": "must be number"}])

    def test_unknown_keywords_are_refused_not_ignored(self):
        with self.assertRaises(ValueError):
            schema.check_schema({"type": "object", "propertys": {}})
        with self.assertRaises(ValueError):
            schema.check_schema({"type": "string", "format": "uuid"})

    def test_datetimes_need_a_timezone(self):
        self.assertIsNotNone(schema.parse_datetime("2026-11-23T08:00:00Z"))
        self.assertIsNotNone(schema.parse_datetime("2026-11-23T08:00:00+02:00"))
        self.assertIsNone(schema.parse_datetime("2026-11-23T08:00:00"))
        self.assertIsNone(schema.parse_datetime("2026-11-23"))


@tagged("post_install", "-at_install")
class TestInstalledHandlers(TransactionCase):
    def test_installed_handler_schemas_are_checked(self):
        """Every event type this database knows has a valid schema that its own example meets."""
        for handler in self.env["construction.sync.handler"]._handlers().values():
            schema.check_schema(handler.schema)
            self.assertEqual(schema.validate(handler.example, handler.schema), [], handler.event_type)
