"""Passwords where people type them: in prose, in shell commands, in auth headers.

Config entries, URLs and connection strings are parsed in :mod:`detectors.assigned_secrets`
and :mod:`detectors.connection_secrets`. This module loads the word lists and assembles the
rules for what people write and paste around them, from :mod:`detectors.password_prose`
and :mod:`detectors.password_commands` and :mod:`detectors.password_tables`:

* passwords told in other languages, from the label words of ``data/credential_labels.txt``
  (:mod:`detectors.labelled_credentials`: "das Passwort für den Drucker ist X", "hasło do
  wifi to X", "El PIN de la tarjeta es 4821");
* prose: "my password is X", "the password for the admin account was X", "the password
  was changed to X", "I changed my password to X", "the temporary password X expires",
  "use X as the password", "X is my password", "is X a good password?", "the wifi
  password? It's X", "login admin / X", "creds: deploy/X", "user admin, pass X" (also a
  ``.netrc`` line), "my PIN is 4821";
* command lines: ``--password X``, ``-storepass X``, ``docker login -p X``,
  ``mongosh -p X``, ``sqlcmd -P X``, ``ldapsearch -w X``, ``smbclient -U user%X``,
  ``htpasswd -b FILE user X``, ``rabbitmqctl add_user user X``, ``openssl -passin pass:X``,
  ``xfreerdp /p:X``, ``net user NAME X``, PowerShell ``ConvertTo-SecureString``, SQL
  ``IDENTIFIED BY``, ``lftp -u user,X``, ``sp_addlogin``, Redis ``AUTH X`` (``mysql -p``,
  ``redis-cli -a``, ``sshpass -p`` and ``curl -u`` are in :mod:`detectors.connection_secrets`);
* passwords passed by position: ``pymysql.connect("db", "app", "X")``, or a call of a
  function whose signature in the text names the parameter
  (:mod:`detectors.positional_passwords`);
* ``Authorization: Basic`` values whose base64 decodes to ``user:password``;
* ``.pgpass`` lines, ``host:port:database:user:password``; XML elements and attributes;
* tables: a column headed "password" (Markdown, ``psql`` output, CSV, TSV) and a Markdown
  row ``| password | X |``.

A value in prose must look like a password and not like a word of prose: a digit, a
symbol inside it, mixed case, three hyphenated words, or a word of seven letters or more
that is not one of the words that follow "password is" in prose
(``data/password_prose_words.txt``), an English word or a technology name, and does not
end like an English participle, adjective or adverb. Placeholders and templates
(``<password>``, ``$PW``, ``****``) stay quiet everywhere.

Every pattern starts at a literal keyword and its quantifiers are bounded, so matching is
linear in the text; a rule runs only when one of its trigger substrings occurs.
"""

from __future__ import annotations

import functools
from importlib import resources

from detectors.credential_labels import load_labels
from detectors.labelled_credentials import password_rules
from detectors.password_commands import command_rules
from detectors.password_prose import prose_rules
from detectors.password_tables import table_rules
from detectors.positional_passwords import positional_rules
from detectors.secret_rule import SecretRule


@functools.cache
def _word_list(name: str) -> frozenset[str]:
    # Shipped files that do not change while the process runs, read once per process: a
    # detector is built at every start, reload and worker start (187k lines, ~0.1-0.2 s).
    text = resources.files("detectors").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0] for line in text.splitlines())
    return frozenset(word.lower() for line in lines for word in line.split())


def load_prose_words() -> frozenset[str]:
    """The shipped list of words that follow "password is" (or a ``--password`` flag) in
    prose."""
    return _word_list("password_prose_words.txt")


def load_english_words() -> frozenset[str]:
    """The English word list of the NER lexicon (``english_words.txt``, Debian's
    ``wamerican``), or nothing where it is not installed: then prose is told from a
    password by the shipped list and the word endings alone."""
    english = resources.files("detectors").joinpath("data", "english_words.txt")
    return _word_list("english_words.txt") if english.is_file() else frozenset()


def load_tech_words() -> frozenset[str]:
    """The technology names of the NER lexicon (``tech_terms.txt`` kept by hand,
    ``tech_vocabulary.txt`` generated, where installed): "PW metadata", "is Keycloak a good
    password store" name no password."""
    data = resources.files("detectors").joinpath("data")
    names = ("tech_terms.txt", "tech_vocabulary.txt")
    return frozenset().union(*(_word_list(n) for n in names if data.joinpath(n).is_file()))


def build_phrase_rules(
    prose_words: frozenset[str],
    english_words: frozenset[str] = frozenset(),
    tech_words: frozenset[str] | None = None,
) -> tuple[SecretRule, ...]:
    """The rules of this module (see the module docstring): ``prose_words`` from
    :func:`load_prose_words`, ``english_words`` from :func:`load_english_words`,
    ``tech_words`` from :func:`load_tech_words` (the default). A value in prose must be
    neither an English word nor a technology name; one on a command line may be
    ("--password bluebird"), unless it is a word about the flag ("the --password flag")."""
    tech = load_tech_words() if tech_words is None else tech_words
    return (
        *prose_rules(prose_words | english_words | tech),
        *password_rules(load_labels(), prose_words | english_words | tech),
        *command_rules(prose_words),
        *positional_rules(prose_words),
        *table_rules(),
    )
