import gc

from odoo.tests import BaseCase, tagged

from ..sync import gc_pause


@tagged("post_install", "-at_install")
class TestGcPause(BaseCase):
    """The collector is off inside a paused section and as it was found after it."""

    def setUp(self):
        super().setUp()
        self.addCleanup(gc.enable if gc.isenabled() else gc.disable)
        gc.enable()

    def test_off_inside_on_after_even_when_the_section_fails(self):
        with gc_pause.paused():
            self.assertFalse(gc.isenabled())
        self.assertTrue(gc.isenabled())
        with self.assertRaises(RuntimeError), gc_pause.paused():
            raise RuntimeError("the section fails")
        self.assertTrue(gc.isenabled())

    def test_a_nested_section_leaves_the_outer_one_paused(self):
        with gc_pause.paused():
            with gc_pause.paused():
                self.assertFalse(gc.isenabled())
            self.assertFalse(gc.isenabled(), "the inner section found it off")
        self.assertTrue(gc.isenabled())

    def test_a_process_that_turned_it_off_keeps_it_off(self):
        gc.disable()
        with gc_pause.paused():
            pass
        self.assertFalse(gc.isenabled())

    def test_as_a_decorator(self):
        @gc_pause.paused()
        def inside():
            return gc.isenabled()

        self.assertEqual((inside(), inside()), (False, False))
        self.assertTrue(gc.isenabled())
