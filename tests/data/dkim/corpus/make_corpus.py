#!/usr/bin/python3
"""Writes the DKIM differential corpus (tests/unit/auth/dkim_differential_test.cc):
real-world-shaped messages signed by dkimpy (Debian python3-dkim) with the RFC 8463
keys, then varied: canonicalizations, l=, several signatures, Ed25519, tampered
headers and bodies, oversigned and folded headers, whitespace changes, and key
records that are unusable or restrict the key (t=y, t=s, h=, s=, k=).

  /usr/bin/python3 make_corpus.py      (in this directory; rewrites *.eml and corpus.zone)

Deterministic apart from t= (signing time), which no verdict depends on. Each file
name says what it holds; corpus.zone holds every key record the messages need.
"""
import base64
import os
import re
import time

import dkim

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)
D = b"football.example.com"


def read(name):
    with open(os.path.join(DATA, name), "rb") as f:
        return f.read()


RSA = read("rfc8463-rsa.key")
ED = read("rfc8463-ed25519.key")
WEAK = read("rsa512.key")
RSA_P = ("MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY"
         "/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVY"
         "LzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB")
ED_P = "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
BARE_P = base64.b64encode(base64.b64decode(RSA_P)[22:]).decode()  # PKCS#1 RSAPublicKey

ZONE = {  # selector -> record, all under football.example.com
    "brisbane": f"v=DKIM1; k=ed25519; p={ED_P}",
    "test": f"v=DKIM1; k=rsa; p={RSA_P}",
    "weak": "v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALyN/ZIOuOJ8l0jqxOENWM6NBviaTPLdOawOMI4uMKYcK5CqZ6yOLg9N4KmExktY50FcOv4KMsBH+gNrJAPuzrcCAwEAAQ==",
    "testing": f"v=DKIM1; t=y; k=rsa; p={RSA_P}",
    "strict": f"v=DKIM1; t=s; k=rsa; p={RSA_P}",
    "sha1only": f"v=DKIM1; h=sha1; k=rsa; p={RSA_P}",
    "sha256h": f"v=DKIM1; h=sha1:sha256; k=rsa; p={RSA_P}",
    "notemail": f"v=DKIM1; s=foo; k=rsa; p={RSA_P}",
    "anyservice": f"v=DKIM1; s=*; k=rsa; p={RSA_P}",
    "edtype": f"v=DKIM1; k=ed25519; p={RSA_P}",
    "rsatype": f"v=DKIM1; k=rsa; p={ED_P}",
    "revoked": "v=DKIM1; k=rsa; p=",
    "bare": f"v=DKIM1; k=rsa; p={BARE_P}",
    "badb64": "v=DKIM1; k=rsa; p=!!!!",
    "v2": f"v=DKIM2; k=rsa; p={RSA_P}",
    "vnotfirst": f"k=rsa; v=DKIM1; p={RSA_P}",
    "unknownk": f"v=DKIM1; k=dsa; p={RSA_P}",
    "garbage": "hello world",
    "nop": "v=DKIM1; k=rsa",
    "noversion": f"k=rsa; p={RSA_P}",
    "spaced": "v=DKIM1; k=rsa; p=" + " ".join(RSA_P[i:i + 60] for i in range(0, len(RSA_P), 60)),
    "unknowntag": f"v=DKIM1; k=rsa; n=notes here; x=y; p={RSA_P}",
}

PLAIN = (b"From: Joe SixPack <joe@football.example.com>\r\n"
         b"To: Suzie Q <suzie@shopping.example.net>\r\n"
         b"Subject: Is dinner ready?\r\n"
         b"Date: Fri, 11 Jul 2003 21:00:37 -0700\r\n"
         b"Message-ID: <20030712040037.46341.5F8J@football.example.com>\r\n"
         b"\r\n"
         b"Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n")
FOLDED = (b"From: \"Joe\r\n SixPack\" <joe@football.example.com>\r\n"
          b"To: Suzie Q <suzie@shopping.example.net>,\r\n\tBob <bob@shopping.example.net>,\r\n"
          b"  Carol <carol@shopping.example.net>\r\n"
          b"Subject: A rather long subject line that a mail client folded\r\n over two lines\r\n"
          b"Date: Fri, 11 Jul 2003 21:00:37 -0700\r\n"
          b"Message-ID: <folded.1@football.example.com>\r\n"
          b"X-Mailer:   Some Client 1.0   \r\n"
          b"\r\n"
          b"Folded headers.\r\n")
WHITESPACE = (b"From: joe@football.example.com\r\n"
              b"Subject: \t whitespace \t everywhere \r\n"
              b"Date: Fri, 11 Jul 2003 21:00:37 -0700\r\n"
              b"\r\n"
              b"  leading spaces\r\n"
              b"trailing spaces   \r\n"
              b"tabs\t\tinside\t\r\n"
              b"\r\n"
              b"\r\n"
              b" \r\n"
              b"\r\n")
MIME = (b"From: Newsletter <news@football.example.com>\r\n"
        b"To: list@shopping.example.net\r\n"
        b"Subject: =?UTF-8?B?V2Vla2x5IG5ld3M=?=\r\n"
        b"Date: Fri, 11 Jul 2003 21:00:37 -0700\r\n"
        b"Message-ID: <mime.1@football.example.com>\r\n"
        b"MIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
        b"List-Unsubscribe: <https://football.example.com/u?x=1>\r\n"
        b"\r\n"
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + "Gr\u00fc\u00dfe aus M\u00fcnchen.\r\n".encode() +
        b"--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + b"\r\n".join(base64.b64encode(bytes(range(256)) * 3)[i:i + 76]
                       for i in range(0, 1024, 76)) +
        b"\r\n--b1--\r\n")
EMPTY = (b"From: joe@football.example.com\r\nSubject: empty\r\n"
         b"Date: Fri, 11 Jul 2003 21:00:37 -0700\r\n\r\n")
SHAPES = {"plain": PLAIN, "folded": FOLDED, "whitespace": WHITESPACE, "mime": MIME,
          "empty": EMPTY}
CANONS = ["relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed"]


def sign(msg, selector=b"test", key=RSA, canon="relaxed/relaxed", alg=b"rsa-sha256",
         length=False, identity=None, include=None, domain=D):
    h, b = canon.encode().split(b"/")
    return dkim.sign(msg, selector, domain, key, identity=identity, canonicalize=(h, b),
                     signature_algorithm=alg, include_headers=include, length=length,
                     linesep=b"\r\n") + msg


def sub(msg, old, new):
    assert old in msg, old
    return msg.replace(old, new, 1)


def body_of(msg):
    return msg.split(b"\r\n\r\n", 1)


def main():
    out = {}
    for shape, msg in SHAPES.items():
        for canon in CANONS:
            c = canon.replace("/", "-")
            out[f"{shape}-rsa-{c}"] = sign(msg, canon=canon)
            out[f"{shape}-ed25519-{c}"] = sign(msg, b"brisbane", ED, canon, b"ed25519-sha256")
        # l=: whole body signed, then content appended after the limit, then only
        # whitespace and empty lines appended (not content, RFC 6376 §8.2).
        for canon in ("relaxed/relaxed", "simple/simple"):
            c = canon.replace("/", "-")
            s = sign(msg, canon=canon, length=True)
            out[f"{shape}-l-{c}"] = s
            out[f"{shape}-l-appended-{c}"] = s + b"Click https://evil.example/ now\r\n"
            out[f"{shape}-l-blank-appended-{c}"] = s + b"\r\n  \r\n\r\n"
        # several signatures: RSA and Ed25519, and one from another selector that fails
        both = sign(sign(msg, canon="simple/simple"), b"brisbane", ED, "relaxed/relaxed",
                    b"ed25519-sha256")
        out[f"{shape}-two"] = both
        out[f"{shape}-three-one-bad"] = sign(both, b"nokey")
        # tampered: header value, body, whitespace only (relaxed survives, simple not)
        head, body = body_of(msg)
        for canon in ("relaxed/relaxed", "simple/simple"):
            c = canon.replace("/", "-")
            s = sign(msg, canon=canon)
            out[f"{shape}-tampered-from-{c}"] = sub(s, b"\r\nFrom: ", b"\r\nFrom: X")
            out[f"{shape}-tampered-body-{c}"] = s + b"added line\r\n" if body else s + b"x\r\n"
            out[f"{shape}-ws-header-{c}"] = sub(s, b"\r\nDate: ", b"\r\nDate:    ")
            out[f"{shape}-refolded-{c}"] = sub(s, b"\r\nDate: Fri, 11 Jul",
                                                 b"\r\nDate: Fri,\r\n 11 Jul")
            if body.strip():
                out[f"{shape}-ws-body-{c}"] = s.replace(b"\r\n\r\n", b" \r\n\r\n\r\n")[:-2] + b" \t\r\n\r\n"
            out[f"{shape}-header-case-{c}"] = sub(s, b"\r\nDate:", b"\r\nDATE:")
            out[f"{shape}-added-header-{c}"] = sub(s, b"\r\nDate:", b"\r\nX-Added: yes\r\nDate:")

    # oversigning (RFC 6376 §8.15): h= names From and Subject once more than present
    inc = [b"from", b"to", b"subject", b"date", b"from", b"subject"]
    o = sign(PLAIN, include=inc)
    out["oversigned"] = o
    out["oversigned-second-from"] = sub(o, b"\r\nTo:", b"\r\nFrom: ceo@football.example.com\r\nTo:")
    out["oversigned-second-subject-top"] = sub(o, b"\r\nFrom: Joe", b"\r\nSubject: Urgent\r\nFrom: Joe")
    plain = sign(PLAIN, include=[b"from", b"to", b"subject", b"date"])
    out["not-oversigned-second-from-bottom"] = plain.replace(b"\r\n\r\nHi.", b"\r\nFrom: ceo@football.example.com\r\n\r\nHi.", 1)
    out["not-oversigned-second-from-top"] = sub(plain, b"\r\nFrom: Joe", b"\r\nFrom: ceo@football.example.com\r\nFrom: Joe")
    out["h-names-absent-header"] = sign(PLAIN, include=[b"from", b"reply-to", b"cc"])
    out["h-from-only"] = sign(PLAIN, include=[b"from"])

    # key records (corpus.zone)
    for sel in ZONE:
        if sel in ("brisbane", "test", "weak"):
            continue
        if sel == "rsatype":
            out[f"key-{sel}"] = sign(PLAIN, b"rsatype", ED, alg=b"ed25519-sha256")
        else:
            out[f"key-{sel}"] = sign(PLAIN, sel.encode())
    out["key-none"] = sign(PLAIN, b"nokey")
    out["key-weak-512"] = sign(PLAIN, b"weak", WEAK)
    out["ed25519-key-for-rsa-sig"] = sign(PLAIN, b"brisbane")
    out["rsa-sha1"] = sign(PLAIN, alg=b"rsa-sha1")

    # i= (the AUID, RFC 6376 §3.5) and t=s
    out["i-user"] = sign(PLAIN, identity=b"joe@football.example.com")
    out["i-subdomain"] = sign(PLAIN, identity=b"joe@mail.football.example.com")
    out["i-subdomain-strict-key"] = sign(PLAIN, b"strict", identity=b"joe@mail.football.example.com")
    out["i-exact-strict-key"] = sign(PLAIN, b"strict", identity=b"joe@football.example.com")
    out["d-uppercase"] = sign(PLAIN, domain=b"Football.Example.COM")

    # signature field edits after signing
    s = sign(PLAIN)
    out["sig-b-refolded"] = re.sub(rb"(b=[A-Za-z0-9+/]{20})", rb"\1\r\n\t ", s, count=1)
    out["sig-bh-changed"] = re.sub(rb"bh=([A-Za-z0-9+/])", lambda m: b"bh=" + (b"A" if m.group(1) != b"A" else b"B"), s, count=1)
    out["sig-b-truncated"] = re.sub(rb"b=([A-Za-z0-9+/]{10})[A-Za-z0-9+/\r\n\t =]+\r\nFrom", rb"b=\1\r\nFrom", s, count=1)
    old = time.time
    time.time = lambda: old() + 3650 * 86400
    out["t-in-future"] = sign(PLAIN)
    time.time = old

    for name in os.listdir(HERE):
        if name.endswith(".eml"):
            os.unlink(os.path.join(HERE, name))
    for name, msg in sorted(out.items()):
        with open(os.path.join(HERE, name + ".eml"), "wb") as f:
            f.write(msg)
    with open(os.path.join(HERE, "corpus.zone"), "w") as f:
        f.write("; key records of the DKIM differential corpus (make_corpus.py)\n")
        for sel, rec in ZONE.items():
            strings = " ".join('"%s"' % rec[i:i + 200] for i in range(0, len(rec), 200))
            f.write(f"{sel}._domainkey.football.example.com. IN TXT {strings}\n")
    print(len(out), "messages")


if __name__ == "__main__":
    main()
