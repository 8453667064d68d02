#!/usr/bin/python3
"""dkimpy side of tests/integration/arc_interop.sh (Debian's /usr/bin/python3, dkimpy).

  seal --key F --domain D --selector S --srv-id ID [--ar RESULTS] MSG
        print MSG sealed by dkimpy as the next ARC hop. With --ar, first prepend
        "Authentication-Results: ID; RESULTS" (dkimpy copies it into the AAR and
        takes cv= from its arc= result, as a real hop would).
  verify --zone ZONE MSG        print dkimpy's chain status: pass | fail | none
  eval-sealed EVALOUT MSG       print MSG with every field `alignd eval` would add
  eval-arc JSON                 print "result oldest-pass sealer,sealer,..." from --json
  tamper-body MSG               change one body byte
  drop-set MSG N                remove the three ARC fields with i=N
  swap-instances MSG            exchange i=1 and i=2 on every ARC field
"""
import json
import re
import sys

import dkim

sys.path.insert(0, __import__("os").path.join(__import__("os").path.dirname(__file__), "..", "dkim"))
from dkimpy_tool import read, zone_records  # noqa: E402

ARC_RE = rb"(?i)^(arc-seal|arc-message-signature|arc-authentication-results):"


def split_msg(msg):
    head, body = msg.split(b"\r\n\r\n", 1)
    fields = []
    for line in head.split(b"\r\n"):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += b"\r\n" + line
        else:
            fields.append(line)
    return fields, body


def join_msg(fields, body):
    return b"".join(f + b"\r\n" for f in fields) + b"\r\n" + body


def instance(field):
    m = re.search(rb"[\s;:]i\s*=\s*(\d+)", field)
    return int(m.group(1)) if m else None


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "seal":
        opts = {}
        while args and args[0].startswith("--"):
            opts[args[0]] = args[1]
            args = args[2:]
        msg = read(args[0]).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        srv = opts["--srv-id"].encode()
        if "--ar" in opts:
            msg = b"Authentication-Results: " + srv + b"; " + opts["--ar"].encode() + b"\r\n" + msg
        with open(opts["--key"], "rb") as f:
            key = f.read()
        fields = dkim.arc_sign(msg, opts["--selector"].encode(), opts["--domain"].encode(), key, srv)
        if not fields:
            print("dkimpy did not seal", file=sys.stderr)
            return 1
        sys.stdout.buffer.write(b"".join(fields) + msg)
        return 0
    if cmd == "verify":
        recs = zone_records(args[1])

        def dnsfunc(name, timeout=5):
            return recs.get(name.decode().lower().rstrip(".") + ".")

        cv, _, why = dkim.arc_verify(read(args[2]), dnsfunc=dnsfunc)
        print({dkim.CV_Pass: "pass", dkim.CV_None: "none"}.get(cv, "fail"))
        print(why, file=sys.stderr)
        return 0
    if cmd == "eval-sealed":
        fields, cur = [], None
        for line in read(args[0]).decode().replace("\r", "").split("\n"):
            if line.startswith("add: "):
                cur = [line[len("add: "):]]
                fields.append(cur)
            elif cur is not None and line[:1] in (" ", "\t"):
                cur.append(line)
            else:
                cur = None
        out = b"".join("\r\n".join(f).encode() + b"\r\n" for f in fields)
        sys.stdout.buffer.write(out + read(args[1]).replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
        return 0
    if cmd == "eval-arc":
        with open(args[0]) as f:
            a = json.load(f)["arc"]
        print(a["result"], a["oldest_pass"], ",".join(s["sealer"] for s in a["sets"]) or "-",
              "trusted_pass=%s" % str(a["trusted_pass"]).lower())
        return 0
    fields, body = split_msg(read(args[0]))
    if cmd == "tamper-body":
        body = body.replace(b"e", b"E", 1)
    elif cmd == "drop-set":
        n = int(args[1])
        fields = [f for f in fields if not (re.match(ARC_RE, f) and instance(f) == n)]
    elif cmd == "swap-instances":
        def swap(f):
            if not re.match(ARC_RE, f):
                return f
            return re.sub(rb"([\s;:]i\s*=\s*)([12])\b",
                          lambda m: m.group(1) + (b"2" if m.group(2) == b"1" else b"1"), f, count=1)
        fields = [swap(f) for f in fields]
    else:
        print(__doc__, file=sys.stderr)
        return 2
    sys.stdout.buffer.write(join_msg(fields, body))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
