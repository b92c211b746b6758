"""Names the small NER model misses where the text says a name follows.

spaCy's small English model finds no person in "Dear Kimberly Smith," or "hey Dittmar, can
u send ...": short texts, names of other languages, names in e-mail headers and sign-offs.
Presidio's context words only raise the score of a finding the model made. The writing
conventions that introduce a name are stable, though: a greeting or sign-off, a title,
a header ("From:", "Reviewed-by:"), "X wrote:", a role noun ("my colleague X", "the
caller, X"), a request to contact someone ("ping X"), the agent of a passive ("disabled by
X"), a name label ("Name: X / Email: ..."). :func:`cued_names` reports the
capitalised words after such a cue as a PERSON when the first of them is no technology name
or English word (so "Hi team" and "Dear Customer" stay quiet) and either a known first name
(``data/first_names.txt``, after a title any name) or, after a strong cue (a greeting,
title, header, label, role, "X wrote", "ping X about", "me and X"), a word on no list at
all: a company's staff are not all in Faker's lists, and ``bench/unknown_names.py``
measures what the lists' gaps cost. After a preposition ("from X:", "to X.") a word on no
list is as often a product, so only known first names count there. A list of three or more names of
which one is a PERSON names people in its other items too (:func:`listed_names`).
Each cue's pattern runs only where the words it needs are (:class:`_Gate`): found with
``str.find``, they make the passes cheap without changing what they find.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from typing import NamedTuple

from core.scanning import Finding
from detectors.chinese_names import chinese_names
from detectors.ner_lexicon import STOP_WORDS_NO_NAMES, Lexicon, load_terms, normalise
from detectors.ner_words import georgian, word_set
from detectors.pii_filters import written_as_token

# Dictionary words that follow a name without being its surname ("Hi Anna Great work").
_NOT_SURNAMES = frozenset({
    "great", "good", "thanks", "thank", "sorry", "happy", "welcome", "congrats", "hope",
    "today", "tomorrow", "yesterday", "tonight", "morning", "afternoon", "evening", "team",
    "everyone", "all", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sunday", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december",
})  # fmt: skip
# What the NER model reports that a cued name may hold and take the place of.
_MODEL_TYPES = frozenset({"PERSON", "LOCATION", "NRP", "ORGANIZATION"})
#: Score of a cued name: that of a spaCy NER finding (Presidio's SpacyRecognizer).
CUED_SCORE = 0.85

# A capitalised word (Latin, Greek and Cyrillic scripts, which write names capitalised as
# Latin ones do: "Author: Пантера Куртажова <...>"; the first letter is checked again in
# _judge), or a word of a script that has no capitals, where any word after a cue may be a
# name (:data:`_UNCASED_WORD`).
_CASED_WORD = (
    r"[A-ZÀ-ÖØ-Þ\u0100-\u017f\u0386\u0388-\u038f\u0391-\u03ab\u0400-\u042f]"
    r"[^\W\d_'’.-]*"
)
# Hebrew and Arabic letters (Persian and Urdu ones too) write a name as a word between
# blanks ("Hi ג'ורי,", "Best regards,\nדנה כהן"); Chinese and Japanese ones write the
# family and the given name as a run of one to four ideographs each, or kana ("森 晃",
# "藤原 くみ子"), with no blank inside a sentence: a longer run is prose, not a name.
_IDEOGRAPHS = r"\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
# Korean writes a name as a word of Hangul syllables between blanks ("민수: ok", "김민수"),
# Georgian as one of its letters (which Unicode counts lowercase: "ნინო: ok"), Thai as a run
# of its letters and marks that no blank splits ("ณัฐพิชา: ok"; a longer run is prose).
_HANGUL = r"\uac00-\ud7a3"
_THAI = r"\u0e01-\u0e4e"
_GEORGIAN = r"\u10d0-\u10ff"
_UNCASED_WORD = (
    r"(?<![\u05d0-\u05ea])[\u05d0-\u05ea]+"
    r"|(?<![\u0620-\u064a\u066e-\u06d3])[\u0620-\u064a\u066e-\u06d3]+"
    rf"|(?<![{_IDEOGRAPHS}])[{_IDEOGRAPHS}]{{1,4}}(?![{_IDEOGRAPHS}])"
    rf"|(?<![{_HANGUL}])[{_HANGUL}]+"
    rf"|(?<![{_GEORGIAN}])[{_GEORGIAN}]+"
    rf"|(?<![{_THAI}])[{_THAI}]{{1,24}}(?![{_THAI}])"
)
_NAME_WORD = rf"(?:{_CASED_WORD}|{_UNCASED_WORD})(?:[-'’][^\W\d_]+)*"
_IDEOGRAPH = re.compile(rf"[{_IDEOGRAPHS}{_HANGUL}]")
_CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# What the cues' patterns read in the place of an ideograph or a kana (:func:`_as_read`): a
# letter for a letter, a mark for a mark (U+309B, U+30FB...), so that \w and \b see what
# they saw; and a syllable of Hangul for each of them (all letters).
_LETTER_STAND_IN = "\u4e00"
_MARK_STAND_IN = "\u30a0"
_SYLLABLE_STAND_IN = "\uac00"
_PARTICLE = r"(?:de|du|da|das|dos|des|van|von|der|den|la|le|di|del|della|ter|ten|zu|bin|ibn)"
# A further word of a name, particles before it ("Ana de la Cruz")
_MORE = rf"(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_NAME_WORD})"
_NAME = rf"(?P<name>{_NAME_WORD}{_MORE}{{0,3}})"
#: A name of one to four capitalised words, particles between them, as the group "name".
NAME = _NAME
#: A particle inside a name ("van", "de", "bin"), as a pattern.
PARTICLE = _PARTICLE
#: One capitalised word of a name ("Ann", "O'Brien", "Müller-Lüdenscheidt"), as a pattern.
NAME_WORD = _NAME_WORD
_TITLES = (
    "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Dra", "Prof", "Sir", "Dame", "Herr", "Frau", "Mme",
    "Mlle", "Madame", "Monsieur", r"Sig\.ra", r"Sig\.na", "Sig", r"Dott\.ssa", "Dott", "Avv",
    "Ing", "Sra", "Srta",
    # written out, and in a letter's salutation in lowercase ("Gentile dottoressa Bianchi")
    "Dottoressa", "dottoressa", "Dottore", "dottore", "Signora", "signora", "Signor", "signor",
    "Señora", "señora", "Señor", "señor", "Meneer", "meneer", "Mevrouw", "mevrouw", "Dhr",
    "Mevr",
    # honorifics of Kenya, Nigeria and other English-speaking countries ("Hon Eric Otieno")
    "Hon", "Rev",
    # Russian, Ukrainian and Bulgarian ("Г-жа Явора Яркова", "пан Руслан Приходько", "Др.
    # Наню Занов"), Greek ("κ. Παπαδόπουλος") and Vietnamese ("Bà Hương Mai", "Ông Nam")
    "Г-н", "Г-жа", "Г-ца", "Гн", "Гжа", "Др", "Д-р", "Господин", "господин", "Госпожа",
    "госпожа", "Пан", "пан", "Пані", "пані", "Κος", "Κα", "Δρ", "Ông", "Bà",
)  # fmt: skip
_TITLE = rf"(?P<title>{'|'.join(_TITLES)})\.?"
# Who attended, in the languages of minutes besides English ("Teilnehmer:", "Presentes:",
# "Présents :", "Presenti:", "Närvarande:", "Aanwezig:", "Obecni:").
_ATTENDEES_ABROAD = (
    r"teilnehmer|teilnehmende|anwesend|anwesende|presentes|présents|presenti|partecipanti|"
    r"participantes|asistentes|närvarande|deltagare|aanwezig|aanwezigen|obecni"
)
# Header labels of e-mails, commits and tickets that a name follows ("Author: Ann Lee").
# Labels of people in HR, finance and meeting documents ("Employee: Ann Lee", "Approved by:
# Ann Lee"); labels a company or a machine follows as often ("Customer:", "Host:") are not.
_HEADERS = (
    r"(?:from|to|cc|bcc|reply-to|author|reviewed-by|signed-off-by|co-authored-by|acked-by|"
    r"reported-by|tested-by|assignee|reporter|owner|contact|name|employee|employee name|"
    r"manager|line manager|supervisor|approver|approved by|requester|requestor|"
    r"requested by|submitted by|prepared by|signed by|reviewer|reviewers|attendees|"
    r"participants|present|chair|presenter|interviewer|candidate|applicant|patient|tenant|"
    r"beneficiary|payee|account holder|cardholder|signatory|witness|contact person|caller|"
    # labels of a person on cards, claims and forms ("Name on card:", "Policyholder:")
    r"full name|legal name|name on card|name on the card|policyholder|policy holder|insured|"
    r"insured person|spouse|emergency contact|next of kin|guardian|"
    # the same labels in the other languages staff write minutes and letters in
    + _ATTENDEES_ABROAD
    + r"|kontoinhaber|kontoinhaberin|kontoinnehavare|titular|titulaire|intestatario|"
    r"rekeninghouder|odbiorca|ansprechpartner|ansprechpartnerin|référent|référente)"
)
#: Cues before which any capitalised word on no list is taken for a name ("Dear Pili,",
#: "Dr Okonkwo", "my colleague Lesley", "Me and Shivansh have").
# greetings and sign-offs ("Hi Anna,", "Thanks, Tom", "Kind regards,\nHonoré Bonnin")
_GREETINGS = (
    "dear", "hi", "hello", "hey", "hallo", "bonjour", "bonsoir", "salut", "ciao", "hola", "olá",
    "oi", "hej", "hoi", "beste", "good morning", "good afternoon", "good evening", "morning",
    "thanks", "thank you", "cheers", "regards", "best", "sincerely", "yours", "liebe", "lieber",
)  # fmt: skip
_GREETING = rf"(?i:\b(?:{'|'.join(_GREETINGS)}))[ \t]*[,!]?[ \t]*\n?[ \t]*{_NAME}"
# a welcome that names the place first ("Welcome to Acme Ltd, Joy!", "Welcome aboard, Ann.")
_WELCOME = (
    rf"(?i:\bwelcome)(?:[ \t]+(?i:to|aboard|back)\b[^\n!]{{0,60}})?,[ \t]*{_NAME}"
    rf"(?=[ \t]*[!.](?:\s|\Z))"
)
# greetings and sign-offs of the other languages staff write in, opening a line or a quote
# ("ahoj Kamilly,", "szia Aylla,", "Pozdrawiam\nCatherine Boulanger"; data/name_greetings.txt):
# the English model finds no one after them; "hea", "moi" and the like are words of prose
# too, so only where a greeting stands
_GREETINGS_ABROAD = tuple(
    sorted(
        load_terms("name_greetings.txt") - {g.replace(r"\ ", " ") for g in _GREETINGS},
        key=len,
        reverse=True,
    )
)
_GREETING_ABROAD = (
    rf"(?im:(?:^|[\"„“«][ \t]*)[ \t>]*(?:{'|'.join(re.escape(g) for g in _GREETINGS_ABROAD)}))"
    rf"(?!\w)(?P<gap>[ \t]*[,!]?[ \t]*\n?)[ \t]*{_NAME}"
)
# headers of e-mails, commits and tickets, also as an item of a list ("3. Contact: Ann Lee")
# a note in brackets may stand before the colon ("Full name (as on ID): ...")
_HEADER = (
    rf"(?im:^[ \t>]*(?:(?:\d{{1,2}}[.)]|[-*•])[ \t]+)?{_HEADERS}"
    rf"(?:[ \t]*\([^()\n]{{1,24}}\))?[ \t]*:)[ \t]*{_NAME}"
)
# the holder of an account named in a payment's details, anywhere in a line ("IBAN DE31 ...,
# Kontoinhaber María Pilar Cobo", "Titular de la cuenta: Saidani Salah", "au nom de Clàudia
# Company Lluch", "t.n.v. Amrouche Malik"): whom money goes to is a person or a company
_HOLDER_WORDS = (
    r"kontoinhaber(?:in)?", "kontoinnehavare", r"titular(?:[ \t]+de[ \t]+la[ \t]+cuenta)?",
    r"titulaire(?:[ \t]+du[ \t]+compte)?", "intestatari[oa]", "rekeninghouder", "odbiorca",
    r"t\.n\.v\.", r"au[ \t]+nom[ \t]+de",
)  # fmt: skip
# where a match of it starts, as lowered text holds it (the gate of the cue)
_HOLDER_STARTS = ("kontoinh", "kontoinn", "titula", "intestatari", "rekeninghouder", "odbiorca",
                  "t.n.v.", "au nom de")  # fmt: skip
_HOLDER = rf"(?i:\b(?:{'|'.join(_HOLDER_WORDS)}))[ \t]*:?[ \t]*{_NAME}"
# a title ("Dr Victoria Smith", "Mme Girard")
_TITLED = rf"\b{_TITLE}[ \t]+{_NAME}"
# "> Alex Davies wrote:", "agent: Anne-Laure Gros schreibt"
_WROTE_VERBS = ("wrote", "writes", "said", "schreibt", "a écrit")
_WROTE = rf"(?m:(?:^[ \t>]*|[:;][ \t]+)){_NAME}[ \t]+(?i:{'|'.join(_WROTE_VERBS)})\b"
# a name label inside a line ('the OCR says: "Name: Lise Uphuis / Email: ..."')
_LABEL = rf"(?i:\b(?:full[ \t]+)?name[ \t]*:)[ \t]*{_NAME}"
# the agent of a passive ("was disabled by Pleun last week")
_PASSIVE = rf"(?i:\b(?:was|were|been|is|are)[ \t]+\w+ed[ \t]+by)[ \t]+{_NAME}"
# "my name is Felicitas Stolze", "signed, Tom", a name field ("name": "Ann Lee")
_NAMED_WORDS = ("name is", "name's", "named", "called", "signed", "signed by")
_NAMED = rf"(?i:\b(?:{'|'.join(_NAMED_WORDS)}))[ \t]*,?[ \t]+{_NAME}"
_FIELD_KEYS = ("name", "full_?name", "display_?name", "author", "owner", "contact", "customer",
               "assignee")  # fmt: skip
# a quote may be escaped, in a JSON document written as a string ('\\"name\\":\\"Ann Lee\\"')
_QUOTE = r"\\?[\"']"
_FIELD = (
    rf"(?i:{_QUOTE}?\b(?:{'|'.join(_FIELD_KEYS)}){_QUOTE}?[ \t]*[:=][ \t]*{_QUOTE})[ \t]*{_NAME}"
)
# the sender or holder of a message or an account ('{"from":"Ganna Chubai","text":...}',
# '"holder": "Ann Lee"'): a place's name is as often the value of "from"
_SENDER_KEYS = ("from", "sender", "recipient", "holder", "account_?holder")
_SENDER_FIELD = (
    rf"(?i:{_QUOTE}\b(?:{'|'.join(_SENDER_KEYS)}){_QUOTE}[ \t]*:[ \t]*{_QUOTE})[ \t]*{_NAME}"
    rf"(?={_QUOTE})"
)
# a role or relation ("my colleague Alain", "the caller, Semra Staude,")
_ROLES = (
    "colleague", "landlord", "landlady", "customer", "caller", "client", "user", "manager",
    "boss", "friend", "wife", "husband", "partner", "son", "daughter", "mother", "father",
    "brother", "sister", "neighbou?r", "tenant", "employee", "contractor", "candidate",
    "patient", "agent", "assignee", "reporter", "author", "reviewer", "teammate", "intern",
    "lead", "cto", "ceo", "owner", "holder", "new hire",
)  # fmt: skip
_ROLE = rf"(?i:\b(?:{'|'.join(_ROLES)}))[ \t]*,?[ \t]+{_NAME}"
# what someone sent or wrote ("PR comment from Eugen:", "a message from Pili", "Review
# comment by Рафаил Бранков on PR #90")
_SENT = (
    "comment", "message", "note", "reply", "e-mail", "email", "mail", "feedback", "call",
    "text", "letter",
)  # fmt: skip
_SENT_FROM = rf"(?i:\b(?:{'|'.join(_SENT)})[ \t]+(?:from|by))[ \t]+{_NAME}"
# a request to reach someone ("ping Lara about", "cc Pleun,", "adding Ivo to the thread",
# "contact Ann Lee at ann@...")
_REQUESTS = (
    "ask", "asking", "ping", "tell", "telling", "email", "e-mail", "message", "call", "phone",
    "thank", "cc", "contact", "invite", "remind", "add", "adding", r"loop[ \t]+in",
    r"looping[ \t]+in", r"looped[ \t]+in",
)  # fmt: skip
_REQUEST = (
    rf"(?:(?i:\b(?:{'|'.join(_REQUESTS)}))|(?<![\w+])\+)[ \t]*{_NAME}[ \t]*"
    rf"(?=[,:;.!?)]|[ \t]*$|[ \t]+(?i:about|to|that|if|whether|for|at)\b)"
)
# someone who acts ("Marine said", "me and Shivansh have", "the technician Jagdish arrived")
_PRONOUNS = ("me", "i", "you", "he", "she", "we", "they")
_TRADES = (
    "technician", "engineer", "developer", "designer", "consultant", "recruiter", "coworker",
    "co-worker", "nurse", "doctor", "teacher", "student",
)  # fmt: skip
_TRADE = "|".join(rf"\b{trade}" for trade in _TRADES)
_ACTOR = (
    rf"(?i:\b(?:{'|'.join(_PRONOUNS)})[ \t]+(?:and|&)|{_TRADE})[ \t]+{_NAME}"
    r"(?=[ \t]+[a-z]|[ \t]*(?:[,.;!?)]|\n|\Z))"  # "... old one deleted. engineer Maria"
)
_SAYS_VERBS = (
    "said", "says", "asked", "wrote", "writes", "replied", "mentioned", "confirmed", "reported",
    "phoned", "called", "emailed", "arrived", "told", "thinks", "will present", "is out",
    "is on leave", "has left", "joined",
    # a review's author ("Марек left a comment", "Λάσκαρης commented:")
    "commented", "left a comment",
)  # fmt: skip
_SAYS = rf"(?m:(?:^|[.!?:][ \t]+|\bthat[ \t]+)){_NAME}[ \t]+(?:{'|'.join(_SAYS_VERBS)})\b"
# someone who introduces themselves in another language ("Hola, soy Franc,", "Ciao sono
# Igor,", "Salut c'est Miha,"), the name closed by punctuation
_INTRO_WORDS = (
    "soy", "sono", "c'est", "c’est", "aqui é", "aquí", "ich bin", "je suis", "jsem", "jestem",
    "ik ben", "eu sou",
)  # fmt: skip
_INTRODUCED = rf"(?i:\b(?:{'|'.join(_INTRO_WORDS)}))[ \t]+{_NAME}(?=[ \t]*[,.;!?])"
# someone whom people meet or take on ("we hired Guus Sliepen as", "I met Ana")
_TAKEN_ON = (
    "hired", "interviewed", "met", "introduced", "promoted", "onboarded", "welcomed",
    "congratulated",
)  # fmt: skip
_MET = rf"(?i:\b(?:{'|'.join(_TAKEN_ON)}))[ \t]+{_NAME}"
_STRONG_CUES: tuple[str, ...] = (
    _GREETING,
    _WELCOME,
    _GREETING_ABROAD,
    _TITLED,
    _HEADER,
    _WROTE,
    _LABEL,
    _PASSIVE,
    _NAMED,
    _FIELD,
    _ROLE,
    _SENT_FROM,
    _REQUEST,
    _ACTOR,
    _SAYS,
    _MET,
    _INTRODUCED,
    _HOLDER,
)
# An address in angle brackets after a name ("Ann Lee <ann@example.org>"), or after a
# comma or semicolon (a row of a list: "Ann Lee, ann@example.org"); capitals before the
# name ("9:14 AM Ann Lee <...>") are skipped, not taken for its first word.
_ADDRESS = r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
_ADDRESS_AFTER = (
    rf"[ \t]*\"?[ \t]*<{_ADDRESS}>"
    # in brackets, or after a dash or a line break of HTML ("Ann Lee (ann@...)", "**Ann
    # Lee** — ann@...", "<div>Ann Lee<br>ann@...")
    rf"|[ \t]*(?:\*\*)?(?:[ \t]+[—–-][ \t]+|<br[ \t]*/?>|[ \t]*\()[ \t]*{_ADDRESS}\b"
)
_CAPITALS_BEFORE = r"(?:\b[A-Z]{2,}[ \t]+)?"
#: Cues of a name before an address: a name of one word counts only if it is a known first
#: name, as after a weak cue, for one word before an address is as often a company's
#: ("Acme <sales@...>", "Acme Corp, sales@...").
# the name of a mailbox ("To: Ann Lee <ann@...>", "On Tue, 9:14 AM Ann Lee <...> wrote:")
_MAILBOX = rf"{_CAPITALS_BEFORE}\"?{_NAME}(?={_ADDRESS_AFTER})"
# a row of a list ("Ann Lee, ann@example.org")
_LIST_ROW = rf"{_CAPITALS_BEFORE}{_NAME}(?=[ \t]*[,;][ \t]*{_ADDRESS}\b)"
_ADDRESS_CUES = (
    _MAILBOX,
    _LIST_ROW,
)
# A mention in a chat or review ("@Priya Natarajan can you review", "thanks @Ann!"), not an
# address, a handle in code ("@Override", "@app.route") or a scoped package ("@Babel/core"):
# a word on no list counts only where a request or an address to the person follows.
_MENTION = rf"(?<![\w.@+/-])@{_NAME}(?![\w.@/-])"
_MENTION_CUES = (
    rf"{_MENTION}(?=[ \t]*[,:!?]|[ \t]+(?:can|could|would|will|please|pls|plz|thanks|"
    rf"thank|do|did|are|have|what|when|where|why|how|fyi|ptal|lgtm|any|mind|let|sorry|you|"
    rf"and|or)\b)",
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
# A line of a log, changelog or sign-off sheet that opens with a name and a date ("Yiming
# Jing 2024-03-14 approved", "- Ann Lee, 12 March 2024"); a name of one word counts only
# if it is a known first name, as before an address ("Release 2024-03-14" has none).
_DATED = (
    rf"(?m:^[ \t>*•|-]*){_NAME}(?=[ \t]*,?[ \t]+(?:\d{{4}}-\d\d-\d\d|\d{{1,2}}[./]\d{{1,2}}"
    rf"[./]\d{{2,4}}|\d{{1,2}}[ \t]+{_MONTH}[ \t]+\d{{4}}|"
    rf"{_MONTH}[ \t]+\d{{1,2}},?[ \t]+\d{{4}})\b)"
)
# a chat line's speaker before or after its time ("[10:42] Ann: can someone ...", "Ann
# 10:42: ok ta"): a place does not speak
_CHAT_LINE = rf"(?m:^[ \t]*\[[0-9:]+(?:[ \t]*[AaPp][Mm])?\][ \t]*){_NAME}(?=:[ \t]+\S)"
_CLOCK = r"\d{1,2}:\d\d(?::\d\d)?(?:[ \t]*[AaPp][Mm])?"
_TIMED_SPEAKER = rf"(?m:^[ \t]*){_NAME}(?=[ \t]+{_CLOCK}:[ \t]+\S)"
# a chat export's speaker after the message's date and time ("2024-05-16 17:02:51.507843
# Ann Lee: thanks!") or before the channel spoken in ("Ann in #payments: the key is ...")
_STAMPED_SPEAKER = (
    rf"(?m:^[ \t]*\[?\d{{4}}-\d\d-\d\d[ T]{_CLOCK}(?:[.,]\d+)?\]?[ \t]+){_NAME}"
    r"(?=:[ \t]+\S)"
)
_CHANNEL_SPEAKER = rf"(?m:^[ \t>]*){_NAME}(?=[ \t]+in[ \t]+#[\w-]+:)"
# whose a thing is ("the account is in Luisa's name", "2FA on Cécile's phone"): things
# of a person, which software and places have not
_BELONGINGS = (
    "name", "phone", "mobile", "desk", "laptop", "account", "login", "email", "e-mail",
    "password", "behalf", "birthday", "leave", "wife", "husband", "mother", "father", "son",
    "daughter",
)  # fmt: skip
_OWNER = rf"\b{_NAME}(?=['’]s[ \t]+(?:{'|'.join(_BELONGINGS)})\b)"
_STRONG_CUES += (
    _OWNER,
    *_ADDRESS_CUES,
    *_MENTION_CUES,
    _CHAT_LINE,
    _TIMED_SPEAKER,
    _DATED,
    _SENDER_FIELD,
    _STAMPED_SPEAKER,
    _CHANNEL_SPEAKER,
)
# someone who acts, after a preposition ("a call back by Emilie", "from Eugen:"): also
# said of software ("migrate to Detekt."), so only for a known first name
_PREPOSITIONS = ("by", "with", "from", "for", "to", "and", "or", "said", "says")
_AFTER_PREPOSITION = (
    rf"(?i:\b(?:{'|'.join(_PREPOSITIONS)}))[ \t]+{_NAME}[ \t]*(?=[,:;.!?)]|"
    rf"[ \t]+(?i:from|at|about|said|says|wrote|is|was|has|had|will|can|keeps|cannot|"
    rf"reports|asked|phoned|called|and|before|after|arrived)\b|[ \t]+on[ \t]+\d|"
    rf"[ \t]*(?:\n|\Z))"  # "approved by Ann Lee on 2024-05-01", a line's last words
)
# someone after a preposition of another language ("A reunião com Adrian Aichner foi
# adiada", "Termin mit Jana Berger"): a known first name, as after an English one; run
# only on texts holding one of them (a pass over 1 KB costs ~70 us)
_FOREIGN_WORDS = (
    "com", "mit", "met", "avec", "con", "para", "pour", "für", "voor", "par", "por", "durch",
    "door", "chez", "bei", "bij", "entre", "sobre", "über", "naar", "à",
    # Scandinavian and Slavic "with" ("med Lars", "z Mojco Novak", "s Petrom")
    "med", "z", "ze", "s",
)  # fmt: skip
_FOREIGN_PREPOSITION = rf"\b(?:{'|'.join(_FOREIGN_WORDS)})[ \t]+{_NAME}"
# Verbs of which a person or software, not a place, is the subject ("Martin raised the
# issue", "Sonar raised a warning"), and verbs of people only ("Varun presented the numbers").
_NO_PLACE_VERBS = r"raised|reviewed|approved|noted|pointed|flagged"
_HUMAN_VERBS = (
    r"presented|proposed|suggested|volunteered|agreed|promised|explained|thinks|wants|"
    r"asked|replied|mentioned|offered|apologi[sz]ed"
)
# the subject of a sentence, list item or action item ("- Ann Lee will follow up",
# "Bruno presented the numbers; Chris raised ..."): a product acts too ("Kafka will
# retry"), so only for a known first name, unless a verb of people follows (the group
# "human": then a word on no list or a surname too); a place too ("Berlin has banned"),
# unless a verb of no place follows (the groups "human" and "acts"); a clause after a
# comma or a dash has one too ("the key expired, Gloria is generating a new one", "... - Irpa
# said the developers need it")
_SUBJECT = (
    rf"(?m:(?:^[ \t>]*(?:[-*•][ \t]+)?|[.!?;:,][ \t]+|[ \t][–—][ \t]+)){_NAME}(?=[ \t]+"
    rf"(?:(?P<human>{_HUMAN_VERBS})\b|(?P<acts>{_NO_PLACE_VERBS})\b|(?:will|would|can|could|"
    rf"should|must|to|has|had|is|was|owns|leads|said|set|[a-z]+ed)[ \t]+[a-z]))"
)
# Labels of the fields of a form or a call's notes that are also given names ("Reason:",
# "ANI:", "Callback:"): a field's label there, no speaker.
_FORM_LABELS = (
    r"reason|ani|dnis|dob|callback|ref|reference|notes?|comments?|category|type|result|"
    r"outcome|action|resolution|issue|summary|amount|total|balance|due|memo|remarks?|gender|"
    r"nationality|occupation|plan|policy|claim|source|purpose|channel|queue|disposition|"
    r"rate|grade|level|terms?|code"
)
# a chat line's speaker ("Ann: ok") or an action item's owner ("* Ann: book the room");
# "Note:", "Redis:", "Author:" are no first name
_SPEAKER = (
    rf"(?m:^[ \t]*(?:[-*•][ \t]+)?)"
    rf"(?!(?i:{_HEADERS}|date|subject|status|priority|manager|employee|{_FORM_LABELS})\b)"
    rf"{_NAME}(?=:[ \t]+\S)"
)
# a chat copied from a client that puts the speaker and the time on a line of their own,
# the message under them ("Ann 10:42\nok ta"); a heading or a log's line may open so too
# ("Backup 02:00"), so only a known first name
_CLOCKED_SPEAKER = rf"(?m:^[ \t]*){_NAME}(?=[ \t]+{_CLOCK}[ \t]*\n[ \t]*\S)"
# a note of a call or a log of the day that opens with its time ("19:31 - Ann from the
# agency phoned")
_TIMED = rf"(?m:^[ \t]*{_CLOCK}[ \t]*[–—-][ \t]*){_NAME}"
# the title of a note about someone ("Handover notes - Ann (leaving ...)", "Leaving notes,
# Ann Lee", "Onboarding checklist for Ann Lee")
_NOTES_TITLE = (
    rf"(?im:^[ \t]*(?:[a-z-]+[ \t]+)?(?:notes|checklist)(?:[ \t]+(?:for|of))?[ \t]*[,–—:-]?"
    rf"[ \t]+){_NAME}"
)
# a letter or message that opens with whom it is for ("Nuru, the SAS link for ...")
_VOCATIVE = rf"(?:\A|\n[ \t]*\n)[ \t]*{_NAME}(?=,[ \t]*(?:\n|[a-z]))"
# someone from a department ("Escalation: Gulab from finance can't log in")
_DEPARTMENTS = (
    "finance", "accounting", "accounts", "hr", "legal", "sales", "support",
    "marketing", "ops", "operations", "security", "procurement", "payroll", "engineering",
    "billing", "compliance", "facilities", "reception", "agency",
)  # fmt: skip
# ("from it" is no department, "from IT" is)
_FROM_DEPARTMENT = (
    rf"\b{_NAME}(?=[ \t]+from[ \t]+(?:the[ \t]+)?"
    rf"(?:(?i:{'|'.join(_DEPARTMENTS)})|IT)\b)"
)
# a signature: a name alone on the last line, after a blank line ("...\n\nAnn")
_SIGNATURE = rf"(?:\A|\n[ \t]*\n)[ \t]*{_NAME}(?=[ \t]*(?:\([^()\n]{{1,24}}\))?[ \t]*\n?\Z)"
# a sign-off after a dash that ends a message or a review comment ("... revert please —
# Ann Lee", "... gracias. - 김수빈"; a hyphen only after a sentence): a product or a term
# ends a sentence so too ("see the docs - Redis"), so only a known first name
_DASH_SIGNED = rf"(?m:[.!?)][ \t]+[–—-]|[ \t][–—]|^[ \t]*[–—-])[ \t]*{_NAME}(?=[ \t]*$)"
_WEAK_CUES = (
    _AFTER_PREPOSITION,
    _FOREIGN_PREPOSITION,
    _SUBJECT,
    _SPEAKER,
    _CLOCKED_SPEAKER,
    _TIMED,
    _NOTES_TITLE,
    _SIGNATURE,
    _DASH_SIGNED,
    # a mention anywhere else ("@Eric see above"): a known first name
    _MENTION,
    _VOCATIVE,
    _FROM_DEPARTMENT,
)
_CUES = (*_STRONG_CUES, *_WEAK_CUES)


def _with_stand_ins(pattern: str) -> str:
    """``pattern`` reading the ideographs and kana of a text as :func:`_as_read` writes them.
    Python's re compiles a class of letters beyond U+00FF one character at a time into a
    map of 65,536: the ideographs' class, three times in a name word and six in each of 38
    cues, cost ~0.45 s of CPU to import; a class of the two stand-ins costs nothing."""
    return pattern.replace(f"[{_IDEOGRAPHS}]", f"[{_LETTER_STAND_IN}{_MARK_STAND_IN}]").replace(
        f"[{_HANGUL}]", f"[{_SYLLABLE_STAND_IN}]"
    )


_CUE_PATTERNS = tuple(re.compile(_with_stand_ins(cue)) for cue in _CUES)


@functools.cache
def _stand_ins() -> dict[int, str]:
    """The translation of every ideograph, kana and Hangul syllable to its stand-in (built on
    first use)."""
    return {
        **{
            code: _LETTER_STAND_IN if chr(code).isalnum() else _MARK_STAND_IN
            for low, high in ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF))
            for code in range(low, high + 1)
        },
        **dict.fromkeys(range(0xAC00, 0xD7A4), _SYLLABLE_STAND_IN),
    }


def _as_read(text: str) -> str:
    """``text`` as the cues' patterns read it: each ideograph or kana replaced by its
    stand-in, every other character and every offset kept. The patterns hold no ideograph
    of their own, and no ideograph is a digit, a blank or a cased letter: they match the
    same spans as patterns with the ideographs' class do in ``text``."""
    if text.isascii() or _IDEOGRAPH.search(text) is None:
        return text
    return text.translate(_stand_ins())


class _Gate(NamedTuple):
    """What a text must hold for a cue to match in it: one of ``words``, looked for in the
    text lowered (as written if ``cased``), and ``also``. With ``starts``, every match of
    the cue starts where one of them does, and its pattern is tried there only. Finding
    words with ``str.find`` is cheaper than running a pattern that may start at every
    word; a cue that starts at a line's start or after a stop runs ungated (trying it
    only there cost more than it saved, h61)."""

    words: tuple[str, ...]
    cased: bool = False
    starts: bool = False
    also: str = ""  # what the text must hold besides, as written


def _prefixes(alternatives: Sequence[str]) -> tuple[str, ...]:
    """The literal starts of a pattern's alternatives, none starting with another
    ("neighbou?r" -> "neighbo", r"loop[ \t]+in" -> "loop"; "signed by" goes with "signed")."""
    starts = set()
    for alternative in alternatives:
        literal = re.split(r"[\\\[\](){}?*+.|^$]", alternative, maxsplit=1)[0]
        if alternative[len(literal) : len(literal) + 1] in ("?", "*", "{"):
            literal = literal[:-1]  # the last letter is optional
        starts.add(literal)
    ordered = sorted(starts, key=len)
    return tuple(w for i, w in enumerate(ordered) if not any(w.startswith(v) for v in ordered[:i]))


_GATES: dict[str, _Gate] = {
    _GREETING: _Gate(_prefixes(_GREETINGS), starts=True),
    _WELCOME: _Gate(("welcome",), starts=True),
    _GREETING_ABROAD: _Gate(_GREETINGS_ABROAD),
    _TITLED: _Gate(_prefixes(_TITLES), cased=True, starts=True),
    _HEADER: _Gate((":",), cased=True),
    _WROTE: _Gate(_prefixes(_WROTE_VERBS)),
    _LABEL: _Gate(("full", "name"), starts=True),
    _PASSIVE: _Gate(("by",)),
    _NAMED: _Gate(_prefixes(_NAMED_WORDS), starts=True),
    _FIELD: _Gate(_prefixes(_FIELD_KEYS)),
    _ROLE: _Gate(_prefixes(_ROLES), starts=True),
    _SENT_FROM: _Gate(_prefixes(_SENT), starts=True),
    _REQUEST: _Gate((*_prefixes(_REQUESTS), "+"), starts=True),
    _SAYS: _Gate(_prefixes(_SAYS_VERBS), cased=True),
    _MET: _Gate(_prefixes(_TAKEN_ON), starts=True),
    _INTRODUCED: _Gate(_prefixes(_INTRO_WORDS), starts=True),
    _HOLDER: _Gate(_HOLDER_STARTS, starts=True),
    _ACTOR: _Gate((*(p + s for p in _PRONOUNS for s in " \t"), *_TRADES), starts=True),
    _MAILBOX: _Gate(("@",), cased=True),
    **{cue: _Gate(("@",), cased=True) for cue in (_LIST_ROW, *_MENTION_CUES, _MENTION)},
    _AFTER_PREPOSITION: _Gate(tuple(p + s for p in _PREPOSITIONS for s in " \t"), starts=True),
    _FOREIGN_PREPOSITION: _Gate(tuple(f" {word} " for word in _FOREIGN_WORDS), cased=True),
    _SPEAKER: _Gate((":",), cased=True),
    _TIMED: _Gate((":",), cased=True),
    _CLOCKED_SPEAKER: _Gate((":",), cased=True),
    _DASH_SIGNED: _Gate(("-", "–", "—"), cased=True),
    _OWNER: _Gate(("'s", "’s")),
    _NOTES_TITLE: _Gate(("notes", "checklist")),
    _CHAT_LINE: _Gate(("[",), cased=True),
    _TIMED_SPEAKER: _Gate((":",), cased=True),
    _SENDER_FIELD: _Gate(_prefixes(_SENDER_KEYS)),
    _STAMPED_SPEAKER: _Gate((":",), cased=True),
    _CHANNEL_SPEAKER: _Gate(("in #",)),
    _FROM_DEPARTMENT: _Gate((" from ",)),
}
_CUE_GATES = tuple(_GATES.get(cue) for cue in _CUES)
# Letters that a case-insensitive pattern matches to an ASCII letter that str.lower() does
# not make of them (the long s is "s" to "(?i:s)"; dotted and dotless i, the Kelvin sign):
# in a text holding one, cues run ungated.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")
# Cues after which a name of one word counts only if it is a known first name.
_FIRST_NAME_ALONE = frozenset(
    index for index, cue in enumerate(_CUES) if cue in (*_ADDRESS_CUES, _DATED)
)
# Cues after which a place stands as often as a person ("Hello Berlin!", "To: Jordan",
# "from Jordan", "Paris has banned", "Berlin: 3 offices"): a name of one word that is also
# a place counts there only after a verb of a person ("Martin raised the issue").
_PLACE_AS_OFTEN = frozenset(
    index
    for index, cue in enumerate(_CUES)
    if cue
    in (
        _GREETING,
        _GREETING_ABROAD,
        _HEADER,
        *_ADDRESS_CUES,
        _AFTER_PREPOSITION,
        _FOREIGN_PREPOSITION,
        _SUBJECT,
        _SPEAKER,
        _CLOCKED_SPEAKER,  # a world clock: "London 09:00"
        _SENDER_FIELD,
        _VOCATIVE,
    )
)
# One item of a list of names, and what separates two items ("A, B and C").
_ITEM = re.compile(_with_stand_ins(rf"{_NAME_WORD}{_MORE}{{0,3}}"))
_POSTCODE_AFTER = re.compile(r"[ \t]*\d")
# A header whose value is a list of people, right before the list ("Attendees: A, B").
_PEOPLE_HEADER = re.compile(
    r"(?im:^[ \t>]*(?:attendees|participants|present|reviewers|invitees|absent|apologies|"
    rf"cc|to|{_ATTENDEES_ABROAD})[ \t]*:[ \t]*)\Z"
)
_SEPARATOR = re.compile(r"[ \t]*[,;][ \t]*(?:and[ \t]+)?|[ \t]+(?:and|&)[ \t]+")


def _words(match: re.Match[str], text: str) -> Iterator[tuple[int, int, str]]:
    for word in re.finditer(r"\S+", text[match.start("name") : match.end("name")]):
        yield match.start("name") + word.start(), match.start("name") + word.end(), word.group()


def cued_names(text: str, lexicon: Lexicon, taken: Sequence[Finding] = ()) -> list[Finding]:
    """PERSON findings for names after a cue in ``text`` that overlap none of ``taken``, or
    that hold PERSONs of ``taken`` cut short ("Dear Alejandro Colomar," where the model
    found "Colomar"): :func:`widened` puts them in those PERSONs' place."""
    found: list[Finding] = []
    for index, match in _cue_matches(text, len(_CUES)):
        finding = _judge_cue(match, text, lexicon, index)
        if finding is not None and (
            _free(finding, [*taken, *found]) or _widens(finding, taken, found, match)
        ):
            found.append(finding)
    for finding in lower_case_names(text, lexicon):
        if _free(finding, [*taken, *found]):
            found.append(finding)
    for finding in standing_chinese_names(text, lexicon):
        if _free(finding, found) and all(
            _free(finding, [f]) or _holds_no_other_name(f, finding, text, lexicon) for f in taken
        ):
            found.append(finding)  # in the place of the model's span it is in (widened)
    people = [f for f in [*taken, *found] if f.entity_type == "PERSON"]
    for item in listed_names(text, lexicon, people) if people else ():
        if _free(item, [*taken, *found]):
            found.append(item)
    return surnames_first(text, lexicon, taken, found) if "," in text else found


# A surname written before the first name and a comma ("Name, Vorname: Saidov, Amir",
# "Attendees: Nkrumah, Katy; ...", "Zahlungserinnerung an Akmalov, Aziza", "Nom, prénom :
# Dubois, Claire"), right before a PERSON: the word and its comma, at the end of the text
# before the PERSON. The surname opens a line, a field or a clause, or follows a short word
# in lower case: no capitalised word before it ("Pilar Alemany Huerta, Lidia Karge" lists two).
_SURNAME_BEFORE = re.compile(
    r"(?:^|(?<=[:;(\"'„“])|(?<=[:;(\"'„“][ \t])"
    r"|(?<=\b[^\W\d_A-ZÀ-Þ]{2}[ \t])|(?<=\b[^\W\d_A-ZÀ-Þ]{3}[ \t]))"  # "an X, Y", "für X, Y"
    rf"[ \t]*(?P<surname>{_CASED_WORD}(?:[-'’][^\W\d_]+)*),[ \t]+\Z",
    re.MULTILINE,
)
_LOOK_BACK = 40


def surnames_first(
    text: str, lexicon: Lexicon, taken: Sequence[Finding], found: Sequence[Finding]
) -> list[Finding]:
    """``found`` with a PERSON for each name of the model or a cue (a PERSON, or a place
    or group the small model took it for: "Kubheka, Zakhele" as a GPE) that is a known first
    name and follows a surname and a comma (:data:`_SURNAME_BEFORE`), widened to hold the
    surname: a word that is a surname or on no list, and no first name, dictionary word,
    technology, place or street word ("Thanks, Anna", "Berlin, Anna", "Kafka, Anna" and
    "Anna, Maria" stay as they were). Cued names inside it are dropped; :func:`widened`
    drops the model's."""
    out = list(found)
    for name in [f for f in [*taken, *found] if f.entity_type in _MODEL_TYPES]:
        given = text[name.start : name.end]
        if " " in given or given.lower() not in lexicon.first_names:
            continue  # "Carthage, Ada Lovelace" lists things: a surname first has one name after
        match = _SURNAME_BEFORE.search(text, max(0, name.start - _LOOK_BACK), name.start)
        if match is None or not _surname_alone(match.group("surname"), lexicon):
            continue
        wide = Finding("PERSON", match.start("surname"), name.end, CUED_SCORE, "presidio")
        if not all(_free(wide, [f]) or f.entity_type in _MODEL_TYPES for f in taken):
            continue  # an e-mail address, a phone number
        if any(not _free(wide, [f]) and not wide.start <= f.start < f.end <= wide.end for f in out):
            continue  # a cued name across its edge
        out = [f for f in out if _free(wide, [f])] + [wide]
    return out


def _surname_alone(word: str, lexicon: Lexicon) -> bool:
    lowered = word.lower()
    if lowered in STOP_WORDS_NO_NAMES or lowered in _NOT_SURNAMES or len(lowered) < 2:
        return False
    if _known_word(lowered, lexicon) or lowered in lexicon.english_names:
        return False
    if lowered in lexicon.places or lowered in lexicon.streets:
        return False
    return lowered in lexicon.surnames or lexicon.unknown(lowered)


def _cue_matches(text: str, count: int) -> Iterator[tuple[int, re.Match[str]]]:
    """The matches of the first ``count`` cue patterns in ``text``, with their index: those
    of ``pattern.finditer(text)``, found where each cue's :class:`_Gate` lets it match, in
    ``text`` as the patterns read it (:func:`_as_read`: the same offsets, other letters)."""
    text = _as_read(text)
    lowered: str | None = text.lower()
    if not text.isascii() and any(letter in text for letter in _FOLDS_TO_ASCII):
        lowered = None  # "\u0130".lower() is two characters long, too
    for index, pattern in enumerate(_CUE_PATTERNS[:count]):
        gate = _CUE_GATES[index]
        where = None if gate is None else text if gate.cased else lowered
        if gate is None or where is None:
            matches: Iterator[re.Match[str]] = pattern.finditer(text)
        elif gate.also not in text or not any(word in where for word in gate.words):
            continue
        elif gate.starts:
            matches = _matches_at(pattern, text, _occurrences(where, gate.words))
        else:
            matches = pattern.finditer(text)
        for match in matches:
            yield index, match


def _occurrences(text: str, words: Sequence[str]) -> list[int]:
    """Where any of ``words`` starts in ``text``, in order."""
    found: set[int] = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            found.add(at)
            at = text.find(word, at + 1)
    return sorted(found)


def _matches_at(
    pattern: re.Pattern[str], text: str, starts: Sequence[int]
) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields if no match of it starts elsewhere than at
    ``starts``: the first match at each start past the end of the previous one."""
    end = 0
    for start in starts:
        if start >= end and (match := pattern.match(text, start)) is not None:
            end = match.end()
            yield match


def _judge_cue(match: re.Match[str], text: str, lexicon: Lexicon, index: int) -> Finding | None:
    """The PERSON the match of cue ``index`` names (:func:`_judge`); after a cue of an
    address, before a date or after a sign-off of another language, one word only if it is
    a known first name."""
    groups = match.re.groupindex
    human = "human" in groups and match.group("human") is not None
    acts = human or ("acts" in groups and match.group("acts") is not None)
    place = index in _PLACE_AS_OFTEN and not acts
    strong = index < len(_STRONG_CUES) or human
    if "gap" in groups and not text[match.start("name")].isupper():
        # a greeting of a script without capitals greets words of its prose as often as a
        # name ("שלום לכולם", hello everyone): only a known name counts after it
        strong = False
    finding = _judge(match, text, lexicon, strong=strong, place=place)
    # after a sign-off of another language a word of its prose signs as often as a name
    # ("Cordiali saluti, Amministrazione"); after a greeting glued to it, a name ("szia Aylla")
    signed = "gap" in groups and any(sign in match.group("gap") for sign in ",!\n")
    if (
        finding is None
        or (index not in _FIRST_NAME_ALONE and not signed)
        or " " in text[finding.start : finding.end]
    ):
        return finding
    return _judge(match, text, lexicon, strong=False, place=place)


# A name typed in lower case ("name: akanmu iyanda", "hey zakhele sangwani, quick q", "hi its
# joshua nyaako, my email ...", "spoke w/ adekunle adebisi re: ..."): after a name label, a
# greeting (with "it's" / "this is" after it) or "spoke with", two or three lower-case words
# that end the line or a clause; :func:`lower_case_names` judges the words.
_LOWER_WORD = r"[a-z][a-z'’-]*[a-z]"
_LOWER_CUE = re.compile(
    r"(?:(?<![\w-])(?i:(?:full[ \t]+)?name|contact|cardholder|payee|insured)[ \t]*:"
    r"|(?<![\w-])(?:dear|hi|hey|hello)[ \t]*,?(?:[ \t]+(?:it'?s|it’s|this[ \t]+is))?"
    r"|(?<![\w-])(?:spoke|talked|spoken)[ \t]+(?:w/|with|to))"
    rf"[ \t]+(?P<name>{_LOWER_WORD}(?:[ \t]+{_LOWER_WORD}){{1,2}})"
    r"(?=[ \t]*(?:[,.;!?)]|\n|\Z|[ \t]re:|[ \t]+-[ \t]))"
)


def lower_case_names(text: str, lexicon: Lexicon) -> list[Finding]:
    """PERSONs written in lower case after a name label, a greeting or "spoke with"
    (:data:`_LOWER_CUE`): two or three words, each a first name, or a surname or a word on
    no list that is no English word, technology, place or stop word, and not all of them
    words of the dictionary, names among them ("hey young king," names no one)."""
    lowered = text.lower()
    if not any(cue in lowered for cue in _LOWER_CUE_WORDS):
        return []
    found: list[Finding] = []
    for match in _LOWER_CUE.finditer(text):
        parts = [p for w in match.group("name").split() for p in re.split(r"[-'’]", w) if p]
        if all(_lower_name_part(part, lexicon) for part in parts) and not all(
            _known_word(part, lexicon) or part in lexicon.english_names for part in parts
        ):
            start, end = match.start("name"), match.end("name")
            found.append(Finding("PERSON", start, end, CUED_SCORE, "presidio"))
    return found


def standing_chinese_names(text: str, lexicon: Lexicon) -> list[Finding]:
    """PERSONs written in ideographs that stand alone in a text of another script ("Refund
    to 謝淑芬, account ...": :func:`detectors.chinese_names.chinese_names`)."""
    if _CHINESE.search(text) is None:
        return []
    return [
        Finding("PERSON", start, end, CUED_SCORE, "presidio")
        for start, end in chinese_names(text, lexicon)
    ]


def _holds_no_other_name(span: Finding, name: Finding, text: str, lexicon: Lexicon) -> bool:
    """Whether ``span`` is a name or place of the model with no capitalised first name
    outside ``name`` ("Graag de gegevens van 吳淑娟" holds only the Chinese name; "Leonie
    Jäntsch, 簡進發" holds another)."""
    rest = f"{text[span.start : name.start]} {text[name.end : span.end]}"
    return span.entity_type in _MODEL_TYPES and not any(
        word[0].isupper() and word.lower() in lexicon.first_names
        for word in re.findall(r"[^\W\d_]+", rest)
    )


_LOWER_CUE_WORDS = ("name", "contact", "cardholder", "payee", "insured", "hi", "hey", "dear",
                    "hello", "spoke", "talked", "spoken")  # fmt: skip


def _lower_name_part(part: str, lexicon: Lexicon) -> bool:
    if len(part) < 2 or part in STOP_WORDS_NO_NAMES or part in _NOT_SURNAMES:
        return False
    if part in lexicon.first_names:
        return True
    return (lexicon.is_name(part) or lexicon.unknown(part)) and not _known_word(part, lexicon)


def _free(finding: Finding, spans: Sequence[Finding]) -> bool:
    return all(finding.end <= f.start or finding.start >= f.end for f in spans)


def _widens(
    finding: Finding,
    taken: Sequence[Finding],
    found: Sequence[Finding],
    match: re.Match[str] | None,
) -> bool:
    """Whether ``finding`` overlaps no other cued name and only names or places of the
    model in ``taken`` that lie inside it and are shorter ("Michel Le" + "Bihan" in
    "Michel Le Bihan, michel@..."), or that end inside it and hold words of the cue, a
    title or a role ("Herr Agustín" of "Herr Agustín Martín Domingo", "Customer Jens
    Thoms Toerring"); a place of the very span stays a place."""
    if not _free(finding, found):
        return False
    return all(
        f.entity_type in _MODEL_TYPES
        and f.end <= finding.end
        and (
            (match is not None and match.start() <= f.start < finding.start)
            or (finding.start <= f.start and f.end - f.start < finding.end - finding.start)
        )
        for f in taken
        if not _free(finding, [f])
    )


def widened(findings: Sequence[Finding], cued: Sequence[Finding]) -> list[Finding]:
    """``findings`` with the ``cued`` names of :func:`cued_names` added, each in the place
    of the names and places of the model it holds."""
    kept = [
        f for f in findings if f.entity_type not in _MODEL_TYPES or all(_free(f, [c]) for c in cued)
    ]
    return [*kept, *cued]


def listed_names(text: str, lexicon: Lexicon, people: Sequence[Finding]) -> list[Finding]:
    """The other items of a list of three or more names ("A, B, C and D"), or of two after
    a header of people ("Attendees: A, B"), in which one item is already a PERSON: items
    of capitalised words that are names or words on no list, no common word, technology or
    place ("Kafka, Redis and Ann Lee" names one)."""
    found: list[Finding] = []
    for run in _lists(text):
        fewest = 2 if _PEOPLE_HEADER.search(text, 0, run[0].start()) else 3
        if len(run) < fewest or not any(not _free(_as_person(item), people) for item in run):
            continue
        found += [
            _as_person(item)
            for item in run
            if _free(_as_person(item), people)
            and not _POSTCODE_AFTER.match(text, item.end())
            and _name_like(text[item.start() : item.end()].split(), lexicon)
        ]
    return found


def _lists(text: str) -> Iterator[list[re.Match[str]]]:
    """Runs of capitalised items that separators join, in order."""
    run: list[re.Match[str]] = []
    for item in _ITEM.finditer(_as_read(text)):
        if run and not _SEPARATOR.fullmatch(text, run[-1].end(), item.start()):
            yield run
            run = []
        run.append(item)
    if run:
        yield run


def _as_person(item: re.Match[str]) -> Finding:
    return Finding("PERSON", item.start(), item.end(), CUED_SCORE, "presidio")


def _name_like(words: Sequence[str], lexicon: Lexicon) -> bool:
    """Whether every word of a list item may be part of a name: a first name or surname,
    a particle, or a word on no list; and one word only if it is a first name."""
    if any(w.isupper() for w in words):
        return False  # "AL", "NY": a state's code in an address list
    lowered = [normalise(w) for w in words]
    parts = [p for w in lowered if not re.fullmatch(_PARTICLE, w) for p in w.split("-") if p]
    if not parts or (len(parts) == 1 and parts[0] not in lexicon.first_names):
        return False
    return all(lexicon.is_name(p) or lexicon.unknown(p) for p in parts)


def cue_starts(text: str, lexicon: Lexicon) -> frozenset[int]:
    """Where a name starts after a strong cue in ``text`` (a greeting, title, header, role,
    "X wrote") as :func:`cued_names` judges it: the NER filter does not take a word there
    for a compound or a product, nor a LOCATION there of words on no list for a place."""
    return frozenset(
        match.start("name")
        for index, match in _cue_matches(text, len(_STRONG_CUES))
        if _judge_cue(match, text, lexicon, index) is not None
    )


def _judge(
    match: re.Match[str], text: str, lexicon: Lexicon, *, strong: bool, place: bool = True
) -> Finding | None:
    """The PERSON a cue's match names, or None if its first word is no name: a known first
    name (after a title any known name), or after a ``strong`` cue a word on no list that
    is not written as a token ("owner: Zxcvbnm-Qwrtp", :func:`written_as_token`). A
    name of one word that is also a place counts only where the cue says a ``place`` is
    unlikely; followed by a dictionary word it is a place's ("Berlin Office")."""
    titled = "title" in match.re.groupindex and match.group("title") is not None
    words = list(_words(match, text))
    first = normalise(words[0][2])
    if not capital(words[0][2]) or first in STOP_WORDS_NO_NAMES or written_as_token(words[0][2]):
        return None
    # after a title a dictionary word is a surname too ("Mr. Archer", "Frau Koch")
    if _known_word(first, lexicon) and not (titled and first in lexicon.english):
        return None
    named = (
        all(part in lexicon.first_names for part in first.split("-"))
        or _family_first(words, lexicon)
        or korean_name(first, lexicon)
    )
    unknown = strong and all(
        (lexicon.unknown(part) or lexicon.is_name(part)) and part not in STOP_WORDS_NO_NAMES
        for part in first.split("-")
    )
    if not (named or unknown or (titled and not lexicon.is_tech(first))):
        return None
    capitals = words[0][2].isupper() and len(words[0][2]) > 1 and not named
    if capitals and not (strong and _in_capitals(words, lexicon)):
        return None  # "Hi ACME", "cc QA": an acronym
    placed = not titled and first in lexicon.places
    if placed and len(words) == 1 and place:
        return None  # "from Jordan": a country as often as a name
    end = words[0][1]
    for position, (_start, word_end, word) in enumerate(words[1:]):
        lowered = normalise(word)
        if re.fullmatch(_PARTICLE, lowered):
            continue
        if not capital(word) or written_as_token(word):
            break
        if _known_word(lowered, lexicon) and not lexicon.is_name(lowered):
            if placed and position == 0 and place:
                return None  # "Berlin Office <berlin@...>": a place's phrase
            if not (position == 0 and named and surname_word(lowered, lexicon)):
                break
        end = word_end
    return Finding("PERSON", words[0][0], end, CUED_SCORE, "presidio")


# Korean family names (one syllable, a few two): Korean writes a full name as one word, the
# family name glued before the given name ("김민수"), from a closed set of some 280 names of
# which these cover nearly all people.
_KOREAN_FAMILY_NAMES = word_set("""
    김 이 박 최 정 강 조 윤 장 임 한 오 서 신 권 황 안 송 류 유 전 홍 고 문 양 손 배 백
    허 남 심 노 하 곽 성 차 주 우 구 민 진 지 엄 채 원 천 방 공 현 함 변 염 여 추 도 소
    석 선 설 마 길 연 위 표 명 기 반 왕 금 옥 육 인 맹 제 모 탁 국 어 은 편 용 예 경 봉
    사 부 가 복 태 목 형 피 두 감 음 빈 동 온 호 범 좌 팽 승 간 상 갈 단 견 당
    남궁 황보 제갈 선우 독고 사공 서문
""")


def _in_capitals(words: Sequence[tuple[int, int, str]], lexicon: Lexicon) -> bool:
    """Whether a name of words on no list opens with two written in capitals, as cards and
    forms print names ("Name on card: BILOL ALIYEV"), not an acronym ("cc QA TEAM", "Owner:
    AWS IAM"): each of three letters or more with a vowel, a name or a word on no list, no
    dictionary word or technology."""
    capitals = [word for _start, _end, word in words[:2] if word.isupper()]
    return len(capitals) == 2 and all(
        len(word) > 2
        and re.search(r"[AEIOUYÀ-ÖØ-Ý]", word) is not None
        and (lexicon.is_name(lowered) or lexicon.unknown(lowered))
        and not _known_word(lowered, lexicon)
        and not lexicon.is_tech(lowered)
        for word in capitals
        for lowered in (normalise(word),)
    )


def korean_name(word: str, lexicon: Lexicon) -> bool:
    """Whether a word of Hangul is a known given name, or a family name glued to one
    ("김민수", "남궁민수")."""
    if word in lexicon.first_names:
        return True
    return any(
        word[:size] in _KOREAN_FAMILY_NAMES and word[size:] in lexicon.first_names
        for size in (1, 2)
    )


def _family_first(words: Sequence[tuple[int, int, str]], lexicon: Lexicon) -> bool:
    """Whether a name in a script without capitals opens with a known surname that a known
    first name follows: Chinese and Japanese write the family name first ("吉田 翼")."""
    return (
        len(words) > 1
        and not words[0][2][0].isupper()
        and normalise(words[0][2]) in lexicon.surnames
        and normalise(words[1][2]) in lexicon.first_names
    )


def capital(word: str) -> bool:
    """Whether ``word`` opens as a name does: with a capital, or with a letter of a script
    that has none (Hebrew, Arabic, Chinese, Japanese, Korean, Thai, Georgian)."""
    return word[0].isupper() or (word[0].isalpha() and (not word[0].islower() or georgian(word[0])))


def surname_word(word: str, lexicon: Lexicon) -> bool:
    """Whether a dictionary word may be the surname after a known first name ("Andreas
    Boll", "Sebastian Pipping"): no technology, common word, verb or stop word."""
    return (
        word in lexicon.english
        and word not in lexicon.curated
        and word not in lexicon.tech
        and word not in lexicon.verbs
        and word not in STOP_WORDS_NO_NAMES
        and word not in _NOT_SURNAMES
    )


def _known_word(word: str, lexicon: Lexicon) -> bool:
    return word in lexicon.curated or word in lexicon.tech or word in lexicon.english
