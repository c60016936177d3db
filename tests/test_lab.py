"""`make lab`'s JupyterLab, as an analyst meets it: the report notebook opens with its cells.

JupyterLab is started the way the Makefile starts it (root folder `notebooks/`, the project's
kernel, jupytext's server extension) on a copy of the notebooks, so nothing is written into
the repository, and opened in headless Chromium.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(repo, tmp_path):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(repo / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "jupyter-config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "jupyter-runtime"),
    }  # nothing of the user's home
    cmd = [
        str(Path(sys.executable).with_name("jupyter")),
        "lab",
        "--no-browser",
        f"--ServerApp.root_dir={notebooks}",
        f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1",
        f"--IdentityProvider.token={token}",
        "--ServerApp.port_retries=0",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail("JupyterLab exited: " + server.stdout.read()[-2000:])
                time.sleep(0.5)
        else:
            pytest.fail("JupyterLab did not answer within a minute")
        yield base, token, notebooks
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def test_the_report_notebook_opens_in_jupyterlab_with_its_cells(lab):
    from conftest import chromium_path

    path = chromium_path()
    if path is None:
        pytest.skip("Debian's chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    base, token, _notebooks = lab

    def look() -> tuple[str, int, str]:  # its own thread: an earlier test may leave an asyncio loop here
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=path,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(
                f"{base}/lab/tree/partnership_report.ipynb?token={token}",
                wait_until="domcontentloaded",
                timeout=120_000,
            )
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.wait_for_function(
                "() => document.querySelectorAll('.jp-Notebook .jp-Cell').length > 10", timeout=60_000
            )
            # JupyterLab renders cells as they come into view: wait for the title and the parameters
            for expected in ("progress report", 'partnership = "denver"', "ctx = report.open_report("):
                page.wait_for_function(
                    "text => document.querySelector('.jp-Notebook').innerText.includes(text)",
                    arg=expected,
                    timeout=60_000,
                )
            page.wait_for_function(  # the kernel's name shows once its session has started
                "() => (document.querySelector('.jp-Toolbar-kernelName') || {}).innerText?.includes('pathways')",
                timeout=90_000,
            )
            text = page.inner_text(".jp-Notebook")
            cells = page.locator(".jp-Notebook .jp-Cell").count()
            kernel = page.inner_text(".jp-Toolbar-kernelName")
            browser.close()
        return text, cells, kernel

    with ThreadPoolExecutor(max_workers=1) as thread:
        text, cells, kernel = thread.submit(look).result()
    assert cells > 10  # JupyterLab draws the cells in view (it windows long notebooks)
    assert 'partnership = "denver"' in text  # the parameters cell
    assert "progress report" in text  # the title cell, as the analyst wrote it
    assert "ctx = report.open_report(" in text  # code stays visible in the lab
    assert "Python 3 (pathways)" in kernel  # the project's kernel (make setup installs it in .venv)
