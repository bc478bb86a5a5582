#!/usr/bin/env python3
"""onpty.py — run a command with its stderr on a pseudo-terminal.

    python3 tests/tools/onpty.py RAW SCREEN [--stdin FILE] [--stdout] -- COMMAND ARGS...

The command's stdout goes to this script's stdout, or with --stdout to the
terminal too; what it writes to the terminal is saved as it came (RAW) and
as a terminal would leave it (SCREEN): a carriage return goes back to the start of the line, ESC [ K
clears the line from there, a newline ends it. Colour escapes are kept.
Exits with the command's status, 77 when the machine has no
pseudo-terminal to give it, or 124 when the command is still running after
ONPTY_TIMEOUT seconds (default 300): it is killed.
"""
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

CSI = re.compile(rb"\x1b\[([0-9;]*)([A-Za-z])")


def screen(data):
    """The lines a terminal shows for data (only \\r, ESC [ K and \\n)."""
    lines, line, col = [], bytearray(), 0
    i = 0
    while i < len(data):
        c = data[i]
        if c == 0x0D:
            col = 0
            i += 1
            continue
        if c == 0x0A:
            lines.append(bytes(line))
            line, col = bytearray(), 0
            i += 1
            continue
        m = CSI.match(data, i)
        if m and m.group(2) == b"K":
            del line[col:]
            i = m.end()
            continue
        if m:  # other escapes (colours) are kept as they are, zero width
            seq = m.group(0)
            line[col:col] = seq
            col += len(seq)
            i = m.end()
            continue
        if col < len(line):
            line[col] = c
        else:
            line.append(c)
        col += 1
        i += 1
    if line:
        lines.append(bytes(line))
    return b"".join(l + b"\n" for l in lines)


def main(argv):
    if "--" not in argv:
        sys.stderr.write(__doc__)
        return 2
    sep = argv.index("--")
    opts, cmd = argv[1:sep], argv[sep + 1:]
    if len(opts) < 2 or not cmd or (opts[-1] == "--stdin"):
        sys.stderr.write(__doc__)
        return 2
    raw_path, screen_path = opts[0], opts[1]
    stdin = subprocess.DEVNULL
    if "--stdin" in opts[2:]:
        stdin = open(opts[opts.index("--stdin") + 1], "rb")
    to_tty = "--stdout" in opts[2:]
    deadline = time.monotonic() + float(os.environ.get("ONPTY_TIMEOUT", "300"))
    try:
        master, slave = pty.openpty()
    except OSError as e:
        sys.stderr.write("onpty.py: no pseudo-terminal: %s\n" % e)
        return 77
    proc = subprocess.Popen(cmd, stdin=stdin, stderr=slave,
                            stdout=slave if to_tty else None)
    os.close(slave)
    if stdin is not subprocess.DEVNULL:
        stdin.close()
    data = bytearray()
    timed_out = False
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            timed_out = True
            proc.send_signal(signal.SIGKILL)
            break
        ready, _, _ = select.select([master], [], [], min(left, 1.0))
        if not ready:
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the command has closed the terminal
            break
        if not chunk:
            break
        data += chunk
    rc = proc.wait()
    os.close(master)
    if timed_out:
        sys.stderr.write("onpty.py: still running after ONPTY_TIMEOUT: killed\n")
        rc = 124
    # the terminal's line discipline turns \n into \r\n: undone here
    raw = bytes(data).replace(b"\r\n", b"\n")
    with open(raw_path, "wb") as f:
        f.write(raw)
    with open(screen_path, "wb") as f:
        f.write(screen(raw))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
