"""Run one command as a child and print its wall time, CPU seconds and peak RSS as JSON.

``python -m tests.bench.measure -- CMD ...`` — RUSAGE_CHILDREN of this small process
covers exactly that command and the processes it waited for (e.g. extraction workers).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    cmd = argv[argv.index("--") + 1:] if "--" in argv else argv
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps({"rc": proc.returncode, "wall": wall, "cpu": ru.ru_utime + ru.ru_stime,
                      "maxrss_mb": ru.ru_maxrss / 1024, "stderr_tail": proc.stderr[-2000:]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
