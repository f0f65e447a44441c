from . import models


def post_init_hook(env):
    """Bills recorded before the three-way match existed were approved the old way: what is
    billed on subcontract lines so far counts as certified, so installing the match holds no
    bill already in the books."""
    lines = env["purchase.order.line"].search([
        ("order_id.construction_project_id", "!=", False), ("order_id.state", "in", ("purchase", "done")),
        ("display_type", "=", False), ("product_id.type", "=", "service"),
    ])
    lines._construction_certify_billed()
