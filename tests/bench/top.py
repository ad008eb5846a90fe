#!/usr/bin/env python3
# top.py — make bench: agent-top -a on a pseudo-terminal over a runs
# directory of 1000 runs: how long from a change (a live run ending) to the
# frame that shows it, and the CPU it uses while nothing changes (with the
# runs shown, whose ages move on; and with none of them shown).
# usage: top.py BINDIR RUNSDIR [ROUNDS]   (informational: always exits 0)
import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time

BIN, RUNS = sys.argv[1], sys.argv[2]
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 10
IDLE = 10.0      # seconds of nothing changing, measured
ROWS, COLS = 50, 200


def oncpu(pid):
    """Nanoseconds the process has run on a CPU (schedstat: exact, not ticks)."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


class Screen:
    """The bytes agent-top writes, read as they come."""

    def __init__(self, fd):
        self.fd, self.buf, self.frames = fd, b"", 0

    def read(self, timeout):
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        self.frames += data.count(b"\x1b[H")
        self.buf = (self.buf + data)[-1 << 20:]
        return True

    def wait(self, pattern, limit=30.0):
        """Seconds (monotonic) when pattern was first seen, or None."""
        end = time.monotonic() + limit
        rx = re.compile(pattern)
        while time.monotonic() < end:
            if rx.search(self.buf):
                return time.monotonic()
            self.read(0.2)
        return None

    def quiet(self, secs):
        end = time.monotonic() + secs
        while time.monotonic() < end:
            self.read(max(0.0, end - time.monotonic()))


def spawn_waiting(fifo):
    """A live run that ends as soon as a line reaches fifo."""
    out = subprocess.run([f"{BIN}/agent-spawn", "-l", "bench-top", "--", "sh", "-c",
                          'read x < "$0"; echo "$x"', fifo],
                         env=dict(os.environ, AGENT_RUNS=RUNS), check=True,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return out.stdout.strip()


def quiet_cpu(args):
    """CPU (ms) and frames of agent-top ARGS over IDLE seconds of nothing
    changing, from its second second on."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    top = subprocess.Popen([f"{BIN}/agent-top"] + args, stdin=slave, stdout=slave,
                           stderr=subprocess.DEVNULL, start_new_session=True,
                           env=dict(os.environ, AGENT_RUNS=RUNS, NO_COLOR="1", TERM="xterm"))
    os.close(slave)
    scr = Screen(master)
    try:
        scr.wait(rb"agent-top: \d+ run")
        scr.quiet(1.0)
        c0, f0 = oncpu(top.pid), scr.frames
        scr.quiet(IDLE)
        return (oncpu(top.pid) - c0) / 1e6, scr.frames - f0
    finally:
        os.write(master, b"q")
        try:
            top.wait(5)
        except subprocess.TimeoutExpired:
            top.send_signal(signal.SIGKILL)
            top.wait()
        os.close(master)


def main():
    tmp = tempfile.mkdtemp(prefix="agentutils-top-bench.")
    made = []
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
    t0 = time.monotonic()
    top = subprocess.Popen([f"{BIN}/agent-top", "-a"], stdin=slave, stdout=slave,
                           stderr=subprocess.DEVNULL, start_new_session=True,
                           env=dict(os.environ, AGENT_RUNS=RUNS, NO_COLOR="1", TERM="xterm"))
    os.close(slave)
    scr = Screen(master)
    try:
        if scr.wait(rb"agent-top: \d+ runs") is None:
            print("top      agent-top (1000 runs)          no first frame in 30 s")
            return
        first = time.monotonic() - t0
        n = re.findall(rb"agent-top: (\d+) runs", scr.buf)[-1].decode()
        # nothing changes: what it uses meanwhile (times on the screen
        # that move on are redrawn, a frame at most a second)
        scr.quiet(1.0)
        c0, f0 = oncpu(top.pid), scr.frames
        scr.quiet(IDLE)
        idle_ms = (oncpu(top.pid) - c0) / 1e6
        idle_frames = scr.frames - f0
        # changes: a live run ends; from the line written to its FIFO to
        # the frame whose row says completed
        lat = []
        for i in range(ROUNDS):
            fifo = os.path.join(tmp, f"fifo{i}")
            os.mkfifo(fifo)
            rid = spawn_waiting(fifo)
            made.append(rid)
            if scr.wait(re.escape(rid.encode()) + rb" starting") is None:
                print(f"top      run {rid} never shown starting")
                return
            scr.quiet(0.3)
            scr.buf = b""
            t = time.monotonic()
            fd = os.open(fifo, os.O_WRONLY)
            os.write(fd, b"done\n")
            os.close(fd)
            seen = scr.wait(re.escape(rid.encode()) + rb" completed")
            if seen is None:
                print(f"top      run {rid} never shown completed")
                return
            lat.append((seen - t) * 1000)
        lat.sort()
        # the same runs read and watched, none of them shown: nothing on
        # the screen changes, so nothing is done
        none_ms, none_frames = quiet_cpu(["-a", "-l", "no-such-label"])
        print(f"top      agent-top -a ({n} runs)       first frame {first * 1000:.0f} ms; "
              f"idle {IDLE:.0f} s: {idle_ms:.1f} ms CPU, {idle_frames} frames")
        print(f"top      agent-top -a -l (none shown)  idle {IDLE:.0f} s: {none_ms:.1f} ms CPU, "
              f"{none_frames} frames")
        print(f"top      a run ending -> its row     best {lat[0]:.0f} ms, median "
              f"{lat[len(lat) // 2]:.0f} ms, worst {lat[-1]:.0f} ms of {len(lat)} "
              f"(target 100 ms; includes the run's exit and its record)")
    finally:
        os.write(master, b"q")
        try:
            top.wait(5)
        except subprocess.TimeoutExpired:
            top.send_signal(signal.SIGKILL)
            top.wait()
        os.close(master)
        for rid in made:
            subprocess.run(["rm", "-rf", os.path.join(RUNS, rid)])
        subprocess.run(["rm", "-rf", tmp])


main()
