"""The wheel carries the grammar: `pip install .` into a fresh virtual
environment parses a contract from an unrelated working directory."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

from tests.conftest import REPO

PROBE = """
import sladsl, sladsl.syntax.grammar as g
from importlib import resources
from pathlib import Path
assert resources.files("sladsl").joinpath("grammar/sladsl.lark").is_file(), "grammar not in wheel"
assert not Path(sladsl.__file__).resolve().is_relative_to(Path(REPO)), sladsl.__file__
c = sladsl.loads('calendar o { timezone "UTC" hours daily 00:00-24:00 }\\n'
                 'policy p { calendar o first_reply_time: 1h }', filename="probe.sla")
print("ok", len(c.ast.policies))
"""


def test_wheel_ships_grammar_and_parses_elsewhere(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--quiet",
            "-w",
            str(wheels),
            str(REPO),
        ],
        check=True,
    )
    (wheel,) = wheels.glob("sladsl-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert "sladsl/grammar/sladsl.lark" in archive.namelist()

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    proc = subprocess.run(
        [str(python), "-c", f"REPO = {str(REPO)!r}\n" + PROBE],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok 1"
    cli = subprocess.run(
        [str(env_dir / "bin" / "sladsl"), "check", str(REPO / "examples" / "support.sla")],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 0, cli.stderr
