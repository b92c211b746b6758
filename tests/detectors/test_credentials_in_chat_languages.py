"""Credentials told in Hindi, Tamil, Arabic and Albanian chats, a disk's recovery key, a
token inside a command in backquotes, and codes that open nothing.

Positives are (text before, secret, text after): the secret is found exactly, as a
PASSWORD. Negatives are sentences about a password in those languages (whose words, in the
Indic scripts, hold vowel signs that ``\\w`` does not match), dotted module paths after
"is", and the numbers of a ledger, a land registry or a medical coding system after
"code", which open nothing.
"""

from __future__ import annotations

import pytest

from detectors import entities as E
from detectors.secrets import SecretsDetector
from tests.detectors.spans import spans

TOLD = [
    # Hindi: the label, the value, then "is" (है) or nothing
    ("घर के राउटर का पासवर्ड ", "Gh7#pLq2", " है, मेहमानों को बता देना।"),
    ("मेरा ईमेल यूज़रनेम riya.k और पासवर्ड ", "Nadi$Kinara9", " है, लॉगिन नहीं हो रहा।"),
    ("स्कूल पोर्टल का पासवर्ड ", "BlueRiverStone", ", बच्चों को मत बताना।"),
    # Tamil: no verb between the label and the value
    ("வீட்டு ரூட்டர் பாஸ்வேர்ட் ", "maple-cloud-river-seven", ", யாரிடமும் சொல்ல வேண்டாம்."),
    ("கிளினிக் கடவுச்சொல் ", "Vx8@qz!Lm", ", நாளை மாற்றுவோம்."),
    ("அலமாரி பூட்டு குறியீடு ", "40927", ", மறந்துவிடாதே."),
    # Arabic: "is" (هي) or none; "and the password" written as one word with the label
    ("كلمة المرور الجديدة للحساب هي ", "Rm4$tq9Zp", "، غيّرها بعد الدخول."),
    ("اسم المستخدم hr_kamal وكلمة المرور ", "Wq2#xLs8", "، شكراً."),
    ("رمز الباب الخلفي للمكتب ", "8142", "، احفظه جيداً."),
    ("كلمة مرور الشبكة هي ", "lamp.orbit.velvet", "، لا تنشرها."),
    # Albanian: "is" (është), the user name before the password, a door's code
    ("Fjalëkalimi i ri i llogarisë është ", "Shkodra#2291", ", mos e ndaj me askënd."),
    ("Emaili: përdoruesi arben.h, fjalëkalimi ", "Pq7!vRt3k", ", faleminderit!"),
    ("Kodi i hyrjes në ndërtesë është ", "30571", ", e ndryshojmë të hënën."),
    # French: the Wi-Fi's code, a generator's three dotted words after "is"
    ("Le code wifi de la salle de réunion est ", "ember.tiger.folly", ", bonne réunion."),
]


@pytest.mark.parametrize(("before", "secret", "after"), TOLD)
def test_password_told_in_a_chat_language_is_found_exactly(
    secrets_detector: SecretsDetector, before: str, secret: str, after: str
) -> None:
    """A password or a door's code told after its Hindi, Tamil, Arabic, Albanian or French
    label is found with its exact span, without the Arabic comma after it."""
    assert spans(secrets_detector, before + secret + after) == [(E.PASSWORD, secret)]


QUIET = [
    # the sentence's own words after a label, vowel signs and all
    "मेरा पासवर्ड बदलना है, कृपया मदद कीजिए।",
    "बैंक ऐप का पासवर्ड याद नहीं आ रहा, रीसेट कैसे करूँ?",
    "எனது பாஸ்வேர்ட் மறந்துவிட்டேன், உதவுங்கள்.",
    "வைஃபை கடவுச்சொல் தெரியவில்லை, யாரிடம் கேட்பது?",
    "كلمة المرور غير صحيحة، ماذا أفعل؟",
    "اسم المستخدم وكلمة المرور لا يعملان منذ الصباح.",
    "Fjalëkalimi është i gabuar, çfarë të bëj?",
    "Kam harruar fjalëkalimin dhe përdoruesin, më ndihmoni.",
    "Kodi i derës nuk punon, ju lutem ta ndryshoni.",
    "Le code wifi est sur l'étiquette du routeur.",
    # a module's path after "is"
    "das WLAN-Passwort ist django.contrib.auth, sagt die Doku.",
    "le mot de passe est défini dans app.config.secret, pas ici.",
    # numbers of a ledger, a registry or a coding system after "code"
    "Post the accrual to expense account codes 5210 and 5230, then reverse it in May.",
    "The parcel sits in cadastral municipality code 1187 of the district office.",
    "Bill the visit under procedure code 99214 and diagnosis code 4011 as agreed.",
]


@pytest.mark.parametrize("text", QUIET)
def test_talk_about_passwords_and_registry_codes_is_quiet(
    secrets_detector: SecretsDetector, text: str
) -> None:
    """Sentences about a password in those languages, module paths after "is" and the
    numbers of ledgers, registries and coding systems have no finding."""
    assert spans(secrets_detector, text) == []


def test_a_recovery_key_after_its_label_is_found_exactly(secrets_detector: SecretsDetector) -> None:
    """A disk's recovery key in two groups after "recovery key" is a password, whole."""
    text = "Handover: the laptop's BitLocker recovery key 5521 0937, HR has the charger."
    assert spans(secrets_detector, text) == [(E.PASSWORD, "5521 0937")]
    text = "Reset done - backup key: a93f0-7c2e1 (keep it offline)."
    assert spans(secrets_detector, text) == [(E.PASSWORD, "a93f0-7c2e1")]


def test_a_token_inside_a_quoted_command_is_found_alone(secrets_detector: SecretsDetector) -> None:
    """After "the token ...:", a command in backquotes is no value: the option's token is
    found, not the whole command."""
    token = "9f2c4e71ab03d5e688c1f0a2b7d94e3c5a6f8b10"
    text = (
        f"I pass the token on launch: `jupyter notebook --NotebookApp.token={token} --no-browser`"
    )
    assert spans(secrets_detector, text) == [(E.GENERIC_SECRET, token)]
