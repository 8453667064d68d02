#!/usr/bin/python3
"""Spoofs of From: service@bank.example (p=reject) for issue 10, items 1-3.

usage: make_messages.py OUTDIR KEYFILE

Writes OUTDIR/zone (bank.example p=reject with rua, attacker.example with SPF,
DMARC p=none and its DKIM key s1, a CNAME loop for the selector "loop" so key
lookups fail temporarily, PTR/A for a list host) and one .eml per case, plus
OUTDIR/cases: "name  client-ip  mail-from  expected-reply-prefix  rule".
Signatures are made with dkimpy (Debian python3-dkim). Used by
tests/integration/spoofing_eval.sh (alignd eval) and tests/e2e/spoofing.sh
(the daemon behind Postfix).
"""
import base64
import os
import subprocess
import sys

import dkim

out, keyfile = sys.argv[1], sys.argv[2]
key = open(keyfile, "rb").read()
pub = subprocess.run(["openssl", "rsa", "-in", keyfile, "-pubout", "-outform", "DER"],
                     capture_output=True, check=True).stdout
p = base64.b64encode(pub).decode()

ATTACKER_IP = "203.0.113.5"   # in attacker.example's SPF; PTR claims the list's name
LIST_IP = "198.51.100.7"      # mx1.lists.example.org, PTR and A agree

# The two TLD-level entries make the file answer for every name under them (the
# DMARC tree walk asks _dmarc.example. and _dmarc.org. for relaxed alignment),
# so nothing the cases need reaches the e2e test's dead forwarder.
zone = f"""example. 300 IN TXT "test data: every name under example. answers from this file"
org. 300 IN TXT "test data: every name under org. answers from this file"
bank.example. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 -all"
_dmarc.bank.example. 300 IN TXT "v=DMARC1; p=reject; rua=mailto:dmarc@bank.example"
attacker.example. 300 IN TXT "v=spf1 ip4:203.0.113.0/24 -all"
_dmarc.attacker.example. 300 IN TXT "v=DMARC1; p=none"
s1._domainkey.attacker.example. 300 IN TXT "v=DKIM1; k=rsa; p={p}"
loop._domainkey.attacker.example. 300 IN CNAME loop._domainkey.attacker.example.
loop._domainkey.bank.example. 300 IN CNAME loop._domainkey.bank.example.
lists.example.org. 300 IN TXT "v=spf1 ip4:198.51.100.0/24 -all"
mx1.lists.example.org. 300 IN A {LIST_IP}
7.100.51.198.in-addr.arpa. 300 IN PTR mx1.lists.example.org.
5.113.0.203.in-addr.arpa. 300 IN PTR mx1.lists.example.org.
"""
with open(os.path.join(out, "zone"), "w") as f:
    f.write(zone)


def msg(headers, subject, body="Please confirm your account.\r\n"):
    h = "".join(f"{n}: {v}\r\n" for n, v in headers)
    return (h + f"To: victim@e2e.example\r\nSubject: {subject}\r\n"
            "Date: Fri, 04 Dec 2026 06:00:00 +0000\r\n"
            f"Message-ID: <{subject}@attacker.example>\r\n\r\n{body}").encode()


def sign(m, domain, selector):
    sig = dkim.sign(m, selector.encode(), domain.encode(), key,
                    include_headers=[b"from", b"to", b"subject", b"list-id"])
    return sig + m


BANK = [("From", "Bank <service@bank.example>")]
LISTISH = [("List-Id", "Bank news <news.bank.example>"), ("Precedence", "list"),
           ("Sender", "owner-news@lists.example.org"),
           ("List-Unsubscribe", "<mailto:leave@lists.example.org>")]
REJECT = "550 5.7.1"
cases = []  # (name, ip, mail_from, reply prefix, rule, bytes)


def case(name, data, reply, rule, ip=ATTACKER_IP, mail_from="a@attacker.example"):
    cases.append((name, ip, mail_from, reply, rule, data))


# item 1: List-Id & co. plus the attacker's own valid signature
case("list-spoof", sign(msg(BANK + LISTISH, "list-spoof"), "attacker.example", "s1"),
     REJECT, "dmarc-reject")
case("list-spoof-no-list-id", sign(msg(BANK, "list-spoof-no-list-id"), "attacker.example", "s1"),
     REJECT, "dmarc-reject")
# item 1: a real list host, verified by FCrDNS (its PTR and A agree)
case("list-verified-host", msg(BANK + LISTISH, "list-verified-host"), "", "mailing-lists",
     ip=LIST_IP, mail_from="owner-news@lists.example.org")
# item 2: a From that does not name one author
case("two-from-spoof-second",
     msg([("From", "a@attacker.example")] + BANK, "two-from-spoof-second"), REJECT, "broken-from")
case("two-from-spoof-first",
     msg(BANK + [("From", "a@attacker.example")], "two-from-spoof-first"), REJECT, "broken-from")
case("no-from", msg([], "no-from"), REJECT, "broken-from")
case("from-unterminated-comment",
     msg([("From", "service@bank.example (Bank")], "from-unterminated-comment"), REJECT,
     "broken-from")
case("from-control-character",
     msg([("From", "Bank\x01 <service@bank.example>")], "from-control-character"), REJECT,
     "broken-from")
case("from-empty-group", msg([("From", "undisclosed-recipients:;")], "from-empty-group"), REJECT,
     "broken-from")
case("from-group-with-bank", msg([("From", "Bank: service@bank.example;")], "from-group-with-bank"),
     REJECT, "dmarc-reject")
case("from-several-bank-second",
     msg([("From", "a@attacker.example, Bank <service@bank.example>")], "from-several-bank-second"),
     REJECT, "dmarc-reject")
case("from-too-many-domains",
     msg([("From", ", ".join(f"x@a{i}.example" for i in range(1, 6)) + ", service@bank.example")],
         "from-too-many-domains"), REJECT, "broken-from")
# item 3: a key lookup that fails temporarily
case("dkim-temperror-unaligned",
     sign(msg(BANK, "dkim-temperror-unaligned"), "attacker.example", "loop"), REJECT,
     "dmarc-reject")
case("dkim-temperror-aligned", sign(msg(BANK, "dkim-temperror-aligned"), "bank.example", "loop"),
     "451 4.4.3", "dmarc-temperror")
# control: the attacker's own domain, aligned
case("attacker-own-domain",
     sign(msg([("From", "a@attacker.example")], "attacker-own-domain"), "attacker.example", "s1"),
     "", "")

with open(os.path.join(out, "cases"), "w") as f:
    for name, ip, mail_from, reply, rule, data in cases:
        with open(os.path.join(out, name + ".eml"), "wb") as m:
            m.write(data)
        f.write(f"{name}\t{ip}\t{mail_from}\t{reply or '-'}\t{rule or '-'}\n")
