"""Nothing under var/ is open to other users, and the admin password is in its own file only."""

import stat
from pathlib import Path

import pytest

VAR = Path(__file__).resolve().parents[2] / "var"
BUILT_FROM_THE_REPOSITORY = {"assets", "static", "dist"}
"""Folders of files built from public sources (JavaScript, OpenSearch): no secret goes there."""


S3_OBJECTS = VAR / "services" / "s3" / "data"
"""versitygw writes each object 0644 whatever the umask; its data folder, 0700, closes them."""


def entries_open_to_others():
    """Paths under var/ (symbolic links and the S3 objects aside) with any permission bit for others."""
    return [
        path
        for path in VAR.rglob("*")
        if not path.is_symlink()
        and S3_OBJECTS not in path.parents
        and stat.S_IMODE(path.lstat().st_mode) & 0o007
    ]


def test_var_and_everything_in_it_are_closed_to_other_users():
    """var/ grants others nothing, nor does any file, folder or socket in it."""
    assert stat.S_IMODE(VAR.stat().st_mode) & 0o007 == 0
    assert entries_open_to_others() == []
    if S3_OBJECTS.exists():
        assert stat.S_IMODE(S3_OBJECTS.stat().st_mode) & 0o077 == 0


def files_holding(secret):
    """Files under var/ whose bytes contain ``secret`` (built folders skipped)."""
    found, folders = [], [VAR]
    while folders:
        for path in folders.pop().iterdir():
            if path.is_symlink() or path.is_socket():
                continue
            if path.is_dir():
                if path.name not in BUILT_FROM_THE_REPOSITORY:
                    folders.append(path)
            elif secret in path.read_bytes():
                found.append(path.relative_to(VAR))
    return found


def test_the_admin_password_is_in_no_other_file():
    """scripts/setup keeps each profile's password in its own 0600 file and writes it nowhere else."""
    if not (VAR / "admin-password").exists():
        pytest.fail("var/admin-password is missing: run scripts/setup (or scripts/quickstart) first")
    for name in ("admin-password", "test-admin-password"):
        password_file = VAR / name
        if not password_file.exists():  # the test profile is only set up by the benchmark
            continue
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        password = password_file.read_text().strip().encode()
        assert len(password) >= 20
        assert files_holding(password) == [Path(name)]
