# The ORM ceiling the processing rate is compared with: one Odoo process creating the partners a
# partner.upserted event creates (same values), through the ORM, 100 per create and one commit
# per chunk, as a hand-written import script would. Run by bench/run.mjs through
# `scripts/odoo shell`; prints "CEILING <partners per second>". No sync engine is involved.
import os
import time
import uuid

total = int(os.environ.get("BENCH_CEILING_PARTNERS", "3000"))
chunk = 100
company = env.company.id  # noqa: F821 (odoo shell provides env)
Partner = env["res.partner"]  # noqa: F821
started = time.monotonic()
for _start in range(0, total, chunk):
    Partner.create([
        {"name": "Ceiling Partner %s" % uuid.uuid4(), "is_company": True, "supplier_rank": 1, "company_id": company}
        for _i in range(chunk)
    ])
    env.cr.commit()  # noqa: F821
print("CEILING %.1f" % (total / (time.monotonic() - started)))
