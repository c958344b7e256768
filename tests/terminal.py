"""Running the command as a person does: in a terminal (a pseudo-terminal of a given width),
where Rich draws progress and lines are wrapped for the screen."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time


def on_a_terminal(args: list[str], *, columns: int = 100, stdout: bool = False, timeout: float = 60) -> str:
    """Run ``interviewer ARGS`` with stderr (and stdout too when ``stdout``) on a
    pseudo-terminal ``columns`` wide; everything the terminal was sent, escape codes included,
    with its line ends as ``\\n``."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen([sys.executable, "-m", "interviewer", *args], stdin=subprocess.DEVNULL,
                            stdout=slave if stdout else subprocess.DEVNULL, stderr=slave, env={**env, "TERM": "xterm-256color"})
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.2)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
            elif proc.poll() is not None:
                break
    finally:
        os.close(master)
        proc.wait(timeout=10)
    return out.decode("utf-8", "replace").replace("\r\n", "\n")
