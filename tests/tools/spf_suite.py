#!/usr/bin/python3
# Runs the RFC 7208 SPF test suite (openspf.org 2014.04, shipped by Debian's
# python3-spf) through a command with the flags of `alignd eval`: each scenario's
# zonedata becomes a zone file (the whole DNS), each test one run of
#   CMD --dns-zone ZONE --client-ip HOST --helo HELO --mail-from MAILFROM --json MSG
# reading .spf.mailfrom.result (for a null sender that is the HELO identity,
# postmaster@HELO, RFC 7208 §2.4) and .spf.mailfrom.explanation.
# Prints each failure, then "SPF suite: N/M passed (P%)"; exits 1 below --min.
# Needs Debian's /usr/bin/python3 (its yaml module).
import argparse
import gzip
import json
import os
import shlex
import subprocess
import sys
import tempfile

import yaml

SUITE = '/usr/share/doc/python3-spf/rfc7208-tests.yml.gz'
MESSAGE = (b'From: sender@example.com\r\nTo: rcpt@example.net\r\n'
           b'Subject: SPF suite\r\nMessage-ID: <spf-suite@example.com>\r\n'
           b'Date: Mon, 1 Jan 2024 00:00:00 +0000\r\n\r\nbody\r\n')


def txt_strings(value):
    """A TXT/SPF value (str or list of str) as zone-file character-strings."""
    parts = [value] if isinstance(value, str) else list(value)
    out = []
    for part in parts or ['']:
        data = part.encode('utf-8')
        chunks = [data[i:i + 255] for i in range(0, len(data), 255)] or [b'']
        for chunk in chunks:
            s = '"'
            for b in chunk:
                if b in (0x22, 0x5c):
                    s += '\\' + chr(b)
                elif 0x20 <= b < 0x7f:
                    s += chr(b)
                else:
                    s += '\\%03d' % b
            out.append(s + '"')
    return ' '.join(out)


def zone_name(name):
    """A name as absolute master-file text (RFC 1035 §5.1): octets other than letters,
    digits, '-' and '_' as \\DDD, so ':', '/', '%' and spaces survive."""
    labels = name.rstrip('.').split('.')
    out = []
    for label in labels:
        out.append(''.join(chr(b) if (chr(b).isascii() and (chr(b).isalnum() or chr(b) in '-_'))
                           else '\\%03d' % b for b in label.encode('utf-8')))
    return '.'.join(out) + '.'


def zone_text(zonedata, notes):
    """testspf.py's conventions: SPF records are also served as TXT unless the name
    has TXT entries; 'NONE' means no record; TIMEOUT means every type not listed
    before it times out. A name that only times out becomes a CNAME loop (the zone
    resolver answers TempFail, as a real resolver answers SERVFAIL)."""
    lines = []
    for name, entries in zonedata.items():
        owner = zone_name(name)
        has_txt = any(isinstance(e, dict) and 'TXT' in e for e in entries)
        records, timeout = [], False
        for e in entries:
            if e == 'TIMEOUT':
                timeout = True
                break
            for t, v in e.items():
                if v == 'NONE' or v == ['NONE']:
                    continue
                if t == 'SPF':  # type 99 is kept in the zone; alignd never asks for it
                    records.append(('SPF', txt_strings(v)))
                    if not has_txt:
                        records.append(('TXT', txt_strings(v)))
                elif t == 'TXT':
                    records.append(('TXT', txt_strings(v)))
                elif t == 'MX':
                    records.append(('MX', '%d %s' % (int(v[0]), zone_name(v[1]) if v[1] else '.')))
                elif t in ('PTR', 'CNAME'):
                    records.append((t, zone_name(v)))
                else:
                    records.append((t, str(v)))
        asked = [r for r in records if r[0] != 'SPF']  # alignd never asks for type 99
        if timeout and not asked:
            if records:
                notes.append('%s: SPF (type 99) records left out: every query alignd makes '
                             'times out' % name)
            lines.append('%s 300 IN CNAME %s' % (owner, owner))
            continue
        if timeout:
            notes.append('%s: types other than %s answer NODATA instead of timing out'
                         % (name, ','.join(sorted({t for t, _ in asked}))))
        for t, v in records:
            lines.append('%s 300 IN %s %s' % (owner, t, v))
    return '\n'.join(lines) + '\n'


def run_test(cmd, zone, msg, test):
    mailfrom = test.get('mailfrom', '')
    argv = cmd + ['--dns-zone', zone, '--client-ip', str(test['host']),
                  '--helo', str(test.get('helo', '')), '--mail-from', mailfrom, '--json', msg]
    p = subprocess.run(argv, capture_output=True, timeout=60)
    if p.returncode != 0:
        return None, None, 'exit %d: %s' % (p.returncode, p.stderr.decode(errors='replace')[-300:])
    try:
        doc = json.loads(p.stdout)
        r = doc['spf']['mailfrom']
        return r.get('result'), r.get('explanation') or '', r.get('reason', '')
    except (ValueError, KeyError, TypeError) as e:
        return None, None, 'bad JSON (%s): %s' % (e, p.stdout[:300])


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--cmd', required=True, help='command to run, e.g. "build/alignd eval"')
    ap.add_argument('--suite', default=SUITE)
    ap.add_argument('--min', type=float, default=95.0, help='pass percentage required')
    ap.add_argument('--keep', help='write the zone files to this directory')
    ap.add_argument('-v', '--verbose', action='store_true')
    ap.add_argument('ids', nargs='*', help='run only these test ids')
    args = ap.parse_args()

    cmd = shlex.split(args.cmd)
    opener = gzip.open if args.suite.endswith('.gz') else open
    with opener(args.suite, 'rb') as f:
        scenarios = list(yaml.safe_load_all(f))

    workdir = args.keep or tempfile.mkdtemp(prefix='spf-suite-')
    os.makedirs(workdir, exist_ok=True)
    msg = os.path.join(workdir, 'message.eml')
    with open(msg, 'wb') as f:
        f.write(MESSAGE)

    total = passed = 0
    failures = []
    for n, scenario in enumerate(scenarios):
        notes = []
        zone = os.path.join(workdir, 'scenario%02d.zone' % n)
        with open(zone, 'w') as f:
            f.write(zone_text(scenario.get('zonedata') or {}, notes))
        if args.verbose:
            for note in notes:
                print('note: %s: %s' % (scenario['description'], note))
        for tid, test in scenario['tests'].items():
            if args.ids and tid not in args.ids:
                continue
            total += 1
            want = test['result']
            want = want if isinstance(want, list) else [want]
            got, exp, reason = run_test(cmd, zone, msg, test)
            ok = got in want
            why = ''
            if not ok:
                why = 'result %s, want %s' % (got, '|'.join(want))
            elif 'explanation' in test:
                want_exp = '' if test['explanation'] == 'DEFAULT' else test['explanation']
                if exp != want_exp:
                    ok = False
                    why = 'explanation %r, want %r' % (exp, want_exp)
            if ok:
                passed += 1
            else:
                failures.append(tid)
                print('FAIL %s (spec %s, %s): %s [%s]'
                      % (tid, test.get('spec', '?'), scenario['description'], why, reason))
            if args.verbose and ok:
                print('ok   %s: %s' % (tid, got))

    pct = 100.0 * passed / total if total else 0.0
    print('SPF suite: %d/%d passed (%.1f%%)' % (passed, total, pct))
    return 0 if total and pct >= args.min else 1


if __name__ == '__main__':
    sys.exit(main())
