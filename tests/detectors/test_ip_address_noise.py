"""IP_ADDRESS on technical prose (issue 14): object identifiers, section numbers, build numbers
and addresses that name no host (bind, loopback, netmask) are no finding; hosts still are."""

from __future__ import annotations

import pytest

from detectors.pii import PresidioDetector
from detectors.pii_filters import names_no_host, not_an_address


def _addresses(pii: PresidioDetector, text: str) -> list[str]:
    return [text[f.start : f.end] for f in pii.find(text) if f.entity_type == "IP_ADDRESS"]


@pytest.mark.parametrize(
    "text",
    [
        "In RFC 5280, what is the OID 2.5.29.17 and how does it relate to 1.3.6.1.5.5.7.3.1?",
        "Is 1.3.6.1.4.1.311.21.7 a Microsoft-specific certificate template OID?",
        "Explain 1.3.6.1.2.1.1.3.0 (sysUpTime) from our SNMP walk.",
        "The client MUST NOT send a body, see Section 2.4.1.1 of this document.",
        "Summarise § 4.3.2.1 of the spec for the team.",
        "3.2.1.4 The Receiver shall acknowledge each Frame within the Timeout.",
        'Rewrite clearly: "3.2.1.4 The Receiver shall acknowledge each Frame."',
        "Date: Fri Nov 14 16:48:58 2003 +0000 XFree86 4.3.0.1 commit 2f9dac1",
        "* doc/Doxyfile.in: Upgrade to doxygen 1.8.1.2 format.",
        "The container listens on 0.0.0.0:8080 and the probe hits /healthz.",
        'kubectl says "dial tcp 127.0.0.1:6443: connect: connection refused".',
        "access-list 10 permit 0.0.0.0 255.255.255.255",
        "What is the wildcard mask 0.0.0.255 as a subnet mask, 255.255.255.0?",
        "Our nginx has `listen [::1]:8080;` for the status page.",
        'cidr_blocks = ["0.0.0.0/0"] is flagged by tfsec.',
    ],
)
def test_numbers_and_hostless_addresses_are_no_finding(pii: PresidioDetector, text: str) -> None:
    """OIDs, section numbers, headings, bind/loopback addresses and masks are no IP_ADDRESS."""
    assert _addresses(pii, text) == []


@pytest.mark.parametrize(
    ("text", "addresses"),
    [
        ("The server at 10.20.30.40 is down, the backup at 192.168.1.7 too.",
         ["10.20.30.40", "192.168.1.7"]),
        ("Blocked 203.0.113.77 after 40 failed logins; see rule 12.", ["203.0.113.77"]),
        ("ssh admin@172.16.4.2 -p 2222", ["172.16.4.2"]),
        ("10.0.0.5 Gateway of the VPC", ["10.0.0.5"]),
        ("connect redis 10.0.0.5 port 6379", ["10.0.0.5"]),
        ("Add firewall rule 10.0.0.5 and routing table 192.168.1.1.", ["10.0.0.5", "192.168.1.1"]),
        (
            "Allow 10.0.0.0/28 and 2.4.1.0/28 in the Redis 2.4.1.0/28 rule",
            ["10.0.0.0/28", "2.4.1.0/28", "2.4.1.0/28"],
        ),
        ("ping Postgres 3.120.45.67 from the bastion", ["3.120.45.67"]),
        ("Traffic from 8.8.4.4 to 10.1.2.3 was dropped.", ["8.8.4.4", "10.1.2.3"]),
        ("The host 2001:db8::8a2e:370:7334 answered, ::1 did not.", ["2001:db8::8a2e:370:7334"]),
        ("A broadcast to 192.168.1.255 woke every printer.", ["192.168.1.255"]),
    ],
)  # fmt: skip
def test_hosts_are_still_found_with_exact_spans(
    pii: PresidioDetector, text: str, addresses: list[str]
) -> None:
    """Addresses of hosts, private ones included, keep their findings with exact spans."""
    assert _addresses(pii, text) == addresses


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.0.0.0", True),
        ("0.0.0.255", True),
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("::1", True),
        ("::", True),
        ("255.255.255.255", True),
        ("255.255.240.0", True),
        ("255.0.0.0", True),
        ("255.255.0.255", False),  # not a mask: ones, zeros, ones
        ("10.0.0.1", False),
        ("192.168.0.0", False),
        ("169.254.10.1", False),
        ("fe80::1", False),
        ("1.1.1.1", False),
        ("not-an-ip", False),
    ],
)
def test_names_no_host(value: str, expected: bool) -> None:
    """Unspecified, loopback, broadcast and netmask values name no host; others do."""
    assert names_no_host(value) is expected


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("OID 1.3.6.1.4.1.311 is Microsoft's arc", "1.3.6.1", True),
        ("build 10.0.19041.1 or later", "0.19041.1", True),
        ("see Section 2.4.1.1 below", "2.4.1.1", True),
        ("2.4.1.1 Overview", "2.4.1.1", True),
        ("intro\n  2.4.1.1. Scope of this part", "2.4.1.1", True),
        ("10.0.0.5 Gateway", "10.0.0.5", False),  # a hosts file line
        ("2.4.1.1 is the gateway", "2.4.1.1", False),  # no title after it
        ("ping 2.4.1.1 Overview", "2.4.1.1", False),  # not at a line's start
        ("the host 10.1.2.3. Then we left", "10.1.2.3", False),  # a sentence's full stop
    ],
)
def test_not_an_address_in_context(text: str, value: str, expected: bool) -> None:
    """A quad inside a longer dotted run, after a section cue or opening a heading is none."""
    start = text.index(value)
    assert not_an_address(text, start, start + len(value)) is expected
