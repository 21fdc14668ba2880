"""The built wheel carries the guides and prompts and runs outside the checkout.

The wheel is installed into a fresh virtual environment by unpacking it (no network). The
project's dependencies come from the running interpreter's site-packages through a ``.pth``
line: such a line is appended to ``sys.path`` without processing the ``.pth`` files inside
that folder, so the editable install of this checkout stays out of the way.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]


def _run(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        command,
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"{command}: exit {result.returncode}\n{result.stderr}"
    return result


def _build_wheel(tmp_path: Path) -> Path:
    dist = tmp_path / "dist"
    _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--disable-pip-version-check",
            "-w",
            str(dist),
            str(REPO_ROOT),
        ],
        cwd=tmp_path,
    )
    wheels = sorted(dist.glob("review_assistant-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def _fresh_venv(tmp_path: Path) -> tuple[Path, Path]:
    """A new venv without pip; returns its python and its site-packages."""
    root = tmp_path / "fresh-venv"
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt", clear=True).create(root)
    python = root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=tmp_path,
    ).stdout.strip()
    site_packages = Path(purelib)
    assert site_packages.is_dir()
    assert site_packages.resolve().is_relative_to(root.resolve())
    return python, site_packages


def test_the_wheel_ships_resources_and_runs_from_a_fresh_venv(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        packaged_guide = archive.read("review_assistant/_resources/guides/timeline.md")

    assert "review_assistant/__main__.py" in names
    assert "review_assistant/_resources/guides/timeline.md" in names
    for guide_file in sorted((REPO_ROOT / "guides").glob("*.md")):
        assert f"review_assistant/_resources/guides/{guide_file.name}" in names
    prompts = REPO_ROOT / "prompts"
    for prompt in sorted(p for p in prompts.rglob("*") if p.is_file()):
        relative = prompt.relative_to(prompts).as_posix()
        assert f"review_assistant/_resources/prompts/{relative}" in names

    python, site_packages = _fresh_venv(tmp_path)
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site_packages)
    host = sysconfig.get_paths()
    host_paths = dict.fromkeys([host["purelib"], host["platlib"]])  # ordered, no duplicates
    (site_packages / "zz_host_dependencies.pth").write_text(
        "".join(f"{path}\n" for path in host_paths), encoding="utf-8"
    )

    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}
    }
    env.update(
        PYTHONUTF8="1",
        PYTHONNOUSERSITE="1",
        REVIEW_ASSISTANT_HOME=str(tmp_path / "home"),
    )

    guide = _run(
        [str(python), "-m", "review_assistant", "guide", "timeline"], cwd=tmp_path, env=env
    )
    assert guide.stdout.startswith("# Timeline walk\n")
    assert guide.stdout.rstrip("\n") == packaged_guide.decode("utf-8").rstrip("\n")

    where = _run(
        [
            str(python),
            "-c",
            "import review_assistant, review_assistant.paths as paths; "
            "print(review_assistant.__file__); print(paths.resource_dir('guides'))",
        ],
        cwd=tmp_path,
        env=env,
    ).stdout.splitlines()
    assert len(where) == 2, where
    module_file, guides_dir = (Path(line).resolve() for line in where)
    venv_root = site_packages.resolve()
    assert module_file.is_relative_to(venv_root), module_file
    assert guides_dir.is_relative_to(venv_root), guides_dir
    assert guides_dir == venv_root / "review_assistant" / "_resources" / "guides"
    assert not module_file.is_relative_to(REPO_ROOT.resolve())

    demo = _run(
        [str(python), "-m", "review_assistant", "--data-dir", str(tmp_path / "data"), "demo"],
        cwd=tmp_path,
        env=env,
    )
    assert len(demo.stdout.strip()) == 12
    assert (tmp_path / "data" / "review.db").is_file()
