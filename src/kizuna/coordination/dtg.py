"""The military date-time group in Zulu time: DDHHMMZMONYY, e.g. 280430ZNOV26.

Month abbreviations are the English ones in both languages: a DTG is a fixed notation that
both nations' staffs read the same way, not prose to translate.
"""

from __future__ import annotations

from datetime import UTC, datetime

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")


def dtg(instant: datetime) -> str:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: a date-time group needs a known instant")
    zulu = instant.astimezone(UTC)
    return f"{zulu:%d%H%M}Z{MONTHS[zulu.month - 1]}{zulu:%y}"
