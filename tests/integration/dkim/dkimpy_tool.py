#!/usr/bin/python3
"""dkimpy side of tests/integration/dkim_interop.sh (run with Debian's /usr/bin/python3).

  genkey-ed25519 SEEDFILE          write a base64 Ed25519 seed (mode 0600), print p=
  sign --key F --domain D --selector S [--alg A] [--canon H/B] [--length] MSG
                                   print MSG with a dkimpy DKIM-Signature prepended
  verify --zone ZONE MSG           print "pass"/"fail" per signature, in header order
  messages DIR                     write the interop test messages into DIR
  tamper MSG                       print MSG with one signed body byte changed
  append MSG TEXT                  print MSG with TEXT added at the end of the body
  opendkim-data ZONE               print ZONE as an opendkim TestDNSData file
  eval-signed EVALOUT MSG          print MSG with the DKIM-Signature fields that
                                   `alignd eval` (text output in EVALOUT) would add
  eval-dkim JSON                   print the "dkim" results of `alignd eval --json`
"""
import base64
import os
import re
import sys

import dkim


def read(path):
    with open(path, "rb") as f:
        return f.read()


def zone_records(path):
    """TXT records of a master file (absolute names, quoted strings, parentheses)."""
    text = read(path).decode()
    text = "\n".join(l for l in text.splitlines() if not l.lstrip().startswith(";"))
    # Join parenthesised continuations onto one line.
    text = re.sub(r"\(([^)]*)\)", lambda m: m.group(1).replace("\n", " "), text)
    recs = {}
    for line in text.splitlines():
        m = re.match(r"^(\S+)\s.*?\bTXT\b(.*)$", line)
        if not m:
            continue
        name = m.group(1).lower().rstrip(".") + "."
        strings = re.findall(r'"((?:[^"\\]|\\.)*)"', m.group(2))
        recs[name] = "".join(strings).encode()
    return recs


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "genkey-ed25519":
        import nacl.signing
        key = nacl.signing.SigningKey.generate()
        fd = os.open(args[0], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, base64.b64encode(bytes(key)) + b"\n")
        os.close(fd)
        print(base64.b64encode(bytes(key.verify_key)).decode())
        return 0
    if cmd == "sign":
        opts = {"--alg": "rsa-sha256", "--canon": "relaxed/simple"}
        length = False
        rest = []
        i = 0
        while i < len(args):
            if args[i] == "--length":
                length = True
            elif args[i].startswith("--"):
                opts[args[i]] = args[i + 1]
                i += 1
            else:
                rest.append(args[i])
            i += 1
        msg = read(rest[0])
        h, b = opts["--canon"].split("/")
        sig = dkim.sign(msg, opts["--selector"].encode(), opts["--domain"].encode(),
                        read(opts["--key"]), signature_algorithm=opts["--alg"].encode(),
                        canonicalize=(h.encode(), b.encode()), length=length,
                        linesep=b"\r\n")
        sys.stdout.buffer.write(sig + msg)
        return 0
    if cmd == "verify":
        recs = zone_records(args[1])
        msg = read(args[2])

        def dnsfunc(name, timeout=5):
            return recs.get(name.decode().lower().rstrip(".") + ".")

        n = len(re.findall(rb"(?im)^dkim-signature:", msg.split(b"\r\n\r\n", 1)[0]))
        d = dkim.DKIM(msg)
        for idx in range(n):
            try:
                ok = d.verify(idx=idx, dnsfunc=dnsfunc)
            except Exception:
                ok = False
            print("pass" if ok else "fail")
        return 0
    if cmd == "messages":
        out = args[0]
        head = ("From: Alice Example <alice@example.com>\r\nTo: bob@example.net\r\n"
                "Subject: interop {}\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\n"
                "Message-ID: <{}@example.com>\r\nMIME-Version: 1.0\r\n"
                "Content-Type: text/plain; charset=utf-8\r\n")
        big = "".join("line %07d of a one megabyte body, to cross every buffer\r\n" % i
                      for i in range(18000))
        cases = {
            "folded": (head + "X-Folded: first part\r\n\tsecond part\r\n   third part\r\n",
                       "Hello.\r\n"),
            "long-header": (head + "References: " + " ".join(
                "<%d.long.reference@example.com>" % i for i in range(60)) + "\r\n" +
                "X-Long: " + "y" * 900 + "\r\n", "Long headers.\r\n"),
            "empty-body": (head, ""),
            "trailing-ws": (head, "spaces at the end   \r\ntab\t\r\n\r\n  \r\n\r\n\r\n"),
            "8bit": (head.replace("text/plain; charset=utf-8",
                                  "text/plain; charset=iso-8859-1") +
                     "Content-Transfer-Encoding: 8bit\r\n",
                     "Gr\u00fc\u00dfe aus K\u00f6ln \u2013 \u00e9t\u00e9\r\n\xff\xfe bytes\r\n"),
            "1mb": (head, big),
        }
        for name, (h, b) in cases.items():
            data = h.format(name, name).encode("utf-8") + b"\r\n" + b.encode("utf-8")
            if name == "8bit":
                data = h.format(name, name).encode() + b"\r\n" + b.encode("latin-1", "replace")
            with open(os.path.join(out, name + ".eml"), "wb") as f:
                f.write(data)
        return 0
    if cmd == "tamper":
        msg = read(args[0])
        head, sep, body = msg.partition(b"\r\n\r\n")
        m = re.search(rb"[A-Za-z]", body)
        if m:
            i = m.start()
            body = body[:i] + bytes([body[i] ^ 0x20]) + body[i + 1:]
        else:
            body += b"tampered\r\n"
        sys.stdout.buffer.write(head + sep + body)
        return 0
    if cmd == "append":
        sys.stdout.buffer.write(read(args[0]) + args[1].encode() + b"\r\n")
        return 0
    if cmd == "opendkim-data":
        for name, value in zone_records(args[0]).items():
            print(name.rstrip("."), value.decode())
        return 0
    if cmd == "eval-signed":
        fields, cur = [], None
        for line in read(args[0]).decode().split("\n"):
            if line.startswith("add: DKIM-Signature:"):
                cur = [line[len("add: "):]]
                fields.append(cur)
            elif cur is not None and line[:1] in (" ", "\t"):
                cur.append(line)
            else:
                cur = None
        out = b"".join("\r\n".join(f).encode() + b"\r\n" for f in fields)
        sys.stdout.buffer.write(out + read(args[1]))
        return 0
    if cmd == "eval-dkim":
        import json
        with open(args[0]) as f:
            print(" ".join(r["result"] for r in json.load(f)["dkim"]))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
