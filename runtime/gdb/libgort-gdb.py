# libgort-gdb.py — gdb commands for gort's goroutines (Python 3, gdb >= 12).
#
#   info goroutines          every goroutine: id, state (Go's wait reasons),
#                            how long it has waited, which M/P/thread runs it,
#                            where it is, where it was created, its name
#   goroutine                the goroutine the selected thread runs
#   goroutine N              one line about goroutine N
#   goroutine N bt [ARGS]    its backtrace (any `backtrace` arguments: full, 5,
#                            -frame-arguments all ...)
#   goroutine N CMD          any gdb command with goroutine N's innermost frame
#                            selected (info locals, frame 2, print x, ...)
#   goroutine all CMD        CMD for every goroutine, each under a Go-style header
#
# Loading.  Installed with the library as
# $datadir/gdb/auto-load/$libdir/libgort.so.VERSION-gdb.py, so gdb loads it by
# itself for programs linked with libgort.so (where its auto-load safe-path
# allows; docs/GDB.md); the build tree has a copy next to libgort.so.  For a
# static link (libgort.a): `source /path/to/runtime/gdb/libgort-gdb.py`.  It can
# be loaded before the program runs; the commands then say what is missing.
#
# What it reads (nothing is written to the program, live or core):
#   - the all-goroutines list: `allg_head` (static, runtime/src/dump.c),
#     linked by G.allg_next; every G descriptor ever allocated is on it and
#     none is ever unlinked, so it can be walked without a lock.  G, M and P
#     are read with the layouts the runtime's debug info gives (the library
#     must be built with -g; gort's Release builds are -O2 -g), so fields
#     may move between versions; a missing field is reported by name.
#   - G fields: sp, id, status, wait_reason, is_system (never listed),
#     is_main, fn, arg, m, stk.lo/hi, wait_since, file, line, name,
#     parent_id, lockedm; M: id, p, curg, tid; P: id.
#   - the wait-reason strings from the runtime's own table (`reason_names`
#     in dump.c), and the status numbers from `enum g_status`, with the
#     values of this version as the fallback.
#   - Threads: an M's `tid` is matched to the gdb thread with that LWP.
#
# How long: G.wait_since is CLOCK_MONOTONIC_COARSE nanoseconds (the
# runtime's coarse_now) taken when the goroutine parked.  For a live process
# debugged natively, gdb's own clock is the same clock, so the time shown is
# how long it has waited until now (including the time the process has been
# stopped in the debugger).  A core file (or a remote target) has no clock:
# the time is measured against the newest timestamp found in the dump (the
# latest park, sysmon's last look at each P) and shown as ">=" that: a lower
# bound.  A goroutine in a system call has no start time recorded.
#
# Backtraces of goroutines that are not running are unwound by gdb itself,
# from the context the switch saved (runtime/src/arch/switch_*.S): at G.sp,
#   x86-64:  +8 r15 +16 r14 +24 r13 +32 r12 +40 rbx +48 rbp +56 return
#            address; the goroutine's sp after the switch returns is G.sp+64
#   AArch64: x19..x28 at +0..+72, x29 (fp) +80, x30 (lr, the resume pc) +88;
#            sp after the switch is G.sp+176
# The same method serves a live process and a core file, since it writes no
# register: a gdb Python unwinder (gdb.unwinder), active only while a
# `goroutine N ...` command runs, claims the selected thread's innermost
# frame and gives as its caller the goroutine's saved context (pc, sp, the
# frame pointer and the callee-saved registers).  From there gdb unwinds
# with the DWARF CFI as usual (programs built without frame pointers are
# fine), so `bt full`, `frame N`, `info locals` and `print` work on the
# goroutine's frames.  A frame filter hides the thread's own frame(s) below
# the goroutine's and the frame numbers printed are shifted to start at #0.
# (Go's runtime-gdb.py instead writes $pc/$sp into the thread and restores
# them, which cannot work on a core file.)  A running goroutine (or one in a
# system call) has no saved context: its M's thread is selected for the
# command instead, and the command runs there unchanged.  A goroutine that
# has not run yet has only the frame that will start it: its entry
# function is printed instead.
#
# The table's "Where" column comes from a cheap frame-pointer walk from the
# saved context (the runtime is built with -fno-omit-frame-pointer): the
# first frame outside runtime/src/, i.e. the program's call that blocked.
#
# Limitations: see docs/GDB.md (a `gcore` core of a process that uses
# MADV_GUARD_INSTALL stack guards holds no goroutine stacks; reading a
# running process needs it stopped; x86-64 and AArch64 Linux only).

import re
import time

import gdb

try:
    from gdb.unwinder import Unwinder, register_unwinder
except ImportError:  # gdb without Python unwinders (< 7.10)
    Unwinder = object
    register_unwinder = None

# ---- the runtime's constants (fallbacks; read from debug info when there) ----

_G_STATUS_FALLBACK = {
    "G_IDLE": 0, "G_RUNNABLE": 1, "G_RUNNING": 2, "G_WAITING": 3, "G_DEAD": 4,
    "G_SYSCALL": 5,
}

# runtime/src/dump.c's reason_names, in enum wait_reason order.
_WAIT_REASONS_FALLBACK = [
    "waiting", "chan receive", "chan send", "select", "select (no cases)",
    "chan receive (nil chan)", "chan send (nil chan)", "sleep",
    "sync.WaitGroup.Wait", "sync.Mutex.Lock", "sync.RWMutex.RLock",
    "sync.RWMutex.Lock", "IO wait", "syscall", "gort_run", "preempted",
    "sync.Cond.Wait",
]

# The switch frame (runtime/src/arch/switch_*.S): the registers it saves
# and their offsets from the saved sp, where the resume pc is, its size.
_ARCH = {
    "x86-64": {
        "pc": "rip", "sp": "rsp", "fp": "rbp",
        "frame": 64, "ret": 56,
        "regs": [("r15", 8), ("r14", 16), ("r13", 24), ("r12", 32),
                 ("rbx", 40), ("rbp", 48)],
    },
    "aarch64": {
        "pc": "pc", "sp": "sp", "fp": "x29",
        "frame": 176, "ret": 88,
        "regs": [("x%d" % (19 + i), 8 * i) for i in range(10)]
                + [("x29", 80), ("x30", 88)],
    },
}

_RUNTIME_FILE = re.compile(r"(^|/)runtime/src/")
_MAX_GOROUTINES = 50000000   # a bound on the list walk (a corrupt core)


def _arch():
    name = gdb.selected_inferior().architecture().name()
    if "x86-64" in name:
        return _ARCH["x86-64"]
    if "aarch64" in name:
        return _ARCH["aarch64"]
    raise gdb.GdbError("gort: unsupported architecture %s (x86-64 and AArch64 only)" % name)


def _has_process():
    """True when there is memory to read: a live process or a core."""
    inf = gdb.selected_inferior()
    if inf.pid != 0:
        return True
    conn = getattr(inf, "connection", None)
    return conn is not None and getattr(conn, "type", None) == "core"


def _target_kind():
    conn = getattr(gdb.selected_inferior(), "connection", None)
    return getattr(conn, "type", None) if conn is not None else None


# ---- reading structures --------------------------------------------------------

class _Layout:
    """Offsets and sizes of a struct's fields, from the debug info."""

    def __init__(self, typ):
        self.type = typ.strip_typedefs()
        self.size = self.type.sizeof
        self.fields = {}
        self._collect(self.type, 0, "")

    def _collect(self, typ, base, prefix):
        for f in typ.fields():
            if not f.name or not hasattr(f, "bitpos"):
                continue
            ft = f.type.strip_typedefs()
            off = base + f.bitpos // 8
            name = prefix + f.name
            if ft.code == gdb.TYPE_CODE_STRUCT:
                self._collect(ft, off, name + ".")
            else:
                signed = False
                if ft.code == gdb.TYPE_CODE_INT:
                    try:
                        signed = bool(ft.is_signed)   # gdb >= 12
                    except (AttributeError, ValueError):
                        signed = not ft.name or not ft.name.startswith("unsigned")
                self.fields[name] = (off, ft.sizeof, signed)

    def has(self, name):
        return name in self.fields

    def get(self, buf, name, default=None):
        f = self.fields.get(name)
        if f is None:
            return default
        off, size, signed = f
        return int.from_bytes(bytes(buf[off:off + size]), "little", signed=signed)


def _read(addr, size):
    return gdb.selected_inferior().read_memory(addr, size).tobytes()


def _read_word(addr):
    return int.from_bytes(_read(addr, 8), "little")


_string_cache = {}


def _read_cstring(addr, limit=512):
    if not addr:
        return None
    s = _string_cache.get(addr)
    if s is not None:
        return s
    out = b""
    try:
        while len(out) < limit:
            chunk = _read(addr + len(out), 64)
            i = chunk.find(b"\0")
            if i >= 0:
                out += chunk[:i]
                break
            out += chunk
    except gdb.MemoryError:
        if not out:
            return "<unreadable 0x%x>" % addr
    s = out.decode("utf-8", "replace")
    _string_cache[addr] = s
    return s


def _static_symbol(name, cu_suffix):
    """The static `name` defined in runtime/src/<cu_suffix>, or None."""
    syms = []
    if hasattr(gdb, "lookup_static_symbols"):
        syms = gdb.lookup_static_symbols(name)
    else:
        s = gdb.lookup_static_symbol(name)
        syms = [s] if s else []
    for s in syms:
        if s is not None and s.symtab and s.symtab.filename.endswith(cu_suffix):
            return s
    for s in syms:
        if s is not None:
            return s
    return None


def _fmt_duration(ns):
    if ns < 0:
        ns = 0
    s = ns / 1e9
    if s < 1:
        return "%dms" % (ns // 1000000)
    if s < 60:
        return "%.1fs" % s
    if s < 3600:
        return "%dm%02ds" % (int(s) // 60, int(s) % 60)
    return "%dh%02dm" % (int(s) // 3600, (int(s) % 3600) // 60)


def _short_file(path):
    return path.rsplit("/", 1)[-1] if path else path


# ---- one goroutine and a snapshot of all of them -----------------------------

class Goroutine:
    __slots__ = ("addr", "id", "status", "reason", "sp", "is_main", "fn", "arg",
                 "m", "stk_lo", "stk_hi", "wait_since", "file", "line", "name",
                 "parent_id", "lockedm", "buf")


class Snapshot:
    """Everything the commands need, read once per command."""

    def __init__(self):
        # what was cached for the last command may have changed since
        _string_cache.clear()
        _symbol_cache.clear()
        if not _has_process():
            raise gdb.GdbError("gort: the program is not running and no core file is loaded "
                               "(start it with `run` or `start`, or load a core)")
        sym = _static_symbol("allg_head", "dump.c")
        if sym is None:
            raise gdb.GdbError("gort: no gort runtime here: the static symbol allg_head "
                               "(runtime/src/dump.c) is not in the debug info.  Is the program "
                               "linked with libgort built with -g, and has libgort.so been loaded?")
        self.arch = _arch()
        gptr = sym.type.strip_typedefs()
        if gptr.code != gdb.TYPE_CODE_PTR:
            raise gdb.GdbError("gort: allg_head is not a pointer: unexpected runtime version")
        self.gl = _Layout(gptr.target())
        for f in ("sp", "id", "status", "wait_reason", "allg_next"):
            if not self.gl.has(f):
                raise gdb.GdbError("gort: struct G has no field %s: unexpected runtime version" % f)
        mfield = [f for f in self.gl.type.fields() if f.name == "m"]
        self.ml = _Layout(mfield[0].type.strip_typedefs().target()) if mfield else None
        self.pl = None
        if self.ml is not None:
            pfield = [f for f in self.ml.type.fields() if f.name == "p"]
            if pfield:
                self.pl = _Layout(pfield[0].type.strip_typedefs().target())
        self.status = dict(_G_STATUS_FALLBACK)
        try:
            et = gdb.lookup_type("enum g_status")
            for f in et.fields():
                self.status[f.name] = int(f.enumval)
        except gdb.error:
            pass
        self.reasons = list(_WAIT_REASONS_FALLBACK)
        rs = _static_symbol("reason_names", "dump.c")
        if rs is not None:
            try:
                arr = rs.value()
                lo, hi = arr.type.strip_typedefs().range()
                names = []
                for i in range(lo, hi + 1):
                    p = int(arr[i])
                    n = _read_cstring(p) if p else None
                    if not n or n.startswith("<unreadable"):
                        # (a dump without the library's read-only data)
                        n = _WAIT_REASONS_FALLBACK[i] if i < len(_WAIT_REASONS_FALLBACK) \
                            else "waiting"
                    names.append(n)
                self.reasons = names
            except (gdb.error, gdb.MemoryError, RuntimeError):
                pass
        self.head = int(sym.value())
        self._ms = {}
        self._ps = {}
        self.gs = self._walk()
        self.threads = {}
        for t in gdb.selected_inferior().threads():
            self.threads[t.ptid[1]] = t
        self.kind = _target_kind()
        self.now, self.now_exact = self._now()

    def _walk(self):
        gs = []
        seen = set()
        addr = self.head
        st = self.status
        listed = (st["G_RUNNABLE"], st["G_RUNNING"], st["G_WAITING"], st["G_SYSCALL"])
        self.truncated = None
        while addr and len(seen) < _MAX_GOROUTINES:
            if addr in seen:
                self.truncated = "the goroutine list loops at 0x%x" % addr
                break
            seen.add(addr)
            try:
                buf = _read(addr, self.gl.size)
            except gdb.MemoryError:
                self.truncated = "cannot read a G at 0x%x" % addr
                break
            L = self.gl
            nxt = L.get(buf, "allg_next")
            status = L.get(buf, "status")
            if status in listed and not L.get(buf, "is_system", 0):
                g = Goroutine()
                g.addr = addr
                g.buf = buf
                g.id = L.get(buf, "id")
                g.status = status
                g.reason = L.get(buf, "wait_reason", 0)
                g.sp = L.get(buf, "sp")
                g.is_main = bool(L.get(buf, "is_main", 0))
                g.fn = L.get(buf, "fn", 0)
                g.arg = L.get(buf, "arg", 0)
                g.m = L.get(buf, "m", 0)
                g.stk_lo = L.get(buf, "stk.lo", 0)
                g.stk_hi = L.get(buf, "stk.hi", 0)
                g.wait_since = L.get(buf, "wait_since", 0)
                g.file = L.get(buf, "file", 0)
                g.line = L.get(buf, "line", 0)
                g.name = L.get(buf, "name", 0)
                g.parent_id = L.get(buf, "parent_id", 0)
                g.lockedm = L.get(buf, "lockedm", 0)
                gs.append(g)
            addr = nxt
        gs.sort(key=lambda g: g.id)
        return gs

    # -- M and P --------------------------------------------------------------
    def m_info(self, maddr):
        """(id, P id or None, tid, curg address) of the M at maddr."""
        if not maddr or self.ml is None:
            return None
        if maddr not in self._ms:
            try:
                buf = _read(maddr, self.ml.size)
                paddr = self.ml.get(buf, "p", 0)
                pid = None
                if paddr and self.pl is not None:
                    pid = self._ps.get(paddr)
                    if pid is None:
                        pid = self.pl.get(_read(paddr, self.pl.size), "id")
                        self._ps[paddr] = pid
                self._ms[maddr] = (self.ml.get(buf, "id"), pid, self.ml.get(buf, "tid", 0),
                                   self.ml.get(buf, "curg", 0))
            except gdb.MemoryError:
                self._ms[maddr] = None
        return self._ms[maddr]

    def thread_of(self, g):
        mi = self.m_info(g.m)
        if mi is None or not mi[2]:
            return None
        return self.threads.get(mi[2])

    def current(self):
        """The goroutine the selected thread runs, or None."""
        t = gdb.selected_thread()
        if t is None:
            return None
        lwp = t.ptid[1]
        for g in self.gs:
            if g.status in (self.status["G_RUNNING"], self.status["G_SYSCALL"]):
                mi = self.m_info(g.m)
                if mi and mi[2] == lwp and mi[3] == g.addr:
                    return g
        return None

    def find(self, gid):
        for g in self.gs:
            if g.id == gid:
                return g
        return None

    # -- time -----------------------------------------------------------------
    def _now(self):
        if self.kind == "native":
            # CLOCK_MONOTONIC_COARSE (6 on Linux; Python does not name it)
            for clk in (getattr(time, "CLOCK_MONOTONIC_COARSE", 6), time.CLOCK_MONOTONIC):
                try:
                    return time.clock_gettime_ns(clk), True
                except (AttributeError, OSError):
                    pass
        # No clock (a core, a remote target): the newest timestamp the
        # runtime left behind.
        best = max([g.wait_since for g in self.gs if g.wait_since] or [0])
        if self.pl is not None:
            try:
                sched = gdb.parse_and_eval("gort__sched")
                n = int(sched["nallp"])
                for i in range(min(n, 1024)):
                    p = int(sched["allp"][i])
                    if not p:
                        continue
                    buf = _read(p, self.pl.size)
                    for f in ("sysmon_schedwhen", "sysmon_syscallwhen", "sysmon_seen_when",
                              "sysmon_signal_when"):
                        v = self.pl.get(buf, f, 0)
                        if v and v > best:
                            best = v
            except (gdb.error, gdb.MemoryError, RuntimeError):
                pass
        return (best or None), False

    # -- describing a goroutine -------------------------------------------------
    def state(self, g):
        st = self.status
        if g.status == st["G_RUNNING"]:
            return "running"
        if g.status == st["G_RUNNABLE"]:
            return "runnable"
        if g.status == st["G_SYSCALL"]:
            return "syscall"
        if 0 <= g.reason < len(self.reasons):
            return self.reasons[g.reason]
        return "waiting"

    def waited(self, g):
        """How long it has waited, or ''."""
        if g.status != self.status["G_WAITING"] or not g.wait_since or self.now is None:
            return ""
        d = _fmt_duration(self.now - g.wait_since)
        return d if self.now_exact else ">=" + d

    def where_run(self, g):
        """Which M, P and gdb thread run it."""
        st = self.status
        if g.status in (st["G_RUNNING"], st["G_SYSCALL"]):
            mi = self.m_info(g.m)
            if mi is None:
                return "M?"
            s = "M%d" % mi[0]
            if mi[1] is not None:
                s += " P%d" % mi[1]
            t = self.threads.get(mi[2])
            s += " thread %s" % (t.num if t is not None else "LWP %d?" % mi[2])
            return s
        if g.lockedm:
            mi = self.m_info(g.lockedm)
            return "locked to M%d" % mi[0] if mi else "locked"
        return ""

    def created(self, g):
        if g.is_main:
            return "main goroutine"
        if not g.file:
            return "-"
        s = "%s:%d" % (_short_file(_read_cstring(g.file)) or "?", g.line)
        if g.parent_id:
            s += " by goroutine %d" % g.parent_id
        return s

    def name(self, g):
        return _read_cstring(g.name) if g.name else ""

    def header(self, g):
        """Go's dump header: goroutine N [state, time]: (name)"""
        s = "goroutine %d [%s" % (g.id, self.state(g))
        w = self.waited(g)
        if w:
            s += ", " + w
        s += "]:"
        if g.name:
            s += " (%s)" % self.name(g)
        on = self.where_run(g)
        if on:
            s += "  on " + on
        return s

    # -- the saved context --------------------------------------------------------
    def saved_context(self, g):
        """{register: value} of the goroutine when it resumes, resume pc and sp;
        None when it has no saved context (running)."""
        st = self.status
        if g.status in (st["G_RUNNING"], st["G_SYSCALL"]) or not g.sp:
            return None
        a = self.arch
        regs = {}
        for name, off in a["regs"]:
            regs[name] = _read_word(g.sp + off)
        pc = _read_word(g.sp + a["ret"])
        sp = g.sp + a["frame"]
        regs[a["pc"]] = pc
        regs[a["sp"]] = sp
        return regs, pc, sp

    def not_started(self, g, pc):
        """True when the saved context is the one ctx_init built (it never ran)."""
        try:
            tramp = int(gdb.parse_and_eval("&gort_ctx_trampoline").cast(
                gdb.lookup_type("unsigned long")))
        except gdb.error:
            return False
        return pc == tramp

    def where(self, g):
        """The program's function it is in, as 'fn file:line' (frame-pointer walk)."""
        st = self.status
        try:
            if g.status in (st["G_RUNNING"], st["G_SYSCALL"]):
                t = self.thread_of(g)
                if t is None:
                    return "?"
                return self._thread_where(t)
            ctx = self.saved_context(g)
            if ctx is None:
                return "?"
            regs, pc, sp = ctx
            if pc == 0:
                return "<stack not in the core>" if self.kind == "core" else "?"
            if self.not_started(g, pc):
                return "%s (not started)" % _symbolize(g.fn, exact=True)[0]
            fp = regs[self.arch["fp"]]
            pcs = [pc]
            lo, hi = g.stk_lo, g.stk_hi
            prev = sp
            for _ in range(64):
                if not fp or fp & 7 or fp < prev or (hi and (fp < lo or fp >= hi)):
                    break
                ret = _read_word(fp + 8)
                if not ret:
                    break
                pcs.append(ret)
                prev = fp
                fp = _read_word(fp)
            first = None
            for p in pcs:
                name, fname, line = _symbolize(p)
                if first is None:
                    first = (name, fname, line)
                if fname and _RUNTIME_FILE.search(fname):
                    continue
                return _fmt_where(name, fname, line)
            return _fmt_where(*first) if first else "?"
        except gdb.MemoryError:
            return "<stack unreadable>"
        except (gdb.error, RuntimeError, ValueError, OverflowError):
            return "?"

    def _thread_where(self, t):
        old = gdb.selected_thread()
        oldf = _selected_level()
        try:
            t.switch()
            f = gdb.newest_frame()
            sal = f.find_sal()
            fn = f.name() or "0x%x" % f.pc()
            return _fmt_where(fn, sal.symtab.filename if sal.symtab else None, sal.line)
        except gdb.error:
            return "?"
        finally:
            if old is not None and old.is_valid():
                old.switch()
                _select_level(oldf)


_symbol_cache = {}


def _symbolize(pc, exact=False):
    """(function, file, line) of a return address (pc - 1) or an exact pc."""
    key = (pc, exact)
    r = _symbol_cache.get(key)
    if r is None:
        r = _symbol_cache[key] = _symbolize_uncached(pc, exact)
    return r


def _symbolize_uncached(pc, exact):
    look = pc if exact else pc - 1
    if look <= 0:
        return "0x%x" % pc, None, 0
    name = None
    try:
        b = gdb.block_for_pc(look)
        while b is not None and b.function is None:
            b = b.superblock
        if b is not None:
            name = b.function.name
    except RuntimeError:
        pass
    if name is None:
        try:
            s = gdb.execute("info symbol 0x%x" % look, to_string=True)
            if not s.startswith("No symbol"):
                name = s.split(" in section")[0].split(" + ")[0].strip()
        except gdb.error:
            pass
    sal = gdb.find_pc_line(look)
    fname = sal.symtab.filename if sal.symtab else None
    return (name or "0x%x" % pc), fname, sal.line


def _fmt_where(name, fname, line):
    if fname:
        return "%s %s:%d" % (name, _short_file(fname), line)
    return name


def _selected_level():
    try:
        return gdb.selected_frame().level()
    except gdb.error:
        return None


def _select_level(level):
    if level is None:
        return
    try:
        f = gdb.newest_frame()
        while f is not None and f.level() < level:
            f = f.older()
        if f is not None:
            f.select()
    except gdb.error:
        pass


# ---- the unwinder and frame filter that show a parked goroutine ---------------

class _Override:
    """While set, the selected thread's innermost frame unwinds to a goroutine."""

    def __init__(self, regs, thread_pc, thread_sp, arch):
        self.regs = regs
        self.thread_pc = thread_pc
        self.thread_sp = thread_sp
        self.arch = arch
        self.first = None     # level of the goroutine's innermost frame


_override = None


class _FrameId:
    def __init__(self, sp, pc):
        self.sp = sp
        self.pc = pc


class _GoroutineUnwinder(Unwinder):
    def __init__(self):
        super().__init__("gort-goroutine")

    def __call__(self, pending):
        ov = _override
        if ov is None:
            return None
        try:
            a = ov.arch
            if ov.first is not None and hasattr(pending, "level") and pending.level() >= ov.first:
                return None
            pcv = pending.read_register(a["pc"])
            spv = pending.read_register(a["sp"])
            if int(pcv) != ov.thread_pc or int(spv) != ov.thread_sp:
                return None
            # The claimed frame's id: the goroutine's sp when it resumes, as
            # the switch's own frame would have (its CFA).
            ui = pending.create_unwind_info(
                _FrameId(gdb.Value(ov.regs[a["sp"]]).cast(spv.type),
                         gdb.Value(ov.thread_pc).cast(pcv.type)))
            for name, val in ov.regs.items():
                try:
                    t = pending.read_register(name).type
                except (ValueError, gdb.error):
                    continue
                ui.add_saved_register(name, gdb.Value(val).cast(t))
            return ui
        except Exception:   # an unwinder must never throw into gdb
            return None


class _HideThreadFrames:
    """Frame filter: hides the thread's frames below the goroutine's."""

    def __init__(self):
        self.name = "gort-goroutine"
        self.priority = 100
        self.enabled = False

    def filter(self, frame_iter):
        ov = _override
        if ov is None or ov.first is None:
            return frame_iter
        first = ov.first
        return (d for d in frame_iter if d.inferior_frame().level() >= first)


_unwinder = _GoroutineUnwinder()
_filter = _HideThreadFrames()
if register_unwinder is not None:
    register_unwinder(None, _unwinder, replace=True)
gdb.frame_filters[_filter.name] = _filter


def _activate(regs, pc, sp, arch):
    """Makes the selected thread's backtrace continue into the goroutine.
    Returns the goroutine's first frame's level."""
    global _override
    try:
        newest = gdb.newest_frame()
    except gdb.error as e:
        raise gdb.GdbError("gort: no frame to start from: %s" % e)
    ov = _Override(regs, int(newest.read_register(arch["pc"])),
                   int(newest.read_register(arch["sp"])), arch)
    _override = ov
    gdb.invalidate_cached_frames()
    f = gdb.newest_frame()
    for _ in range(16):
        older = f.older()
        if older is None:
            break
        if older.pc() == pc and int(older.read_register(arch["sp"])) == sp:
            ov.first = older.level()
            _filter.enabled = True
            return ov.first
        f = older
    _deactivate()
    raise gdb.GdbError("gort: gdb did not take the goroutine's saved context "
                       "(pc 0x%x, sp 0x%x)" % (pc, sp))


def _deactivate():
    global _override
    _override = None
    _filter.enabled = False
    gdb.invalidate_cached_frames()


_FRAME_NUM = re.compile(r"^#(\d+)( +)", re.M)


def _renumber(text, first):
    """Frame numbers as the goroutine's: gdb's minus `first` (gdb prints "#%-3d")."""
    if not first:
        return text
    return _FRAME_NUM.sub(lambda m: ("#%-2d " % (int(m.group(1)) - first))
                          if len(m.group(1)) + len(m.group(2)) == 3 else
                          "#%d%s" % (int(m.group(1)) - first, m.group(2)), text)


_BT = re.compile(r"^\s*(bt|backtrace|where|ba|bac|back|backt|backtr|backtra|backtrac)(\s|$)")
_FRAME = re.compile(r"^\s*(frame|f|fr|fra|fram)\s+(?:(level)\s+)?(\d+)\s*$")
_FRAME_APPLY = re.compile(r"^\s*(frame|f|fr|fra|fram)\s+apply\s+level\s+(\d+)(?:-(\d+))?\s+(.*)$")


def _run_in_goroutine(snap, g, cmd):
    """Runs cmd as if goroutine g were the selected thread's; returns its output."""
    st = snap.status
    if g.status in (st["G_RUNNING"], st["G_SYSCALL"]):
        t = snap.thread_of(g)
        if t is None:
            mi = snap.m_info(g.m)
            return ("goroutine %d is %s on an M whose thread gdb does not know (LWP %s)\n"
                    % (g.id, snap.state(g), mi[2] if mi else "?"))
        old = gdb.selected_thread()
        oldf = _selected_level()
        try:
            t.switch()
            out = "(goroutine %d runs on thread %d, LWP %d)\n" % (g.id, t.num, t.ptid[1])
            return out + gdb.execute(cmd, to_string=True)
        finally:
            if old is not None and old.is_valid() and old != t:
                old.switch()
                _select_level(oldf)
    try:
        ctx = snap.saved_context(g)
    except gdb.MemoryError:
        return ("goroutine %d: its saved context at 0x%x cannot be read\n" % (g.id, g.sp))
    if ctx is None:
        return "goroutine %d has no saved context\n" % g.id
    regs, pc, sp = ctx
    if pc == 0:
        return ("goroutine %d: its saved context at 0x%x reads as zeros: the stack is not in "
                "this core file (a gcore core of a process with MADV_GUARD_INSTALL stack "
                "guards: see docs/GDB.md)\n" % (g.id, g.sp))
    if snap.not_started(g, pc):
        return ("goroutine %d has not started: it will run %s(%s)\n"
                % (g.id, _symbolize(g.fn, exact=True)[0], "0x%x" % g.arg))
    if gdb.selected_thread() is None:
        raise gdb.GdbError("gort: no thread selected")
    oldf = _selected_level()
    first = _activate(regs, pc, sp, snap.arch)
    try:
        m = _FRAME.match(cmd)
        if m:
            # `frame N` prints through gdb's selection observer, which
            # to_string does not capture: select silently, then print.
            gdb.execute("select-frame %d" % (int(m.group(3)) + first), to_string=True)
            cmd = "frame"
        elif _FRAME_APPLY.match(cmd):
            m = _FRAME_APPLY.match(cmd)
            lo = int(m.group(2)) + first
            hi = int(m.group(3)) + first if m.group(3) else None
            cmd = "frame apply level %d%s %s" % (lo, "-%d" % hi if hi is not None else "",
                                                 m.group(4))
        elif not _BT.match(cmd):
            _select_level(first)
        out = gdb.execute(cmd, to_string=True)
        return _renumber(out, first)
    finally:
        _deactivate()
        _select_level(oldf)


# ---- commands -------------------------------------------------------------------

class InfoGoroutines(gdb.Command):
    """List gort's goroutines: id, state (Go's wait reasons), how long it has
waited, the M, P and gdb thread that run it, where it is (the first
function outside the runtime), where it was created, its name.
A `*' marks the goroutine that the selected thread runs.
Usage: info goroutines"""

    def __init__(self):
        super().__init__("info goroutines", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        snap = Snapshot()
        if not snap.gs:
            print("No goroutines (the gort runtime has not started yet)."
                  if not snap.head else "No goroutines.")
            return
        cur = snap.current()
        rows = []
        for g in snap.gs:
            rows.append(("*" if g is cur else " ", str(g.id), snap.state(g), snap.waited(g),
                         snap.where_run(g), snap.where(g), snap.created(g), snap.name(g)))
        heads = (" ", "Id", "State", "Waiting", "On", "Where", "Created", "Name")
        widths = [max(len(r[i]) for r in rows + [heads]) for i in range(len(heads))]
        def line(r):
            return ("%s %s  %s  %s  %s  %s  %s  %s" % tuple(
                r[i].ljust(widths[i]) for i in range(len(r)))).rstrip()
        out = [line(heads)]
        out += [line(r) for r in rows]
        counts = {}
        for r in rows:
            counts[r[2]] = counts.get(r[2], 0) + 1
        summary = ", ".join("%d %s" % (n, s) for s, n in sorted(counts.items(), key=lambda x: -x[1]))
        out.append("%d goroutines: %s" % (len(rows), summary))
        if not snap.now_exact and snap.now is not None and any(r[3] for r in rows):
            out.append("(no clock in a %s: waiting times are measured to the newest "
                       "timestamp in the dump)" % ("core file" if snap.kind == "core" else "remote target"))
        if snap.truncated:
            out.append("warning: the list is incomplete: %s" % snap.truncated)
        gdb.write("\n".join(out) + "\n")


class GoroutineCmd(gdb.Command):
    """Run a gdb command for a gort goroutine.
Usage: goroutine                 which goroutine the selected thread runs
       goroutine ID              one line about goroutine ID
       goroutine ID CMD          CMD with goroutine ID's innermost frame selected
       goroutine all CMD         CMD for every goroutine, under a header each
Examples: goroutine 12 bt, goroutine 12 bt full, goroutine 12 info locals,
goroutine 12 frame 3, goroutine all bt.
A parked goroutine's frames are unwound from the context it saved when it
switched away (live process or core file); a running one's command runs on
its thread.  Frame numbers count from the goroutine's innermost frame."""

    def __init__(self):
        super().__init__("goroutine", gdb.COMMAND_STACK, gdb.COMPLETE_NONE)

    def invoke(self, arg, from_tty):
        arg = arg.strip()
        snap = Snapshot()
        if not arg:
            g = snap.current()
            if g is None:
                t = gdb.selected_thread()
                print("The selected thread%s runs no goroutine (a runtime thread, or an M "
                      "between goroutines)." % (" (%d)" % t.num if t else ""))
            else:
                print(snap.header(g))
            return
        parts = arg.split(None, 1)
        which, cmd = parts[0], (parts[1] if len(parts) > 1 else "")
        if which == "all":
            if not cmd:
                raise gdb.GdbError("usage: goroutine all CMD (e.g. goroutine all bt)")
            if snap.truncated:
                gdb.write("warning: the goroutine list is incomplete: %s\n" % snap.truncated)
            for g in snap.gs:
                gdb.write(snap.header(g) + "\n")
                gdb.write(self._one(snap, g, cmd))
                gdb.write(self._created_by(snap, g) + "\n")
            return
        try:
            gid = int(which, 0)
        except ValueError:
            raise gdb.GdbError("usage: goroutine [ID|all] [CMD]: '%s' is not a goroutine id" % which)
        g = snap.find(gid)
        if g is None:
            raise gdb.GdbError("No goroutine %d (never created, or it has ended)." % gid)
        if not cmd:
            gdb.write(snap.header(g) + "\n")
            return
        gdb.write(self._one(snap, g, cmd))

    @staticmethod
    def _one(snap, g, cmd):
        try:
            return _run_in_goroutine(snap, g, cmd)
        except gdb.GdbError:
            raise
        except (gdb.error, gdb.MemoryError) as e:
            return "goroutine %d: %s\n" % (g.id, e)

    @staticmethod
    def _created_by(snap, g):
        if not g.file:
            return ""
        s = "created by %s:%d" % (_read_cstring(g.file), g.line)
        if g.parent_id:
            s += " in goroutine %d" % g.parent_id
        return s + "\n"


InfoGoroutines()
GoroutineCmd()
