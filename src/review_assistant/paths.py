"""Where things live: the data directory and the bundled guides and prompts."""

from __future__ import annotations

import os
from pathlib import Path

ENV_HOME = "REVIEW_ASSISTANT_HOME"
DB_NAME = "review.db"
_PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The ``guides`` or ``prompts`` folder: from a checkout first, else from the wheel."""
    checkout = _PACKAGE.parents[1] / name
    if checkout.is_dir() and (_PACKAGE.parents[1] / "pyproject.toml").is_file():
        return checkout
    packaged = _PACKAGE / "_resources" / name
    if packaged.is_dir():
        return packaged
    raise FileNotFoundError(f"the {name}/ folder is missing from this installation")


def data_dir(flag: str | os.PathLike[str] | None = None) -> Path:
    """``--data-dir``, else ``$REVIEW_ASSISTANT_HOME``, else the user data directory."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("review-assistant", appauthor=False))
