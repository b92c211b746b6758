"""A PIN told as what its code changes to, in Spanish, Portuguese and French
(:mod:`detectors.labelled_credentials`): "el código de la alarma ... cambia el lunes a
735190". Staff announce a new door or alarm code with a verb of change and "a" / "para" /
"à" several words after the label; the digits after it are the code. Without the verb, or
with a count of things or a year after "a", the digits are no PIN.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

CHANGED = [
    (
        "Buenas, el código de la alarma del almacén cambia el lunes a 735190, avisad a limpieza.",
        "735190",
    ),
    ("O código da porta da garagem do prédio muda amanhã para 58213.", "58213"),
    ("Le code PIN a été changé à 1234 hier.", "1234"),
]

QUIET = [
    "El PIN de la tarjeta se manda a 1200 clientes.",  # no verb of change: a count
    "El código de la alarma de la oficina se comunicó ayer a 25 personas.",
    "El código de la puerta cambia a 2026 el año que viene.",  # a year
    "El PIN de la tarjeta caduca a 2026.",
    "El código de acceso se envía a 612345678.",  # a phone's nine digits
]


@pytest.mark.parametrize(("text", "pin"), CHANGED)
def test_code_changed_to_digits_is_a_pin(
    secrets_detector: SecretsDetector, text: str, pin: str
) -> None:
    """The digits a door or alarm code changes to are reported, spanning the digits."""
    assert spans(secrets_detector, text) == [(E.PASSWORD, pin)]


@pytest.mark.parametrize("text", QUIET)
def test_digits_after_a_without_a_change_stay_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """A count, a year or a phone number after "a" is no PIN."""
    assert spans(secrets_detector, text) == []
