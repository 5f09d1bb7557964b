"""The command line run inside the test process: `app.__main__.main(argv)` with the environment a
test gives, returning its exit status and what it printed. A fresh `python -m app` spends seconds
importing the application; one test (tests/api/test_cli.py) still runs the real entry point.

`main` runs its database work with asyncio.run: call `Cli` from a synchronous test, or from an
async test through `await asyncio.to_thread(cli, ...)` (a thread has no running loop)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from app.__main__ import main
from app.settings import get_settings


@dataclass(frozen=True)
class Done:
    """As subprocess.CompletedProcess: the exit status and the text printed on each stream."""

    returncode: int
    stdout: str
    stderr: str


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(
        self, *args: str, env: Mapping[str, str] | None = None, unset: tuple[str, ...] = ()
    ) -> Done:
        """`python -m app ARGS` with `env` set and the variables in `unset` removed."""
        self.capsys.readouterr()  # what the test printed before is not the command's
        with self.monkeypatch.context() as patched:
            for name in unset:
                patched.delenv(name, raising=False)
            for name, value in (env or {}).items():
                patched.setenv(name, value)
            get_settings.cache_clear()  # read the settings from this environment
            try:
                code = main(list(args))
            except SystemExit as exited:  # argparse: a usage error (2) or --help (0)
                code = exited.code if isinstance(exited.code, int) else int(bool(exited.code))
            finally:
                get_settings.cache_clear()  # the next reader sees the environment restored
        printed = self.capsys.readouterr()
        return Done(code, printed.out, printed.err)
