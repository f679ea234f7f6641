"""govnews installed from a wheel into a fresh venv finds its settings from any folder (issue 12, 1b).

No checkout, no ``scrapy.cfg``, no ``PYTHONPATH``: the wheel (``pip wheel . --no-deps``) goes
into a new venv whose only other packages are this environment's (a ``.pth`` line naming its
site-packages, so nothing is downloaded; the editable install of this checkout stays inert,
as ``.pth`` files of a directory named that way are not processed). ``govnews crawl`` then
runs from a temp folder against the fixture server and archives every article with govnews'
settings (``scrapy crawl`` from anywhere: tests/e2e/test_entry_points.py).
"""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.e2e.test_entry_points import SITE, assert_archived_with_govnews_settings, clean_env

pytestmark = pytest.mark.slow

#: what the wheel is built from (pyproject.toml's packages and readme)
SOURCES = ("pyproject.toml", "README.md", "crawler", "pipelines", "warehouse")


def _setuptools_ok() -> bool:
    try:
        import setuptools
    except ImportError:
        return False
    return int(setuptools.__version__.split(".")[0]) >= 77  # pyproject.toml's build-system requires


def build_wheel(tmp: Path) -> Path:
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, src / name)
    dist = tmp / "dist"
    # offline when this environment has the build backend (the test extra installs it); else pip fetches it
    offline = ["--no-build-isolation"] if _setuptools_ok() else []
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", *offline, "--quiet", "-w", str(dist), str(src)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    (wheel,) = dist.glob("govnews-*.whl")
    return wheel


def make_venv(tmp: Path, wheel: Path) -> Path:
    venv = tmp / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # the dependencies: this environment's packages, after the venv's own
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    (Path(purelib) / "_deps_from_test_env.pth").write_text("\n".join(sorted(here)) + "\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
                           "--no-index", str(wheel)], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return venv


def test_a_wheel_in_a_fresh_venv_crawls_from_any_folder(fixture_server, tmp_path):
    venv = make_venv(tmp_path, build_wheel(tmp_path))
    python = venv / "bin" / "python"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run([str(python), "-c", "import crawler.settings; print(crawler.settings.__file__)"],
                           cwd=elsewhere, env=clean_env(), capture_output=True, text=True, check=True).stdout
    assert Path(where.strip()).is_relative_to(venv), where  # the wheel's copy, not this checkout

    proc = subprocess.run([str(venv / "bin" / "govnews"), "crawl", "--site", SITE, "--via", fixture_server.url,
                           "--archive", "archive", "--progress", "off", "--log-level", "WARNING"],
                          cwd=elsewhere, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert_archived_with_govnews_settings(elsewhere / "archive", fixture_server, fixture_server.url)
