"""E-mail addresses by where they stand: a remote login's ``user@host`` is not an e-mail, an
address in a CSV row right after a URL is one (issue 14, found on tuning4)."""

from __future__ import annotations

import pytest

from core.scanning import Finding
from detectors import entities as E
from detectors.pii import PresidioDetector
from detectors.pii_filters import remote_login
from detectors.registry import scan_all
from detectors.secrets import SecretsDetector


def _email_spans(findings: list[Finding]) -> set[tuple[int, int]]:
    return {(f.start, f.end) for f in findings if f.entity_type == E.EMAIL_ADDRESS}


LOGINS = [
    "ssh deploy@build.example.com",
    "ssh -i ~/.ssh/id_ed25519 -o IdentitiesOnly=yes deploy@build.example.com",
    "ssh -p 2222 ops@jump.example.io 'uptime'",
    "$ sftp backup@files.example.org",
    "mosh admin@bastion.example.net",
    "sshpass -p 'x' ssh deploy@build.example.com 'systemctl restart api'",
    "ssh-copy-id -i ~/.ssh/id.pub deploy@build.example.com",
    "run `ssh deploy@build.example.com` and restart the api",
    'ssh "deploy@build.example.com"',
    "git remote add origin deploy@git.example.com",
    "rsync -avz ./dist/ deploy@build.example.com",
    "ssh -oProxyJump=jump@bastion.example.com deploy@build.example.com",
    "I can't ssh to deploy@build.example.com since the key rotation",
    "sftp into backup@files.example.org and fetch last night's dump",
]


@pytest.mark.parametrize("text", LOGINS)
def test_remote_login_is_not_an_email(pii: PresidioDetector, text: str) -> None:
    """The ``user@host`` argument of ssh, sftp, mosh, rsync or git is no e-mail finding."""
    assert E.EMAIL_ADDRESS not in {f.entity_type for f in pii.find(text)}


# (text before, e-mail, text after): an address on a login's line that is not its argument.
EMAILS_NEAR_LOGINS = [
    ("$ ssh deploy@build.example.com # ask ", "ann@corp.com", " for access"),
    ("git config user.email ", "ann@corp.com", ""),
    ("git config --global user.email ", "ann@corp.com", " && ssh deploy@build.example.com"),
    ("I tried ssh but ", "ann@corp.com", " says the key is wrong"),
    ("Send the ssh key to ", "ann@corp.com", " please"),
    ("ssh deploy@build.example.com 'mail ", "ann@corp.com", " < report.txt'"),
    ("ssh deploy@build.example.com; mail ", "ann@corp.com", ""),
    ("Contact: mailto:", "jane.roe@example.org", ""),
    ("Forward the ssh logs to ", "ann@corp.com", " please"),
    ("ssh deploy@build.example.com --help; write to ", "ann@corp.com", ""),
]


@pytest.mark.parametrize(("before", "email", "after"), EMAILS_NEAR_LOGINS)
def test_email_on_a_login_line_is_found_exactly(
    pii: PresidioDetector, before: str, email: str, after: str
) -> None:
    """A real address in a comment, prose, config command or remote command is an e-mail."""
    text = before + email + after
    assert _email_spans(pii.find(text)) == {(len(before), len(before) + len(email))}


def test_remote_login_needs_an_argument_place() -> None:
    """Only an address that opens an argument after options and paths is a login."""
    assert remote_login("scp -P 22 dump.sql deploy@h.io", len("scp -P 22 dump.sql "))
    assert not remote_login("ssh-ing is fun, write ann@corp.io", len("ssh-ing is fun, write "))
    assert not remote_login("ssh x\nann@corp.io", len("ssh x\n"))  # another line


# (text before, e-mail, text after): an e-mail in a CSV row or list right after a URL.
EMAILS_AFTER_URLS = [
    ("Jira,https://jira.example.com,", "user@example.com", ",Pw!12345\n"),
    ("name,url,username\nJira,https://jira.example.com,", "user@example.com", ",\n"),
    ("https://wiki.example.com;", "ann@example.org", ";admin"),
    ('"https://jira.example.com","', "user@example.com", '"'),
    ("| https://jira.example.com|", "user@example.com", "|"),
]


@pytest.mark.parametrize(("before", "email", "after"), EMAILS_AFTER_URLS)
def test_email_after_a_url_in_a_row_is_found_exactly(
    pii: PresidioDetector,
    secrets_detector: SecretsDetector,
    before: str,
    email: str,
    after: str,
) -> None:
    """An address joined to a URL by a CSV or list separator is an e-mail with its own span."""
    text = before + email + after
    [findings] = scan_all([pii, secrets_detector], [text])
    assert _email_spans(findings) == {(len(before), len(before) + len(email))}


@pytest.mark.parametrize(
    "text",
    [
        "clone https://deploy-bot@gitlab.example.com/team/app.git first",
        "https://ann.lee@jira.example.com/browse/OPS-1",
        "https://alice:Summer2023@ftp.example.org/pub",
    ],
)
def test_url_userinfo_is_still_no_email(
    pii: PresidioDetector, secrets_detector: SecretsDetector, text: str
) -> None:
    """The userinfo of a URL stays a URL or credential matter, never an e-mail."""
    [findings] = scan_all([pii, secrets_detector], [text])
    assert E.EMAIL_ADDRESS not in {f.entity_type for f in findings}


@pytest.mark.parametrize(
    ("before", "email", "after"),
    [("|Jira|", "ann@corp.io", "|"), ("see `", "ann@corp.io", "`"), ("", "o'neil@corp.io", "")],
)
def test_email_in_a_table_cell_or_code_starts_after_the_delimiter(
    pii: PresidioDetector, before: str, email: str, after: str
) -> None:
    """A table's ``|`` or a code span's backtick is not part of the address's span."""
    text = before + email + after
    assert _email_spans(pii.find(text)) == {(len(before), len(before) + len(email))}
