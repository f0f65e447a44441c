from odoo.tests import TransactionCase, tagged

from ..sync import outbound


class _Complete(outbound.OutboundEvent):
    type = "thing.changed"
    model = "res.partner"
    schema = {"type": "object", "properties": {"id": {"type": "integer"}}}


class _Twice(_Complete):
    pass


class _NoSchema(outbound.OutboundEvent):
    type = "thing.other"
    model = "res.partner"


class _BadSchema(_Complete):
    type = "thing.bad"
    schema = {"type": "object", "patternProperties": {}}


@tagged("post_install", "-at_install")
class TestOutboundRegistry(TransactionCase):
    def test_build_refuses_incomplete_and_duplicate_types(self):
        self.assertEqual(list(outbound.build([_Complete])), ["thing.changed"])
        with self.assertRaisesRegex(ValueError, "_NoSchema needs type, model and schema"):
            outbound.build([_NoSchema])
        with self.assertRaisesRegex(ValueError, r"thing.changed declared twice \(_Complete and _Twice\)"):
            outbound.build([_Complete, _Twice])
        with self.assertRaises(ValueError):
            outbound.build([_BadSchema])

    def test_the_engine_declares_only_its_own_type(self):
        publishers = self.env["construction.sync.publisher"]._publishers()
        self.assertIn("inbound_event.rejected", publishers)
        self.assertEqual(publishers["inbound_event.rejected"].model, "construction.sync.event")
        # The default ordering key: one record, one queue.
        partner = self.env["res.partner"].create({"name": "Keyed"})
        self.assertEqual(_Complete().object_key(partner), "res.partner:%s" % partner.id)

    def test_payload_helpers(self):
        usd = self.env.ref("base.USD")
        self.assertEqual(outbound.money(1234.565, usd), {"amount": 1234.57, "currency": "USD"})
        self.assertEqual(outbound.money(False, usd), {"amount": 0.0, "currency": "USD"})
        self.assertIsNone(outbound.ref(self.env["res.partner"]))
        system = self.env["construction.sync.system"].create({"name": "Field", "code": "field-ref"})
        partner = self.env["res.partner"].create({"name": "Mapped"})
        self.env["construction.sync.mapping"].create({"system_id": system.id, "res_model": "res.partner",
                                                      "external_id": "V-9", "res_id": partner.id})
        other = self.env["res.partner"].create({"name": "Not mapped"})
        # The references are filled when the payload is resolved, all of them in one query.
        payload = {
            "vendor": outbound.ref(partner),
            "lines": [{"payee": outbound.ref(other)}, {"payee": outbound.ref(partner)}],
        }
        self.assertEqual(payload["vendor"]["external_ids"], {})
        self.env.flush_all()
        with self.assertQueryCount(1):
            outbound.resolve(self.env, payload)
        self.assertEqual(payload, {
            "vendor": {"id": partner.id, "external_ids": {"field-ref": "V-9"}},
            "lines": [{"payee": {"id": other.id, "external_ids": {}}},
                      {"payee": {"id": partner.id, "external_ids": {"field-ref": "V-9"}}}],
        })
