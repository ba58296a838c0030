#!/usr/bin/python3
"""mutate.py: mutation testing of the runtime (runtime/src/*.c, and the headers that hold code:
runq.h) against the conformance suite.

    scripts/mutate.py [--src DIR] [--build DIR] [--seed N] [--count N] [--files F.c ...]
                      [--jobs N] [--quick] [--list] [--resume] [--report-only]
                      [--ids ID ... | --survivors] [--recorded JSON]
                      [--all-tests] [--json OUT] [--report OUT] [--verdicts FILE]

One mutant at a time: the script writes a mutated copy of one runtime file into the source
tree, rebuilds (with GORT_TESTS_LINK_SHARED=ON only that object and libgort.so change),
runs the ctest labels that exercise the file, and ALWAYS puts the original back (also on
Ctrl-C or SIGTERM; a backup in <build>/mutate-state/ survives a crash, and the next run
restores it, or refuses to run if the file was edited since).  So run it on a tree nobody
else is editing, or on a copy of one.

Mutation operators (sites are found line by line outside comments, string and character
literals, preprocessor lines, initialiser braces and file scope, and only on lines the
preprocessor keeps for this build, so no mutant lands in an inactive #if branch):
    relop     < <= > >= == != swapped with a neighbour (< <=, > >=, == !=)
    arith     binary + -, ++ --, += -= swapped
    negcond   if (c) / while (c) -> if (!(c)) / while (!(c))
    const     a small decimal literal (<= 256) off by one, both ways (not an array size)
    remove    a statement calling a wake-up, unlock, fence or store (REMOVABLE below) removed
    memorder  ld_acq -> ld_rlx, st_rel -> st_rlx, __ATOMIC_{ACQUIRE,RELEASE,ACQ_REL,SEQ_CST}
              -> __ATOMIC_RELAXED, xadd/xchg/cas -> their relaxed __atomic builtins
    return    return; / return false; / return 0; / return NULL; first thing in a function
A mutant's id is FILE:LINE:OP:K (K counts that operator's mutants on the line).

Sampling is reproducible: random.Random(seed), stratified by file (each file gets a share
of --count in proportion to its line count, at least 2); within a file an operator is drawn
with weight sqrt(its number of sites), then one of its sites uniformly.

Outcomes: killed (a test failed; the first failing test is recorded), timeout (a test ran
past its limit: counted as killed, reported apart), survived, uncompilable and equivalent
(the object code, debug info stripped, is byte-identical to the original's: no test can
tell them apart on this machine); the last two are left out of the score.

Testing: first the unmutated tree is built and its tests run (the baseline); the run stops
if a test fails there three times in a row.  Then per mutant: libgort.so is rebuilt (and,
when statically linked tests are among the mutant's, everything); ctest runs the labels
TEST_LABELS gives for the file, --stop-on-failure, each test under GORT_TEST_LAUNCHER=
"timeout" with a limit of 3x its baseline time, at least 20 s, the whole run capped.  Tests
that killed earlier mutants of the same file run first.  A killing test is rerun against
the unmutated libgort.so (a copy kept from the baseline, through LD_LIBRARY_PATH; a
statically linked test is rebuilt): if it fails there too the kill is counted as flaky and
the mutant's tests are run again without that test (twice at most).  A test that fails
unmutated twice (baseline retries included) is left out of the rest of the run; the report
names it.

Output: --json (default <build>/mutation.json, written after every mutant; --resume skips
the ids already in it) and --report (default results/mutation.md): the score as
"K of N mutants killed", per file and per operator, the command, seed, machine, and every
survivor with its verdict from --verdicts (default results/mutation_verdicts.txt; lines
"<mutant-id> <reason>", '#' comments), unexplained ones flagged.  --report-only rewrites the
report from the JSON (after editing the verdicts).

--quick (CI): a regression check of the suite's strength.  It draws 10 mutants (seed 1) from
those the committed campaign (results/mutation.json, --recorded) killed within 15 s (a failed
assertion, which repeats; a slow kill may be a timing test noticing a mutant that only slows
things down) with a test --quick runs, finds each again in today's source (same file, operator, description and line text,
the nearest line: ids change as code moves; mutants whose code is gone are skipped and
counted), runs them with the stress, preempt and internal labels and readme_examples left
out (the recorded killers first), and exits 1 if any survives: the suite no longer kills
what it killed.  2-3 minutes on 2 cores after the build.  Without a recorded campaign it
samples 10 mutants afresh and exits 1 when a survivor has no verdict.  --list prints the
sample and exits.
Exit status otherwise: 0; 2 when the setup or the baseline fails; 130 when interrupted.

--ids ID... / --survivors: run again given mutants of the recorded campaign (--recorded,
default results/mutation.json), or all it left alive, each found again in today's source as
--quick finds them (ids change as code moves): how a survivor is shown killed by a new test.

Examples:
    scripts/mutate.py --list --count 20
    scripts/mutate.py                                  # the full campaign: seed 1, 240 mutants (hours)
    scripts/mutate.py --resume                         # go on after an interruption
    scripts/mutate.py --quick                          # CI
    scripts/mutate.py --survivors --json build-mutate/after.json --report build-mutate/after.md
Standard library only.
"""
import argparse
import collections
import datetime
import hashlib
import json
import math
import os
import platform
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

# ---- configuration ----------------------------------------------------------------------

ALL = "*"
# Which ctest labels exercise each runtime file ("*": everything).  The core that every
# program runs on gets everything; the rest the areas that use their functions (found by
# grepping the tests for the public functions each file defines).  A file not listed
# gets everything.
TEST_LABELS = {
    "sched.c": ALL, "lock.c": ALL, "runq.c": ALL, "env.c": ALL, "sync.c": ALL,
    "sema.c": ALL, "timer.c": ALL,
    "chan.c": "chan select cancel timer time sync deadlock panic leaks netpoll exit examples stress",
    "select.c": "select chan cancel timer time deadlock panic leaks examples stress",
    "timer_chan.c": "timer time cancel select chan deadlock leaks examples",
    "ctx.c": "cancel netpoll timer time leaks deadlock panic examples",
    "errgroup.c": "cancel sync leaks deadlock panic examples",
    "netpoll.c": "netpoll syscall sched deadlock leaks time examples internal",
    "panic.c": "panic exit deadlock chan sync select timer stack preempt leaks",
    "signal.c": "stack panic exit deadlock preempt syscall",
    "preempt.c": "preempt sched syscall stack exit deadlock spawn stress",
    "sysmon.c": "preempt sched syscall netpoll deadlock timer time stack spawn internal",
    "stack.c": "stack spawn panic leaks preempt sched exit deadlock stress examples internal",
    "cgroup.c": "internal sched",
    "dump.c": "deadlock panic exit leaks netpoll cancel spawn stack preempt examples sched",
    "traceback.c": "panic deadlock exit stack leaks preempt netpoll sched",
    "trace.c": "trace deadlock examples",
    "runq.h": ALL,
}
# Headers with code of their own (inline fast paths), mutated like the .c files.  A
# mutant there recompiles every object that includes it; it is equivalent when no
# runtime object changes.
CODE_HEADERS = ["runq.h"]
# Never run: build (the symbol check, the bench scripts' self-test: 12 s), install (builds
# programs against an installed tree), fuzz and http (the HTTP parser, no runtime code),
# races (skipped outside ThreadSanitizer builds).
EXCLUDED_LABELS = ["build", "install", "fuzz", "http", "races"]
# Scale tests that take a fifth of the suite's CPU time (6-12 s each on 2 cores) and
# measure memory at a million goroutines rather than behaviour; --all-tests keeps them.
SLOW_TESTS = ["spawn_ten_million_spawns_rss", "spawn_million_parked", "stack_million_no_map_count"]
# --quick also leaves out the slowest areas (stress, preempt: a third of the suite's time)
# and the statically linked tests (internal, readme_examples), so that a mutant costs one
# compile and one libgort.so link.
QUICK_EXCLUDED_LABELS = ["stress", "preempt", "internal"]
QUICK_SLOW_TESTS = ["readme_examples"]
QUICK_SEED, QUICK_COUNT = 1, 10
QUICK_KILL_MAX_S = 15       # --quick re-checks only mutants the campaign killed this fast
DEFAULT_SEED, DEFAULT_COUNT = 1, 240
MIN_TEST_LIMIT_S = 20       # per-test time limit: max(this, 3x its baseline time)
KILLERS_FIRST = 3           # tests that killed earlier mutants of the file, run first
FLAKY_RERUNS = 2            # reruns of a mutant whose killing test fails unmutated too
FLAKY_DROP = 2              # a test that failed unmutated this often is dropped from the run

# Calls whose statement the "remove" operator deletes: wake-ups, readying, unlocks,
# fences and stores (internal.h's atomics included).
REMOVABLE = """
    note_wakeup futex_wake set_flag ready wakep startm sudog_wake wake sysmon_wake_up
    netpoll_break timers_wake_sleeper semrelease semrelease_n inject_glist globrunq_put
    runq_put handoffp rt_lock_release chan_unlock unlock_all release_all gort_mutex_unlock
    gort_rwmutex_unlock gort_rwmutex_runlock __atomic_thread_fence atomic_thread_fence
    st_rel st_rlx __atomic_store_n atomic_store atomic_store_explicit xadd xchg
""".split()
MEMORDER_RENAME = {"ld_acq": "ld_rlx", "st_rel": "st_rlx"}
RELAXED_BUILTIN = {"xadd": "__atomic_add_fetch", "xchg": "__atomic_exchange_n"}
RELOP_SWAP = {"<": "<=", "<=": "<", ">": ">=", ">=": ">", "==": "!=", "!=": "=="}
ARITH_SWAP = {"+": "-", "-": "+", "++": "--", "--": "++", "+=": "-=", "-=": "+="}
MAX_CONST = 256
INT_TYPES = set("""int unsigned signed long short char size_t ssize_t intptr_t uintptr_t
    int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t pid_t off_t""".split())
QUALIFIERS = set("""static inline extern const volatile register __inline__ NOINLINE
    NO_SANITIZE_ADDRESS""".split())
OPS = ("relop", "arith", "negcond", "const", "remove", "memorder", "return")


def log(msg=""):
    print(msg, flush=True)


def die(msg):
    """Setup errors: exit status 2."""
    print("mutate.py: " + msg, file=sys.stderr, flush=True)
    raise SystemExit(2)


def sha(text):
    return hashlib.sha1(text.encode()).hexdigest()


def one_line(s, width=60):
    s = " ".join(s.split())
    return s if len(s) <= width else s[:width - 3] + "..."


# ---- finding mutation sites ---------------------------------------------------------------

def mask_source(text):
    """The text with comments, string and char literals' contents and preprocessor lines
    replaced by blanks (newlines kept), so offsets and lines match the original."""
    out = list(text)
    n, i, line_start = len(text), 0, True

    def blank(a, b):
        for k in range(a, b):
            if out[k] != "\n":
                out[k] = " "

    def block_comment(j):   # j at "/*": blank it, return the offset after "*/"
        end = text.find("*/", j + 2)
        end = n if end < 0 else end + 2
        blank(j, end)
        return end

    while i < n:
        c = text[i]
        if c == "\n":
            line_start, i = True, i + 1
        elif c in " \t\r\f\v":
            i += 1
        elif c == "#" and line_start:           # a directive, with its continuation lines
            j = i
            while j < n:
                if text.startswith("/*", j):
                    j = block_comment(j)
                elif text.startswith("//", j):
                    e = text.find("\n", j)
                    blank(j, n if e < 0 else e)
                    j = n if e < 0 else e
                elif text[j] == "\n" and text[j - 1] != "\\":
                    break
                else:
                    blank(j, j + 1)
                    j += 1
            i = j
        elif text.startswith("//", i):
            e = text.find("\n", i)
            e = n if e < 0 else e
            blank(i, e)
            i = e
        elif text.startswith("/*", i):
            i = block_comment(i)
            line_start = False
        elif c in "\"'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, min(j, n))             # keep the quotes: an operand to the eye
            i, line_start = j + 1, False
        else:
            i, line_start = i + 1, False
    return "".join(out)


def match_paren(masked, open_at):
    """Offset of the parenthesis closing the one at open_at, or -1."""
    depth = 0
    for j in range(open_at, len(masked)):
        if masked[j] == "(":
            depth += 1
        elif masked[j] == ")":
            depth -= 1
            if depth == 0:
                return j
    return -1


def prev_sig(masked, at):
    """Offset of the last non-blank character before at, or -1."""
    j = at - 1
    while j >= 0 and masked[j].isspace():
        j -= 1
    return j


def split_args(masked, a, b):
    """Offsets of the top-level commas between a and b."""
    depth, commas = 0, []
    for j in range(a, b):
        ch = masked[j]
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            commas.append(j)
    return commas


def scan_braces(masked):
    """(mutable, functions): mutable[i] is True inside a function body but outside an
    initialiser's braces; functions lists (open_brace, close_brace, signature)."""
    mutable = bytearray(len(masked))
    functions, stack = [], []          # stack of (kind, offset)
    last_decl_end = 0                  # after the previous ';' or '}' at file scope
    for i, ch in enumerate(masked):
        if ch == "{":
            p = prev_sig(masked, i)
            pc = masked[p] if p >= 0 else ""
            if not stack:
                kind = "func" if pc == ")" else "other"
            elif stack[-1][0] in ("init", "other"):
                kind = stack[-1][0]
            else:
                kind = "init" if pc == "=" else "block"
            stack.append((kind, i))
        elif ch == "}" and stack:
            kind, start = stack.pop()
            if kind == "func":
                functions.append((start, i, masked[last_decl_end:start]))
                mutable[start + 1:i] = b"\1" * (i - start - 1)
            elif kind == "init" and stack and stack[0][0] == "func":
                mutable[start:i + 1] = bytes(i + 1 - start)
            if not stack:
                last_decl_end = i + 1
        elif ch == ";" and not stack:
            last_decl_end = i + 1
    return mutable, functions


def active_lines(compile_entry):
    """Line numbers of the file that the preprocessor keeps in this build (non-blank
    lines of `cc -E -fdirectives-only`), or None if that cannot be run."""
    if not compile_entry:
        return None
    args = compile_entry.get("arguments") or shlex.split(compile_entry["command"])
    src = compile_entry["file"]
    keep, skip = [args[0]], False
    for a in args[1:]:
        if skip:
            skip = False
        elif a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
        elif a in ("-c", "-MD", "-MMD", src):
            continue
        else:
            keep.append(a)
    try:
        out = subprocess.run(keep + ["-E", "-fdirectives-only", src], capture_output=True,
                             text=True, cwd=compile_entry["directory"], timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if out.returncode != 0:
        return None
    lines, cur, in_file = set(), 0, False
    marker = re.compile(r'^# (\d+) "(.*)"')
    for text in out.stdout.split("\n"):
        m = marker.match(text)
        if m:
            cur, in_file = int(m.group(1)), os.path.realpath(m.group(2)) == os.path.realpath(src)
            continue
        if in_file and text.strip():
            lines.add(cur)
        cur += 1
    return lines


def parse_signature(signature):
    """(words before the name, name) of a function definition's signature, or None."""
    sig = " ".join(signature.split())
    while "__attribute__" in sig:                       # drop __attribute__((...))
        a = sig.index("__attribute__")
        p = sig.find("(", a)
        e = match_paren(sig, p) if p >= 0 else -1
        if e < 0:
            return None
        sig = sig[:a] + sig[e + 1:]
    m = re.match(r"\s*(.*?)\b([A-Za-z_]\w*)\s*\(", sig)
    if not m:
        return None
    return [w for w in re.findall(r"\w+|\*", m.group(1)) if w not in QUALIFIERS], m.group(2)


def early_return(signature):
    """The statement that returns at once from a function with this signature, or None."""
    parsed = parse_signature(signature)
    if not parsed:
        return None
    words, name = parsed
    if "_Noreturn" in words or name == "main":
        return None
    if "*" in words:
        return "return NULL;"
    if words == ["void"]:
        return "return;"
    if words == ["bool"]:
        return "return false;"
    if words and all(w in INT_TYPES for w in words):
        return "return 0;"
    return None


class Mutant:
    def __init__(self, file, line, op, start, end, replacement, desc, func):
        self.file, self.line, self.op = file, line, op
        self.start, self.end, self.replacement = start, end, replacement
        self.desc, self.func = desc, func
        self.id = None             # set once the file's mutants are numbered
        self.code = ""             # the source line, for the report
        self.source_sha = None

    def apply(self, text):
        return text[:self.start] + self.replacement + text[self.end:]


def find_mutants(path, compile_entry=None):
    """Every mutant of one runtime file, in line order, ids numbered."""
    fname = os.path.basename(path)
    with open(path) as f:
        text = f.read()
    masked = mask_source(text)
    mutable, functions = scan_braces(masked)
    line_of = [0] * (len(text) + 1)
    ln = 1
    for i, ch in enumerate(text):
        line_of[i] = ln
        if ch == "\n":
            ln += 1
    line_of[len(text)] = ln
    live = active_lines(compile_entry)
    lines = text.split("\n")
    names = [(a, b, (parse_signature(sig) or (None, "?"))[1]) for a, b, sig in functions]

    def func_name(off):
        return next((name for a, b, name in names if a < off < b), "?")

    out = []

    def ok(off):
        return mutable[off] and (live is None or line_of[off] in live)

    def add(op, start, end, repl, desc):
        out.append(Mutant(fname, line_of[start], op, start, end, repl, desc, func_name(start)))

    # relational and arithmetic operators
    for m in re.finditer(r"->|\+\+|--|<<=|>>=|<<|>>|<=|>=|==|!=|\+=|-=|&&|\|\||[<>+\-]", masked):
        tok, s = m.group(), m.start()
        if not ok(s):
            continue
        if tok in RELOP_SWAP:
            add("relop", s, m.end(), RELOP_SWAP[tok], f"'{tok}' -> '{RELOP_SWAP[tok]}'")
        elif tok in ("+", "-"):
            p = prev_sig(masked, s)
            if p < 0:
                continue
            before = re.search(r"([A-Za-z_0-9.]+)$", masked[max(0, p - 80):p + 1])
            word = before.group(1) if before else ""
            if masked[p] in ")]\"'":
                pass
            elif not word or word in ("return", "case", "sizeof", "else", "do"):
                continue                     # a unary sign
            elif word[0].isdigit() and word[-1] in "eEpP":
                continue                     # an exponent's sign
            add("arith", s, m.end(), ARITH_SWAP[tok], f"'{tok}' -> '{ARITH_SWAP[tok]}'")
        elif tok in ARITH_SWAP:
            add("arith", s, m.end(), ARITH_SWAP[tok], f"'{tok}' -> '{ARITH_SWAP[tok]}'")

    # negated conditions
    for m in re.finditer(r"\b(if|while)\s*\(", masked):
        if not ok(m.start()):
            continue
        o = m.end() - 1
        c = match_paren(masked, o)
        if c < 0:
            continue
        cond = text[o + 1:c]
        add("negcond", o + 1, c, "!(" + cond + ")",
            f"{m.group(1)} ({one_line(cond, 40)}) -> {m.group(1)} (!(...))")

    # small integer constants, off by one
    decl_array = re.compile(r"^\s*(?:(?:static|const|volatile|unsigned|signed|struct|union|enum)\s+)*"
                            r"(?!return\b|else\b|case\b|goto\b)[A-Za-z_]\w*(?:\s+|\s*\*+\s*)"
                            r"[A-Za-z_]\w*\s*\[$")
    for m in re.finditer(r"(?<![\w.])(\d+)([uUlL]*)(?![\w.])", masked):
        digits, s = m.group(1), m.start()
        if not ok(s) or (len(digits) > 1 and digits[0] == "0") or int(digits) > MAX_CONST:
            continue
        before = masked[masked.rfind("\n", 0, s) + 1:s]
        b = before.rfind("[")
        if b >= 0 and "]" not in before[b:] and decl_array.match(before[:b + 1]):
            continue                         # an array's size in a declaration
        v = int(digits)
        for nv in ([v + 1, v - 1] if v > 0 else [1]):
            add("const", s, s + len(digits), str(nv), f"{digits} -> {nv}")

    # removed wake-ups, unlocks, fences and stores
    callees = "|".join(sorted(map(re.escape, REMOVABLE), key=len, reverse=True))
    for m in re.finditer(r"\b(" + callees + r")\s*\(", masked):
        s = m.start()
        if not ok(s):
            continue
        p = prev_sig(masked, s)
        pc = masked[p] if p >= 0 else ";"
        window = max(0, s - 40)
        cast = re.search(r"\(\s*void\s*\)\s*$", masked[window:s])
        if cast:
            s = window + cast.start()
        elif not (pc in ";{}:)" or masked[window:p + 1].endswith("else")):
            continue                         # the call's value is used
        c = match_paren(masked, m.end() - 1)
        if c < 0:
            continue
        k = c + 1
        while k < len(masked) and masked[k].isspace():
            k += 1
        if k >= len(masked) or masked[k] != ";":
            continue
        stmt = text[s:k + 1]
        add("remove", s, k + 1, "(void)0;" + "\n" * stmt.count("\n"), f"remove {one_line(stmt)}")

    # weakened memory orders
    for m in re.finditer(r"\b(ld_acq|st_rel)\s*\(", masked):
        if ok(m.start()):
            old = m.group(1)
            add("memorder", m.start(), m.start() + len(old), MEMORDER_RENAME[old],
                f"{old} -> {MEMORDER_RENAME[old]}")
    for m in re.finditer(r"\b__ATOMIC_(ACQUIRE|RELEASE|ACQ_REL|SEQ_CST)\b", masked):
        if ok(m.start()):
            add("memorder", m.start(), m.end(), "__ATOMIC_RELAXED", f"{m.group()} -> __ATOMIC_RELAXED")
    for m in re.finditer(r"\b(xadd|xchg|cas)\s*\(", masked):
        if not ok(m.start()):
            continue
        o = m.end() - 1
        c = match_paren(masked, o)
        if c < 0:
            continue
        name, args = m.group(1), text[o + 1:c]
        if name in RELAXED_BUILTIN:
            repl = f"{RELAXED_BUILTIN[name]}({args}, __ATOMIC_RELAXED)"
        else:
            commas = split_args(masked, o + 1, c)
            if len(commas) != 2:
                continue
            p_, o_, n_ = (text[a + 1:b] for a, b in zip([o] + commas, commas + [c]))
            repl = (f"__extension__({{ __typeof__(*({p_})) o_ = ({o_}); __atomic_compare_exchange_n("
                    f"({p_}), &o_, ({n_}), false, __ATOMIC_RELAXED, __ATOMIC_RELAXED); }})")
        add("memorder", m.start(), c + 1, repl, f"{name}(...) -> relaxed")

    # early returns
    for a, b, sig in functions:
        stmt = early_return(sig)
        if stmt and (live is None or line_of[a] in live):
            add("return", a + 1, a + 1, " " + stmt + " ", f"{stmt} at the start of {func_name(a + 1)}()")

    # ids: FILE:LINE:OP:K, K in offset order within (line, op)
    out.sort(key=lambda mu: (mu.line, OPS.index(mu.op), mu.start, mu.replacement))
    seen = collections.Counter()
    digest = sha(text)
    for mu in out:
        key = (mu.line, mu.op)
        mu.id = f"{fname}:{mu.line}:{mu.op}:{seen[key]}"
        seen[key] += 1
        mu.source_sha = digest
        mu.code = lines[mu.line - 1].strip()
    for mu in out:                           # a return's line is its "{": show the signature
        if mu.op == "return":
            sig = next(" ".join(sig.split()) for a, b, sig in functions if a + 1 == mu.start)
            mu.code = sig
    return out


# ---- sampling -----------------------------------------------------------------------------

def allocate(count, sizes, minimum, caps):
    """Per-file quotas summing to count (or less if the files have fewer sites): in
    proportion to sizes, at least minimum, at most caps."""
    total = sum(sizes.values()) or 1
    raw = {f: count * s / total for f, s in sizes.items()}
    q = {f: min(caps[f], max(minimum, int(raw[f]))) for f in sizes}
    while sum(q.values()) < count:
        room = [f for f in q if q[f] < caps[f]]
        if not room:
            break
        f = max(room, key=lambda f: (raw[f] - q[f], sizes[f], f))
        q[f] += 1
    while sum(q.values()) > count:
        over = [f for f in q if q[f] > minimum] or [f for f in q if q[f] > 0]
        f = max(over, key=lambda f: (q[f] - raw[f], f))
        q[f] -= 1
    return q


def quick_fast_killer(name):
    """Is this test among those --quick runs (not preempt, internal, stress, readme)?"""
    return bool(name) and not name.startswith(("preempt_", "internal_")) \
        and "stress" not in name and name not in QUICK_SLOW_TESTS


def find_again(by_file, r, rid):
    """The mutant of today's source that is recorded result r (id rid): same file, operator,
    description and line text, the nearest line (code moves), and on that line the same
    ordinal K (a line may hold two identical mutations, say two `!=`); None if its code is
    gone."""
    k = rid.rsplit(":", 1)[-1]
    same = [mu for mu in by_file.get(r["file"], [])
            if mu.op == r["op"] and mu.desc == r["description"]
            and mu.code.strip() == (r.get("code") or "").strip()]
    return min(same, key=lambda mu: (abs(mu.line - r["line"]), mu.id.rsplit(":", 1)[-1] != k)) \
        if same else None


def recheck_sample(by_file, recorded, count, seed):
    """--quick: `count` mutants the recorded campaign killed with a test --quick runs, found
    again in today's source (same file, operator, description and line text; the nearest
    line wins, as code moves).  Returns (mutants, {today's id: recorded record}, how many
    recorded ones are gone)."""
    rng = random.Random(seed)
    # Only kills that came fast (a test failed within QUICK_KILL_MAX_S, its check against the
    # unmutated library included): a failed assertion, which repeats.  A slow kill may have
    # come from a mutant that only slows things down (a lock that spins longer), which a
    # timing test notices on a busy machine and not on another: no gate for CI.
    killed = [(rid, r) for rid, r in recorded.items()
              if r.get("outcome") == "killed" and r.get("seconds", 1e9) <= QUICK_KILL_MAX_S
              and quick_fast_killer(r.get("killer"))]
    killed.sort(key=lambda x: x[0])
    rng.shuffle(killed)
    chosen, origin, gone = [], {}, 0
    for rid, r in killed:
        if len(chosen) == count:
            break
        mu = find_again(by_file, r, rid)
        if mu is None:
            gone += 1
            continue
        chosen.append(mu)
        origin[mu.id] = r
    return chosen, origin, gone


def sample(by_file, sizes, count, seed, minimum):
    rng = random.Random(seed)
    files = sorted(by_file)
    quotas = allocate(count, {f: sizes[f] for f in files}, minimum,
                      {f: len(by_file[f]) for f in files})
    chosen = []
    for f in files:
        pools = collections.defaultdict(list)
        for mu in by_file[f]:
            pools[mu.op].append(mu)
        picked = []
        for _ in range(quotas[f]):
            ops = [op for op in OPS if pools[op]]
            op = rng.choices(ops, weights=[math.sqrt(len(pools[o])) for o in ops])[0]
            picked.append(pools[op].pop(rng.randrange(len(pools[op]))))
        chosen += sorted(picked, key=lambda mu: (mu.line, mu.id))
    return chosen


# ---- building and testing -----------------------------------------------------------------

class Interrupted(Exception):
    pass


def on_signal(signum, frame):
    raise Interrupted(signal.Signals(signum).name)


def run(cmd, cwd=None, env=None, timeout=None):
    """Runs cmd in its own session; returns (returncode or None on timeout, output)."""
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, errors="replace", start_new_session=True)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out
    except subprocess.TimeoutExpired:
        return None, kill_group(p)
    except BaseException:
        kill_group(p)
        raise


def kill_group(p):
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(p.pid, sig)
        except ProcessLookupError:
            pass
        try:
            return p.communicate(timeout=5)[0] or ""
        except subprocess.TimeoutExpired:
            continue
    return ""


RESULT_LINE = re.compile(r"^\s*\d+/\d+\s+Test\s+#\d+:\s+(\S+)\s+\.*\s*(.*?)\s+([\d.]+)\s+sec\s*$")


def parse_ctest(output):
    """{test: (status, seconds, output lines)} from ctest's output; status is passed,
    skipped, failed or timeout."""
    res, current = {}, None
    for text in output.split("\n"):
        m = RESULT_LINE.match(text)
        if m:
            name, status, secs = m.group(1), m.group(2), float(m.group(3))
            if "Passed" in status:
                st = "passed"
            elif "Skipped" in status or "Not Run" in status:
                st = "skipped"
            elif "Timeout" in status:
                st = "timeout"
            else:
                st = "failed"
            res[name] = [st, secs, []]
            current = name if st in ("failed", "timeout") else None
        elif re.match(r"^\s+Start\s+\d+:|^\d+% tests passed|^Total Test time", text):
            current = None
        elif current:
            res[current][2].append(text)
    for name, r in res.items():    # the launcher says when it stopped a test
        if r[0] == "failed" and any("mutate.py: time limit of" in t for t in r[2]):
            r[0] = "timeout"
    return res


def failure_detail(lines):
    picks = [t.strip() for t in lines if re.match(
        r"^\s*(expected exit status|stderr does not match|stdout does not match)", t)]
    last = [t.strip() for t in lines if t.startswith("FAIL: ")]
    return "; ".join((picks[:2] + last[-1:])) or one_line(" ".join(lines[-3:]), 160)


class Campaign:
    def __init__(self, args):
        self.a = args
        self.src = os.path.abspath(args.src)
        self.build = os.path.abspath(args.build or os.path.join(self.src, "build-mutate"))
        self.state = os.path.join(self.build, "mutate-state")
        self.rt = os.path.join(self.src, "runtime", "src")
        self.jobs = args.jobs
        self.exclude_labels = EXCLUDED_LABELS + (QUICK_EXCLUDED_LABELS if args.quick else [])
        self.slow = ([] if args.all_tests else SLOW_TESTS) + (QUICK_SLOW_TESTS if args.quick else [])
        self.only_tests = args.tests
        self.tests = {}             # name -> {"labels": [...], "binary": path or None}
        self.limits = {}            # name -> seconds
        self.killers = collections.defaultdict(collections.Counter)   # file -> test -> kills
        self.results = {}
        self.meta = {}
        self.flaky = 0
        self.flaky_tests = collections.Counter()   # test -> failures on the unmutated library
        self.dyn_cache = {}
        self.restore_fn = None

    # -- the source tree and its backup --

    def backup_paths(self):
        return os.path.join(self.state, "backup.json"), os.path.join(self.state, "backup.orig")

    def check_backup(self):
        """A backup left by a crash: restore it if the file still holds the mutant, drop it
        if it holds the original, refuse to go on otherwise."""
        meta_p, orig_p = self.backup_paths()
        if not os.path.exists(meta_p):
            return
        with open(meta_p) as f:
            meta = json.load(f)
        with open(orig_p) as f:
            original = f.read()
        with open(meta["path"]) as f:
            now = f.read()
        if sha(now) == meta["mutant_sha"]:
            with open(meta["path"], "w") as f:
                f.write(original)
            log(f"restored {meta['path']} from the backup a previous run left ({meta['id']})")
        elif sha(now) != meta["original_sha"]:
            die(f"{meta['path']} holds neither the original nor mutant "
                             f"{meta['id']}: someone edited it; the original is in {orig_p}. "
                             f"Sort it out, then delete {meta_p}.")
        os.remove(meta_p)
        os.remove(orig_p)

    def apply(self, mu):
        """Writes mutant mu into the tree; restore_pending() puts the original back."""
        path = os.path.join(self.rt, mu.file)
        with open(path) as f:
            original = f.read()
        if sha(original) != mu.source_sha:
            die(f"{path} changed since the mutants were sampled")
        mutated = mu.apply(original)
        meta_p, orig_p = self.backup_paths()

        def restore():
            old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
            try:
                with open(path) as f:
                    now = f.read()
                if now == mutated:
                    with open(path, "w") as f:
                        f.write(original)
                elif now != original:
                    die(f"{path} was edited during mutant {mu.id}; "
                                     f"the original is kept in {orig_p}")
                os.remove(meta_p)
                os.remove(orig_p)
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, old)

        old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:
            with open(orig_p, "w") as f:
                f.write(original)
            with open(meta_p, "w") as f:
                json.dump({"path": path, "id": mu.id, "original_sha": sha(original),
                           "mutant_sha": sha(mutated)}, f)
            self.restore_fn = restore
            with open(path, "w") as f:
                f.write(mutated)
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def restore_pending(self):
        fn, self.restore_fn = self.restore_fn, None
        if fn:
            fn()

    # -- building --

    def configure(self):
        os.makedirs(self.state, exist_ok=True)
        cmd = ["cmake", "-S", self.src, "-B", self.build, "-DGORT_TESTS_LINK_SHARED=ON",
               "-DCMAKE_BUILD_TYPE=Release", "-DGORT_BENCH_SUITE=OFF", "-DGORT_WERROR=OFF",
               "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON"]
        if not os.path.exists(os.path.join(self.build, "CMakeCache.txt")) and shutil.which("ninja"):
            cmd += ["-G", "Ninja"]
        rc, out = run(cmd, timeout=600)
        if rc != 0:
            log(out[-3000:])
            die("cmake configure failed")

    def compile_entries(self):
        p = os.path.join(self.build, "compile_commands.json")
        if not os.path.exists(p):
            return {}
        with open(p) as f:
            return {os.path.basename(e["file"]): e for e in json.load(f)
                    if os.path.dirname(os.path.realpath(e["file"])) == os.path.realpath(self.rt)}

    def do_build(self, target=None):
        t = time.time()
        rc, out = run(["cmake", "--build", self.build, "-j", str(self.jobs)]
                      + (["--target", target] if target else []), timeout=1800)
        return rc == 0, out, time.time() - t

    def object_hash(self, fname):
        """The hash of fname's object code, debug info stripped; for a header (CODE_HEADERS),
        of every runtime object's, since any of them may include it."""
        if fname in CODE_HEADERS:
            parts = [self.object_hash(f) for f in sorted(os.listdir(self.rt)) if f.endswith(".c")]
            if not parts or None in parts:
                return None
            return hashlib.sha1("".join(parts).encode()).hexdigest()
        obj = os.path.join(self.build, "CMakeFiles", "gort_obj.dir", "runtime", "src", fname + ".o")
        objcopy = shutil.which("objcopy")
        if not os.path.exists(obj) or not objcopy:
            return None
        with tempfile.NamedTemporaryFile(dir=self.state, suffix=".o") as tmp:
            if subprocess.run([objcopy, "--strip-debug", obj, tmp.name],
                              capture_output=True).returncode != 0:
                return None
            with open(tmp.name, "rb") as f:
                return hashlib.sha1(f.read()).hexdigest()

    # -- tests --

    def load_tests(self):
        rc, out = run(["ctest", "--show-only=json-v1"], cwd=self.build, timeout=300)
        if rc != 0:
            die("ctest --show-only failed:\n" + out[-2000:])
        for t in json.loads(out)["tests"]:
            props = {p["name"]: p["value"] for p in t.get("properties", [])}
            binary = None
            for arg in t.get("command", []):
                if arg.startswith(self.build) and os.path.isfile(arg):
                    with open(arg, "rb") as f:
                        if f.read(4) == b"\x7fELF":
                            binary = arg
            self.tests[t["name"]] = {"labels": props.get("LABELS", []), "binary": binary}

    def selection(self, fname):
        """ctest's filter arguments for the tests of fname, and the names they select."""
        labels = TEST_LABELS.get(fname, ALL) if fname else ALL
        include = None if labels == ALL else "^(" + "|".join(labels.split()) + ")$"
        exclude = "^(" + "|".join(self.exclude_labels) + ")$"
        args = ["-LE", exclude] + (["-L", include] if include else [])
        names = [n for n, t in self.tests.items()
                 if (include is None or any(re.search(include, lb) for lb in t["labels"]))
                 and not any(re.search(exclude, lb) for lb in t["labels"]) and n not in self.slow]
        if self.only_tests:   # --tests: these tests and no others
            args = ["-R", self.only_tests]
            names = [n for n in self.tests if re.search(self.only_tests, n)]
            if not names:
                die(f"--tests {self.only_tests}: no test of this build matches")
        return args, names

    def ctest(self, filt, names_excluded=(), only=None, env_extra=None, cap=None, stop=True):
        excluded = list(self.slow) + list(names_excluded)
        cmd = ["ctest", "-j", str(self.jobs), "--output-on-failure", "--no-tests=ignore"]
        if only:
            cmd += ["-R", "^(" + "|".join(map(re.escape, only)) + ")$"]
        else:
            cmd += filt + (["--stop-on-failure"] if stop else [])
            if excluded:
                cmd += ["-E", "^(" + "|".join(map(re.escape, excluded)) + ")$"]
        env = dict(os.environ)
        launcher = os.path.join(self.state, "launch.sh")
        if os.path.exists(launcher):
            env["GORT_TEST_LAUNCHER"] = launcher
        env.update(env_extra or {})
        rc, out = run(cmd, cwd=self.build, env=env, timeout=cap)
        return rc, out, parse_ctest(out)

    def write_launcher(self, durations):
        """GORT_TEST_LAUNCHER for run_test.sh: each test under `timeout`, 3x its baseline
        time, at least MIN_TEST_LIMIT_S."""
        self.limits = {n: max(MIN_TEST_LIMIT_S, math.ceil(3 * d)) for n, d in durations.items()}
        cases = "".join(f"    {os.path.basename(self.tests[n]['binary'])}) t={s} ;;\n"
                        for n, s in sorted(self.limits.items())
                        if s != MIN_TEST_LIMIT_S and self.tests.get(n, {}).get("binary"))
        path = os.path.join(self.state, "launch.sh")
        with open(path, "w") as f:
            f.write("#!/bin/sh\n# written by scripts/mutate.py: each test's time limit\n"
                    f"t={MIN_TEST_LIMIT_S}\ncase \"$(basename \"$1\")\" in\n{cases}esac\n"
                    "timeout -k 5 \"$t\" \"$@\"\nrc=$?\n"
                    "if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then\n"
                    "    echo \"mutate.py: time limit of $t s reached\" >&2\nfi\nexit $rc\n")
        os.chmod(path, 0o755)

    def baseline(self):
        """Builds and tests the unmutated tree; keeps its libgort.so and object hashes."""
        log(f"baseline: building {self.build}")
        ok, out, secs = self.do_build()
        if not ok:
            log(out[-4000:])
            die("the unmutated tree does not build")
        self.load_tests()
        filt, names = self.selection(None)
        log(f"baseline: running {len(names)} tests (-j{self.jobs})")
        launcher = os.path.join(self.state, "launch.sh")
        if os.path.exists(launcher):
            os.remove(launcher)
        t = time.time()
        rc, out, res = self.ctest(filt, cap=3600, stop=False)
        wall = time.time() - t
        bad = [n for n, r in res.items() if r[0] in ("failed", "timeout")]
        for _ in range(2):                  # the machine is noisy: two more tries
            if not bad:
                break
            log(f"baseline: {', '.join(bad)} failed; running them again")
            for n in bad:
                self.flaky_tests[n] += 1
            _, _, again = self.ctest(None, only=bad, cap=1800)
            res.update(again)
            bad = [n for n in bad if again.get(n, ["failed"])[0] != "passed"]
        if bad or (rc != 0 and not res):
            for n in bad:
                log(f"  {n}: {failure_detail(res[n][2])}")
            if not res:
                log(out[-3000:])
            die(f"the baseline fails ({', '.join(bad) or 'ctest'}): "
                             "fix that first")
        durations = {n: r[1] for n, r in res.items() if r[0] == "passed"}
        self.write_launcher(durations)
        self.durations = durations
        self.cap = max(300, 3 * wall)
        libdir = os.path.join(self.state, "baseline-lib")
        os.makedirs(libdir, exist_ok=True)
        real = os.path.realpath(os.path.join(self.build, "libgort.so"))
        shutil.copy2(real, os.path.join(libdir, "libgort.so.0"))
        self.obj_hash = {f: self.object_hash(f) for f in os.listdir(self.rt)
                         if f.endswith(".c") or f in CODE_HEADERS}
        log(f"baseline: {len(durations)} tests passed in {wall:.1f} s; "
            f"per-test limit {MIN_TEST_LIMIT_S} s or 3x baseline; cap per mutant {self.cap:.0f} s"
            + (f"; left out as flaky: {', '.join(sorted(self.dropped()))}" if self.dropped() else ""))
        return {"tests": len(durations), "seconds": round(wall, 1), "build_seconds": round(secs, 1)}

    def dynamic(self, test):
        """True if test's program loads libgort.so (so LD_LIBRARY_PATH can swap it)."""
        b = self.tests.get(test, {}).get("binary")
        if not b:
            return False
        if b not in self.dyn_cache:
            out = subprocess.run(["readelf", "-d", b], capture_output=True, text=True).stdout
            self.dyn_cache[b] = "libgort.so" in out
        return self.dyn_cache[b]

    def test_mutant(self, mu, skip):
        """Runs mu's tests but those in skip, the file's likely killers first; returns a
        result dict."""
        filt, names = self.selection(mu.file)
        skip = set(skip) | self.dropped()
        first = [t for t, _ in self.killers[mu.file].most_common()
                 if t in names and t not in skip][:KILLERS_FIRST]
        runs = ([("first", first)] if first else []) + [("rest", first)]
        ran = 0
        for phase, tests in runs:
            if phase == "first":
                rc, out, res = self.ctest(filt, only=tests, cap=self.cap)
            else:
                rc, out, res = self.ctest(filt, names_excluded=sorted(set(tests) | skip), cap=self.cap)
            ran += len(res)
            if rc is None:
                return {"outcome": "timeout", "killer": None,
                        "detail": f"ctest ran past the {self.cap:.0f} s cap", "tests_run": ran}
            failed = [(n, r) for n, r in res.items() if r[0] in ("failed", "timeout")]
            if failed:
                real = [x for x in failed if x[1][0] == "failed"]
                name, r = (real or failed)[0]
                return {"outcome": "killed" if real else "timeout", "killer": name,
                        "detail": failure_detail(r[2]) if r[0] == "failed"
                        else f"{name} ran past {self.limits.get(name, MIN_TEST_LIMIT_S)} s",
                        "tests_run": ran}
            if rc != 0 and not res:
                return {"outcome": "killed", "killer": None,
                        "detail": one_line(out[-300:], 200), "tests_run": ran}
        return {"outcome": "survived", "killer": None, "detail": "", "tests_run": ran}

    def dropped(self):
        """Tests left out of the rest of the run: they failed on the unmutated library
        FLAKY_DROP times."""
        return {t for t, n in self.flaky_tests.items() if n >= FLAKY_DROP}

    def fails_unmutated(self, mu, test):
        """With mu in the tree: does test fail against the unmutated library too?  Through
        LD_LIBRARY_PATH when the test loads libgort.so; else the original is rebuilt for
        the run and mu put back."""
        if self.dynamic(test):
            env = {"LD_LIBRARY_PATH": os.path.join(self.state, "baseline-lib")}
            rc, out, res = self.ctest(None, only=[test], env_extra=env, cap=self.cap)
            return res.get(test, ["passed"])[0] != "passed"
        self.restore_pending()
        try:
            if not self.do_build()[0]:
                return False
            rc, out, res = self.ctest(None, only=[test], cap=self.cap)
            return res.get(test, ["passed"])[0] != "passed"
        finally:
            self.apply(mu)
            self.do_build()

    def one(self, mu):
        t0 = time.time()
        rec = {"file": mu.file, "line": mu.line, "op": mu.op, "function": mu.func,
               "description": mu.desc, "code": mu.code}
        try:
            self.apply(mu)
            # libgort.so first: enough to see whether it compiles and changes the code,
            # and for the tests that load it; then everything (the statically linked
            # tests relinked) if some of those will run
            ok, out, bsecs = self.do_build("gort_shared")
            same = ok and self.obj_hash.get(mu.file) and self.object_hash(mu.file) == self.obj_hash[mu.file]
            if ok and not same and any(not self.dynamic(t) for t in self.selection(mu.file)[1]):
                ok, out, more = self.do_build()
                bsecs += more
            rec["build_seconds"] = round(bsecs, 1)
            if not ok:
                errs = [t for t in out.split("\n") if "error:" in t]
                rec.update(outcome="uncompilable", killer=None,
                           detail=one_line(errs[0] if errs else out[-200:], 200))
            elif same:
                rec.update(outcome="equivalent", killer=None,
                           detail="object code unchanged (debug info aside)")
            else:
                skip = []
                for attempt in range(1 + FLAKY_RERUNS):
                    rec.update(self.test_mutant(mu, skip))
                    killer = rec.get("killer")
                    if rec["outcome"] not in ("killed", "timeout") or not killer \
                            or not self.fails_unmutated(mu, killer):
                        break
                    # the kill proves nothing: rerun without that test
                    self.flaky += 1
                    self.flaky_tests[killer] += 1
                    skip.append(killer)
                    rec["flaky_kills"] = list(skip)
                else:
                    rec["unverified"] = True
        finally:
            self.restore_pending()
        if rec.get("killer") and rec["outcome"] in ("killed", "timeout") and not rec.get("unverified"):
            self.killers[mu.file][rec["killer"]] += 1
        rec["seconds"] = round(time.time() - t0, 1)
        return rec

    # -- the whole run --

    def save(self):
        tmp = self.a.json + ".tmp"
        os.makedirs(os.path.dirname(os.path.abspath(self.a.json)), exist_ok=True)
        with open(tmp, "w") as f:
            json.dump({"meta": self.meta, "results": self.results}, f, indent=1, sort_keys=True)
        os.replace(tmp, self.a.json)


def progress_text(rec):
    o = rec["outcome"]
    if o == "killed":
        s = f"killed by {rec['killer']}" if rec.get("killer") else "killed"
    elif o == "timeout":
        s = f"timed out ({rec['killer']})" if rec.get("killer") else "timed out"
    else:
        s = o
    if rec.get("flaky_kills"):
        s += f" [after flaky kills by {', '.join(rec['flaky_kills'])}]"
    if rec.get("unverified"):
        s += " [unverified: every killing test also failed unmutated]"
    return f"{s} ({rec.get('seconds', 0):.1f} s)"


# ---- the report ---------------------------------------------------------------------------

def load_verdicts(path):
    verdicts = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for text in f:
                text = text.strip()
                if text and not text.startswith("#"):
                    mid, _, reason = text.partition(" ")
                    verdicts[mid] = reason.strip()
    return verdicts


def machine():
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for text in f:
                if text.startswith("model name"):
                    model = text.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}"


def score(recs):
    c = collections.Counter(r["outcome"] for r in recs)
    k, n = c["killed"] + c["timeout"], c["killed"] + c["timeout"] + c["survived"]
    return c, k, n, (100.0 * k / n if n else 0.0)


def write_report(path, meta, results, sample_ids, verdicts, sizes):
    recs = [dict(results[i], id=i) for i in sample_ids if i in results]
    c, k, n, pct = score(recs)
    L = ["# Mutation testing of the runtime", ""]
    if len(recs) < len(sample_ids):
        L += [f"**Partial run: {len(recs)} of {len(sample_ids)} sampled mutants done.**", ""]
    L += [f"**{k} of {n} mutants killed ({pct:.1f}%)**", "",
          f"- timed out (counted as killed): {c['timeout']}",
          f"- survived: {c['survived']}",
          f"- left out of the score: {c['uncompilable']} uncompilable, {c['equivalent']} "
          "equivalent (object code identical to the original's, debug info aside)",
          f"- flaky kills (the killing test failed on the unmutated library too, and the "
          f"mutant's tests were run again without it): {meta.get('flaky', 0)}"
          + (f"; {sum(1 for r in recs if r.get('unverified'))} kills stayed unverified"
             if any(r.get("unverified") for r in recs) else ""),
          flaky_line(meta.get("flaky_tests", {})), "",
          f"Command: `{meta.get('command')}`  ",
          f"Seed: {meta.get('seed')}, mutants sampled: {len(sample_ids)}  ",
          f"Date: {meta.get('date')}  ",
          f"Source: {meta.get('source')}  ",
          f"Machine: {meta.get('machine')}, ctest -j{meta.get('jobs')}  ",
          f"Duration: {meta.get('duration_s', 0) / 60:.0f} min (baseline: "
          f"{meta.get('baseline', {}).get('tests', '?')} tests in "
          f"{meta.get('baseline', {}).get('seconds', '?')} s); mean per mutant: "
          + ", ".join(f"{o} {sum(r['seconds'] for r in recs if r['outcome'] == o) / c[o]:.1f} s"
                      for o in ("killed", "timeout", "survived", "uncompilable", "equivalent") if c[o])
          + "", "",
          "Made by `scripts/mutate.py`; its docstring describes the operators and the sampling, "
          "its TEST_LABELS table which ctest labels run for each file (never: "
          + ", ".join(meta.get("excluded_labels", [])) + "; tests left out as slow: "
          + (", ".join(meta.get("slow_tests", [])) or "none") + "). Verdicts on survivors: `"
          + str(meta.get("verdicts")) + "`.", "",
          "## Per file", "",
          "| file | lines | mutants | killed | timed out | survived | uncompilable | equivalent | score |",
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for f in sorted(set(r["file"] for r in recs)):
        fc, fk, fn, fp = score([r for r in recs if r["file"] == f])
        L.append(f"| {f} | {sizes.get(f, '')} | {sum(fc.values())} | {fc['killed']} | {fc['timeout']} | "
                 f"{fc['survived']} | {fc['uncompilable']} | {fc['equivalent']} | "
                 f"{fk}/{fn}" + (f" ({fp:.0f}%)" if fn else "") + " |")
    L += ["", "## Per operator", "",
          "| operator | mutants | killed | timed out | survived | uncompilable | equivalent | score |",
          "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for op in OPS:
        sub = [r for r in recs if r["op"] == op]
        if sub:
            oc, ok_, on, opct = score(sub)
            L.append(f"| {op} | {len(sub)} | {oc['killed']} | {oc['timeout']} | {oc['survived']} | "
                     f"{oc['uncompilable']} | {oc['equivalent']} | {ok_}/{on}"
                     + (f" ({opct:.0f}%)" if on else "") + " |")
    surv = [r for r in recs if r["outcome"] == "survived"]
    unexplained = [r for r in surv if r["id"] not in verdicts]
    L += ["", f"## Survivors ({len(surv)}, {len(unexplained)} without a verdict)", ""]
    if surv:
        L += ["| id | function | mutation | code | verdict |", "|---|---|---|---|---|"]
        for r in surv:
            v = verdicts.get(r["id"])
            L.append(f"| `{r['id']}` | {r.get('function', '')} | {md(r['description'])} | "
                     f"`{md(one_line(r.get('code', ''), 70))}` | "
                     + (md(v) if v else "**UNEXPLAINED**") + " |")
    tos = [r for r in recs if r["outcome"] == "timeout"]
    if tos:
        L += ["", f"## Timed out ({len(tos)})", ""]
        L += [f"- `{r['id']}` {md(r['description'])}: {md(r.get('detail', ''))}" for r in tos]
    L.append("")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("\n".join(L))
    return unexplained


def flaky_line(flaky_tests):
    if not flaky_tests:
        return "- no test failed on the unmutated library"
    dropped = sorted(t for t, n in flaky_tests.items() if n >= FLAKY_DROP)
    return ("- tests that failed on the unmutated library (times): "
            + ", ".join(f"{t} ({n})" for t, n in sorted(flaky_tests.items()))
            + (f"; left out of the rest of the run: {', '.join(dropped)}" if dropped else ""))


def md(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


# ---- main ---------------------------------------------------------------------------------

def main():
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", default=here, help="the source tree to mutate (default: this script's)")
    ap.add_argument("--build", help="build directory (default <src>/build-mutate)")
    ap.add_argument("--seed", type=int, help=f"sampling seed (default {DEFAULT_SEED}; --quick {QUICK_SEED})")
    ap.add_argument("--count", type=int, help=f"mutants to sample (default {DEFAULT_COUNT}; --quick {QUICK_COUNT})")
    ap.add_argument("--files", nargs="+", metavar="FILE", help="mutate these runtime files only (F.c, or runq.h)")
    ap.add_argument("--ids", nargs="+", metavar="ID",
                    help="run exactly these mutants (FILE:LINE:OP:K of --recorded's campaign, found "
                         "again in today's source), e.g. its survivors after new tests")
    ap.add_argument("--tests", metavar="REGEX",
                    help="run only the tests whose names match (instead of the file's labels): "
                         "shows that a given new test kills a survivor")
    ap.add_argument("--survivors", action="store_true",
                    help="run again every mutant --recorded's campaign left alive (after new tests)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="ctest and build parallelism")
    ap.add_argument("--quick", action="store_true", help="CI mode: few mutants, fast labels")
    ap.add_argument("--list", action="store_true", help="print the sampled mutants and exit")
    ap.add_argument("--resume", action="store_true", help="skip the mutants already in --json")
    ap.add_argument("--report-only", action="store_true", help="rewrite the report from --json")
    ap.add_argument("--all-tests", action="store_true", help=f"also run {', '.join(SLOW_TESTS)}")
    ap.add_argument("--json", help="per-mutant results (default <build>/mutation.json)")
    ap.add_argument("--report", help="markdown report (default <src>/results/mutation.md)")
    ap.add_argument("--verdicts", help="survivor verdicts (default <src>/results/mutation_verdicts.txt)")
    ap.add_argument("--recorded", help="--quick re-checks mutants this campaign's JSON recorded as "
                                       "killed (default <src>/results/mutation.json)")
    a = ap.parse_args()
    a.seed = a.seed if a.seed is not None else (QUICK_SEED if a.quick else DEFAULT_SEED)
    a.count = a.count if a.count is not None else (QUICK_COUNT if a.quick else DEFAULT_COUNT)
    camp = Campaign(a)
    a.json = a.json or os.path.join(camp.build, "mutation.json")
    a.report = a.report or os.path.join(camp.src, "results", "mutation.md")
    a.verdicts = a.verdicts or os.path.join(camp.src, "results", "mutation_verdicts.txt")
    a.recorded = a.recorded or os.path.join(camp.src, "results", "mutation.json")
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)     # --list | head

    files = sorted(f for f in os.listdir(camp.rt) if f.endswith(".c") or f in CODE_HEADERS)
    if a.files:
        unknown = [f for f in a.files if f not in files]
        if unknown:
            die(f"not runtime files: {' '.join(unknown)}")
        files = sorted(a.files)
    verdicts = load_verdicts(a.verdicts)
    command = " ".join(["scripts/mutate.py"] + [shlex.quote(x) for x in sys.argv[1:]])

    if a.report_only:
        with open(a.json) as f:
            data = json.load(f)
        sizes = data["meta"].get("sizes", {})
        unexplained = write_report(a.report, data["meta"], data["results"], data["meta"]["sample"],
                                   verdicts, sizes)
        log(f"wrote {a.report} ({len(unexplained)} survivors without a verdict)")
        return 0

    camp.check_backup()
    camp.configure()
    entries = camp.compile_entries()
    by_file, sizes = {}, {}
    for f in files:
        path = os.path.join(camp.rt, f)
        by_file[f] = find_mutants(path, entries.get(f))
        with open(path) as fh:
            sizes[f] = sum(1 for _ in fh)
    recorded = None
    if a.ids or a.survivors:
        with open(a.recorded) as f:
            rec_all = json.load(f).get("results", {})
        want = a.ids or sorted(i for i, r in rec_all.items() if r.get("outcome") == "survived")
        chosen, missing = [], []
        for i in want:
            mu = find_again(by_file, rec_all[i], i) if i in rec_all else None
            if mu is None:
                missing.append(i)
            else:
                chosen.append(mu)
        if missing and a.ids:
            die(f"not in {a.recorded}, or their code is gone from today's source: {' '.join(missing)}")
        for i in missing:
            log(f"{i}: its code is gone from today's source (removed or rewritten): not run")
        want = [i for i in want if i not in missing]
        log(f"{len(chosen)} mutants of {os.path.relpath(a.recorded, camp.src)} found again "
            + ", ".join(f"{i} -> {mu.id}" for i, mu in zip(want, chosen) if i != mu.id))
    elif a.quick and os.path.exists(a.recorded):
        with open(a.recorded) as f:
            recorded = json.load(f).get("results", {})
    if recorded:
        chosen, origin, gone = recheck_sample(by_file, recorded, a.count, a.seed)
        log(f"--quick: {len(chosen)} mutants the campaign in {os.path.relpath(a.recorded, camp.src)} "
            f"killed, found again in today's source ({gone} gone with code changes)")
        for r in recorded.values():   # the recorded killers run first
            if r.get("killer") and r.get("outcome") in ("killed", "timeout"):
                camp.killers[r["file"]][r["killer"]] += 1
    elif not (a.ids or a.survivors):
        chosen = sample(by_file, sizes, a.count, a.seed, 0 if a.quick else 2)
    if a.list:
        for f in files:
            sub = [mu for mu in chosen if mu.file == f]
            log(f"# {f}: {len(sub)} of {len(by_file[f])} candidate mutants, {sizes[f]} lines")
            for mu in sub:
                log(f"{mu.id:32} {mu.func}(): {mu.desc}    [{one_line(mu.code, 70)}]")
        ops = collections.Counter(mu.op for mu in chosen)
        log(f"# {len(chosen)} mutants (seed {a.seed}): "
            + ", ".join(f"{op} {ops[op]}" for op in OPS if ops[op]))
        return 0

    started = time.time()
    previous = {}
    if a.resume and os.path.exists(a.json):
        with open(a.json) as f:
            old = json.load(f)
        ids = {mu.id: mu for mu in chosen}
        previous = {i: r for i, r in old.get("results", {}).items()
                    if i in ids and r.get("description") == ids[i].desc}
        camp.flaky = old.get("meta", {}).get("flaky", 0)
        camp.flaky_tests.update(old.get("meta", {}).get("flaky_tests", {}))
        log(f"resuming: {len(previous)} mutants already done")
    camp.results = dict(previous)
    for r in previous.values():
        if r.get("killer") and r["outcome"] in ("killed", "timeout"):
            camp.killers[r["file"]][r["killer"]] += 1
    prior_s = sum(r.get("seconds", 0) for r in previous.values())
    if previous and old.get("meta", {}).get("command"):
        command = old["meta"]["command"] + "  (then --resume)"
    camp.meta = {"command": command, "seed": a.seed, "count": a.count, "quick": a.quick,
                 "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
                 "machine": machine(), "jobs": a.jobs, "sizes": sizes,
                 "source": source_info(camp.src), "sample": [mu.id for mu in chosen],
                 "flaky": camp.flaky, "excluded_labels": camp.exclude_labels,
                 "slow_tests": camp.slow, "verdicts": os.path.relpath(a.verdicts, camp.src)}
    status = 0
    try:
        camp.meta["baseline"] = camp.baseline()
        todo = [mu for mu in chosen if mu.id not in previous]
        log(f"{len(chosen)} mutants (seed {a.seed}), {len(todo)} to run")
        for i, mu in enumerate(chosen, 1):
            if mu.id in previous:
                continue
            head = f"[{i}/{len(chosen)}] {mu.file}:{mu.line} {mu.op} {mu.desc}"
            print(head + " ... ", end="", flush=True)
            rec = camp.one(mu)
            camp.results[mu.id] = rec
            camp.meta["flaky"] = camp.flaky
            camp.meta["flaky_tests"] = dict(camp.flaky_tests)
            camp.meta["duration_s"] = round(prior_s + time.time() - started)
            camp.save()
            log(progress_text(rec))
    except Interrupted as e:
        camp.restore_pending()
        log(f"\ninterrupted ({e}); the tree is restored; --resume goes on from here")
        status = 130
    camp.meta["duration_s"] = round(prior_s + time.time() - started)
    camp.save()
    unexplained = write_report(a.report, camp.meta, camp.results, camp.meta["sample"], verdicts, sizes)
    recs = [camp.results[i] for i in camp.meta["sample"] if i in camp.results]
    c, k, n, pct = score(recs)
    log(f"{k} of {n} mutants killed ({pct:.1f}%); {c['timeout']} timed out, "
        f"{c['uncompilable']} uncompilable, {c['equivalent']} equivalent, {camp.flaky} flaky kills; "
        f"report {a.report}")
    for r in unexplained:
        log(f"survivor without a verdict: {r['id']} {r['description']}")
    if status == 0 and a.quick:
        if recorded:
            # each of these was killed by the recorded campaign: a survivor now means the
            # suite lost a test's strength (or the test was removed)
            lost = [i for i in camp.meta["sample"] if camp.results.get(i, {}).get("outcome") == "survived"]
            for i in lost:
                log(f"the suite no longer kills {i} {camp.results[i]['description']} "
                    f"(killed by {origin.get(i, {}).get('killer', '?')} in the recorded campaign)")
            status = 1 if lost else 0
        elif unexplained:
            status = 1
    return status


def source_info(src):
    try:
        head = subprocess.run(["git", "-C", src, "rev-parse", "--short", "HEAD"],
                              capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", src, "status", "--porcelain", "--", "runtime/src"],
                               capture_output=True, text=True).stdout.strip()
        return f"commit {head}" + (" with uncommitted changes to runtime/src" if dirty else "") \
            if head else "not a git checkout"
    except OSError:
        return "not a git checkout"


if __name__ == "__main__":
    sys.exit(main())
