#!/usr/bin/python3
# SMTP load for the "through Postfix" rows of bench/run.sh: N concurrent SMTP
# sessions to a loopback Postfix sending a milter_load manifest, as milter_load
# does (blocks of --per-conn messages, one session per run of the same client);
# a client other than 127.0.0.1 is announced with XCLIENT (ADDR, NAME, HELO) so the
# milters see the manifest's client. Prints the same RESULT line as milter_load.
# Leaves out: TLS, AUTH, pipelining.
import argparse
import os
import smtplib
import sys
import threading
import time


def load(manifest):
    base = os.path.dirname(manifest)
    out = []
    for line in open(manifest):
        if not line.strip() or line.startswith("#"):
            continue
        f, ip, helo, mfrom, rcpt = line.split()
        data = open(os.path.join(base, f), "rb").read().replace(b"\r\n", b"\n")
        out.append((ip, helo, "" if mfrom == "<>" else mfrom, rcpt, data))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--connections", type=int, default=4)
    ap.add_argument("--per-conn", type=int, default=5)
    ap.add_argument("--messages", type=int, default=1000)
    ap.add_argument("--duration", type=float, default=0)
    ap.add_argument("--label", default="postfix")
    a = ap.parse_args()
    corpus = load(a.manifest)
    lock = threading.Lock()
    nxt = [0]
    lat, codes, errors = [], {}, [0]
    start = time.monotonic()

    def claim():  # a block of --per-conn consecutive messages
        with lock:
            if a.duration and time.monotonic() - start >= a.duration:
                return []
            first = nxt[0]
            nxt[0] += a.per_conn
            return list(range(first, min(first + a.per_conn, a.messages)))

    def worker():
        while block := claim():
            i = 0
            while i < len(block):
                # One SMTP session per client: the messages of the block that share it.
                client = corpus[block[i] % len(corpus)][:2]
                try:
                    t0 = time.monotonic()
                    s = smtplib.SMTP("127.0.0.1", a.port, local_hostname="localhost", timeout=60)
                    s.ehlo()
                    ip, helo = client
                    if ip != "127.0.0.1":
                        code, _ = s.docmd("XCLIENT", f"ADDR={ip} NAME={helo} HELO={helo}")
                        if code != 220:
                            raise RuntimeError(f"XCLIENT refused: {code}")
                        s.ehlo(helo)
                    while i < len(block) and corpus[block[i] % len(corpus)][:2] == client:
                        _, _, mfrom, rcpt, data = corpus[block[i] % len(corpus)]
                        try:
                            s.sendmail(mfrom, [rcpt], data)
                            code = 250
                        except smtplib.SMTPResponseException as e:
                            code = e.smtp_code
                            s.rset()
                        with lock:
                            lat.append((time.monotonic() - t0) * 1000)
                            codes[code // 100] = codes.get(code // 100, 0) + 1
                        i += 1
                        t0 = time.monotonic()
                    s.quit()
                except Exception as e:  # noqa: BLE001 - counted and reported
                    i += 1
                    with lock:
                        errors[0] += 1
                        if errors[0] <= 3:
                            print(f"smtp_load: {e}", file=sys.stderr)

    threads = [threading.Thread(target=worker) for _ in range(a.connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    secs = time.monotonic() - start
    lat.sort()
    n = len(lat)
    pct = lambda q: lat[max(0, min(n, -(-int(q * n * 1000) // 1000)) - 1)] if n else 0  # noqa: E731
    print(f"{a.label}: {n} messages in {secs:.2f} s, {n / secs:.1f} msg/s, p50 {pct(0.5):.2f} ms, "
          f"p99 {pct(0.99):.2f} ms, max {pct(1.0):.2f} ms; SMTP 2xx {codes.get(2, 0)} 4xx {codes.get(4, 0)} "
          f"5xx {codes.get(5, 0)}; errors {errors[0]}")
    print(f"RESULT label={a.label} messages={n} secs={secs:.3f} msgs_per_s={n / secs:.2f} "
          f"p50_ms={pct(0.5):.3f} p99_ms={pct(0.99):.3f} max_ms={pct(1.0):.3f} accept={codes.get(2, 0)} "
          f"reject={codes.get(5, 0)} tempfail={codes.get(4, 0)} errors={errors[0]}")
    sys.exit(1 if errors[0] or not n else 0)


if __name__ == "__main__":
    main()
