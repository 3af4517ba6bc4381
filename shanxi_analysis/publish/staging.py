"""Staging, publishing and locking: a report set is built in a private staging folder and swapped in atomically
(``renameat2(RENAME_EXCHANGE)``, or two renames where the kernel lacks it) under ``fcntl.flock`` on ``DIR/.lock``."""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..data import province_names as _provinces
from .planning import (
    ARTICLE,
    ARTICLE_DIR,
    BUILD_FILE,
    DEFAULT_LANG,
    FAILED_DIR,
    INDEX_FILE,
    KEEP_FAILURES,
    LOCK_FILE,
    STAGING_DIR,
    STALE_AFTER_SECONDS,
    ReportJob,
)


@contextmanager
def lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``out_dir/.lock``."""
    fd = os.open(out_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def new_staging(out_dir: Path) -> Path:
    """A new private staging folder ``out_dir/.staging/<pid>-<id>`` (its owner's pid tells a stale one apart)."""
    folder = out_dir / STAGING_DIR / f"{os.getpid()}-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs (one of another user's counts as running); folders named by their owner's pid
    (staging folders, kernel socket folders) are stale when it does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def clean_stale_staging(out_dir: Path | str, *, max_age: float = STALE_AFTER_SECONDS) -> list[Path]:
    """Remove staging folders left by runs that died (owner PID gone) or that are older than ``max_age`` s.

    A previous report moved aside by the two-rename fallback and never replaced is put back first.
    Returns the folders removed.
    """
    out = Path(out_dir)
    root = out / STAGING_DIR
    removed: list[Path] = []
    if not root.is_dir():
        return removed
    now = time.time()
    with lock(out):
        for entry in sorted(root.iterdir()):
            pid_text = entry.name.split("-", 1)[0]
            try:
                pid = int(pid_text)
                age = now - entry.stat().st_mtime
            except (ValueError, OSError):
                continue
            if pid == os.getpid() or (pid_alive(pid) and age < max_age):
                continue
            if entry.name.endswith(".old"):
                target = _target_of(out, entry)
                if target is not None and not target.exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.rename(entry, target)
                    continue
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _target_of(out: Path, folder: Path) -> Path | None:
    try:
        rec = json.loads((folder / BUILD_FILE).read_text(encoding="utf-8"))
        lang = rec["parameters"].get("lang", DEFAULT_LANG)
        base = out if lang == DEFAULT_LANG else out / str(lang)
        if rec.get("kind") == ARTICLE:
            return base / ARTICLE_DIR
        return base / str(int(rec["parameters"]["year"])) / _provinces.slug(rec["parameters"]["province"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported.

    Through ctypes because the standard library has no ``renameat2``/``RENAME_EXCHANGE`` (``os.rename`` and
    ``os.replace`` cannot swap two non-empty directories in one step).
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


class ParentGone(KeyboardInterrupt):
    """Raised in a pool worker about to publish when the command that started it is gone: nothing is published
    after the command ended (handled like an interrupt: the staging folder is removed)."""


_parent: list[int] = []  # set in a pool worker: the pid of the command's process


def watch_parent(pid: int) -> None:
    """In a pool worker: die with the command's process ``pid`` (Linux ``PR_SET_PDEATHSIG``: SIGKILL when it exits,
    however it exits, SIGKILL included), and refuse to publish once it is gone (:func:`check_parent`, the check
    for systems without prctl and for the instant between the parent's death and the signal)."""
    import ctypes
    import signal

    _parent[:] = [pid]
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    check_parent()  # the parent may have died before the prctl


def check_parent() -> None:
    """Raise :class:`ParentGone` in a pool worker whose command's process is gone (no-op elsewhere)."""
    if _parent and os.getppid() != _parent[0]:
        raise ParentGone(f"the command (pid {_parent[0]}) is gone; nothing is published")


def swap_in(staging: Path, target: Path) -> None:
    """Swap a complete staging folder into ``target`` (caller holds the lock); never in a pool worker whose
    command is gone (:func:`check_parent`)."""
    check_parent()
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.exists():
        os.rename(staging, target)
        return
    if exchange(staging, target):
        shutil.rmtree(staging, ignore_errors=True)  # now holds the previous report
        return
    aside = staging.with_name(staging.name + ".old")
    os.rename(target, aside)
    os.rename(staging, target)
    shutil.rmtree(aside, ignore_errors=True)


def keep_failed(out_dir: Path, staging: Path, job: ReportJob, stamp: str, mend_links: bool = True) -> Path:
    """Move a failed attempt to ``_failed/<year>/<slug>/<stamp>`` and keep only the newest few."""
    parent = out_dir / FAILED_DIR / job.key
    parent.mkdir(parents=True, exist_ok=True)
    dest = parent / f"{stamp}-{staging.name.rsplit('-', 1)[-1][:6]}"
    os.rename(staging, dest)
    up = "../" * job.depth
    for page in (
        dest.glob("*.html") if mend_links else ()
    ):  # two folders deeper than a published report: mend the link to the index
        text = page.read_text(encoding="utf-8")
        page.write_text(text.replace(f'href="{up}{INDEX_FILE}"', f'href="../../{up}{INDEX_FILE}"'), encoding="utf-8")
    for old in sorted(p for p in parent.iterdir() if p.is_dir())[:-KEEP_FAILURES]:
        shutil.rmtree(old, ignore_errors=True)
    return dest


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and one ``os.replace``: readers see the old or the new
    file, never half of one."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:6]}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no half-written temporary file behind
        raise
