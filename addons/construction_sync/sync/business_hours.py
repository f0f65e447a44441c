"""Business hours between two moments: Monday to Friday, 8:00 to 17:00 in a time zone, as the
cockpit's age column counts them (web_src/core), so an approval that arrived Friday evening is not
"three days old" on Monday morning. Pure, no Odoo."""
from datetime import datetime, time, timedelta

import pytz

DAY_START = time(8, 0)
DAY_END = time(17, 0)


def business_hours_between(start, end, tz_name="UTC"):
    """Hours (float) of Monday-Friday 8:00-17:00 in `tz_name` between two naive UTC datetimes."""
    if end <= start:
        return 0.0
    tz = pytz.timezone(tz_name or "UTC")
    local_start = pytz.utc.localize(start).astimezone(tz)
    local_end = pytz.utc.localize(end).astimezone(tz)
    total = 0.0
    day = local_start.date()
    while day <= local_end.date():
        if day.weekday() < 5:
            opens = tz.localize(datetime.combine(day, DAY_START))
            closes = tz.localize(datetime.combine(day, DAY_END))
            begin, finish = max(opens, local_start), min(closes, local_end)
            if finish > begin:
                total += (finish - begin).total_seconds() / 3600.0
        day += timedelta(days=1)
    return total
