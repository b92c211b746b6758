"""Technical text full of numbers that are not phones, and the same genres with phones.

    .venv/bin/python bench/phone_negatives.py [--size 1500] [--seed 7] [--show 40]

Generates log lines, stack traces, config files (.env, YAML, compose, Kubernetes, TOML,
INI, JSON, Terraform), SQL, CSV, git output, shell sessions and business documents whose
numbers are pids, durations, byte counts, epoch times, ports, versions, SHAs, amounts,
dates, postcodes, IBAN-side account numbers, tax ids, coordinates and ids; and, labelled
by construction, the same genres carrying real phones (international AU/NZ/AT/CH/PT and
national US/GB/DE/FR/NL/ES/IT numbers, some with extensions). Runs the PII detector on
them and prints the share of phone-free texts with a phone finding, phone precision and
recall, and the false positives themselves. Written apart from the evaluation templates
(``bench/evalset/``): its shapes are what people paste, not what the rules were tuned on.
"""

# A generated text's template reads best as one line, SQL ones included (no query runs).
# ruff: noqa: E501, S608

from __future__ import annotations

import argparse
import importlib.util
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import phonenumbers
from faker import Faker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from detectors.settings import PiiSettings

_OPEN, _CLOSE = "\x02", "\x03"  # mark a phone inside a template; stripped when labelled
_LOCALES = ["en_US", "en_GB", "de_DE", "de_AT", "de_CH", "fr_FR", "nl_NL", "es_ES", "it_IT"]
_LOCALES += ["pt_PT", "en_AU", "en_NZ"]
_INTERNATIONAL = {"en_AU": "AU", "en_NZ": "NZ", "de_AT": "AT", "de_CH": "CH", "pt_PT": "PT"}
_NATIONAL = {"en_US": "US", "en_GB": "GB", "de_DE": "DE", "fr_FR": "FR", "nl_NL": "NL"}
_NATIONAL |= {"es_ES": "ES", "it_IT": "IT"}
_EXT = ["x{}", " x{}", " ext. {}", " ext {}", " Ext. {}", " #{}", " (ext. {})", " extension {}"]


@dataclass(frozen=True)
class Sample:
    """A generated text, its genre and the (start, end) of the phones it holds."""

    genre: str
    text: str
    phones: tuple[tuple[int, int], ...]


def _label(genre: str, marked: str) -> Sample:
    text, spans, at = [], [], 0
    parts = marked.split(_OPEN)
    text.append(parts[0])
    at = len(parts[0])
    for part in parts[1:]:
        phone, rest = part.split(_CLOSE, 1)
        spans.append((at, at + len(phone)))
        text.append(phone + rest)
        at += len(phone) + len(rest)
    return Sample(genre, "".join(text), tuple(spans))


class Gen:
    """Values drawn from Faker (many locales) and ``random``."""

    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.fakers = {loc: Faker(loc) for loc in _LOCALES}
        for i, fake in enumerate(self.fakers.values()):
            fake.seed_instance(seed + i)
        self.f = self.fakers["en_US"]

    def loc(self) -> Faker:
        return self.fakers[self.r.choice(_LOCALES)]

    def n(self, lo: int, hi: int) -> int:
        return self.r.randint(lo, hi)

    def digits(self, k: int) -> str:
        return str(self.n(1, 9)) + "".join(str(self.n(0, 9)) for _ in range(k - 1))

    def epoch(self, ms: bool = False) -> str:
        s = self.n(1_500_000_000, 1_800_000_000)
        return f"{s}{self.n(0, 999):03d}" if ms else str(s)

    def hexs(self, k: int) -> str:
        return "".join(self.r.choice("0123456789abcdef") for _ in range(k))

    def sha(self, k: int = 40) -> str:
        # git SHAs sometimes come out all digits in their short form
        return self.digits(k) if self.r.random() < 0.2 else self.hexs(k)

    def date(self) -> str:
        d = self.f.date_time_between("-3y", "+1y")
        return self.r.choice(
            [
                d.strftime("%d.%m.%Y"),
                d.strftime("%d/%m/%Y"),
                d.strftime("%Y-%m-%d %H:%M:%S"),
                d.strftime("%Y%m%d"),
                d.strftime("%d.%m.%y"),
                d.strftime("%Y%m%d%H%M%S"),
                d.strftime("%d-%m-%Y"),
                d.strftime("%m/%d/%Y %I:%M %p"),
                d.isoformat() + "Z",
            ]
        )

    def amount(self) -> str:
        v = self.n(1000, 99_999_999)
        return self.r.choice(
            [
                f"{v // 100:,}.{v % 100:02d}",
                f"{v // 100:,}.{v % 100:02d}".replace(",", " ").replace(".", ",", 1),
                f"{v // 100:,}".replace(",", ".") + f",{v % 100:02d}",
                f"{v // 100:,}".replace(",", "'") + f".{v % 100:02d}",
                str(v),
            ]
        )

    def phone(self) -> str:
        """A valid number: international for AU/NZ/AT/CH/PT, national or international
        for the default regions, sometimes with an extension; marked for labelling."""
        for _ in range(50):
            loc = self.r.choice(list(_INTERNATIONAL) + list(_NATIONAL))
            region = _INTERNATIONAL.get(loc) or _NATIONAL[loc]
            try:
                number = phonenumbers.parse(self.fakers[loc].phone_number(), region)
            except phonenumbers.NumberParseException:
                continue
            short = len(phonenumbers.national_significant_number(number)) < 8
            if short or not phonenumbers.is_valid_number(number):
                continue
            number.extension = None  # Faker's own; ours is added below
            national = loc in _NATIONAL and self.r.random() < 0.75
            fmt = phonenumbers.PhoneNumberFormat
            text = phonenumbers.format_number(
                number, fmt.NATIONAL if national else fmt.INTERNATIONAL
            )
            if region in ("US", "FR") and self.r.random() < 0.3:
                text = text.replace(" ", self.r.choice(["-", "."]))
            elif self.r.random() < 0.2:
                text = text.replace(" ", "-")
            if loc in ("en_US", "en_GB", "de_DE") and self.r.random() < 0.3:
                text += self.r.choice(_EXT).format(self.n(2, 4999))
            return _OPEN + text + _CLOSE
        raise RuntimeError("no valid phone drawn")


# Each template takes the generator and a flag: True when it should carry a phone.
Template = Callable[[Gen, bool], str]


def _log(g: Gen, ph: bool) -> str:
    lines = []
    for _ in range(g.n(3, 7)):
        ts = g.r.choice([g.epoch(), g.epoch(True), f"{g.epoch()}.{g.n(0, 999999):06d}", g.date()])
        lines.append(
            g.r.choice(
                [
                    f"{ts} [pid {g.n(100, 4194303)}] INFO request {g.hexs(16)} took {g.n(1, 99999)}ms",
                    f"{ts} tid={g.n(100000, 9999999)} DEBUG read {g.n(1000, 99999999)} bytes in {g.n(1, 99999)}us",
                    f"[{ts}] worker[{g.n(1000, 99999)}]: exit code {g.n(0, 255)} after {g.n(1, 86400)}s",
                    f"{ts} {g.f.ipv4()}:{g.n(1024, 65535)} GET /api/v{g.n(1, 3)}/orders/{g.digits(g.n(7, 12))} {g.r.choice([200, 404, 500])} {g.n(100, 999999)}",
                    f"{ts} kernel: [{g.n(1, 99999)}.{g.n(0, 999999):06d}] oom-kill: pid={g.n(1000, 99999)} total-vm:{g.n(100000, 99999999)}kB",
                    f"{ts} gc pause {g.n(1, 999)}.{g.n(0, 999)}ms heap {g.n(100000000, 8589934592)} -> {g.n(100000000, 8589934592)}",
                    f"{g.r.choice(['Nov', 'Dec', 'Jan'])} {g.n(1, 28)} {g.n(0, 23):02d}:{g.n(0, 59):02d}:{g.n(0, 59):02d} host sshd[{g.n(1000, 99999)}]: Accepted publickey from {g.f.ipv4()} port {g.n(1024, 65535)}",
                    f"{ts} trace_id={g.digits(19)} span={g.hexs(16)} duration_ns={g.n(10**6, 10**10)}",
                    f"{ts} offset={g.n(10**8, 10**12)} partition={g.n(0, 63)} lag={g.n(0, 999999)}",
                ]
            )
        )
    if ph:
        lines.insert(g.n(0, len(lines)), f"{g.date()} INFO sms sent to {g.phone()} status=queued")
    return "\n".join(lines)


def _trace(g: Gen, ph: bool) -> str:
    frames = [
        g.r.choice(
            [
                f'  File "/srv/app/{g.f.word()}.py", line {g.n(1, 2999)}, in {g.f.word()}',
                f"    at com.acme.{g.f.word()}.{g.f.word().title()}.run({g.f.word().title()}.java:{g.n(1, 2999)})",
                f"#{g.n(0, 30)} 0x{g.hexs(16)} in {g.f.word()} () at src/{g.f.word()}.c:{g.n(1, 9999)}",
                f"  at async Promise.all (index {g.n(0, 99)})  {g.n(1000000, 99999999)} bytes",
            ]
        )
        for _ in range(g.n(3, 6))
    ]
    head = g.r.choice(
        [
            f"Traceback (most recent call last): [request {g.digits(12)}]",
            f'Exception in thread "pool-{g.n(1, 9)}-thread-{g.n(1, 99)}" java.net.SocketTimeoutException: Read timed out after {g.n(1000, 120000)} ms',
            f"panic: runtime error: index out of range [{g.n(100, 99999)}] with length {g.n(100, 99999)}",
            f"Segmentation fault (core dumped) pid {g.n(1000, 4194303)} at {g.epoch()}",
        ]
    )
    tail = f"\nReported by on-call, reachable at {g.phone()}" if ph else ""
    return head + "\n" + "\n".join(frames) + tail


def _config(g: Gen, ph: bool) -> str:
    kind = g.r.choice(["env", "yaml", "k8s", "toml", "ini", "json", "tf", "compose", "cron"])
    mem = g.r.choice(["2147483648", "4294967296", "1073741824", "8589934592", "536870912"])
    port = g.n(1024, 65535)
    contact = g.phone() if ph else ""
    if kind == "env":
        body = (
            f"PORT={port}\nTIMEOUT_MS={g.n(1000, 600000)}\nMAX_BODY_BYTES={mem}\n"
            f"CACHE_TTL={g.n(60, 604800)}\nBUILD_NUMBER={g.digits(g.n(7, 11))}\n"
            f"RELEASE_TIMESTAMP={g.epoch()}\nSENTRY_PROJECT_ID={g.digits(7)}\n"
            f"AWS_ACCOUNT_ID={g.digits(12)}\nSLACK_CHANNEL_ID=C{g.digits(10)}\n"
        )
        return body + (f"ONCALL_PHONE={contact}\n" if ph else "")
    if kind == "yaml":
        body = (
            f"server:\n  port: {port}\n  max_connections: {g.n(100, 100000)}\n"
            f"  read_timeout: {g.n(1, 300)}s\nlimits:\n  memory: {mem}\n  max_file_size: {g.n(10**6, 10**10)}\n"
            f"retention:\n  seconds: {g.n(3600, 31536000)}\n  since: {g.epoch()}\n"
            f"  window_ms: {g.n(10**6, 10**9)}\n"
        )
        return body + (f'support:\n  phone: "{contact}"\n' if ph else "")
    if kind == "k8s":
        body = (
            f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {g.f.word()}\n"
            f'  annotations:\n    deployment.kubernetes.io/revision: "{g.n(1, 999)}"\n'
            f'    checksum/config: "{g.digits(12)}"\nspec:\n  replicas: {g.n(1, 48)}\n'
            f"  template:\n    spec:\n      containers:\n      - name: app\n"
            f"        image: registry.example.com/app:{g.n(1, 9)}.{g.n(0, 30)}.{g.n(0, 99)}-{g.digits(8)}\n"
            f'        resources:\n          limits:\n            memory: "{mem}"\n'
            f'        env:\n        - name: GOMAXPROCS\n          value: "{g.n(1, 64)}"\n'
            f'        - name: STARTED_AT\n          value: "{g.epoch()}"\n'
            f'        - name: ORG_ID\n          value: "{g.digits(10)}"\n'
        )
        return body + (f'        - name: PAGER\n          value: "{contact}"\n' if ph else "")
    if kind == "toml":
        body = (
            f"[server]\nport = {port}\nworkers = {g.n(1, 64)}\n\n[limits]\nmax_bytes = {mem}\n"
            f"deadline = {g.epoch(True)}\nseed = {g.digits(10)}\n"
        )
        return body + (f'\n[owner]\nphone = "{contact}"\n' if ph else "")
    if kind == "ini":
        body = (
            f"[database]\nport={port}\npool_size={g.n(1, 200)}\nstatement_timeout={g.n(1000, 600000)}\n"
            f"[cache]\nsize={mem}\nshard_count={g.n(1, 1024)}\nversion={g.digits(10)}\n"
        )
        return body + (f"[contact]\nhotline={contact}\n" if ph else "")
    if kind == "json":
        body = (
            f'{{"port": {port}, "retries": {g.n(0, 10)}, "backoff_ms": {g.n(100, 60000)}, '
            f'"size": {mem}, "checksum": {g.digits(10)}, "build": "{g.digits(10)}", '
            f'"account": {g.digits(11)}, "total": {g.digits(10)}'
        )
        return body + (f', "phone": "{contact}"}}' if ph else "}")
    if kind == "tf":
        body = (
            f'resource "aws_instance" "web" {{\n  ami = "ami-{g.hexs(17)}"\n'
            f"  count = {g.n(1, 20)}\n  root_block_device {{ volume_size = {g.n(8, 2000)} }}\n"
            f'  tags = {{ CostCenter = "{g.digits(10)}", Owner = "{g.f.user_name()}" }}\n}}\n'
            f'variable "account_id" {{ default = "{g.digits(12)}" }}\n'
        )
        return body + (f"# escalation: {contact}\n" if ph else "")
    if kind == "compose":
        body = (
            f"services:\n  db:\n    image: postgres:{g.n(12, 17)}.{g.n(0, 9)}\n    ports:\n"
            f'      - "{port}:{g.n(1024, 65535)}"\n    shm_size: {mem}\n    mem_limit: {mem}\n'
            f"    ulimits:\n      nofile: {g.n(1024, 1048576)}\n"
            f"    healthcheck:\n      interval: {g.n(1, 60)}s\n      start_period: {g.n(1000, 99999)}ms\n"
        )
        return body + (f'    labels:\n      oncall: "{contact}"\n' if ph else "")
    body = "\n".join(
        f"{g.n(0, 59)} {g.n(0, 23)} * * {g.n(0, 6)} /usr/local/bin/job --batch {g.digits(g.n(7, 10))} --limit {g.n(1000, 10**7)}"
        for _ in range(g.n(2, 4))
    )
    return body + (f"\n# failures: call {contact}" if ph else "")


def _sql(g: Gen, ph: bool) -> str:
    rows = ", ".join(
        f"({g.digits(g.n(7, 12))}, {g.n(1, 999)}.{g.n(0, 99):02d}, '{g.date()}', {g.digits(10)})"
        for _ in range(g.n(2, 4))
    )
    q = g.r.choice(
        [
            f"SELECT * FROM orders WHERE customer_id = {g.digits(g.n(7, 11))} AND total > {g.amount().replace(',', '')} LIMIT {g.n(10, 1000)} OFFSET {g.n(1000, 9999999)};",
            f"INSERT INTO payments (id, amount, paid_on, account) VALUES {rows};",
            f"UPDATE users SET quota = {g.n(10**8, 10**10)} WHERE id IN ({g.digits(8)}, {g.digits(9)}, {g.digits(10)});",
            f"DELETE FROM sessions WHERE expires < {g.epoch()} AND user_id = {g.digits(10)};",
            f"SELECT count(*) FROM events WHERE ts BETWEEN {g.epoch(True)} AND {g.epoch(True)}; -- {g.n(1000, 99999999)} rows",
        ]
    )
    if ph:
        q += f"\nUPDATE contacts SET phone = '{g.phone()}' WHERE id = {g.n(1, 99999)};"
    return q


def _csv(g: Gen, ph: bool) -> str:
    head = "id,sku,qty,amount,date,postcode,house_no,account,sort_code,iban"
    if ph:
        head += ",phone"
    rows = [head]
    for _ in range(g.n(3, 6)):
        loc = g.loc()
        row = (
            f"{g.digits(g.n(6, 10))},{g.digits(g.n(8, 13))},{g.n(1, 500)},"
            f'"{g.amount()}",{g.date()},{loc.postcode()},{g.n(1, 250)},'
            f"{g.digits(8)},{g.n(10, 99)}-{g.n(10, 99)}-{g.n(10, 99)},{g.f.iban()}"
        )
        if ph:
            row += "," + g.r.choice([g.phone(), _bare_phone(g)])
        rows.append(row)
    return "\n".join(rows)


def _git(g: Gen, ph: bool) -> str:
    lines = [f"$ git log --oneline -{g.n(3, 6)}"]
    lines += [f"{g.sha(7)} {g.f.sentence(nb_words=5)}" for _ in range(g.n(3, 6))]
    lines += [
        f"$ git show {g.sha(12)} --stat",
        f"commit {g.sha()}",
        f"Date:   {g.date()} +0{g.n(0, 2)}00",
        f" {g.n(1, 40)} files changed, {g.n(1, 3000)} insertions(+), {g.n(1, 3000)} deletions(-)",
        f"@@ -{g.n(1, 9999)},{g.n(1, 99)} +{g.n(1, 9999)},{g.n(1, 99)} @@",
        f"-    timeout = {g.n(1000, 99999)}",
        f"+    timeout = {g.n(1000, 99999)}",
        f'-version = "{g.n(0, 9)}.{g.n(0, 40)}.{g.n(0, 99)}"',
        f'+version = "{g.n(0, 9)}.{g.n(0, 40)}.{g.n(0, 99)}"',
    ]
    if ph:
        lines.append(f'+SUPPORT_PHONE = "{g.phone()}"')
    return "\n".join(lines)


def _shell(g: Gen, ph: bool) -> str:
    mac = ":".join(g.hexs(2) for _ in range(6))
    lines = [
        f"$ ps aux | grep {g.f.word()}",
        f"app  {g.n(1000, 4194303)}  {g.n(0, 99)}.{g.n(0, 9)}  {g.n(0, 99)}.{g.n(0, 9)} {g.n(100000, 9999999)} {g.n(10000, 999999)} ?  Sl  {g.n(0, 23):02d}:{g.n(0, 59):02d}  {g.n(0, 999)}:{g.n(0, 59):02d} python app.py",
        f"$ df -B1 /data\n/dev/nvme0n1p1 {g.n(10**10, 10**12)} {g.n(10**9, 10**11)} {g.n(10**9, 10**11)} {g.n(1, 99)}% /data",
        f"$ ip link\n2: eth0: <BROADCAST> mtu {g.r.choice([1500, 9001])} link/ether {mac}",
        f"$ curl -s http://{g.f.ipv4()}:{g.n(1024, 65535)}/metrics | grep bytes\nhttp_bytes_total {g.n(10**9, 10**13)}",
        f"$ date +%s\n{g.epoch()}",
        f"$ date +%s%N\n{g.epoch()}{g.n(0, 999999999):09d}",
        f"$ wc -c dump.sql\n{g.n(10**6, 10**11)} dump.sql",
        f"$ pip install 'requests>={g.n(1, 2)}.{g.n(0, 32)},<{g.n(3, 4)}' 'numpy~={g.n(1, 2)}.{g.n(0, 26)}.{g.n(0, 5)}'",
        f"$ kill -9 {g.n(1000, 4194303)} {g.n(1000, 4194303)}",
    ]
    g.r.shuffle(lines)
    out = "\n".join(lines[: g.n(3, 6)])
    if ph:
        out += f'\n$ twilio api:core:messages:create --to "{g.phone()}" --body test'
    return out


def _business(g: Gen, ph: bool) -> str:
    loc = g.loc()
    contact = f" Call me on {g.phone()} if anything is unclear." if ph else ""
    return g.r.choice(
        [
            f"Hi team, invoice {g.digits(10)} for {g.amount()} EUR (VAT {loc.country_code()}{g.digits(9)}) is due on {g.date()}. "
            f"Please pay to {g.f.iban()}, sort code {g.n(10, 99)}-{g.n(10, 99)}-{g.n(10, 99)}, account {g.digits(8)}.{contact}",
            f"Ticket {g.digits(7)}: customer at {loc.street_address()}, {loc.postcode()} {loc.city()} reports tracking "
            f"number {g.r.choice(['1Z', ''])}{g.digits(g.n(12, 18))} stuck since {g.date()}.{contact}",
            f"Meeting notes {g.date()}: budget {g.amount()} approved, headcount {g.n(1, 40)}, "
            f"cost centre {g.digits(6)}, PO {g.digits(10)}. Temperature in DC {g.r.choice(['+', '-'])}{g.n(1, 49)}.{g.n(0, 9)} °C, "
            f"growth +{g.n(0, 99)}.{g.n(0, 9)} %, uptime 99.{g.n(900, 999)}%.{contact}",
            f"Payroll {g.date()}: employee {g.digits(6)}, tax id {g.digits(11)}, social security {g.digits(10)}, "
            f"gross {g.amount()}, net {g.amount()}, hours {g.n(100, 200)}.{g.n(0, 99)}.{contact}",
            f"Order {g.digits(9)} ({g.n(1, 20)} x ISBN 978-{g.n(0, 9)}-{g.n(100, 999)}-{g.n(10000, 99999)}-{g.n(0, 9)}) "
            f"ships from {loc.postcode()} to {loc.postcode()}; GPS {loc.latitude()}, {loc.longitude()}.{contact}",
            f"Question: why does Redis use {g.n(10**6, 10**9)} bytes for {g.n(10**5, 10**7)} keys, evicting at "
            f"maxmemory {g.r.choice(['2147483648', '4294967296'])} and {g.n(1000, 100000)} ops/s?{contact}",
            f"Chat [{g.n(0, 23):02d}:{g.n(0, 59):02d}:{g.n(0, 59):02d}] {loc.first_name()}: build {g.digits(8)} failed at step {g.n(1, 99)}, "
            f"duration 00:{g.n(10, 59)}:{g.n(10, 59)}, artifact {g.n(10**6, 10**9)} B, uuid {g.f.uuid4()}.{contact}",
        ]
    )


def _bare_phone(g: Gen) -> str:
    """A valid national number of a default region written as one digit run."""
    marked = g.phone()
    number = marked.strip(_OPEN + _CLOSE)
    if number.startswith("+") or not number[:1].isdigit():
        return marked
    digits = "".join(ch for ch in number.split(" ext")[0].split(" x")[0] if ch.isdigit())
    return _OPEN + digits + _CLOSE if number[:1] == "0" or len(digits) == 10 else marked


def _chat(g: Gen, ph: bool) -> str:
    loc = g.loc()
    a, b = loc.first_name(), g.loc().first_name()
    lines = [
        f"[{g.n(0, 23):02d}:{g.n(0, 59):02d}] {a}: deploy {g.n(1, 9)}.{g.n(0, 40)}.{g.n(0, 9)} is at {g.n(10, 99)}% (+{g.n(0, 9)}.{g.n(0, 9)} % vs yesterday)",
        f"[{g.n(0, 23):02d}:{g.n(0, 59):02d}] {b}: p99 went from {g.n(100, 999)} to {g.n(1000, 9999)} ms, {g.n(10**6, 10**9)} requests since {g.n(0, 23):02d}:{g.n(0, 59):02d}:{g.n(0, 59):02d}",
        f"[{g.n(0, 23):02d}:{g.n(0, 59):02d}] {a}: server room is at +{g.n(20, 49)}.{g.n(0, 9)} °C, rack {g.n(1, 40)} unit {g.n(1, 42)}, MAC {':'.join(g.hexs(2) for _ in range(6))}",
        f"[{g.n(0, 23):02d}:{g.n(0, 59):02d}] {b}: which one, {g.f.uuid4()} or job {g.digits(9)}? bump to >={g.n(1, 4)}.{g.n(0, 20)}.0,<{g.n(5, 9)}",
    ]
    g.r.shuffle(lines)
    if ph:
        cue = g.r.choice(
            ["call me on", "my mobile is", "ring the desk:", "WhatsApp", "tel.", "reach me at"]
        )
        lines.insert(
            g.n(0, len(lines)), f"[{g.n(0, 23):02d}:{g.n(0, 59):02d}] {b}: {cue} {_bare_phone(g)}"
        )
    return "\n".join(lines)


def _ticket(g: Gen, ph: bool) -> str:
    loc = g.loc()
    vat = g.r.choice(
        [
            f"ATU{g.digits(8)}",
            f"CHE-{g.n(100, 999)}.{g.n(100, 999)}.{g.n(100, 999)} MWST",
            f"PT{g.digits(9)}",
            f"DE{g.digits(9)}",
        ]
    )
    body = (
        f"Subject: Re: [#{g.digits(6)}] Refund for invoice {g.digits(8)}\n\n"
        f"Dear {loc.name()},\n\nwe credited {g.amount()} EUR on {g.date()} to your account "
        f"{g.digits(10)} (BLZ {g.digits(8)}). Our VAT number is {vat}; customer number "
        f"{g.digits(8)}, contract {g.digits(10)}.\nYour address on file: {loc.street_address()}, "
        f"{loc.postcode()} {loc.city()}.\n"
    )
    if ph:
        form = g.r.choice(["Tel: {}", "Mobile: {}", "Phone {}", "T: {}", "Hotline {} (Mo-Fr)"])
        body += "\n" + form.format(g.r.choice([g.phone(), _bare_phone(g)])) + "\n"
    return body + f"\nKind regards\n{g.loc().name()}\nRef {g.digits(12)}"


def _hr(g: Gen, ph: bool) -> str:
    loc = g.loc()
    rows = [
        f"Employee: {loc.name()}  Personnel no. {g.digits(6)}  Cost centre {g.digits(7)}",
        f"Start date: {g.date()}  Salary: {g.amount()} EUR  Hours/week: {g.n(20, 40)}.{g.n(0, 9)}",
        f"Tax id: {g.digits(11)}  Social insurance: {g.digits(2)} {g.digits(6)} {loc.random_uppercase_letter()} {g.digits(3)}",
        f"Bank: {g.f.iban()}  BIC {g.f.swift()}  amount 1 {g.n(100, 999)} {g.n(100, 999)},{g.n(10, 99)}",
    ]
    if ph:
        rows.append(f"Emergency contact: {g.loc().name()}, {g.phone()}")
    return "\n".join(rows)


def _question(g: Gen, ph: bool) -> str:
    q = g.r.choice(
        [
            f"Why does `SELECT ... LIMIT {g.n(10, 999)} OFFSET {g.digits(8)}` take {g.n(1000, 99999)} ms on a table of {g.digits(10)} rows?",
            f"My pod gets OOMKilled at {g.r.choice(['2147483648', '4294967296', '3221225472'])} bytes although the limit is {g.n(2, 16)}Gi; node has {g.digits(11)} bytes allocatable.",
            f"How do I convert {g.epoch()} and {g.epoch(True)} to ISO dates in Python? I get {g.date()}.",
            f"Java says `Integer.MAX_VALUE` is 2147483647, but my counter shows {g.digits(10)} after {g.n(10, 99)} days. Overflow?",
            f"Is {g.f.ipv4()}:{g.n(1024, 65535)} or [{g.f.ipv6()}]:{g.n(1024, 65535)} the right bind address for port {g.n(1024, 65535)}?",
            f"The hash {g.hexs(64)} differs from build {g.digits(10)}; checksum {g.digits(10)} vs {g.digits(10)}.",
        ]
    )
    if ph:
        q += f" (The vendor's support line {g.phone()} was no help.)"
    return q


GENRES: dict[str, Template] = {
    "chat": _chat,
    "ticket": _ticket,
    "hr": _hr,
    "question": _question,
    "log": _log,
    "trace": _trace,
    "config": _config,
    "sql": _sql,
    "csv": _csv,
    "git": _git,
    "shell": _shell,
    "business": _business,
}


def generate(size: int, seed: int, phone_share: float = 0.3) -> list[Sample]:
    """``size`` samples over every genre, ``phone_share`` of them carrying phones."""
    g = Gen(seed)
    names = list(GENRES)
    samples = []
    for i in range(size):
        genre = names[i % len(names)]
        samples.append(_label(genre, GENRES[genre](g, g.r.random() < phone_share)))
    return samples


def evaluate(samples: list[Sample], show: int) -> None:
    """Print the phone false-positive rate on phone-free texts, precision and recall."""
    # imported here, after --phones-module may have put another detectors.phones in place
    from detectors.nlp_engine import load_spacy_model  # noqa: PLC0415
    from detectors.pii import PresidioDetector  # noqa: PLC0415

    settings = PiiSettings()
    detector = PresidioDetector(settings, nlp=load_spacy_model(settings.spacy_model))
    tp = fp = fn = neg = neg_hit = 0
    shown = 0
    for s in samples:
        found = [(f.start, f.end) for f in detector.find(s.text) if f.entity_type == "PHONE_NUMBER"]
        hits = [f for f in found if any(a < f[1] and f[0] < b for a, b in s.phones)]
        false = [f for f in found if f not in hits]
        tp += len(hits)
        fp += len(false)
        fn += sum(not any(a < f[1] and f[0] < b for f in found) for a, b in s.phones)
        if not s.phones:
            neg += 1
            neg_hit += bool(false)
        for a, b in false:
            if shown < show:
                shown += 1
                ctx = s.text[max(0, a - 40) : b + 20].replace("\n", "\\n")
                print(f"FP [{s.genre}] {s.text[a:b]!r}  in  ...{ctx}...")
        for a, b in s.phones:
            if not any(a < f[1] and f[0] < b for f in found) and shown < show:
                shown += 1
                print(f"FN [{s.genre}] {s.text[a:b]!r}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(
        f"texts {len(samples)}, phone-free {neg}: with a phone finding {neg_hit} "
        f"({neg_hit / max(neg, 1):.1%}); phones {tp + fn}: P {precision:.3f} R {recall:.3f} "
        f"(fp {fp}, fn {fn})"
    )


def _load_phones(path: Path, name: str) -> ModuleType:
    """``detectors/phones.py`` as it is in ``path`` (e.g. a copy of the code before a
    change), imported as module ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def cost(samples: list[Sample], other: Path | None, rounds: int) -> None:
    """Time the phone recognizer on ~1 KB prompts (Faker prose with a phone, and the
    generated technical texts cut to 1 KB), alternating with the one in ``other``."""
    from eval_dataset import prompt_1kb  # noqa: PLC0415  (its Faker data only here)

    import detectors.phones as current  # noqa: PLC0415  (see evaluate)

    rng, faker = random.Random(5), Faker("en_US")
    faker.seed_instance(5)
    prose = [prompt_1kb(rng, faker) for _ in range(200)]
    technical, chunk = [], ""
    for s in samples:
        chunk += s.text + "\n"
        if len(chunk) >= 1024:
            technical.append(chunk[:1024])
            chunk = ""
    modules = {"current": current}
    if other is not None:
        modules["other"] = _load_phones(other, "phones_other")
    recognizers = {
        name: m.RegionPhoneRecognizer(supported_regions=list(PiiSettings().phone_regions))
        for name, m in modules.items()
    }
    for texts, label in ((prose, "prose 1 KB"), (technical, "technical 1 KB")):
        spent = dict.fromkeys(recognizers, 0.0)
        for _ in range(rounds):
            for text in texts:
                for name, recognizer in recognizers.items():
                    began = time.perf_counter()
                    recognizer.analyze(text, ["PHONE_NUMBER"])
                    spent[name] += time.perf_counter() - began
        per = {n: 1e3 * t / (rounds * len(texts)) for n, t in spent.items()}
        line = ", ".join(f"{n} {ms:.3f} ms/text" for n, ms in per.items())
        ratio = f"; current/other {per['current'] / per['other']:.2f}x" if "other" in per else ""
        print(f"{label} ({len(texts)} texts x {rounds}): {line}{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", type=int, default=40)
    parser.add_argument(
        "--phones-module",
        type=Path,
        help="evaluate this copy of detectors/phones.py instead (e.g. the code before a change)",
    )
    parser.add_argument(
        "--cost", type=int, metavar="ROUNDS", help="instead: time the phone matcher on 1 KB texts"
    )
    args = parser.parse_args()
    samples = generate(args.size, args.seed)
    if args.cost:
        cost(samples, args.phones_module, args.cost)
        return
    if args.phones_module is not None:
        _load_phones(args.phones_module, "detectors.phones")
    evaluate(samples, args.show)


if __name__ == "__main__":
    main()
