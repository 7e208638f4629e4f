"""What the shipped dataset is made of: its files, its kinds of partner, its error.

Plain Python with no pandas: the app's first screen (tui.trade.catalog) is
drawn before pandas is imported.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DATA_FILES = (
    "partners.csv",
    "trade_annual.csv",
    "trade_monthly.csv",
    "groups.csv",
    "group_members.csv",
    "sectors.csv",
    "chapters.csv",
    "release.json",
    "period_totals.csv",
)

#: Partner kinds that are real places and can be ranked.
RANKABLE_KINDS = ("country", "former")
#: Partner kinds whose trade adds up to the US total.
PLACE_KINDS = ("country", "former", "unallocated")
GROUP_KINDS = ("region", "group", "bloc")
WORLD = "WORLD"
#: The largest amount a data file may hold, in its millions of dollars: ten trillion dollars, three times the US's
#: yearly imports from the whole world. A value beyond it is a slip, and printing it would fill the screen.
MAX_AMOUNT_MUSD = 10_000_000
#: Census's world total less the partners the country file itemizes (1987-1991): a difference, not trade,
#: which Census's monthly rounding can make negative
RESIDUAL = "OTHER"


class DataError(Exception):
    """A shipped data file is missing or malformed. The message names the file."""


def check_readable(path: Path) -> None:
    """DataError unless path is a regular file this process may read: a FIFO in its place would block the
    reader for ever, waiting for a writer."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DataError(f"data file {path} is missing") from None
    except OSError as error:
        raise DataError(f"data file {path} cannot be read: {(error.strerror or str(error)).lower()}") from None
    if not stat.S_ISREG(info.st_mode):
        what = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise DataError(f"data file {path} cannot be read: it is {what}")
    if not os.access(path, os.R_OK):
        raise DataError(f"data file {path} cannot be read: permission denied")


def data_key(data_dir: Path, salt: str) -> str:
    """A short key that changes with any data file's name, size or modification time (and with salt)."""
    import hashlib  # when the dataset is loaded, not for the first screen

    digest = hashlib.sha1(f"{salt}|{Path(data_dir).resolve()}".encode())
    for name in DATA_FILES:
        path = Path(data_dir) / name
        try:
            stat = path.stat()
        except OSError as error:
            raise DataError(f"data file {path} is missing or unreadable ({error.strerror})") from None
        digest.update(f"|{name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def require_files(data_dir: Path) -> None:
    """DataError naming the first data file that is missing or not a regular file (a start checks this
    before drawing anything, so that a dataset that cannot load is refused at once, not after the first screen)."""
    for name in DATA_FILES:
        path = Path(data_dir) / name
        if not path.is_file():
            raise DataError(f"data file {path} is missing")
