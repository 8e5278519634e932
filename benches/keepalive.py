#!/usr/bin/env python3
"""Request times on one kept-alive HTTP/1.1 connection to a running `gazette serve`.

    python3 benches/keepalive.py PORT [REQUESTS]

Sends REQUESTS (default 50) GETs of `/` to 127.0.0.1:PORT over one connection, as a
browser does, and prints the first request's time, the median of the others and their
maximum, in milliseconds. Python 3.11, standard library only.
"""

import http.client
import statistics
import sys
import time


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    port = int(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        conn.request("GET", "/")
        response = conn.getresponse()
        response.read()
        times.append((time.perf_counter() - start) * 1000)
        if response.status != 200:
            sys.exit(f"GET / answered {response.status}")
    rest = times[1:]
    print(f"first {times[0]:.2f} ms, median of the rest {statistics.median(rest):.2f} ms, max {max(rest):.2f} ms over {n} requests")


if __name__ == "__main__":
    main()
