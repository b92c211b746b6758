"""Warm-up: run freshly built detectors once over sample texts, before they serve a caller.

What the detectors build on first use is built then, in the process that loads them, and
not during a caller's first scan: Presidio compiles each recognizer's patterns the first
time it analyses a text, phone-number matching loads its region tables, spaCy sizes its
buffers on its first document. In a detection worker that first scan cost more than the
model's own work on a short prompt; in the proxy's own process (the inline scans of
stream windows) it was ~0.15 s of the event loop on the first call after start-up.

The samples are made-up and public test values (documentation examples, test card
numbers), one text per shape of input a detector treats apart: prose with names and
places, contact details and payment data, credentials, encoded and marked-up text.
:func:`detectors.registry.warm_up` scans them (this module imports none of ours: the
registry imports it).
"""

from __future__ import annotations

from typing import Final

#: One text per shape of input; every value is a documented example, none is real.
SAMPLES: Final = (
    "please summarise the notes on the migration timeline and the budget review.",
    "Please send the draft to Maria Schmidt in Hamburg before Monday's meeting with "
    "John Carter from Leeds.",
    "Reach me at anna.berg@example.com or +44 20 7946 0958; card 4111 1111 1111 1111, "
    "IBAN GB82 WEST 1234 5698 7654 32, SSN 078-05-1120, from 2001:db8::1 or 192.0.2.10.",
    "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n"
    "db_password = 'correct-horse-battery-staple'\n"
    "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl' "
    "https://user:pa55word@example.com/api",
    "> <p>token: <b>c2VjcmV0LXZhbHVlLWZvci13YXJtLXVw</b></p>\n"
    "+ **key** `70617373776f72642d666f722d7761726d2d7570` pass\u200bword",
    # names of scripts without capitals: the name cues compile their patterns for them on
    # the first such text (detectors.name_cues)
    "Hi 森 晃, the minutes are attached.\nשלום דנה, the room is booked. Reviewed-by: محمد",
)
