#!/usr/bin/python3
"""trace_check.py: checks that a gort execution trace (format gort-trace-1) is consistent.

    scripts/trace_check.py TRACE.json [--quiet] [--json]

Exit status: 0 consistent (warnings allowed), 1 violations (one line each on stdout, at most
20, then a count), 2 the file is not readable JSON of the trace's shape (an object with a
"traceEvents" list).  Violations go to stdout, warnings to stderr, then the summary.
--quiet: no summary.  --json: only the summary, as one JSON object on stdout, with the
first 20 violations and warnings in its "violations" and "warning_lines" (nothing on
stderr, so `2>&1` keeps it parseable); --json wins over --quiet.

The events are not globally sorted in the file (the runtime writes one thread's buffer after
another); they are stably sorted by ts first (ties keep the file's order), then run through:
  schema     keys and types of every event and of otherData, ph in B/E/i/M, pid 1 or 2, B/E
             only on pid 1, ts >= 0, B's name "G<g>", E's why one of park/yield/preempt/
             syscall/end/lock, ProcStart/ProcStop on pid 2 (tid = args.m; ProcStop also tid 0),
             a park's reason a non-empty string, format "gort-trace-1", mode trace/flight.
  P track    (pid 1, tid P) B and E alternate, an E closes the open B of the same goroutine;
             an E first on a track closes a run begun before the trace, a B open at the end
             is fine.
  goroutine  unknown -> first event decides; runnable, running (on one P), waiting, syscall,
             dead.  GoCreate only of an id never seen; B only when runnable or back from a
             system call (or unknown); E only on the P it runs on; GoUnpark only when
             waiting (or unknown); after a syscall only B; nothing after the end (as the
             subject, or as creator / waker).
  proc       ProcStart(p, m) not while another M holds p; ProcStop(p, m) only when m holds
             p; a B on p names (args.m) the M that holds p.  A P's holder is unknown until
             its first ProcStart/ProcStop/B.
With otherData.lost_events > 0 the P-track, goroutine and proc violations are reported as
warnings (events are missing); schema violations stay errors.

Summary: events, Ps, Ms, goroutines seen / created / ended / waiting at the end, parks by
wait reason, unparks, yields, preemptions, system calls, lock hand-offs, time span.  The
--json keys (the runtime's tests read them): ok, errors, warnings, violations, warning_lines,
file, format, mode, producer, lost_events, events, metadata, runs, ends, instants,
unknown_instants {name: n}, ps, ms, goroutines, created, ended, waiting_at_end,
running_at_end, runnable_at_end, syscall_at_end, parks {reason: n}, parks_total, unparks,
yields, preemptions, syscalls, lock_handoffs, proc_starts, proc_stops, first_us, last_us,
span_ms (last_us - first_us, in ms; 0 without events).  Ps and Ms count ids seen in events
(not metadata); goroutines counts every id an event names (subject, creator, waker).
"""
import argparse
import json
import math
import os
import sys

FORMAT = "gort-trace-1"
MODES = ("trace", "flight")
WHYS = ("park", "yield", "preempt", "syscall", "end", "lock")
KNOWN_INSTANTS = ("GoCreate", "GoUnpark", "ProcStart", "ProcStop")
MAX_PRINTED = 20

# goroutine states
RUNNABLE, RUNNING, WAITING, SYSCALL, DEAD = range(1, 6)
STATE_NAME = {RUNNABLE: "runnable", RUNNING: "running", WAITING: "waiting",
              SYSCALL: "in a system call", DEAD: "dead"}
FREE = -1          # a P's holder after a ProcStop


class NotATrace(Exception):
    """The file is not readable JSON of the trace's shape (exit 2)."""


def load(path):
    """The parsed trace object; raises NotATrace."""
    try:
        with open(path, "rb") as f:
            doc = json.load(f)
    except OSError as e:
        raise NotATrace("cannot read: %s" % (e.strerror or e))
    except (ValueError, UnicodeDecodeError) as e:
        raise NotATrace("not valid JSON: %s" % e)
    if not isinstance(doc, dict):
        raise NotATrace("the top level is a JSON %s, not an object" % type(doc).__name__)
    if not isinstance(doc.get("traceEvents"), list):
        raise NotATrace('no "traceEvents" list')
    return doc


def is_int(v):
    return type(v) is int


def is_num(v):
    return (type(v) is int or type(v) is float) and math.isfinite(v)


def us(t):
    return "%.3f us" % t


def check_event(e):
    """Schema problems of one event (a list of strings, empty when fine)."""
    if not isinstance(e, dict):
        return ["not an object"]
    bad = []
    ph, pid = e.get("ph"), e.get("pid")
    if ph not in ("B", "E", "i", "M"):
        bad.append("ph %s is not one of B, E, i, M" % json.dumps(ph))
    if pid not in (1, 2) or not is_int(pid):
        bad.append("pid %s is not 1 or 2" % json.dumps(pid))
    if ph == "M":
        # metadata: the runtime writes no ts, and process_name has no tid
        if not isinstance(e.get("name"), str):
            bad.append('metadata without a "name" string')
        if "tid" in e and (not is_int(e["tid"]) or e["tid"] < 0):
            bad.append("tid %s is not an integer >= 0" % json.dumps(e["tid"]))
        if "args" in e and not isinstance(e["args"], dict):
            bad.append("args is not an object")
        return bad
    tid, ts = e.get("tid"), e.get("ts")
    if not is_int(tid) or tid < 0:
        bad.append("tid %s is not an integer >= 0" % json.dumps(tid))
    if not is_num(ts):
        bad.append("ts %s is not a number" % json.dumps(ts) if "ts" in e else 'no "ts"')
    elif ts < 0:
        bad.append("ts %s is negative" % json.dumps(ts))
    name = e.get("name")
    if ph == "E":
        if "name" in e and not isinstance(name, str):   # E carries no name in the runtime's output
            bad.append("name is not a string")
    elif not isinstance(name, str):
        bad.append('no "name" string')
    args = e.get("args")
    if ph in ("B", "E"):
        if pid == 2:
            bad.append("%s on pid 2 (runs are on the Ps' tracks, pid 1)" % ph)
        if not isinstance(args, dict):
            bad.append('no "args" object')
            return bad
        g = args.get("g")
        if not is_int(g) or g < 1:
            bad.append("args.g %s is not a goroutine id (an integer >= 1)" % json.dumps(g))
        if ph == "B":
            m = args.get("m")
            if not is_int(m) or m < 1:
                bad.append("args.m %s is not an M id (an integer >= 1)" % json.dumps(m))
            if is_int(g) and isinstance(name, str) and name != "G%d" % g:
                bad.append("name %s does not match args.g %d" % (json.dumps(name), g))
        else:
            why = args.get("why")
            if why not in WHYS:
                bad.append("args.why %s is not one of %s" % (json.dumps(why), ", ".join(WHYS)))
        return bad
    if ph == "i" and isinstance(name, str) and name in KNOWN_INSTANTS:
        if not isinstance(args, dict):
            bad.append('%s without an "args" object' % name)
            return bad

        def want_int(key, low):
            v = args.get(key)
            if not is_int(v) or v < low:
                bad.append("%s: args.%s %s is not an integer >= %d" % (name, key, json.dumps(v), low))

        if name == "GoCreate":
            want_int("g", 0)
            want_int("new", 1)
            if not isinstance(args.get("site"), str) or not args["site"]:
                bad.append("GoCreate: args.site is not a non-empty string")
            if "fn" in args and not isinstance(args["fn"], str):
                bad.append("GoCreate: args.fn is not a string")
        elif name == "GoUnpark":
            want_int("g", 1)
            want_int("by", 0)
        else:
            want_int("p", 0)
            want_int("m", 1)
            m = args.get("m")
            if pid != 2:
                bad.append("%s on pid %s (it belongs on the threads' tracks, pid 2)" % (name, json.dumps(pid)))
            elif is_int(tid) and is_int(m) and tid != m and not (name == "ProcStop" and tid == 0):
                bad.append("%s on tid %d, args.m %d (tid must be the M%s)"
                           % (name, tid, m, ", or 0 for sysmon" if name == "ProcStop" else ""))
    return bad


class Checker:
    def __init__(self, doc):
        self.doc = doc
        self.errors = []        # message lines
        self.warnings = []
        self.lossy = False
        self.sum = {}

    # -- reporting ------------------------------------------------------------------------
    def schema(self, where, msg):
        self.errors.append("error: %s: schema: %s" % (where, msg))

    def rule(self, e, idx, msg):
        """A P-track, goroutine or proc violation: a warning when events were lost."""
        line = "event #%d at %s: %s" % (idx, us(e["ts"]), msg)
        if self.lossy:
            self.warnings.append("warning (events were lost): " + line)
        else:
            self.errors.append("error: " + line)

    # -- the checks -----------------------------------------------------------------------
    def run(self):
        doc = self.doc
        other = doc.get("otherData")
        fmt = mode = producer = None
        lost = 0
        if not isinstance(other, dict):
            self.schema("otherData", "missing or not an object")
        else:
            fmt, mode, producer = other.get("format"), other.get("mode"), other.get("producer")
            if fmt != FORMAT:
                self.schema("otherData", "format is %s, not %s" % (json.dumps(fmt), json.dumps(FORMAT)))
            if mode not in MODES:
                self.schema("otherData", "mode is %s, not trace or flight" % json.dumps(mode))
            lost = other.get("lost_events")
            if not is_int(lost) or lost < 0:
                self.schema("otherData", "lost_events %s is not an integer >= 0" % json.dumps(lost))
                lost = 0
            for key in ("producer", "clock"):
                if key in other and not isinstance(other[key], str):
                    self.schema("otherData", "%s is not a string" % key)
        if lost > 0:
            self.lossy = True
            self.warnings.append("warning: %d events were lost (no free buffer): per-P, per-goroutine and "
                                 "P-holder violations are only warnings" % lost)

        events = doc["traceEvents"]
        good = []
        nmeta = 0
        for idx, e in enumerate(events):
            bad = check_event(e)
            if bad:
                for b in bad:
                    self.schema("event #%d" % idx, b)
            elif e["ph"] == "M":
                nmeta += 1
            else:
                good.append((e, idx))
        good.sort(key=lambda x: x[0]["ts"])      # stable: ties keep the file's order
        self.walk(good)

        s = self.sum
        s.update(file=None, format=fmt, mode=mode, producer=producer, lost_events=lost,
                 events=len(good), metadata=nmeta)
        if good:
            s["first_us"], s["last_us"] = good[0][0]["ts"], good[-1][0]["ts"]
        else:
            s["first_us"] = s["last_us"] = 0
        s["span_ms"] = round((s["last_us"] - s["first_us"]) / 1000.0, 6)
        s["errors"], s["warnings"] = len(self.errors), len(self.warnings)
        s["ok"] = not self.errors
        s["violations"] = self.errors[:MAX_PRINTED]
        s["warning_lines"] = self.warnings[:MAX_PRINTED]
        return s

    def walk(self, good):
        rule = self.rule
        gs = {}             # goroutine -> [state, P or reason, since ts]
        ended_at = {}       # goroutine -> ts of its end
        first_seen = {}     # goroutine -> ts of its first event
        tracks = {}         # P -> [open goroutine or None, open since, any B/E seen yet]
        held = {}           # P -> M holding it, FREE after a stop; absent: unknown
        held_since = {}
        ps, ms = set(), set()
        parks = {}
        unknown = {}
        n = dict(runs=0, ends=0, instants=0, created=0, ended=0, unparks=0, yields=0, preemptions=0,
                 syscalls=0, lock_handoffs=0, proc_starts=0, proc_stops=0)

        def seen(g, ts):
            if g not in first_seen:
                first_seen[g] = ts

        def actor_dead(g, e, idx, what):
            if g in ended_at:
                rule(e, idx, "G%d: %s after the goroutine ended (at %s)" % (g, what, us(ended_at[g])))

        for e, idx in good:
            ph, ts, tid, args = e["ph"], e["ts"], e["tid"], e.get("args")
            if e["pid"] == 1:
                ps.add(tid)
            elif tid > 0:
                ms.add(tid)
            if ph == "B":
                n["runs"] += 1
                g, m, p = args["g"], args["m"], tid
                ms.add(m)
                seen(g, ts)
                tr = tracks.get(p)
                if tr is None:
                    tr = tracks[p] = [None, 0.0, False]
                if tr[0] is not None:
                    if tr[0] == g:
                        rule(e, idx, "P%d: B of G%d while its run there is still open (since %s)" % (p, g, us(tr[1])))
                    else:
                        rule(e, idx, "P%d: two goroutines at once: G%d begins while G%d is still running there "
                             "(since %s)" % (p, g, tr[0], us(tr[1])))
                tr[0], tr[1], tr[2] = g, ts, True
                st = gs.get(g)
                if st is not None:
                    s = st[0]
                    if s == DEAD:
                        rule(e, idx, "G%d: B on P%d after the goroutine ended (at %s)" % (g, p, us(st[2])))
                    elif s == RUNNING:
                        if st[1] != p:
                            rule(e, idx, "G%d: running on two Ps at once: B on P%d while it runs on P%d (since %s)"
                                 % (g, p, st[1], us(st[2])))
                    elif s == WAITING:
                        rule(e, idx, "G%d: B on P%d while waiting: parked at %s (%s) with no GoUnpark since"
                             % (g, p, us(st[2]), st[1]))
                    st[0], st[1], st[2] = RUNNING, p, ts
                else:
                    gs[g] = [RUNNING, p, ts]
                h = held.get(p)
                if h is None:
                    held[p], held_since[p] = m, ts
                elif h == FREE:
                    rule(e, idx, "P%d: G%d runs on M%d, but no M holds P%d (ProcStop at %s)"
                         % (p, g, m, p, us(held_since[p])))
                    held[p], held_since[p] = m, ts
                elif h != m:
                    rule(e, idx, "P%d: G%d runs on M%d, but M%d holds P%d (since %s)"
                         % (p, g, m, h, p, us(held_since[p])))
                    held[p], held_since[p] = m, ts
            elif ph == "E":
                n["ends"] += 1
                g, why, p = args["g"], args["why"], tid
                seen(g, ts)
                tr = tracks.get(p)
                if tr is None:
                    tr = tracks[p] = [None, 0.0, False]
                open_g, first_on_p = tr[0], not tr[2]
                if open_g is None:
                    if not first_on_p:
                        rule(e, idx, "P%d: E of G%d with no run open on P%d" % (p, g, p))
                elif open_g != g:
                    rule(e, idx, "P%d: E of G%d, but the open run there is G%d's (since %s)"
                         % (p, g, open_g, us(tr[1])))
                tr[0], tr[2] = None, True
                st = gs.get(g)
                if st is None:
                    st = gs[g] = [RUNNING, p, ts]
                elif open_g is None and first_on_p:
                    # a run begun before the trace: g must not be known otherwise.  (When the P's
                    # open run is g's, a mismatch with g's state was reported at the event that
                    # caused it; when it is not, the P-track violation above says it all.)
                    s = st[0]
                    if s == DEAD:
                        rule(e, idx, "G%d: E on P%d after the goroutine ended (at %s)" % (g, p, us(st[2])))
                    elif s == RUNNING:
                        if st[1] != p:
                            rule(e, idx, "G%d: E on P%d while it runs on P%d (since %s)" % (g, p, st[1], us(st[2])))
                    else:
                        rule(e, idx, "G%d: E (%s) on P%d while %s (since %s), not running"
                             % (g, why, p, STATE_NAME[s], us(st[2])))
                if why == "park":
                    reason = args.get("reason")
                    if not isinstance(reason, str) or not reason:
                        # not caused by lost events: always an error
                        self.errors.append("error: event #%d at %s: G%d: park without a reason (args.reason %s)"
                                           % (idx, us(ts), g, json.dumps(reason)))
                        reason = "?"
                    parks[reason] = parks.get(reason, 0) + 1
                    st[0], st[1] = WAITING, reason
                elif why == "end":
                    n["ended"] += 1
                    st[0] = DEAD
                    ended_at[g] = ts
                elif why == "syscall":
                    n["syscalls"] += 1
                    st[0] = SYSCALL
                else:
                    n["yields" if why == "yield" else "preemptions" if why == "preempt" else "lock_handoffs"] += 1
                    st[0] = RUNNABLE
                st[2] = ts
            else:
                n["instants"] += 1
                name = e["name"]
                if name == "GoCreate":
                    n["created"] += 1
                    g, c = args["new"], args["g"]
                    if c:
                        seen(c, ts)
                        actor_dead(c, e, idx, "creates G%d" % g)
                    st = gs.get(g)
                    if g in first_seen or st is not None:
                        if g in ended_at:
                            rule(e, idx, "G%d: GoCreate of an id already seen: the goroutine ended at %s "
                                 "(ids are never reused)" % (g, us(ended_at[g])))
                        else:
                            rule(e, idx, "G%d: GoCreate of an id already seen (first at %s)" % (g, us(first_seen[g])))
                        ended_at.pop(g, None)
                    seen(g, ts)
                    gs[g] = [RUNNABLE, None, ts]
                elif name == "GoUnpark":
                    n["unparks"] += 1
                    g, by = args["g"], args["by"]
                    if by:
                        seen(by, ts)
                        actor_dead(by, e, idx, "unparks G%d" % g)
                    seen(g, ts)
                    st = gs.get(g)
                    if st is None:
                        gs[g] = [RUNNABLE, None, ts]
                    else:
                        s = st[0]
                        if s == DEAD:
                            rule(e, idx, "G%d: GoUnpark after the goroutine ended (at %s)" % (g, us(st[2])))
                        elif s == RUNNING:
                            rule(e, idx, "G%d: GoUnpark while it runs on P%d (since %s), not parked"
                                 % (g, st[1], us(st[2])))
                        elif s != WAITING:
                            rule(e, idx, "G%d: GoUnpark while %s (since %s), not parked" % (g, STATE_NAME[s], us(st[2])))
                        st[0], st[1], st[2] = RUNNABLE, None, ts
                elif name == "ProcStart" or name == "ProcStop":
                    p, m = args["p"], args["m"]
                    ps.add(p)
                    ms.add(m)
                    h = held.get(p)
                    if name == "ProcStart":
                        n["proc_starts"] += 1
                        if h is not None and h != FREE and h != m:
                            rule(e, idx, "P%d: ProcStart by M%d while M%d holds it (since %s)"
                                 % (p, m, h, us(held_since[p])))
                        held[p] = m
                    else:
                        n["proc_stops"] += 1
                        if h == FREE:
                            rule(e, idx, "P%d: ProcStop for M%d, but no M holds it (ProcStop at %s)"
                                 % (p, m, us(held_since[p])))
                        elif h is not None and h != m:
                            rule(e, idx, "P%d: ProcStop for M%d, but M%d holds it (since %s)"
                                 % (p, m, h, us(held_since[p])))
                        held[p] = FREE
                    held_since[p] = ts
                else:
                    unknown[name] = unknown.get(name, 0) + 1

        # the syscall rule: "after a syscall only B" is enforced by the checks above (E, GoUnpark
        # and GoCreate all refuse a goroutine in SYSCALL; B accepts it).
        states = [st[0] for st in gs.values()]
        s = self.sum
        s.update(n)
        s.update(ps=len(ps), ms=len(ms), goroutines=len(first_seen),
                 waiting_at_end=states.count(WAITING), running_at_end=states.count(RUNNING),
                 runnable_at_end=states.count(RUNNABLE), syscall_at_end=states.count(SYSCALL),
                 parks=dict(sorted(parks.items())), parks_total=sum(parks.values()),
                 unknown_instants=dict(sorted(unknown.items())))


def text_summary(s):
    parks = ", ".join("%s %d" % kv for kv in s["parks"].items()) or "none"
    unknown = ", ".join("%s %d" % kv for kv in s["unknown_instants"].items()) or "none"
    status = "OK" if s["ok"] else "%d violations" % s["errors"]
    if s["warnings"]:
        status += ", %d warnings" % s["warnings"]
    return "\n".join([
        "%s: %s (%s, mode %s, %s)" % (s["file"], status, s["format"], s["mode"], s["producer"]),
        "events          %d (%d runs, %d ends, %d instants; %d metadata)"
        % (s["events"], s["runs"], s["ends"], s["instants"], s["metadata"]),
        "span            %.3f ms (%.3f .. %.3f us)" % (s["span_ms"], s["first_us"], s["last_us"]),
        "Ps, Ms          %d, %d" % (s["ps"], s["ms"]),
        "goroutines      %d seen, %d created, %d ended; at the end %d waiting, %d running, %d runnable, "
        "%d in a system call" % (s["goroutines"], s["created"], s["ended"], s["waiting_at_end"],
                                 s["running_at_end"], s["runnable_at_end"], s["syscall_at_end"]),
        "parks           %d: %s" % (s["parks_total"], parks),
        "unparks         %d" % s["unparks"],
        "yields          %d" % s["yields"],
        "preemptions     %d" % s["preemptions"],
        "syscalls        %d" % s["syscalls"],
        "lock hand-offs  %d" % s["lock_handoffs"],
        "ProcStart/Stop  %d / %d" % (s["proc_starts"], s["proc_stops"]),
        "unknown events  %s" % unknown,
        "lost events     %d" % s["lost_events"],
    ])


def print_limited(lines, out, what):
    for line in lines[:MAX_PRINTED]:
        print(line, file=out)
    if len(lines) > MAX_PRINTED:
        print("... and %d more %s (%d in all)" % (len(lines) - MAX_PRINTED, what, len(lines)), file=out)


def main(argv=None):
    ap = argparse.ArgumentParser(description="Checks a gort trace (gort-trace-1) for consistency.")
    ap.add_argument("trace")
    ap.add_argument("--quiet", action="store_true", help="no summary: only violations and warnings")
    ap.add_argument("--json", action="store_true", help="the summary as JSON on stdout")
    a = ap.parse_args(argv)
    try:
        doc = load(a.trace)
    except NotATrace as e:
        print("trace_check: %s: %s" % (a.trace, e), file=sys.stderr)
        return 2
    c = Checker(doc)
    s = c.run()
    s["file"] = os.path.basename(a.trace)
    if a.json:
        # nothing else: the output stays JSON when a caller reads stdout and stderr together
        json.dump(s, sys.stdout, indent=1, sort_keys=True)
        print()
        return 0 if s["ok"] else 1
    print_limited(c.errors, sys.stdout, "violations")
    print_limited(c.warnings, sys.stderr, "warnings")
    if not a.quiet:
        print(text_summary(s))
    return 0 if s["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
