"""Small real filesystems for tests: tmpfs mounts of a given size, full or read-only (tests run as root).

``chmod`` does not stop root, so an unwritable folder is a read-only mount; a full disk is a small
one. Where ``mount`` is not permitted the test skips with the reason.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest


@pytest.fixture
def mount(tmp_path):
    """``mount(size, ro=False)`` -> a fresh tmpfs folder of that size (unmounted at the end)."""
    points: list[Path] = []

    def make(size: str, ro: bool = False) -> Path:
        point = tmp_path / f"fs{len(points)}"
        point.mkdir()
        opts = f"size={size}" + (",ro" if ro else "")
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", opts, "tmpfs", str(point)], capture_output=True,
                              text=True)
        if proc.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.strip() or proc.returncode})")
        points.append(point)
        return point

    yield make
    for p in points:
        subprocess.run(["umount", "-l", str(p)], capture_output=True)
