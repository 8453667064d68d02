#!/usr/bin/python3
# Writes the benchmark corpus: inbound messages of realistic shapes (small text,
# ~50 KB and ~1 MB attachments) DKIM-signed with dkimpy, outbound (unsigned) copies
# for the signing runs, a manifest for each (bench/milter_load.cc reads them), and
# the zone records the messages need (SPF, DMARC, A; not the DKIM keys: run.sh
# appends those from `alignd keygen`). With --arc-sealers, also arc3/: every inbound
# message with a 3-hop ARC chain (RFC 8617) sealed by dkimpy, and arc3.manifest.
# Deterministic for a given --seed (the ARC seals carry the time they were made).
# Run with Debian's /usr/bin/python3 (python3-dkim).
import argparse
import base64
import os
import random

import dkim

SIGNED = ["news.example", "shop.example", "bank.example", "friends.example"]
POLICY = {"news.example": "none", "shop.example": "quarantine", "bank.example": "reject",
          "friends.example": "none", "newsletter.example": "none", "out.example": "none",
          "forger.example": "none"}
SIGNED_HEADERS = [b"from", b"to", b"subject", b"date", b"message-id", b"mime-version",
                  b"content-type"]
WORDS = ("invoice meeting quarterly report attached please find below regards thanks "
         "schedule update project delivery customer account order shipping tomorrow "
         "review draft budget summary the a of to and in for on with").split()


def zone_records(selector):
    """SPF, DMARC, A and MX records for every domain the corpus uses."""
    rec = []
    for i, d in enumerate(SIGNED + ["newsletter.example"]):
        ip = f"192.0.2.{10 + i}"
        rec += [f'{d}. 300 IN TXT "v=spf1 include:_spf.{d} -all"',
                f'_spf.{d}. 300 IN TXT "v=spf1 ip4:192.0.2.0/24 ip4:198.51.100.0/24 ~all"',
                f'_dmarc.{d}. 300 IN TXT "v=DMARC1; p={POLICY[d]}; rua=mailto:dmarc@{d}"',
                f"{d}. 300 IN MX 10 mx1.{d}.",
                f"mx1.{d}. 300 IN A {ip}",
                f'mx1.{d}. 300 IN TXT "v=spf1 a -all"']
    rec += ['forger.example. 300 IN TXT "v=spf1 ip4:203.0.113.0/24 -all"',
            "mx.forger.example. 300 IN A 203.0.113.7",
            'mx.forger.example. 300 IN TXT "v=spf1 a -all"',
            'out.example. 300 IN TXT "v=spf1 ip4:127.0.0.1 -all"',
            '_dmarc.out.example. 300 IN TXT "v=DMARC1; p=none"',
            # the one-message-per-connection run: smtp-source connects from ::1
            'v6.bank.example. 300 IN TXT "v=spf1 ip6:::1 -all"']
    return "\n".join(rec) + "\n"


def text(rng, size):
    lines, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 13))).capitalize() + "."
        lines.append(line)
        n += len(line) + 2
    return "\r\n".join(lines) + "\r\n"


def body_for(rng, shape):
    """(content-type header value, body) for one message shape."""
    if shape == "small":
        return "text/plain; charset=utf-8", text(rng, rng.randint(800, 3500))
    raw = rng.randbytes(36_000 if shape == "medium" else 760_000)
    b64 = base64.encodebytes(raw).decode().replace("\n", "\r\n")
    boundary = f"=_b{rng.getrandbits(48):012x}"
    body = (f"--{boundary}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + text(rng, rng.randint(400, 1500))
            + f"--{boundary}\r\nContent-Type: application/pdf; name=\"doc.pdf\"\r\n"
            + "Content-Transfer-Encoding: base64\r\n"
            + "Content-Disposition: attachment; filename=\"doc.pdf\"\r\n\r\n"
            + b64 + f"--{boundary}--\r\n")
    return f'multipart/mixed; boundary="{boundary}"', body


def message(rng, n, author, helo, client_ip, shape, extra=()):
    ctype, body = body_for(rng, shape)
    domain = author.split("@")[1]
    hdrs = [f"Received: from {helo} ({helo} [{client_ip}])\r\n\tby mx.bench.example (Postfix) "
            f"with ESMTPS id B{n:09X}\r\n\tfor <user{n % 50}@bench.example>; "
            "Mon, 3 Aug 2026 10:00:00 +0000",
            f"Received: from app{n % 7}.internal ([10.0.{n % 250}.1])\r\n\tby {helo} with ESMTP; "
            "Mon, 3 Aug 2026 09:59:58 +0000",
            f"From: Sender {n} <{author}>",
            f"To: <user{n % 50}@bench.example>",
            f"Subject: {' '.join(rng.choice(WORDS) for _ in range(5))} #{n}",
            "Date: Mon, 3 Aug 2026 09:59:58 +0000",
            f"Message-ID: <{n}.{rng.getrandbits(40):010x}@{domain}>",
            "MIME-Version: 1.0",
            f"Content-Type: {ctype}", *extra]
    return ("\r\n".join(hdrs) + "\r\n\r\n" + body).encode()


def sign(msg, domain, selector, key):
    return dkim.sign(msg, selector.encode(), domain.encode(), key,
                     canonicalize=(b"relaxed", b"relaxed"), include_headers=SIGNED_HEADERS) + msg


# Hostile messages (issue 10 item 5, docs/security.md): NAME -> (extra header fields
# after the real ones, sign the message first). Written to hostile/NAME.eml with a
# one-message manifest hostile-NAME.manifest; bench/run.sh --hostile rows use them.
HOSTILE = {
    "sigs-20000": (lambda i: f"DKIM-Signature: v=1; a=rsa-sha256; d=junk{i}.example; s=s; "
                             f"h=from; bh=AAAA; b=AAAA{i}", 20_000, True),
    "fields-100000": (lambda i: f"X-Filler-{i}: {i}", 100_000, False),
}


def write_hostile(out, key, selector):
    os.makedirs(f"{out}/hostile", exist_ok=True)
    for name, (field, count, signed) in HOSTILE.items():
        msg = message(random.Random(name), 0, "user1@shop.example", "mx1.shop.example",
                      "192.0.2.11", "small")
        if signed:
            msg = sign(msg, "shop.example", selector, key["shop.example"])
        head, body = msg.split(b"\r\n\r\n", 1)
        extra = "".join(field(i) + "\r\n" for i in range(count)).encode()
        with open(f"{out}/hostile/{name}.eml", "wb") as f:
            f.write(head + b"\r\n" + extra + b"\r\n" + body)
        with open(f"{out}/hostile-{name}.manifest", "w") as m:
            m.write(f"hostile/{name}.eml 192.0.2.11 mx1.shop.example bounce@shop.example "
                    "user1@bench.example\n")


def arc_seal(msg, hops, selector, key):
    """msg sealed by each ARC hop in turn (dkimpy), as lists that change nothing would:
    each hop writes its Authentication-Results (dkimpy copies it into the AAR and takes
    cv= from its arc= result), then seals. The author's DKIM signature stays intact."""
    domain = msg.split(b"\r\nFrom: ", 1)[1].split(b"@", 1)[1].split(b">", 1)[0].decode()
    for i, d in enumerate(hops):
        srv = f"mx.{d}"
        res = (f"spf=pass smtp.mailfrom={domain}; dkim=pass header.d={domain}; "
               f"dmarc=pass header.from={domain}") if i == 0 else "arc=pass"
        msg = f"Authentication-Results: {srv}; {res}\r\n".encode() + msg
        fields = dkim.arc_sign(msg, selector.encode(), d.encode(), key[d], srv.encode())
        if not fields:
            raise SystemExit(f"dkimpy did not seal for {d}")
        msg = b"".join(fields) + msg
    return msg


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, default=300)
    ap.add_argument("--selector", default="s2026")
    ap.add_argument("--keys", required=True, help="directory of DOMAIN.SELECTOR.key files")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--arc-sealers", default="",
                    help="D1,D2,D3: also write arc3/, each inbound message sealed by D1, D2, D3")
    a = ap.parse_args()
    hops = [d for d in a.arc_sealers.split(",") if d]
    arc_key = {d: open(os.path.join(a.keys, f"{d}.{a.selector}.key"), "rb").read() for d in hops}
    if hops:
        os.makedirs(f"{a.out}/arc3", exist_ok=True)
    arcm = open(f"{a.out}/arc3.manifest", "w") if hops else None
    rng = random.Random(a.seed)
    key = {d: open(os.path.join(a.keys, f"{d}.{a.selector}.key"), "rb").read()
           for d in SIGNED + ["forger.example"]}
    os.makedirs(f"{a.out}/in", exist_ok=True)
    os.makedirs(f"{a.out}/out", exist_ok=True)
    with open(f"{a.out}/zone.records", "w") as z:
        z.write(zone_records(a.selector))
    write_hostile(a.out, key, a.selector)
    kinds = {}
    with open(f"{a.out}/in.manifest", "w") as inm, open(f"{a.out}/out.manifest", "w") as outm:
        n = 0
        while n < a.count:
            # One SMTP session: a client sends 1-8 messages in a row (milter_load keeps
            # them on one connection, up to its --per-conn).
            r = rng.random()
            session = "signed" if r < 0.89 else "unsigned" if r < 0.95 else "forged"
            d = rng.choice(SIGNED) if session != "unsigned" else "newsletter.example"
            i = (SIGNED + ["newsletter.example"]).index(d)
            helo, ip, mfrom = f"mx1.{d}", f"192.0.2.{10 + i}", f"bounce@{d}"
            if session == "forged":  # a look-alike: From bank.example, signed and sent by forger.example
                d, helo, ip, mfrom = "bank.example", "mx.forger.example", "203.0.113.7", "x@forger.example"
            for _ in range(min(rng.randint(1, 8), a.count - n)):
                r = rng.random()
                shape = "small" if r < 0.70 else "medium" if r < 0.95 else "large"
                kind = session
                if session == "signed":
                    kind = "tampered" if rng.random() < 0.06 else "pass"
                kinds[kind] = kinds.get(kind, 0) + 1
                extra = ["List-Unsubscribe: <mailto:unsub@newsletter.example>"] if kind == "unsigned" else []
                msg = message(rng, n, f"user{n % 9}@{d}", helo, ip, shape, extra)
                if kind in ("pass", "tampered"):
                    msg = sign(msg, d, a.selector, key[d])
                if kind == "forged":
                    msg = sign(msg, "forger.example", a.selector, key["forger.example"])
                if kind == "tampered":
                    msg = msg.replace(b"\r\n\r\n", b"\r\n\r\nForwarded through a list that edits bodies.\r\n", 1)
                with open(f"{a.out}/in/{n:04d}.eml", "wb") as f:
                    f.write(msg)
                inm.write(f"in/{n:04d}.eml {ip} {helo} {mfrom} user{n % 50}@bench.example\n")
                if hops:
                    with open(f"{a.out}/arc3/{n:04d}.eml", "wb") as f:
                        f.write(arc_seal(msg, hops, a.selector, arc_key))
                    arcm.write(f"arc3/{n:04d}.eml {ip} {helo} {mfrom} user{n % 50}@bench.example\n")
                out = message(random.Random(n), n, f"staff{n % 9}@out.example", "localhost", "127.0.0.1", shape)
                with open(f"{a.out}/out/{n:04d}.eml", "wb") as f:
                    f.write(out)
                outm.write(f"out/{n:04d}.eml 127.0.0.1 localhost staff{n % 9}@out.example "
                           f"someone{n % 50}@elsewhere.example\n")
                n += 1
    # p1.eml: one ~5.5 KB message, RSA-2048 signed by bank.example (p=reject), sent by
    # smtp-source from ::1 with MAIL FROM bounce@v6.bank.example: SPF, DKIM and DMARC
    # pass. LF line ends: smtp-source -F appends CRLF to each line.
    p1 = message(random.Random(1), 1, "billing@bank.example", "v6.bank.example", "::1", "small")
    head, _, _ = p1.partition(b"\r\n\r\n")
    p1 = head + b"\r\n\r\n" + text(random.Random(5), 4500).encode()
    p1 = sign(p1, "bank.example", a.selector, key["bank.example"])
    with open(f"{a.out}/p1.eml", "wb") as f:
        f.write(p1.replace(b"\r\n", b"\n"))
    if arcm:
        arcm.close()
    print(" ".join(f"{k}={v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
