"""What a long `kpi load` is doing, on a terminal: one line on stderr (reading, checking, writing) that appears
once the load has run for about a second and is gone when it ends. Never into a file or a pipe (cron, scripts):
the command line asks for it only when stderr is a terminal."""

from __future__ import annotations

import threading
import time
from types import TracebackType
from typing import Any

from kpi.present import labels
from kpi.present.catalogue import Words

DELAY = 1.0  # seconds before anything is shown: a quick load prints only its table


class Progress:
    """Told each phase of a load (kpi.load.ingest.Progress); shows it with the time taken so far."""

    def __init__(self, words: Words, stream: Any, delay: float = DELAY) -> None:
        self.words = words
        self.stream = stream
        self.delay = delay
        self.phase = "read"
        self.started = time.monotonic()
        self._live: Any = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __call__(self, phase: str) -> None:
        with self._lock:
            self.phase = phase
            if self._live is not None:
                self._live.update(self._line(), refresh=True)

    def _line(self) -> Any:
        from rich.text import Text

        seconds = f"{time.monotonic() - self.started:.0f}"
        return Text(self.words("progress.elapsed", phase=self.words(labels.PROGRESS[self.phase]), seconds=seconds))

    def _show(self) -> None:
        from rich.console import Console
        from rich.live import Live

        with self._lock:
            if self._closed:
                return
            console = Console(file=self.stream, highlight=False, soft_wrap=True, force_terminal=True)
            self._live = Live(self._line(), console=console, transient=True, refresh_per_second=2, auto_refresh=False)
            self._live.start()
            self._tick()

    def _tick(self) -> None:
        if self._live is None or self._closed:
            return
        self._live.update(self._line(), refresh=True)
        self._timer = threading.Timer(0.5, self._tick_locked)
        self._timer.daemon = True
        self._timer.start()

    def _tick_locked(self) -> None:
        with self._lock:
            self._tick()

    def __enter__(self) -> Progress:
        self._timer = threading.Timer(self.delay, self._show)
        self._timer.daemon = True
        self._timer.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with self._lock:
            self._closed = True
            if self._timer is not None:
                self._timer.cancel()
            if self._live is not None:
                self._live.stop()
                self._live = None
