"""Names of scripts without capitals and of less-served locales after a cue (name_cues).

spaCy's small English model finds no person in "Hi ג'ורי," or "Author: 舞 <...>", and the
cues read only capitalised words: Hebrew, Arabic, Chinese and Japanese write no capitals,
so any word of those scripts after a cue may be a name (a run of more than four ideographs
is prose). Chinese and Japanese put the family name first. Titles, greetings and sign-offs
of Russian, Ukrainian, Bulgarian, Greek, Vietnamese, Azerbaijani and Hebrew writers, the
speaker of a chat export (after a time stamp, before a channel), a review's author ("X
commented:"), the sender of a message in JSON ('"from": "X"', quotes escaped or not), the
person a letter opens with ("Nuru, the ..."), someone from a department ("Gulab from
finance"), a request to "contact X at" an address, a header as a list's item ("3. Contact:
X"), an address in brackets or after a dash beside a name, and a table's column of
customers or names beside their cards or bank accounts are cues too. Each: the exact span,
and a text of the same shape without a person that stays quiet.
"""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector

# (text, the names in it, in order): exact spans.
NAMED = [
    # a greeting, a sign-off, a chat speaker and "from X:" before a Hebrew name
    ("Hi ג'ורי,\n\nas discussed, here are the credentials for staging.", ["ג'ורי"]),
    ("Die Datei liegt im Postfach.\n\nViele Grüße\nדנה יוסף", ["דנה יוסף"]),
    ("ליאן: the jwt secret on staging is rotated", ["ליאן"]),
    ("dm from ליאו: here's the rails master key", ["ליאו"]),
    ("שלום דנה,\nthe key is in the vault.", ["דנה"]),
    # Arabic after a header
    ("Reviewed-by: محمد <mohammed@example.org>\n", ["محمد"]),
    # Japanese before a mailbox, after a label, a header and a greeting; family name first
    ("On 2024-08-04, 森 晃 <hinoue@example.com> wrote:\n> The new key", ["森 晃"]),
    ("Name:\t\t石井 里佳\nE-mail:\t\tmaayasuzuki@example.org\n", ["石井 里佳"]),
    ("Author: 舞 <harukaishikawa@example.org>\n\n    bot: fix\n", ["舞"]),
    ("> > Hi 結衣, can you send me the FTP login again?", ["結衣"]),
    ("Line 9: password: x\n  田中 春香: Please use ansible-vault for this.", ["田中 春香"]),
    # greetings of Russian writers
    ("Здравствуйте, Александра!\n\nКлюч шифрования для выгрузки готов.", ["Александра"]),
    # titles of Bulgarian, Ukrainian and Vietnamese writers
    ("Review comment by Г-н Рафаил Бранков on PR #90:\n", ["Рафаил Бранков"]),
    ("Bank details: пан Руслан Приходько, IBAN on file", ["Руслан Приходько"]),
    ("Xin gửi Bà Hương Mai bản hợp đồng.", ["Hương Mai"]),
    # a chat export's speaker after a time stamp and before a channel
    ("2015-11-21 17:02:51.507843 Τζένη-Ανθή Φιλίππου: thanks!", ["Τζένη-Ανθή Φιλίππου"]),
    ("Людмила in #payments: the PSP sandbox client id is in the vault", ["Людмила"]),
    # a review's author
    ("Марек left a comment\n  src/settings.js:22\n", ["Марек"]),
    ("Λάσκαρης commented:\n> integrity sha512 changed", ["Λάσκαρης"]),
    # the sender of a message, the holder of an account, a name in escaped JSON
    ('{"type":"message","from":"Ганна Чубай","text":"alarm code is 4821"}', ["Ганна Чубай"]),
    ('{"messages":[{"from":"中川 裕太","body":{"content":"login"}}]}', ["中川 裕太"]),
    ('  "holder": "Αμφιθέα-Νίκη Σαμτανίδου",\n', ["Αμφιθέα-Νίκη Σαμτανίδου"]),
    (
        'string s = "{\\"iban\\":\\"x\\",\\"name\\":\\"Quang Mai Bảo Bùi\\"}";',
        ["Quang Mai Bảo Bùi"],
    ),
    # a letter opened by whom it is for, someone from a department, "contact X at"
    ("Nuru, the SAS link for the auditors' upload is below.", ["Nuru"]),
    ("Escalation: Gulab from finance can't log in.", ["Gulab"]),
    ("Contact 中島 舞 at sakamototsubasa@example.net for access.", ["中島 舞"]),
    ("new hire 小林 治 starts monday", ["小林 治"]),
    # a header as a list's item; a name beside its address in brackets or after a dash
    ("2. Alarm code: 5329\n3. Contact: 佐藤 拓真 (gototaichi@example.org)", ["佐藤 拓真"]),
    ("Ann Lee (ann@example.org) will review.", ["Ann Lee"]),
    ("Pilot: **Δήμητρα Μπιμπίκα** — ckyriakopoulou@example.net — +30 69", ["Δήμητρα Μπιμπίκα"]),
    # a table's customers beside their cards, names beside their accounts
    (
        "Customer\tCard\tExp\nАніта Байда\t370492862655140\t10/28\n"
        "Гилдрой Кобиларов\t4450306202791537\t17/28\n",
        ["Аніта Байда", "Гилдрой Кобиларов"],
    ),
    (
        "name\tiban\tamount\nBà Dương Phạm\tFR60 3928 0282 0499 2127 6149 072\t0.2046\n"
        "Hà Hữu Bùi\tGB03 USNS 7512 4437 1527 51\t0.1057\n",
        ["Bà Dương Phạm", "Hà Hữu Bùi"],
    ),
]

# The same shapes without a person: each stays quiet.
QUIET = [
    # prose of scripts without capitals, a run of ideographs longer than a name
    "שלום לכולם, השרת נפל הלילה. בדקו את הלוגים.",
    "サーバーが落ちました。ログを確認してください。",
    "Hi 服务器重启已经完成了,\n请检查日志。",
    # a chat speaker's place holding words of no known family and given name
    "Line 9: password: x\n  注意 事項: Please use ansible-vault for this.",
    # a greeting before a word that is no name
    "Здравствуйте, коллеги!\n\nСервер перезапущен.",
    # time stamps before a log level or a component, a channel after a word of prose
    "2024-05-16 12:00:01 ERROR: connection refused",
    "2024-05-16 12:00:01 Worker: started",
    "Orders in #payments: the backlog is growing",
    # a review's verb after software, a field of a place and of a stage
    "Renovate commented:\n> bumped the lock file",
    '{"flight": {"from": "Berlin", "to": "Lisbon"}}',
    '{"from": "Staging", "to": "Production"}',
    # a text opened by software or a word, a department after a word, "contact X at"
    "Kafka, the broker, is down again.",
    "However, the build failed on main.",
    "Support from finance is needed for the audit.",
    "Nothing came of the audit. Will from it we learn anything?",
    "Contact Support at help@example.com for access.",
    # a company or a desk beside its address, a team as a list item's owner
    "Acme Corp (sales@acme.com) sent the invoice.",
    "Support — help@example.com",
    "2. Owner: Platform Team",
    # a company's account in a table of names and accounts
    "name\tiban\tamount\nInitech LLC\tFR60 3928 0282 0499 2127 6149 072\t0.2046\n"
    "Globex Corporation\tGB03 USNS 7512 4437 1527 51\t0.1057\n",
]


def _people(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "PERSON"]


@pytest.mark.parametrize(("text", "names"), NAMED)
def test_a_name_after_a_cue_is_one_person_spanning_it(
    pii: PresidioDetector, text: str, names: list[str]
) -> None:
    """A name after a cue is a PERSON spanning exactly the name, title and cue left out."""
    assert _people(pii, text) == names


@pytest.mark.parametrize("text", QUIET)
def test_the_same_shapes_without_a_person_stay_quiet(pii: PresidioDetector, text: str) -> None:
    """Prose of those scripts, log lines, software and places in the cues' places name no
    one."""
    assert _people(pii, text) == []
