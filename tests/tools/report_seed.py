#!/usr/bin/env python3
"""Prints SQL INSERTs of evaluations for the report integration tests (works in
SQLite and PostgreSQL; the schema is src/store/migrations.cc, version 1).

report_seed.py --day UNIXDAY --domains N --per-domain M [--rua TEMPLATE] [--ri SECONDS]
TEMPLATE may use {d} for the policy domain (default: mailto:dmarc@{d}).
"""
import argparse

COLUMNS = ("time, policy_domain, ri_interval, source_ip, envelope_from, envelope_to, header_from, "
           "organizational_domain, record, p, sp, np, adkim, aspf, testing, psd, pct, fo, rua, ri, "
           "discovery, record_errors, spf_domain, spf_scope, spf_result, spf_human, dkim, "
           "spf_aligned, dkim_aligned, dmarc_result, disposition, requested, overrides")


def q(s):
    return "'" + str(s).replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--day", type=int, required=True)
    ap.add_argument("--domains", type=int, default=2)
    ap.add_argument("--per-domain", type=int, default=3)
    ap.add_argument("--rua", default="mailto:dmarc@{d}")
    ap.add_argument("--ri", type=int, default=86400)
    ap.add_argument("--prefix", default="d")
    a = ap.parse_args()
    ri_interval = max(1, min(24, a.ri // 3600)) * 3600
    out = []
    for n in range(a.domains):
        d = f"{a.prefix}{n}.example"
        rua = a.rua.format(d=d)
        record = f"v=DMARC1; p=reject; rua={rua}; ri={a.ri}"
        for i in range(a.per_domain):
            passing = i % 3 != 2
            ip = f"192.0.2.{1 + i % 5}" if passing else "198.51.100.9"
            t = a.day + 60 * i + n
            dkim = f"{d}\ts1\tpass\t" if passing else "spoof.example\tx\tfail\tbad signature"
            vals = [t, q(d), ri_interval, q(ip), q(d if passing else "spoof.example"),
                    q("rcpt.example"), q(d), q(d), q(record), q("reject"), q(""), q(""), q("r"),
                    q("r"), q("n"), q("u"), q(""), q("0"), q(rua), a.ri, q("treewalk"), q(""),
                    q(d if passing else "spoof.example"), q("mfrom"),
                    q("pass" if passing else "fail"), q(""), q(dkim),
                    1 if passing else 0, 1 if passing else 0,
                    q("pass" if passing else "fail"), q("none" if passing else "reject"),
                    q("reject"), q("")]
            out.append(f"INSERT INTO evaluations ({COLUMNS}) VALUES ({', '.join(map(str, vals))});")
    print("BEGIN;")
    print("\n".join(out))
    print("COMMIT;")


if __name__ == "__main__":
    main()
