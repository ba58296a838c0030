#!/usr/bin/python3
"""check_gdb.py — the `gdb_goroutines` test: runtime/gdb/libgort-gdb.py in
Debian's gdb, on a live process and on a core file.

  check_gdb.py --gdb GDB --prog PROGRAM --script libgort-gdb.py
               [--prog-shared PROGRAM --libdir DIR] [--sanitize KIND]

PROGRAM is conformance/gdb/prog/parked_goroutines.c: ~100 goroutines parked
in different ways, one spinning on a second P, a few runnable, main stopped
in gort_test_stop_here(); it prints the table of what to expect.

1. gdb -batch runs it to a breakpoint there, with the extension sourced,
   and captures `info goroutines` (before `run` too: a clear message),
   `goroutine N bt` for one goroutine of each kind, `goroutine N frame K`,
   `goroutine all bt` and a few errors.
2. It makes a core file of that state: the kernel's (gdb's `signal SIGABRT`
   with RLIMIT_CORE raised, in a scratch directory) when
   /proc/sys/kernel/core_pattern writes a plain file there; otherwise, or
   if no core appears, gdb's `gcore` of a second run that has mprotect stack
   guards (gcore cannot read a mapping holding MADV_GUARD_INSTALL guards).
   GORT_GDB_TEST_CORE=kernel|gcore forces one.
3. gdb -batch on PROGRAM and the core: the same commands, the same checks.
4. With --prog-shared (the same program linked with libgort.so): gdb with
   only `add-auto-load-safe-path DIR` must load the copy of the extension
   beside libgort.so by itself (the in-tree auto-load path).

Every goroutine of the table must be listed once, with its state string,
creation site and where it is; nothing else may be listed; every backtrace
must show the function its goroutine parked in and none of the thread's own
frames.  Exit 0: passed; 1: failed; 77: skipped (no gdb, a sanitizer build,
a launcher such as qemu or Valgrind, ptrace not allowed).
"""
import argparse
import glob
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile

SKIP = 77
failures = []

# What each kind of goroutine must show: functions its backtrace contains
# (its own parking function, the public call that parked it, its body).
KIND_FRAMES = {
    "recv": ["parked_in_recv", "gort_chan_recv", "g_recv"],
    "named": ["parked_in_recv", "gort_chan_recv", "g_recv"],
    "send": ["parked_in_send", "gort_chan_send", "g_send"],
    "select": ["parked_in_select", "gort_select", "g_select"],
    "select0": ["parked_in_select_no_cases", "gort_select", "g_select0"],
    "nilrecv": ["parked_in_nil_recv", "gort_chan_recv", "g_nil"],
    "sleep": ["parked_in_sleep", "gort_sleep", "g_sleep"],
    "wg": ["parked_in_wg_wait", "gort_wg_wait", "g_wg"],
    "mutex": ["parked_in_mutex_lock", "gort_mutex_lock", "g_mutex"],
    "cond": ["parked_in_cond_wait", "gort_cond_wait", "g_cond"],
    "rwmutex_r": ["parked_in_rwmutex_rlock", "gort_rwmutex_rlock", "g_rwmutex_r"],
    "io": ["parked_in_io_wait", "gort_fd_wait", "g_io"],
    "holder": ["parked_in_recv", "holding_locks", "g_holder"],
    "syscall": ["in_syscall_read", "g_syscall"],
    "spin": ["spin_forever", "g_spin"],
    "main": ["gort_test_stop_here", "test_main"],
    "runnable": ["has not started", "g_runnable"],
    "yield": ["yield_forever", "gort_yield", "g_yield"],
}
# The "Where" column: the program's function it is in.
KIND_WHERE = {
    "recv": "parked_in_recv", "named": "parked_in_recv", "send": "parked_in_send",
    "select": "parked_in_select", "select0": "parked_in_select_no_cases",
    "nilrecv": "parked_in_nil_recv", "sleep": "parked_in_sleep",
    "wg": "parked_in_wg_wait", "mutex": "parked_in_mutex_lock",
    "cond": "parked_in_cond_wait", "rwmutex_r": "parked_in_rwmutex_rlock",
    "io": "parked_in_io_wait", "holder": "parked_in_recv", "spin": "spin_forever",
    "main": "gort_test_stop_here", "runnable": "g_runnable (not started)",
    "yield": "yield_forever",
}
PARKED = {"recv", "named", "send", "select", "select0", "nilrecv", "sleep", "wg",
          "mutex", "cond", "rwmutex_r", "io", "holder"}
# Backtraces unwound from a saved context.
SAVED = PARKED | {"yield"}
# Frames of the stopped thread that no parked goroutine's backtrace may show.
THREAD_ONLY = ["gort_test_stop_here", "test_main", "main_entry"]


def fail(msg, detail=None):
    failures.append(msg)
    print("FAIL: " + msg)
    if detail is not None:
        print("---- output ----")
        print(detail.rstrip()[:6000])
        print("----------------")


def note(msg):
    print("== " + msg)
    sys.stdout.flush()


# ---- the script gdb runs --------------------------------------------------------

GDB_SCRIPT = r'''
import gdb, json
OUT = %(out)r
results = {}
def run(key, cmd):
    try:
        results[key] = gdb.execute(cmd, to_string=True)
    except gdb.error as e:
        results[key] = "ERROR: %%s" %% e
def save():
    with open(OUT, "w") as f:
        json.dump(results, f)
for c in ("set pagination off", "set confirm off", "set width 0", "set height 0",
          "set print thread-events off"):
    gdb.execute(c)
%(source)s
%(body)s
save()
'''

# The commands both sessions run (live, core), with the goroutine ids read
# from the program's table: one goroutine of each kind.
COMMANDS = r'''
import re
exp = {}
for line in open(%(table)r):
    m = re.match(r"^expect (\d+) (\S+) ", line)
    if m:
        exp.setdefault(m.group(2), int(m.group(1)))
samples = sorted(exp.values())
results["samples"] = samples
for gid in samples:
    run("bt %%d" %% gid, "goroutine %%d bt" %% gid)
rid = exp.get("recv")
level = None
for line in results.get("bt %%d" %% rid, "").splitlines():
    m = re.match(r"^#(\d+)\s.*\bparked_in_recv\b", line)
    if m:
        level = int(m.group(1))
        break
results["frame_checks"] = [[rid, level]] if level is not None else []
if level is not None:
    run("frame %%d %%d" %% (rid, level), "goroutine %%d frame %%d" %% (rid, level))
    run("locals %%d" %% rid, "goroutine %%d info locals" %% rid)
run("info", "info goroutines")
run("current", "goroutine")
run("all", "goroutine all bt")
run("missing", "goroutine 99999999 bt")
run("badarg", "goroutine xyz bt")
run("thread_bt_after", "bt")
# The saved context's layout, from runtime/src/arch/ctx.h: in the
# goroutine's innermost frame, $sp is G.sp + CTX_FRAME_BYTES and the frame
# pointer is the word at G.sp + CTX_SAVED_FP_OFFSET.
ctx_all = %(ctx)r
arch = gdb.selected_inferior().architecture().name()
ctx = ctx_all.get("aarch64" if "aarch64" in arch else "x86-64")
if ctx and rid:
    try:
        g = gdb.lookup_static_symbol("allg_head").value()
        while int(g) and int(g["id"]) != rid:
            g = g["allg_next"]
        gsp = int(g["sp"])
        word = gdb.selected_inferior().read_memory(gsp + ctx["fp"], 8).tobytes()
        results["ctx_want"] = [gsp + ctx["frame"], int.from_bytes(word, "little")]
    except (gdb.error, gdb.MemoryError) as e:
        results["ctx_want"] = [-1, -1]
        results["ctx_error"] = str(e)
    run("ctx_sp", "goroutine %%d p/x $sp" %% rid)
    run("ctx_fp", "goroutine %%d p/x %%s" %% (rid, "$x29" if "aarch64" in arch else "$rbp"))
'''


def read_ctx_h(path):
    """CTX_FRAME_BYTES and CTX_SAVED_FP_OFFSET for each architecture."""
    out = {}
    try:
        text = open(path).read()
    except (OSError, TypeError):
        return out
    parts = text.split("defined(__aarch64__)")
    if len(parts) != 2:
        return out
    for arch, part in (("x86-64", parts[0]), ("aarch64", parts[1])):
        fr = re.search(r"#define\s+CTX_FRAME_BYTES\s+(\d+)", part)
        fp = re.search(r"#define\s+CTX_SAVED_FP_OFFSET\s+(\d+)", part)
        if fr and fp:
            out[arch] = {"frame": int(fr.group(1)), "fp": int(fp.group(1))}
    return out


def source(a):
    """The static link's way: `source` the extension."""
    return 'gdb.execute("source %s")' % a.script


def run_gdb(gdb, args, script_text, workdir, name, timeout=120, env=None):
    path = os.path.join(workdir, name + ".py")
    with open(path, "w") as f:
        f.write(script_text)
    cmd = [gdb, "-batch", "-nx"] + args[0] + ["-x", path] + args[1]
    note("running: " + " ".join(cmd))
    p = subprocess.run(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       stdin=subprocess.DEVNULL, timeout=timeout, env=env,
                       preexec_fn=lambda: resource.setrlimit(
                           resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
                       if _can_raise_core() else None)
    return p.returncode, p.stdout.decode("utf-8", "replace")


def _can_raise_core():
    soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
    return hard == resource.RLIM_INFINITY


# ---- the expected table -------------------------------------------------------

ended = set()   # goroutines that have ended: never listed


def read_expect(path):
    exp = {}
    names = {}
    ended.clear()
    with open(path) as f:
        for line in f:
            m = re.match(r"^ended (\d+)$", line.rstrip("\n"))
            if m:
                ended.add(int(m.group(1)))
            m = re.match(r"^expect (\d+) (\S+) (\d+) (.+)$", line.rstrip("\n"))
            if m:
                exp[int(m.group(1))] = (m.group(2), int(m.group(3)), m.group(4))
            m = re.match(r"^name (\d+) (\S+)$", line.rstrip("\n"))
            if m:
                names[int(m.group(1))] = m.group(2)
    return exp, names


# ---- checks -----------------------------------------------------------------------

def check_info(res, exp, names, core, label):
    out = res.get("info", "")
    rows = {}
    for line in out.splitlines():
        m = re.match(r"^([* ]) (\d+)\s+(.*)$", line)
        if m:
            gid = int(m.group(2))
            if gid in rows:
                fail("%s: info goroutines lists goroutine %d twice" % (label, gid), out)
            rows[gid] = line
    if not rows:
        fail("%s: info goroutines printed no goroutine" % label, out)
        return
    gone = sorted(set(rows) & ended)
    if gone:
        fail("%s: info goroutines lists goroutines that have ended: %s" % (label, gone), out)
    if len(ended) < 8:
        fail("%s: the program reported only %d ended goroutines" % (label, len(ended)))
    extra = sorted(set(rows) - set(exp))
    missing = sorted(set(exp) - set(rows))
    if extra:
        fail("%s: info goroutines lists goroutines that do not exist: %s" % (label, extra), out)
    if missing:
        fail("%s: info goroutines misses goroutines %s" % (label, missing), out)
    m = re.search(r"^(\d+) goroutines: ", out, re.M)
    if not m or int(m.group(1)) != len(exp):
        fail("%s: the summary line does not count %d goroutines" % (label, len(exp)), out)
    waited = 0
    for gid, (kind, line, state) in sorted(exp.items()):
        row = rows.get(gid)
        if row is None:
            continue
        if not re.match(r"^[* ] %d\s+%s(\s{2,}|$)" % (gid, re.escape(state)), row):
            fail("%s: goroutine %d (%s) should be [%s]: %r" % (label, gid, kind, state, row))
        want_created = "main goroutine" if kind == "main" else \
            "parked_goroutines.c:%d by goroutine 1" % line
        if want_created not in row:
            fail("%s: goroutine %d: creation site %r not shown: %r" % (label, gid, want_created, row))
        where = KIND_WHERE.get(kind)
        if where and where not in row:
            fail("%s: goroutine %d (%s): 'where' should be %s: %r" % (label, gid, kind, where, row))
        if kind in ("spin", "main") and not re.search(r"\bM\d+ P\d+ thread \d+\b", row):
            fail("%s: running goroutine %d: no 'M<n> P<n> thread <n>': %r" % (label, gid, row))
        if kind == "syscall" and not re.search(r"\bM\d+ thread \d+\b", row):
            fail("%s: goroutine %d in a system call: no 'M<n> thread <n>': %r" % (label, gid, row))
        if kind == "main" and not row.startswith("*"):
            fail("%s: the main goroutine (the selected thread's) is not marked '*': %r" % (label, row))
        if kind != "main" and row.startswith("*"):
            fail("%s: goroutine %d marked as the selected thread's: %r" % (label, gid, row))
        if gid in names and not row.rstrip().endswith(names[gid]):
            fail("%s: goroutine %d: name %s not shown: %r" % (label, gid, names[gid], row))
        if kind in PARKED:
            d = re.search(r"\s(>=)?\d+(ms|\.\ds|m\d\ds|h\d\dm)\s", row)
            if d:
                waited += 1
                if bool(d.group(1)) != core:
                    fail("%s: goroutine %d: waiting time %s (a core's are lower bounds '>=', "
                         "a live process's are not)" % (label, gid, d.group(0).strip()))
    parked = sum(1 for k, _, _ in exp.values() if k in PARKED)
    if waited != parked:
        fail("%s: %d of %d parked goroutines show how long they have waited"
             % (label, waited, parked), out)


def check_bt(text, gid, kind, label, what):
    if text.startswith("ERROR"):
        fail("%s: %s of goroutine %d failed" % (label, what, gid), text)
        return
    for fn in KIND_FRAMES[kind]:
        if fn not in text:
            fail("%s: %s of goroutine %d (%s) does not show %s" % (label, what, gid, kind, fn), text)
    if kind in SAVED:
        if not re.search(r"^#0 ", text, re.M):
            fail("%s: %s of goroutine %d has no frame #0" % (label, what, gid), text)
        for fn in THREAD_ONLY:
            if re.search(r"\b%s\b" % fn, text):
                fail("%s: %s of parked goroutine %d shows the thread's own frame %s"
                     % (label, what, gid, fn), text)
        nums = [int(n) for n in re.findall(r"^#(\d+) ", text, re.M)]
        if nums != list(range(len(nums))):
            fail("%s: %s of goroutine %d: frames are not numbered 0, 1, 2...: %s"
                 % (label, what, gid, nums), text)


def check_all(res, exp, label):
    out = res.get("all", "")
    if out.startswith("ERROR"):
        fail("%s: goroutine all bt failed" % label, out)
        return
    blocks = {}
    cur = None
    for line in out.splitlines():
        m = re.match(r"^goroutine (\d+) \[([^\]]*)\]:", line)
        if m:
            cur = int(m.group(1))
            if cur in blocks:
                fail("%s: goroutine all bt shows goroutine %d twice" % (label, cur))
            blocks[cur] = [line]
        elif cur is not None:
            blocks[cur].append(line)
    if set(blocks) != set(exp):
        fail("%s: goroutine all bt covers %s, expected %s (missing %s, extra %s)"
             % (label, len(blocks), len(exp), sorted(set(exp) - set(blocks)),
                sorted(set(blocks) - set(exp))), out)
    for gid, (kind, line, state) in exp.items():
        b = blocks.get(gid)
        if not b:
            continue
        if not b[0].startswith("goroutine %d [%s" % (gid, state)):
            fail("%s: goroutine all bt: header of %d should say [%s: %r"
                 % (label, gid, state, b[0]))
        text = "\n".join(b[1:])
        check_bt(text, gid, kind, label, "goroutine all bt")
        if kind != "main" and "created by " not in text:
            fail("%s: goroutine all bt: no 'created by' for goroutine %d" % (label, gid), text)


def check_session(res, exp, names, sample, frame_checks, core, label):
    if not core and not res.get("stopped"):
        fail("%s: the program did not stop in gort_test_stop_here" % label)
        return
    check_info(res, exp, names, core, label)
    for gid in sample:
        check_bt(res.get("bt %d" % gid, "ERROR: not run"), gid, exp[gid][0], label,
                 "goroutine %d bt" % gid)
    for gid, level in frame_checks:
        out = res.get("frame %d %d" % (gid, level), "")
        if not re.match(r"^#%d\s.*\bparked_in_recv\b" % level, out):
            fail("%s: goroutine %d frame %d should select parked_in_recv, numbered #%d"
                 % (label, gid, level, level), out)
        loc = res.get("locals %d" % gid, "")
        if loc.startswith("ERROR"):
            fail("%s: goroutine %d info locals failed" % (label, gid), loc)
    check_all(res, exp, label)
    if "No goroutine 99999999" not in res.get("missing", ""):
        fail("%s: goroutine 99999999 bt should say there is no such goroutine"
             % label, res.get("missing"))
    if "not a goroutine id" not in res.get("badarg", ""):
        fail("%s: goroutine xyz bt should reject 'xyz'" % label, res.get("badarg"))
    want = res.get("ctx_want")
    if want:
        for key, reg, value in (("ctx_sp", "$sp", want[0]), ("ctx_fp", "frame pointer", want[1])):
            m = re.search(r"= (0x[0-9a-f]+)", res.get(key, ""))
            if not m or int(m.group(1), 16) != value:
                fail("%s: goroutine %d's %s should be 0x%x (runtime/src/arch/ctx.h's layout)"
                     % (label, frame_checks[0][0] if frame_checks else 0, reg, value),
                     res.get(key, ""))
    elif label == "live":
        note("ctx.h not read: the saved registers are not checked against it")
    main_id = [g for g, e in exp.items() if e[0] == "main"][0]
    if not re.search(r"^goroutine %d \[running\]" % main_id, res.get("current", ""), re.M):
        fail("%s: `goroutine` should name the selected thread's goroutine %d"
             % (label, main_id), res.get("current"))
    after = res.get("thread_bt_after", "")
    if not re.search(r"^#0\s+gort_test_stop_here", after, re.M):
        fail("%s: the thread's own `bt` changed after the goroutine commands" % label, after)


# ---- main ---------------------------------------------------------------------

def core_mode():
    forced = os.environ.get("GORT_GDB_TEST_CORE", "")
    if forced in ("kernel", "gcore"):
        return forced
    try:
        pattern = open("/proc/sys/kernel/core_pattern").read().strip()
    except OSError:
        return "gcore"
    if not pattern or pattern.startswith("|") or "/" in pattern:
        note("core_pattern %r does not write a file in the working directory: gcore" % pattern)
        return "gcore"
    if not _can_raise_core():
        note("RLIMIT_CORE's hard limit is not unlimited: gcore")
        return "gcore"
    return "kernel"


def live_and_core(a, workdir, mode):
    """The live session, which ends by making a core.
    Returns (results, core path or None, the program's stdout file, gdb's log)."""
    stdout = os.path.join(workdir, "prog.out")
    stderr = os.path.join(workdir, "prog.err")
    env = {"GORT_ASYNCPREEMPT": "0"}
    if mode == "gcore":
        env["GORT_TEST_NO_KERNEL_GUARDS"] = "1"
    for f in glob.glob(os.path.join(workdir, "core*")) + glob.glob(os.path.join(workdir, "*.json")):
        os.unlink(f)
    core = os.path.join(workdir, "gcore.core")
    cmds = os.path.join(workdir, "cmds.py")
    with open(cmds, "w") as f:
        f.write(COMMANDS % {"table": stdout, "ctx": read_ctx_h(a.ctx_h)})
    body = ['run("before_run", "info goroutines")']
    body += ['gdb.execute("set environment %s %s")' % kv for kv in sorted(env.items())]
    body += ['gdb.execute("break gort_test_stop_here")',
             'gdb.execute("run > %s 2> %s")' % (stdout, stderr),
             'results["stopped"] = gdb.newest_frame().name() == "gort_test_stop_here"',
             'exec(open(%r).read())' % cmds,
             'save()']
    if mode == "kernel":
        body.append('gdb.execute("signal SIGABRT")')
    else:
        body += ['gdb.execute("gcore %s")' % core, 'gdb.execute("kill")']
    out_json = os.path.join(workdir, "live.json")
    script = GDB_SCRIPT % {"out": out_json, "body": "\n".join(body), "source": source(a)}
    rc, log = run_gdb(a.gdb, ([], ["--args", a.prog]), script, workdir, "live")
    if not os.path.exists(out_json):
        fail("live gdb session (%s) saved no results (exit %d)" % (mode, rc), log)
        return None, None, stdout, log
    res = json.load(open(out_json))
    if mode == "kernel":
        cores = [c for c in glob.glob(os.path.join(workdir, "core*")) if os.path.isfile(c)]
        core = cores[0] if cores else None
    elif not os.path.exists(core):
        core = None
    return res, core, stdout, log


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gdb", default="gdb")
    ap.add_argument("--prog", required=True)
    ap.add_argument("--script", required=True)
    ap.add_argument("--prog-shared")
    ap.add_argument("--libdir")
    ap.add_argument("--sanitize", default="")
    ap.add_argument("--ctx-h", help="runtime/src/arch/ctx.h (the switch frame's layout)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch directory")
    a = ap.parse_args()
    a.prog = os.path.abspath(a.prog)
    a.script = os.path.abspath(a.script)
    if a.prog_shared:
        a.prog_shared = os.path.abspath(a.prog_shared)

    if a.sanitize:
        print("SKIP: a -fsanitize=%s build (the extension is tested in plain builds)" % a.sanitize)
        return SKIP
    if os.environ.get("GORT_TEST_LAUNCHER"):
        print("SKIP: programs run through %s here; gdb cannot debug them that way"
              % os.environ["GORT_TEST_LAUNCHER"].split()[0])
        return SKIP
    gdb = shutil.which(a.gdb) if a.gdb else None
    if not gdb:
        print("SKIP: gdb not found (Debian package gdb)")
        return SKIP
    a.gdb = gdb
    v = subprocess.run([gdb, "-batch", "-nx", "-ex", "python import sys; print(sys.version_info[0])"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout.decode()
    if v.strip().splitlines()[-1:] != ["3"]:
        print("SKIP: this gdb has no Python 3: %s" % v.strip())
        return SKIP

    workdir = tempfile.mkdtemp(prefix="gort-gdb-test.")
    try:
        return run_all(a, workdir)
    finally:
        if a.keep or os.environ.get("GORT_GDB_TEST_KEEP"):
            print("scratch directory kept: %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run_all(a, workdir):
    mode = core_mode()
    res, core, stdout, log = live_and_core(a, workdir, mode)
    if res is None:
        return 1
    if not res.get("stopped"):
        if "ptrace" in log.lower() and "not permitted" in log.lower():
            print("SKIP: gdb may not trace processes here (ptrace not permitted)")
            print(log[-2000:])
            return SKIP
        fail("the program did not stop at gort_test_stop_here under gdb", log)
        return 1
    exp, names = read_expect(stdout)
    if len(exp) < 90:
        fail("the program announced only %d goroutines" % len(exp), open(stdout).read())
        return 1
    note("live process: %d goroutines expected" % len(exp))

    # Before `run`: a clear message, no Python traceback.
    br = res.get("before_run", "")
    if "not running" not in br or "Traceback" in br:
        fail("info goroutines before `run` should say the program is not running", br)

    sample = res.get("samples", [])
    frame_checks = [tuple(x) for x in res.get("frame_checks", [])]
    if not frame_checks:
        fail("no parked_in_recv frame found in the receiver's backtrace",
             res.get("bt %d" % sample[0]) if sample else log)
    check_session(res, exp, names, sample, frame_checks, False, "live")

    if core is None and mode == "kernel":
        note("no core file from the kernel (core_pattern, limits): trying gcore")
        mode = "gcore"
        res2, core, stdout2, log = live_and_core(a, workdir, mode)
        if res2 is not None:
            exp, names = read_expect(stdout2)
            sample = res2.get("samples", [])
            frame_checks = [tuple(x) for x in res2.get("frame_checks", [])]
    if core is None:
        fail("no core file was made (%s)" % mode, log)
    else:
        note("core file (%s): %s, %d MB on disk" % (
            mode, core, os.stat(core).st_blocks * 512 // (1 << 20)))
        out_json = os.path.join(workdir, "core.json")
        body = 'exec(open(%r).read())' % os.path.join(workdir, "cmds.py")
        script = GDB_SCRIPT % {"out": out_json, "body": body, "source": source(a)}
        rc, clog = run_gdb(a.gdb, ([], [a.prog, core]), script, workdir, "core")
        try:
            os.unlink(core)   # large: do not keep it longer than needed
        except OSError:
            pass
        if not os.path.exists(out_json):
            fail("core gdb session saved no results (exit %d)" % rc, clog)
        else:
            cres = json.load(open(out_json))
            check_session(cres, exp, names, sample, frame_checks, True, "core (%s)" % mode)

    if a.prog_shared and a.libdir:
        check_autoload(a, workdir)

    if failures:
        print("\n%d check(s) failed" % len(failures))
        if os.environ.get("GORT_GDB_TEST_VERBOSE"):
            print(json.dumps(res, indent=1))
        return 1
    print("gdb_goroutines: PASS (live process and %s core)" % mode)
    return 0


def check_autoload(a, workdir):
    """libgort.so's in-tree copy of the extension loads by itself."""
    out_json = os.path.join(workdir, "autoload.json")
    stdout = os.path.join(workdir, "shared.out")
    body = r'''
gdb.execute("set environment GORT_ASYNCPREEMPT 0")
gdb.execute("break gort_test_stop_here")
gdb.execute("run > %s 2>&1")
run("scripts", "info auto-load python-scripts")
run("info", "info goroutines")
gdb.execute("kill")
''' % stdout
    # nothing sourced: gdb must find the extension by itself
    script = GDB_SCRIPT % {"out": out_json, "body": body, "source": ""}
    libdir = os.path.realpath(a.libdir)
    rc, log = run_gdb(a.gdb, (["-iex", "add-auto-load-safe-path " + libdir],
                              ["--args", a.prog_shared]), script, workdir, "autoload")
    if not os.path.exists(out_json):
        fail("auto-load session saved no results (exit %d)" % rc, log)
        return
    res = json.load(open(out_json))
    scripts = res.get("scripts", "")
    if not re.search(r"^Yes\s+\S*libgort\.so\.[0-9.]+-gdb\.py", scripts, re.M):
        fail("gdb did not auto-load libgort.so.VERSION-gdb.py from %s" % libdir, scripts)
    exp, _ = read_expect(stdout)
    info = res.get("info", "")
    listed = set(int(x) for x in re.findall(r"^[* ] (\d+)\s", info, re.M))
    if not exp or listed != set(exp):
        fail("auto-loaded extension: info goroutines does not list the shared program's "
             "goroutines", info)
    else:
        note("auto-load from %s: %d goroutines listed" % (libdir, len(listed)))


if __name__ == "__main__":
    sys.exit(main())
