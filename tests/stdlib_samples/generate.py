#!/usr/bin/env python3
"""Generates the labelled samples for the std.pii detectors: one file per detector,
`<kind>.tsv`, each line `label TAB text` (1: the detector must fire, 0: it must not), with
\\n, \\t and \\\\ escaped in the text.

Everything is synthetic and deterministic (fixed seed): card numbers, IBANs, SSNs, phone
numbers and tokens are generated here, with the checksums computed by this script's own
implementations of Luhn and ISO 7064 mod 97, independently of the C++ detectors. Labels
follow from how a value was built, never from running a detector.

Run from anywhere: python3 tests/stdlib_samples/generate.py
"""

import base64
import json
import os
import random
import string

R = random.Random(0x5EED_2024)
HERE = os.path.dirname(os.path.abspath(__file__))

DIGITS = string.digits
UPPER = string.ascii_uppercase
LOWER = string.ascii_lowercase
ALNUM = string.ascii_letters + string.digits


def pick(seq):
    return R.choice(seq)


def rand(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


# ---- contexts ---------------------------------------------------------------------------------

NAMES = ["Dana Whitfield", "Ravi Menon", "Li Wei", "Sofia Oliveira", "Tomasz Nowak",
         "Amara Okafor", "Jonas Berg", "Mei Tanaka", "Carlos Ruiz", "Hannah Schulz",
         "Omar Haddad", "Elena Petrova", "Noah Kim", "Fatima Zahra", "Lucas Moreau"]
FILLERS = [
    "Thanks for the quick turnaround on this.",
    "Let me know if anything else is needed.",
    "The weekly sync moved to Thursday at 10:30.",
    "Ticket ENG-4821 tracks the follow-up work.",
    "We shipped release 2.14.0 on 2024-06-11.",
    "Invoice INV-2024-000183 totals $1,249.50.",
    "The dashboard shows 12.5% growth since Q1.",
    "Order #100482 shipped via ground, 3-5 days.",
    "Build 8f3a2c1 passed all 1,204 tests.",
    "Please review the attached spreadsheet.",
    "Our office is at 500 Market Street, Suite 210.",
    "Meeting notes are in the shared drive.",
]


def sentence(value, kind_words):
    """A natural sentence, log line or record around `value`."""
    name = pick(NAMES)
    templates = [
        "Hi {n}, {w} is {v} - please update the record.",
        "{f} {W}: {v}",
        "Customer {n} gave {v} as their {w}.",
        "2024-06-13T09:41:{s:02d}Z INFO profile updated {w}={v} user_id=4821",
        '{{"name": "{n}", "{k}": "{v}", "active": true}}',
        "{n},{v},2024-05-30,approved",
        "Can you double-check {v}? {f}",
        "| {n} | {v} | verified |",
        "Re: account change\n\n{W} on file: {v}\n{f}",
        "<td>{v}</td><td>{n}</td>",
        "{w} ({n}): {v}.",
    ]
    t = pick(templates)
    w = pick(kind_words)
    return t.format(n=name, w=w, W=w.capitalize(), k=w.replace(" ", "_"), v=value,
                    f=pick(FILLERS), s=R.randrange(60))


def neutral(value):
    """A context without key-like names, for values that are negatives elsewhere."""
    t = pick(["See {v} in the report.", "{f} Ref: {v}", "value: {v}", "{v}",
              "row 17: {v}; status ok", "({v})", "Noted {v}, {f}"])
    return t.format(v=value, f=pick(FILLERS))


# ---- checksums --------------------------------------------------------------------------------

def luhn_ok(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def luhn_complete(body):
    for last in DIGITS:
        if luhn_ok(body + last):
            return body + last
    raise AssertionError


def mod97(s):
    return int("".join(str(int(ch, 36)) for ch in s)) % 97


def iban_ok(iban):
    return mod97(iban[4:] + iban[:4]) == 1


# ---- email ------------------------------------------------------------------------------------

def emails():
    locals_ = ["jane.doe", "ravi", "li.wei+billing", "s.oliveira", "t_nowak", "amara-okafor",
               "jonas.berg42", "mei.t", "carlos_ruiz+news", "h.schulz", "omar", "elena.p",
               "noah.kim1990", "fz", "lucas.moreau", "ops-alerts", "no-reply", "first.last"]
    domains = ["example.com", "mail.example.org", "corp.example.co.uk", "example.io",
               "students.example.edu", "example.de", "subsidiary.example.com.br",
               "example.technology", "xn--bcher-kva.example", "example.travel", "ex-ample.net"]
    pos = []
    for _ in range(130):
        v = pick(locals_) + "@" + pick(domains)
        if R.random() < 0.2:
            v = v.upper() if R.random() < 0.3 else v.capitalize()
        form = R.randrange(5)
        if form == 0:
            pos.append(sentence(v, ["email", "contact", "e-mail address"]))
        elif form == 1:
            pos.append("<a href=\"mailto:%s\">write to us</a>" % v)
        elif form == 2:
            pos.append("From: %s <%s>" % (pick(NAMES), v))
        elif form == 3:
            pos.append("Please cc %s." % v)
        else:
            pos.append(neutral(v))
    neg = [
        "user@localhost", "admin@intranet", "root@db-01", "Ping @channel about the outage",
        "cc @dana.whitfield in the thread", "npm install lodash@4.17.21",
        "pip install requests==2.31.0 and urllib3@2.2.1",
        "assets: icon@2x.png, icon@3x.png", "background: url(hero@2x.jpg)",
        "@media screen and (max-width: 600px)", "@import url(theme.css);",
        "@Override public String toString()", "@pytest.fixture(scope=\"module\")",
        "john..doe@example.com", "trailing.@example.com", "user@-example.com",
        "user@example.c", "user@example.123", "user@.example.com", "user @ example.com",
        "user at example dot com", "docker pull nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c",
        "git tag v1.2.3@HEAD", "price@1.99", "meet @ 10am in room B",
    ]
    neg += [neutral(x) for x in ["4954 2555 0349 1068", "+1 202-555-0143", "10.0.0.1",
                                 "2001:db8::1", "DE50 6644 4278 7795 5894 09"]]
    for _ in range(60):
        neg.append(pick(FILLERS) + " " + pick(FILLERS))
    for _ in range(25):
        neg.append("@" + rand(LOWER, 6) + " " + rand(LOWER, 4) + "@" + rand(DIGITS, 1) + "x." +
                   pick(["png", "jpg", "svg", "webp"]))
    return pos, neg


# ---- phone ------------------------------------------------------------------------------------

def nanp():
    return str(R.randrange(2, 10)) + rand(DIGITS, 2), str(R.randrange(2, 10)) + rand(DIGITS, 2), \
        rand(DIGITS, 4)


def phones():
    pos = []
    for _ in range(135):
        a, b, c = nanp()
        form = R.randrange(12)
        if form == 0:
            v = "(%s) %s-%s" % (a, b, c)
        elif form == 1:
            v = "%s-%s-%s" % (a, b, c)
        elif form == 2:
            v = "%s.%s.%s" % (a, b, c)
        elif form == 3:
            v = "+1 %s %s %s" % (a, b, c)
        elif form == 4:
            v = "1-%s-%s-%s" % (a, b, c)
        elif form == 5:
            v = "+1 (%s) %s-%s" % (a, b, c)
        elif form == 6:
            v = "+44 20 %s %s" % (rand(DIGITS, 4), rand(DIGITS, 4))
        elif form == 7:
            v = "+49 30 %s" % rand(DIGITS, 8)
        elif form == 8:
            v = "+33 %d %s %s %s %s" % (R.randrange(1, 8), rand(DIGITS, 2), rand(DIGITS, 2),
                                         rand(DIGITS, 2), rand(DIGITS, 2))
        elif form == 9:
            v = pick(["+81 3-%s-%s" % (rand(DIGITS, 4), rand(DIGITS, 4)),
                      "+91 98%s %s" % (rand(DIGITS, 3), rand(DIGITS, 5)),
                      "+55 11 9%s-%s" % (rand(DIGITS, 4), rand(DIGITS, 4)),
                      "+61 4%s %s %s" % (rand(DIGITS, 2), rand(DIGITS, 3), rand(DIGITS, 3)),
                      "+1%s%s%s" % (a, b, c)])
        elif form == 10:
            v = pick(["020 %s %s" % (rand(DIGITS, 4), rand(DIGITS, 4)),
                      "07%s %s" % (rand(DIGITS, 3), rand(DIGITS, 6)),
                      "0%d %s %s %s %s" % (R.randrange(1, 8), rand(DIGITS, 2), rand(DIGITS, 2),
                                            rand(DIGITS, 2), rand(DIGITS, 2)),
                      "030 %s" % rand(DIGITS, 8), "06-%s" % rand(DIGITS, 8)])
        else:
            v = "+44 (0)20 %s %s" % (rand(DIGITS, 4), rand(DIGITS, 4))
        pos.append(sentence(v, ["phone", "mobile", "cell", "callback number", "tel"]))
    neg = []
    for _ in range(12):
        neg.append(neutral("%d-%02d-%02d" % (R.randrange(1990, 2030), R.randrange(1, 13),
                                             R.randrange(1, 29))))
        neg.append(neutral("%02d/%02d/%d %02d:%02d" % (R.randrange(1, 13), R.randrange(1, 29),
                                                       R.randrange(1990, 2030),
                                                       R.randrange(24), R.randrange(60))))
        neg.append("ISBN 978-%d-%s-%s-%d" % (R.randrange(10), rand(DIGITS, 2), rand(DIGITS, 5),
                                              R.randrange(10)))
        neg.append("ZIP %s-%s" % (rand(DIGITS, 5), rand(DIGITS, 4)))
        neg.append("customer id %s" % (str(R.randrange(2, 10)) + rand(DIGITS, 9)))
        neg.append("Order #%s-%s-%s" % nanp())
        neg.append("part no. A%s-%s-%s" % nanp())
        neg.append("coordinates 37.%s, -122.%s" % (rand(DIGITS, 4), rand(DIGITS, 4)))
        neg.append("ranked %d out of %s" % (R.randrange(1, 500), "{:,}".format(R.randrange(10**6, 10**8))))
        neg.append("SSN %s-%s-%s" % ("%03d" % R.randrange(1, 660), rand(DIGITS, 2), rand(DIGITS, 4)))
        neg.append("version %d.%d.%d.%d" % (R.randrange(1, 20), R.randrange(0, 30),
                                            R.randrange(0, 9999), R.randrange(0, 9999)))
        neg.append("%s-%s-%s" % ("1" + rand(DIGITS, 2), rand(DIGITS, 3), rand(DIGITS, 4)))
    neg += ["+100 points for the team", "score: +15", "temperature +21.5C", "1 + 2 = 3",
            "call 911", "dial 411 for information", "about 555 users", "room 101-B",
            "192.168.100.200", "4954 2555 0349 1068", "ext. 1234", "PIN 4821"]
    return pos, neg


# ---- US SSN -----------------------------------------------------------------------------------

def ssn_parts(valid=True):
    while True:
        area = R.randrange(1, 900)
        if area == 666:
            continue
        group = R.randrange(1, 100)
        serial = R.randrange(1, 10000)
        return "%03d" % area, "%02d" % group, "%04d" % serial


def ssns():
    pos = []
    for _ in range(120):
        a, g, s = ssn_parts()
        form = R.randrange(4)
        if form == 0:
            pos.append(sentence("%s-%s-%s" % (a, g, s), ["SSN", "social security number"]))
        elif form == 1:
            pos.append(neutral("%s-%s-%s" % (a, g, s)))
        elif form == 2:
            pos.append("SSN %s %s %s on the W-2" % (a, g, s))
        else:
            pos.append(pick(["ssn=%s%s%s", "SSN: %s%s%s", "Social Security No. %s%s%s",
                             "ss# %s%s%s"]) % (a, g, s))
    neg = []
    for _ in range(10):
        _, g, s = ssn_parts()
        neg.append(neutral("000-%s-%s" % (g, s)))
        neg.append(neutral("666-%s-%s" % (g, s)))
        neg.append(neutral("9%s-%s-%s" % (rand(DIGITS, 2), g, s)))
        a, _, s = ssn_parts()
        neg.append(neutral("%s-00-%s" % (a, s)))
        a, g, _ = ssn_parts()
        neg.append(neutral("%s-%s-0000" % (a, g)))
        neg.append("ITIN 9%s-7%d-%s" % (rand(DIGITS, 2), R.randrange(10), rand(DIGITS, 4)))
        neg.append("EIN %s-%s" % (rand(DIGITS, 2), rand(DIGITS, 7)))
        neg.append("routing number %s" % ("0" + rand(DIGITS, 8)))
        neg.append("tracking %s" % rand(DIGITS, 9))
        neg.append("%s-%s-%s" % nanp())
        neg.append("%d-%02d-%02d" % (R.randrange(1990, 2030), R.randrange(1, 13), R.randrange(1, 29)))
        neg.append("lot %s-%s-%s" % (rand(DIGITS, 3), rand(DIGITS, 2), rand(DIGITS, 5)))
    neg += ["078-05-1120", "219-09-9999", "zip 94105-1234", "4954 2555 0349 1068"]
    return pos, neg


# ---- cards ------------------------------------------------------------------------------------

ISSUERS = [("4", 16), ("4", 13), ("4", 19), ("51", 16), ("53", 16), ("55", 16), ("2221", 16),
           ("2720", 16), ("34", 15), ("37", 15), ("6011", 16), ("65", 16), ("644", 16),
           ("3528", 16), ("3589", 16), ("36", 14), ("300", 14), ("62", 16), ("62", 19),
           ("2200", 16), ("6759", 16)]


def grouped(number):
    if len(number) == 15:
        return [number[:4], number[4:10], number[10:]]
    if len(number) == 14 and R.random() < 0.5:
        return [number[:4], number[4:10], number[10:]]
    return [number[i:i + 4] for i in range(0, len(number), 4)]


def card_text(number):
    form = R.randrange(4)
    if form == 0:
        return number
    sep = " " if form in (1, 3) else "-"
    return sep.join(grouped(number))


def cards():
    pos = []
    for _ in range(130):
        prefix, length = pick(ISSUERS)
        number = luhn_complete(prefix + rand(DIGITS, length - len(prefix) - 1))
        pos.append(sentence(card_text(number), ["card", "card number", "Visa", "payment card",
                                                "credit card"]))
    neg = []
    for _ in range(50):
        prefix, length = pick(ISSUERS)
        number = prefix + rand(DIGITS, length - len(prefix))
        while luhn_ok(number):
            number = prefix + rand(DIGITS, length - len(prefix))
        neg.append(sentence(card_text(number), ["card", "card number"]))
    for _ in range(25):
        # Luhn-valid, but no network issues numbers starting with these digits.
        number = luhn_complete(pick(["1", "7", "9", "0"]) + rand(DIGITS, 14))
        neg.append(neutral(card_text(number)))
    for _ in range(15):
        order = str(R.randrange(1, 10)) + rand(DIGITS, 16)  # 17 digits
        while luhn_ok(order):
            order = str(R.randrange(1, 10)) + rand(DIGITS, 16)
        neg.append("order %s" % order)
        neg.append("timestamp_ms=17%s" % rand(DIGITS, 11))
    neg += [neutral(x) for x in ["+1 202-555-0143", "123-45-6789", "DE50664442787795589409",
                                 "ISBN 978-3-16-148410-0", "$4,954,255.50",
                                 "550e8400-e29b-41d4-a716-446655440000", "1Z999AA10123456784"]]
    return pos, neg


# ---- IBAN -------------------------------------------------------------------------------------

IBAN_FORMATS = {  # country: BBAN shape (n digit, a capital, c either)
    "DE": "n" * 18, "GB": "aaaa" + "n" * 14, "FR": "n" * 10 + "c" * 11 + "nn",
    "NL": "aaaa" + "n" * 10, "ES": "n" * 20, "IT": "a" + "n" * 10 + "c" * 12, "NO": "n" * 11,
    "BE": "n" * 12, "CH": "n" * 5 + "c" * 12, "PL": "n" * 24, "SA": "nn" + "c" * 18,
    "AT": "n" * 16, "IE": "aaaa" + "n" * 14, "PT": "n" * 21, "SE": "n" * 20, "DK": "n" * 14,
    "FI": "n" * 14, "CZ": "n" * 20, "RO": "aaaa" + "c" * 16, "AE": "n" * 19,
}


def bban(shape):
    return "".join(pick(DIGITS) if ch == "n" else pick(UPPER) if ch == "a" else
                   pick(UPPER + DIGITS) for ch in shape)


def make_iban(country):
    body = bban(IBAN_FORMATS[country])
    check = 98 - mod97(body + country + "00")
    return "%s%02d%s" % (country, check, body)


def iban_text(iban):
    return " ".join(iban[i:i + 4] for i in range(0, len(iban), 4)) if R.random() < 0.5 else iban


def ibans():
    pos = []
    for _ in range(130):
        iban = make_iban(pick(sorted(IBAN_FORMATS)))
        assert iban_ok(iban)
        pos.append(sentence(iban_text(iban), ["IBAN", "account", "bank account"]))
    neg = []
    for _ in range(50):
        iban = make_iban(pick(sorted(IBAN_FORMATS)))
        k = R.randrange(4, len(iban))
        alphabet = DIGITS if iban[k].isdigit() else UPPER
        bad = iban[:k] + pick([c for c in alphabet if c != iban[k]]) + iban[k + 1:]
        assert not iban_ok(bad)  # a single changed character always breaks mod 97
        neg.append(sentence(iban_text(bad), ["IBAN", "account"]))
    for _ in range(20):
        iban = make_iban(pick(sorted(IBAN_FORMATS)))
        neg.append(neutral(iban[:-1]))                       # a character short
        neg.append(neutral("ZZ" + iban[2:]))                 # no such country
    assert not iban_ok("GB12ABCD12345678901234")
    neg += ["BIC DEUTDEFFXXX", "VAT DE123456789", "sort code 20-00-00 account 12345678",
            "SKU AB12CD34EF56GH78", "serial GB12ABCD12345678901234", "4954255503491068"]
    return pos, neg


# ---- IP addresses -----------------------------------------------------------------------------

def ipv4():
    return ".".join(str(R.randrange(256)) for _ in range(4))


def ipv4s():
    pos = []
    for _ in range(120):
        a = ipv4()
        form = R.randrange(6)
        if form == 0:
            pos.append("%s - - [13/Jun/2024:09:41:07 +0000] \"GET /health HTTP/1.1\" 200 512" % a)
        elif form == 1:
            pos.append("connect to http://%s:8080/api" % a)
        elif form == 2:
            pos.append("allow from %s/24" % a)
        elif form == 3:
            pos.append(sentence(a, ["IP", "client address", "source ip"]))
        elif form == 4:
            pos.append("ssh admin@%s" % a)
        else:
            pos.append("X-Forwarded-For: %s, %s" % (a, ipv4()))
    neg = []
    for _ in range(12):
        neg.append("version %d.%d.%d" % (R.randrange(10), R.randrange(30), R.randrange(100)))
        neg.append("OID 1.3.6.1.4.1.%d.%d" % (R.randrange(50000), R.randrange(10)))
        neg.append("%d.%d.%d.%d" % (R.randrange(256, 999), R.randrange(256), R.randrange(256),
                                    R.randrange(256)))
        neg.append("%d.%02d.%02d" % (R.randrange(1990, 2030), R.randrange(1, 13), R.randrange(1, 29)))
        neg.append("pi is about 3.%s" % rand(DIGITS, 6))
        neg.append("build %d.%d.%d.%d" % (R.randrange(1, 20), R.randrange(0, 10),
                                          R.randrange(1000, 30000), R.randrange(0, 9999)))
        neg.append("v%d.%d.%d.%d" % (R.randrange(1, 9), R.randrange(10), R.randrange(10),
                                     R.randrange(10)))
        neg.append("%s.%d" % (ipv4(), R.randrange(256)))
        neg.append("192.168.0%d.1" % R.randrange(1, 10))
    neg += ["2001:db8::1", "fe80::1%eth0", "1.2.3", "10.0.0", "amount 1,024.00",
            "Firmware 4.2.1.0 released"]
    return pos, neg


def ipv6():
    groups = ["%x" % R.randrange(0x10000) for _ in range(8)]
    form = R.randrange(5)
    if form == 0:
        return ":".join(groups)
    if form == 1:
        return "2001:db8:%s::%s" % (groups[0], groups[1])
    if form == 2:
        return "fe80::%s:%s:%s:%s" % tuple(groups[:4])
    if form == 3:
        return "%s:%s:%s::%s" % tuple(groups[:4])
    return "::ffff:%s" % ipv4()


def ipv6s():
    pos = []
    for _ in range(120):
        a = ipv6()
        form = R.randrange(5)
        if form == 0:
            pos.append("GET http://[%s]:8080/status" % a)
        elif form == 1:
            pos.append(sentence(a, ["IPv6", "client address", "source ip"]))
        elif form == 2:
            pos.append("listen [%s]:443 ssl;" % a)
        elif form == 3 and "::" in a and not a.startswith("::"):
            pos.append("route add %s::/64 dev eth0" % a.split("::")[0])
        else:
            pos.append("peer %s connected" % a)
    pos += ["bind ::1 only", "fe80::1%eth0", "::ffff:192.0.2.128"]
    neg = []
    for _ in range(12):
        neg.append("%02d:%02d:%02d" % (R.randrange(24), R.randrange(60), R.randrange(60)))
        neg.append("MAC " + ":".join("%02x" % R.randrange(256) for _ in range(6)))
        neg.append("fingerprint " + ":".join("%02x" % R.randrange(256) for _ in range(16)))
        neg.append("std::%s<int>" % pick(["vector", "map", "optional", "unique_ptr"]))
        neg.append("use std::%s::%s;" % (pick(["io", "fs", "collections"]), pick(["Result", "HashMap", "File"])))
        neg.append("2024-06-13T%02d:%02d:%02dZ" % (R.randrange(24), R.randrange(60), R.randrange(60)))
        neg.append("John %d:%d" % (R.randrange(1, 22), R.randrange(1, 40)))
        neg.append(ipv4())
        neg.append("ratio 16:9, %d:%d" % (R.randrange(1, 10), R.randrange(1, 10)))
    neg += ["1:2:3:4:5:6:7:8:9", "2001:db8::1::2", "12345::1", "gggg::1", "a:b:c",
            "Note:: see below", "C::D", "::", "::: separator :::"]
    return pos, neg


# ---- secrets ----------------------------------------------------------------------------------

KEY_NAMES = ["password", "DB_PASSWORD", "db.password", "api_key", "apiKey", "API-KEY",
             "client_secret", "secret", "SECRET_KEY", "access_token", "auth_token", "token",
             "AWS_SECRET_ACCESS_KEY", "stripe_key", "privateKey", "GITHUB_TOKEN", "passwd",
             "refresh_token", "x-api-key", "Authorization", "signing_key", "encryption_key"]


def secret_value():
    form = R.randrange(5)
    if form == 0:
        return rand(ALNUM + "+/", 40)
    if form == 1:
        return rand("0123456789abcdef", R.choice([32, 40, 64]))
    if form == 2:
        return rand(ALNUM, R.randrange(20, 48))
    if form == 3:
        return pick(["sk_live_", "pk_live_", "rk_test_"]) + rand(ALNUM, 24)
    return base64.b64encode(bytes(R.randrange(256) for _ in range(R.randrange(18, 40)))).decode()


def password_value():
    while True:
        v = rand(string.ascii_letters + DIGITS + "!#$%^*@", R.randrange(10, 20))
        classes = sum([any(c.islower() for c in v), any(c.isupper() for c in v),
                       any(c.isdigit() for c in v), any(not c.isalnum() for c in v)])
        if classes >= 3 and v[0] not in "$%":
            return v


def assignment(name, value):
    form = R.randrange(8)
    if name == "Authorization":
        return "Authorization: Bearer %s" % value
    if form == 0:
        return "%s=%s" % (name, value)
    if form == 1:
        return "export %s=\"%s\"" % (name, value)
    if form == 2:
        return "  %s: %s" % (name, value)
    if form == 3:
        return "{\"%s\": \"%s\", \"region\": \"eu-west-1\"}" % (name, value)
    if form == 4:
        return "%s = '%s'" % (name, value)
    if form == 5:
        return "https://api.example.com/v2/items?%s=%s&page=3" % (name, value)
    if form == 6:
        return "config.%s := \"%s\"" % (name, value)
    return "[prod]\n%s = %s\n" % (name, value)


def secrets():
    pos = []
    for _ in range(130):
        name = pick(KEY_NAMES)
        value = password_value() if "pass" in name.lower() else secret_value()
        pos.append(assignment(name, value))
    neg = []
    placeholders = ["changeme", "your-api-key-here", "<YOUR_TOKEN>", "${DB_PASSWORD}",
                    "%(password)s", "xxxxxxxxxxxxxxxxxxxx", "********", "REDACTED",
                    "example-secret-value", "dummy_token_for_tests", "sample-key-0000",
                    "{{ vault_token }}", "$SECRET", "null", "true", "none", "hunter2", "1234"]
    for p in placeholders:
        neg.append(assignment(pick(KEY_NAMES), p))
    for _ in range(2):
        neg += ["password_policy = strong_password_v2", "token_type: bearer",
                "cache_key: user_profile_cache_v2_2024", "private_key: /etc/ssl/private/server2.key",
                "ssh_key_path = ~/.ssh/id_ed25519", "api_key_header: X-Api-Key",
                "password_min_length: 12", "max_tokens: 4096", "token_count = 1234567890123456",
                "author = \"%s\"" % pick(NAMES), "keyboard_layout = qwertyuiop1234567890",
                "monkey_patch = enable_all_features", "the password must have 12 characters",
                "if token == expected_token_value_01:", "password != 'Xk9#mQ2$vL7!pR'",
                "secret_santa: assigned_by_lottery", "auth_method: oauth2_client_credentials",
                "std::string token = \"\";", "TOKEN_URL=https://auth.example.com/oauth/token",
                "api_key_rotation_days: 90"]
    for _ in range(45):
        # High-entropy strings without a key-like name: hashes, ids, data.
        neg.append(pick(["commit %s", "sha256: %s", "request_id=%s", "etag \"%s\"",
                         "object %s uploaded", "checksum %s ok", "image digest %s"]) %
                   secret_value())
    return pos, neg


# ---- tokens -----------------------------------------------------------------------------------

def token_contexts(token, name):
    return pick(["%s=%s" % (name, token), "Found %s in the logs" % token,
                 "\"%s\": \"%s\"" % (name.lower(), token), "curl -H 'X-Token: %s'" % token,
                 "%s" % token, "use %s for CI" % token, "  - %s\n" % token])


def aws_keys():
    pos = [token_contexts(pick(["AKIA", "ASIA"]) + rand(UPPER + "234567", 16), "AWS_ACCESS_KEY_ID")
           for _ in range(110)]
    neg = []
    for _ in range(15):
        neg.append(neutral("AKIA" + rand(UPPER + "234567", 15)))
        neg.append(neutral("AKIA" + rand(UPPER + "234567", 17)))
        neg.append(neutral("AIDA" + rand(UPPER + "234567", 16)))   # an IAM user id
        neg.append(neutral("akia" + rand(LOWER + "234567", 16)))
        neg.append(neutral(rand(UPPER, 20)))
        neg.append(neutral("XAKIA" + rand(UPPER + "234567", 16)))
    neg += ["ASIA PACIFIC region", "the AKIA prefix marks long-term keys", "ASIAN markets"]
    return pos, neg


def github_tokens():
    pos = [token_contexts(pick(["ghp_", "gho_", "ghu_", "ghs_", "ghr_"]) + rand(ALNUM, 36),
                          "GITHUB_TOKEN") for _ in range(90)]
    pos += [token_contexts("github_pat_" + rand(ALNUM, 22) + "_" + rand(ALNUM, 59), "GH_PAT")
            for _ in range(25)]
    neg = []
    for _ in range(15):
        neg.append(neutral("ghp_" + rand(ALNUM, 35)))
        neg.append(neutral("ghx_" + rand(ALNUM, 36)))
        neg.append(neutral("commit " + rand("0123456789abcdef", 40)))
        neg.append(neutral("github_pat_" + rand(ALNUM, 10)))
        neg.append(neutral("xghp_" + rand(ALNUM, 36)))
    neg += ["gh pr create --fill", "the ghp_ prefix marks classic tokens",
            "https://github.com/example/repo/pull/42", "ghost_town_v2"]
    return pos, neg


def gitlab_tokens():
    prefixes = ["glpat-", "glpat-", "glpat-", "gldt-", "glrt-", "glptt-"]
    pos = [token_contexts(pick(prefixes) + rand(ALNUM + "-_", 20), "GITLAB_TOKEN")
           for _ in range(110)]
    neg = []
    for _ in range(15):
        neg.append(neutral("glpat-" + rand(ALNUM, 12)))
        neg.append(neutral("glpat_" + rand(ALNUM, 20)))
        neg.append(neutral("xglpat-" + rand(ALNUM, 20)))
        neg.append(neutral("commit " + rand("0123456789abcdef", 40)))
    neg += ["gitlab-ci.yml", "the glpat- prefix", "glossary-entry-for-tokens", "global-settings"]
    return pos, neg


def slack_tokens():
    pos = []
    for _ in range(110):
        kind = pick("bpars")
        if R.random() < 0.15:
            token = "xapp-1-A%s-%s-%s" % (rand(UPPER + DIGITS, 10), rand(DIGITS, 13),
                                          rand("0123456789abcdef", 64))
        else:
            token = "xox%s-%s-%s-%s" % (kind, rand(DIGITS, 12), rand(DIGITS, 13), rand(ALNUM, 24))
        pos.append(token_contexts(token, "SLACK_BOT_TOKEN"))
    neg = []
    for _ in range(15):
        neg.append(neutral("xoxb-your-token"))
        neg.append(neutral("xoxo-" + rand(LOWER, 12)))
        neg.append(neutral("xoxz-%s-%s" % (rand(DIGITS, 12), rand(DIGITS, 13))))
        neg.append(neutral("xoxb-" + rand(DIGITS, 5)))
    neg += ["xoxo, Dana", "slack channel #ops-alerts", "xapp-config.json"]
    return pos, neg


def pem_body(lines):
    return "\n".join(base64.b64encode(bytes(R.randrange(256) for _ in range(48))).decode()
                     for _ in range(lines))


def private_keys():
    labels = ["RSA PRIVATE KEY", "EC PRIVATE KEY", "PRIVATE KEY", "OPENSSH PRIVATE KEY",
              "ENCRYPTED PRIVATE KEY", "DSA PRIVATE KEY", "PGP PRIVATE KEY BLOCK"]
    pos = []
    for _ in range(110):
        label = pick(labels)
        body = pem_body(R.randrange(2, 8))
        block = "-----BEGIN %s-----\n%s\n-----END %s-----" % (label, body, label)
        form = R.randrange(5)
        if form == 0:
            pos.append(block)
        elif form == 1:
            pos.append("Here is the key you asked for:\n\n%s\n\nDelete it after use." % block)
        elif form == 2:
            pos.append(json.dumps({"type": "service_account", "private_key": block + "\n"}))
        elif form == 3:
            pos.append("-----BEGIN %s-----\n%s" % (label, pem_body(2)))  # cut short
        else:
            pos.append("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                       "DEK-Info: AES-128-CBC,%s\n\n%s\n-----END RSA PRIVATE KEY-----" %
                       (rand("0123456789ABCDEF", 32), body))
    neg = []
    for label in ["CERTIFICATE", "PUBLIC KEY", "CERTIFICATE REQUEST", "PGP PUBLIC KEY BLOCK",
                  "PGP SIGNATURE", "X509 CRL", "RSA PUBLIC KEY"]:
        for _ in range(8):
            neg.append("-----BEGIN %s-----\n%s\n-----END %s-----" % (label, pem_body(3), label))
    for _ in range(10):
        neg.append("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI%s user@host" % rand(ALNUM, 43))
        neg.append("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ%s deploy" % rand(ALNUM + "+/", 60))
    neg += ["Rotate the private key every 90 days.", "BEGIN RSA PRIVATE KEY (redacted)",
            "the file starts with -----BEGIN and ends with -----END",
            "openssl genrsa -out private.key 2048"]
    return pos, neg


def b64url(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


def jwts():
    pos = []
    for _ in range(110):
        header = {"alg": pick(["HS256", "RS256", "ES256", "PS384", "EdDSA"]), "typ": "JWT"}
        if R.random() < 0.4:
            header["kid"] = rand(ALNUM, 8)
        claims = {"sub": "user-%d" % R.randrange(10**6), "iat": 1718000000 + R.randrange(10**6),
                  "exp": 1719000000 + R.randrange(10**6)}
        if R.random() < 0.5:
            claims["name"] = pick(NAMES)
        sig = base64.urlsafe_b64encode(bytes(R.randrange(256) for _ in range(32))).decode().rstrip("=")
        token = "%s.%s.%s" % (b64url(header), b64url(claims), sig)
        pos.append(pick(["Authorization: Bearer %s", "Cookie: session=%s; Path=/",
                         "https://app.example.com/callback#id_token=%s&state=xyz",
                         "{\"access_token\": \"%s\", \"expires_in\": 3600}", "token %s",
                         "%s"]) % token)
    neg = []
    for _ in range(15):
        claims = b64url({"sub": "user-%d" % R.randrange(10**6)})
        sig = rand(ALNUM + "-_", 43)
        neg.append(neutral("%s.%s.%s" % (b64url({"typ": "JWT", "kid": rand(ALNUM, 6)}), claims, sig)))
        neg.append(neutral("%s.%s" % (b64url({"alg": "HS256"}), claims)))
        # A payload that does not decode to a JSON object: its first byte is not '{' or a blank.
        neg.append(neutral("%s.%s.%s" % (b64url({"alg": "HS256"}), pick("abfghjk") + rand(ALNUM, 19),
                                         sig)))
        neg.append(neutral(b64url({"alg": "HS256", "typ": "JWT"})))
        neg.append(neutral("%s.%s.%s" % (rand(LOWER, 8), rand(LOWER, 8), rand(LOWER, 8))))
    neg += ["eyJ is how base64 JSON starts", "file.name.ext", "a.b.c", "www.example.com"]
    return pos, neg


# Hand-written edge cases, labelled by what the text is, not by what a detector does; some are
# known misses or false alarms of the detectors (see docs/stdlib.md), kept to keep the figures
# honest.
EDGE_CASES = {
    "email": [
        (1, "Send to\u00a0jane.doe@example.com"), (1, "jane.doe@example.com's calendar"),
        (1, "JANE@EXAMPLE.COM"), (1, "d.whitfield@mail.example.museum"),
        (0, "jane.doe@example"), (1, "<jane@example.org>,<ravi@example.org>"),
        (1, "first_last-2@sub-domain.example.co"), (0, "@example.com"),
        (1, "mailto:support@example.com?subject=Help"),
        (0, "http://admin:hunter2@intranet.example.com/status"),
    ],
    "phone": [
        (1, "202 555 0143"), (1, "(202)555-0143"), (1, "+1.202.555.0143"),
        (1, "Tel. +353 1 234 5678"), (1, "+86 138 0013 8000"), (1, "call me at 212-555-0187!"),
        (0, "3.14159265"), (0, "SKU 555-0143-22"), (0, "from 2019-2024"),
        (1, "+7 (495) 123-45-67"), (1, "0800 123 4567"), (0, "0.5 1.5 2.5"),
        (1, "202.555.0143 (mobile)"), (0, "1234 5678"), (1, "+1 202 555 0143 ext. 12"),
    ],
    "us_ssn": [
        (1, "SSN#: 123-45-6789"), (1, "SS No: 234 56 7890"), (0, "ticket 234-56-78901"),
        (0, "Phone: 234-567-8901"), (1, "social security: 345678901"),
        (1, "her SSN is 456-78-9012."), (0, "case 2024-56-7890"),
    ],
    "card": [
        (0, "card ending 1068"), (0, "**** **** **** 1068"),
        (1, "4954 2555 0349 1068 05/27 123"), (1, "Card: 4954  2555  0349  1068"),
        (1, "4954 2555 0349 1068."), (1, "pay with 4954255503491068, thanks"),
    ],
    "iban": [
        (1, "IBAN: DE50664442787795589409 (Deutsche Bank)"), (0, "IBAN: DE50 XXXX XXXX"),
        (1, "GB39 DCAF 0860 4692 8441 20"), (0, "DE50-6644-4278-7795-5894-09"),
    ],
    "ipv4": [
        (0, "1.1.1"), (1, "DNS 1.1.1.1"), (1, "10.0.0.1:5432"), (1, "ip:172.16.254.1"),
        (0, "Version 1.0.0.1 is out"),
    ],
    "ipv6": [
        (1, "2001:DB8::1"), (1, "[fe80::1]"), (1, "ping6 ::1"), (0, "Rust: std::io::Error"),
        (1, "2001:db8:0:0:1:0:0:1"),
    ],
    "secret": [
        (1, "PGPASSWORD=Zk2#pq9!LmT4"), (0, "password: ********"),
        (1, "\"secret\": \"gAAAAABlZ9xKq3Lw0vN8Rt2Yp5Hc7Jd1\""),
        (0, "api_key = os.environ['API_KEY']"), (1, "mysql://root:Pa55w0rd!x@db:3306/app"),
    ],
    "aws_key": [(1, "aws_access_key_id=ASIA2Q7PLMZB5XKRN4TW"), (0, "AKIA-Q7PLMZB5XKRN4TW")],
    "github_token": [(1, "git clone https://ghp_Q7pLmZb5XkRn4TwYc2Vd8Hs1Jf6Ga3Ke9Nu0@github.com/o/r")],
    "gitlab_token": [(1, "PRIVATE-TOKEN: glpat-Q7pLmZb5XkRn4TwYc2Vd")],
    "slack_token": [(1, "token=xoxb-1234567890-0987654321-Q7pLmZb5XkRn4TwYc2Vd8Hs1")],
    "private_key": [
        (1, "-----BEGIN EC PRIVATE KEY-----\r\nMHcCAQEEIB3kZ9x4Lw0vN8Rt2Yp5Hc7Jd1qS6fE0aB9cD8eF7gH6\r\n"
            "-----END EC PRIVATE KEY-----\r\n"),
        (0, "-----BEGIN OPENSSH PUBLIC KEY-----"),
    ],
    "jwt": [
        (1, "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0."),
        (0, "eyJhbGciOiJub25lIn0"),
    ],
}


DETECTORS = [
    ("email", emails), ("phone", phones), ("us_ssn", ssns), ("card", cards), ("iban", ibans),
    ("ipv4", ipv4s), ("ipv6", ipv6s), ("secret", secrets), ("aws_key", aws_keys),
    ("github_token", github_tokens), ("gitlab_token", gitlab_tokens),
    ("slack_token", slack_tokens), ("private_key", private_keys), ("jwt", jwts),
]


def escape(text):
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def main():
    for name, build in DETECTORS:
        pos, neg = build()
        pos += [text for label, text in EDGE_CASES.get(name, []) if label == 1]
        neg += [text for label, text in EDGE_CASES.get(name, []) if label == 0]
        lines = ["1\t" + escape(t) for t in pos] + ["0\t" + escape(t) for t in neg]
        R.shuffle(lines)
        path = os.path.join(HERE, name + ".tsv")
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write("# Labelled samples for std.pii `%s`; generated by generate.py, do not edit.\n"
                    % name)
            f.write("\n".join(lines) + "\n")
        print("%-13s %4d positive %4d negative" % (name, len(pos), len(neg)))


if __name__ == "__main__":
    main()
