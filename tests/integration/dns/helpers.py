#!/usr/bin/python3
# Helpers for tests/integration/dns_unbound.sh: zone data for nsd, a free port, a UDP
# server that never answers, and a wait-until-nsd-answers probe. Loopback only.
import os
import socket
import struct
import sys
import time

ZONE = "integration.example."
THREADS, PER_THREAD = 16, 500  # must match tests/integration/dns/unbound_resolver_test.cc


def body():
    """Records both nsd (via the zone file) and ZoneResolver (via parse_zone) load."""
    long_txt = " ".join('"%s"' % (c * 255) for c in "abc") + ' "tail"'
    lines = [
        f"{ZONE} 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"",
        f"{ZONE} 300 IN MX 10 mx1.{ZONE}",
        f"{ZONE} 300 IN MX 20 mx2.{ZONE}",
        f"_dmarc.{ZONE} 300 IN TXT \"v=DMARC1; \" \"p=reject\"",
        f"mx1.{ZONE} 300 IN A 192.0.2.10",
        f"mx1.{ZONE} 300 IN AAAA 2001:db8::10",
        f"mx2.{ZONE} 300 IN A 192.0.2.11",
        f"long.s1._domainkey.{ZONE} 300 IN TXT {long_txt}",
        f"www.{ZONE} 300 IN CNAME mx1.{ZONE}",
        f"10.{ZONE} 300 IN PTR mx1.{ZONE}",
        f"quoted.{ZONE} 300 IN TXT \"say \\\"hi\\\"; \\059 semi\"",
        # odd octets in names: answers hand them out as \DDD, which must read back
        f"odd.{ZONE} 300 IN PTR Foo:Bar/Baz.{ZONE}",
        f"foo:bar/baz.{ZONE} 300 IN A 192.0.2.12",
        f"a\\032b.{ZONE} 300 IN TXT \"space\"",
    ]
    for t in range(THREADS):
        for i in range(PER_THREAD):
            lines.append(f"n{t}-{i}.conc.{ZONE} 60 IN TXT \"value {t} {i} {(t * 7919 + i) % 10007}\"")
    return "\n".join(lines) + "\n"


def write_zones(d):
    head = (f"$TTL 300\n{ZONE} 300 IN SOA ns.{ZONE} hostmaster.{ZONE} 1 3600 600 86400 300\n"
            f"{ZONE} 300 IN NS ns.{ZONE}\nns.{ZONE} 300 IN A 127.0.0.1\n")
    with open(os.path.join(d, "body.zone"), "w") as f:
        f.write(body())
    with open(os.path.join(d, "integration.example.zone"), "w") as f:
        f.write(head + body())
    # broken.example: configured in nsd but its file does not parse, so nsd answers SERVFAIL
    with open(os.path.join(d, "broken.example.zone"), "w") as f:
        f.write("this is not a zone file (\n")


def write_signed_zone(d):
    """sec.example.: a DNSSEC-signed zone (ECDSA P-256, NSEC) and its trust anchor file.
    bad.sec.example. carries a TXT whose signature covers different text (bogus)."""
    import datetime
    import dns.dnssec
    import dns.name
    import dns.rdata
    import dns.rdataclass
    import dns.rdatatype
    import dns.rrset
    from cryptography.hazmat.primitives.asymmetric import ec

    origin = dns.name.from_text("sec.example.")
    key = ec.generate_private_key(ec.SECP256R1())
    dnskey = dns.dnssec.make_dnskey(key.public_key(), "ECDSAP256SHA256", flags=257)
    now = datetime.datetime.now(datetime.timezone.utc)
    inception, expiration = now - datetime.timedelta(hours=1), now + datetime.timedelta(days=2)

    def rr(name, rtype, text):
        return dns.rrset.from_text(name, 300, "IN", rtype, text)

    data = {  # owner -> list of rrsets
        "sec.example.": [rr("sec.example.", "SOA", "ns.sec.example. h.sec.example. 1 3600 600 86400 300"),
                         rr("sec.example.", "NS", "ns.sec.example."),
                         dns.rrset.from_rdata("sec.example.", 300, dnskey)],
        "ns.sec.example.": [rr("ns.sec.example.", "A", "127.0.0.1")],
        "txt.sec.example.": [rr("txt.sec.example.", "TXT", '"signed text"')],
        "bad.sec.example.": [rr("bad.sec.example.", "TXT", '"tampered text"')],
    }
    signed_as = {"bad.sec.example.": rr("bad.sec.example.", "TXT", '"original text"')}
    names = sorted(dns.name.from_text(n) for n in data)  # canonical order (RFC 4034 §6.1)
    for i, n in enumerate(names):
        nxt = names[(i + 1) % len(names)]
        types = " ".join(sorted({dns.rdatatype.to_text(r.rdtype) for r in data[n.to_text()]} | {"RRSIG", "NSEC"}))
        data[n.to_text()].append(rr(n.to_text(), "NSEC", f"{nxt} {types}"))
    lines = []
    for owner, rrsets in data.items():
        for rrset in rrsets:
            to_sign = signed_as.get(owner) if rrset.rdtype == dns.rdatatype.TXT else None
            sig = dns.dnssec.sign(to_sign or rrset, key, origin, dnskey, inception, expiration)
            lines.append(rrset.to_text())
            lines.append(dns.rrset.from_rdata(owner, 300, sig).to_text())
    soa = [l for l in lines if " SOA " in l]
    with open(os.path.join(d, "sec.example.zone"), "w") as f:
        f.write("\n".join(soa + [l for l in lines if l not in soa]) + "\n")
    with open(os.path.join(d, "sec.example.ta"), "w") as f:
        f.write(f"sec.example. 300 IN DNSKEY {dnskey.to_text()}\n")


def free_port():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    port = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    t.bind(("127.0.0.1", port))  # free for TCP too
    t.close()
    u.close()
    return port


def silent(port_file):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    with open(port_file + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(port_file + ".tmp", port_file)
    while True:
        s.recvfrom(65535)  # read and drop: the upstream that never answers


def wait_for(port, name, seconds=20):
    qname = b"".join(bytes([len(l)]) + l.encode() for l in name.strip(".").split(".")) + b"\0"
    query = struct.pack(">HHHHHH", 0x4242, 0, 1, 0, 0, 0) + qname + struct.pack(">HH", 6, 1)
    deadline = time.time() + seconds
    while time.time() < deadline:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.settimeout(0.2)
        try:
            s.sendto(query, ("127.0.0.1", port))
            reply = s.recv(4096)
            if reply[:2] == b"\x42\x42" and (reply[3] & 0xF) == 0 and struct.unpack(">H", reply[6:8])[0] > 0:
                return 0
        except OSError:
            pass
        finally:
            s.close()
        time.sleep(0.1)
    print(f"nsd on port {port} did not answer SOA {name}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "zones":
        write_zones(sys.argv[2])
        write_signed_zone(sys.argv[2])
    elif cmd == "free-port":
        print(free_port())
    elif cmd == "silent":
        silent(sys.argv[2])
    elif cmd == "wait":
        sys.exit(wait_for(int(sys.argv[2]), sys.argv[3]))
    else:
        sys.exit(f"unknown command {cmd}")
