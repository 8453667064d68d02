#!/usr/bin/env python3
"""Checks DMARC aggregate report mails (.eml) for the integration tests:
Subject per RFC 9990 §3.5.2, Message-ID carrying the Report-ID, an
application/gzip attachment named receiver!domain!begin!end!id.xml.gz whose XML
validates against XSD (xmllint) with the same report_id. Prints one line per
mail: "<to> <policy-domain> <report-id> <sum of counts>". Exit 1 on any problem.

report_check.py --xsd FILE [--extract DIR] EML...
"""
import argparse
import email
import email.policy
import gzip
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET


def fail(msg):
    print("report_check: " + msg, file=sys.stderr)
    sys.exit(1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--xsd", required=True)
    ap.add_argument("--extract", default="")
    ap.add_argument("emls", nargs="+")
    a = ap.parse_args()
    for path in a.emls:
        with open(path, "rb") as f:
            msg = email.message_from_binary_file(f, policy=email.policy.default)
        subject = " ".join(str(msg["Subject"]).split())
        m = re.fullmatch(r"Report Domain: (\S+) Submitter: (\S+) Report-ID: <(\S+)>", subject)
        if not m:
            fail(f"{path}: bad Subject {subject!r}")
        domain, submitter, rid = m.groups()
        if str(msg["Message-ID"]).strip() != f"<{rid}>":
            fail(f"{path}: Message-ID {msg['Message-ID']} is not <{rid}>")
        parts = [p for p in msg.walk() if p.get_content_type() == "application/gzip"]
        texts = [p for p in msg.walk() if p.get_content_type() == "text/plain"]
        if len(parts) != 1 or len(texts) != 1:
            fail(f"{path}: want one application/gzip and one text/plain part")
        name = parts[0].get_filename()
        fm = re.fullmatch(r"([^!]+)!([^!]+)!(\d+)!(\d+)!([A-Za-z0-9]+)\.xml\.gz", name or "")
        if not fm or fm.group(1) != submitter or fm.group(2) != domain:
            fail(f"{path}: bad attachment name {name!r}")
        data = gzip.decompress(parts[0].get_payload(decode=True))
        xml_path = os.path.join(a.extract or "/tmp", name[:-3])
        with open(xml_path, "wb") as f:
            f.write(data)
        r = subprocess.run(["xmllint", "--noout", "--schema", a.xsd, xml_path],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"{path}: schema validation failed: {r.stderr}")
        root = ET.fromstring(data)
        ns = {"d": "urn:ietf:params:xml:ns:dmarc-2.0"}
        if root.findtext("d:report_metadata/d:report_id", namespaces=ns) != rid:
            fail(f"{path}: report_id differs from the Subject's")
        if root.findtext("d:policy_published/d:domain", namespaces=ns) != domain:
            fail(f"{path}: policy domain differs")
        total = sum(int(c.text) for c in root.iterfind("d:record/d:row/d:count", ns))
        if not a.extract:
            os.remove(xml_path)
        to = str(msg["To"]).strip("<> ")
        print(f"{to} {domain} {rid} {total}")


if __name__ == "__main__":
    main()
