#!/usr/bin/python3
"""compare.py: the suite's comparisons and CI gate over a results file (schema gort-bench/1).

    scripts/compare.py RESULTS.json [--thresholds bench/thresholds.json] [--markdown] [--gate-only]

Prints, for every pairing of bench/thresholds.json, gort's figure, the other's, the ratio
gort / other and the target's status, in four sections: "gort vs pthreads (CI gate)",
"gort vs Go", "gort vs Boost", "Targets".  A plain aligned table, or GitHub markdown with
--markdown; --gate-only prints the gate section only (for CI).

Exit status: 0 when every gate holds; 1 when one fails (gort / pthread above max_ratio, or a
gated entry missing, failed or without a value; a FAIL line says which); 2 when the results
or thresholds file is malformed.  Go, Boost and the targets never fail the run.

A full run's results without a single entry of a group (a file written before the group was in
the suite, or a run of other groups) print one line per section naming the groups whose Go,
Boost and target rows were left out, instead of a row of "not run" per pairing; gates are never
left out, and a quick run's rows say "not run (not in this quick run)" one by one.

Standard library only (CI may lack matplotlib); scripts/plot.py imports the loading and
formatting helpers from here.
"""
import argparse
import json
import math
import os
import re
import sys

FAMILIES = ("boost_context", "boost_fiber", "pthread", "gort", "go")  # longest prefixes first
SECTIONS = (("gate", "gort vs pthreads (CI gate)"), ("go", "gort vs Go"), ("boost", "gort vs Boost"),
            ("targets", "Targets"))
# Google Benchmark's own suffixes, in case a name was copied from its output unchanged
_GBENCH_SUFFIX = re.compile(r"(/(process_time|real_time|manual_time|min_time:[^/]*|repeats:\d+|threads:\d+))+$")
_AGG_SUFFIX = re.compile(r"_(mean|median|stddev|cv)$")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class Malformed(Exception):
    """The results or thresholds file is not what it should be (exit 2)."""


# ---- formatting ---------------------------------------------------------------------------

def sig(x, digits=3):
    """x with `digits` significant digits in fixed notation: 0.00542, 0.0240, 14.0, 206, 38150."""
    if x is None or isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
        return "?"
    if x == 0:
        return "0"
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(x)))), 0)
    text = "%.*f" % (decimals, x)
    # rounding can add a digit (9.996 -> 10.00): trim back to the significant ones
    if decimals and len(text.replace("-", "").replace(".", "").lstrip("0")) > digits:
        text = "%.*f" % (decimals - 1, x)
    return text


def is_time(unit):
    return unit in ("ns", "us", "µs", "ms", "s")


def fmt_value(value, unit):
    """A figure with its unit: times in ns/µs/ms/s (3 significant digits), bytes as B below
    10 KiB (4409 B: comparable with a decimal target such as 4500 B), else KiB/MiB."""
    if value is None:
        return "—"
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        return "?"
    if is_time(unit):
        ns = value * {"ns": 1, "us": 1e3, "µs": 1e3, "ms": 1e6, "s": 1e9}[unit]
        for scale, name in ((1e9, "s"), (1e6, "ms"), (1e3, "µs")):
            if abs(ns) >= scale:
                return "%s %s" % (sig(ns / scale), name)
        return "%s ns" % sig(ns)
    if unit == "B":
        if abs(value) < 10240:
            return "%.0f B" % value
        if abs(value) < 10 * 1024 * 1024:
            return "%s KiB" % sig(value / 1024)
        return "%s MiB" % sig(value / (1024 * 1024))
    return "%s %s" % (sig(value), unit or "")


def fmt_factor(ratio, unit):
    """ratio = gort / other -> '185× faster' (other / gort) or '1.35× slower'; for bytes
    'smaller' / 'larger'."""
    if ratio is None or ratio <= 0 or not math.isfinite(ratio):
        return ""
    better, worse = ("smaller", "larger") if unit == "B" else ("faster", "slower")
    if abs(ratio - 1) < 0.005:
        return "same"
    factor = 1 / ratio if ratio < 1 else ratio
    if factor >= 100:
        text = "%.0f" % factor
    elif factor >= 10:
        text = "%.1f" % factor
    else:
        text = "%.2f" % factor
    return "%s× %s" % (text, better if ratio < 1 else worse)


def machine_line(doc):
    """'AMD EPYC 7B13, 4 CPUs, kernel 6.18.0, Go 1.23.4, 2026-11-28' for titles
    (every plot's and comparison.md's)."""
    m = doc.get("machine") or {}
    parts = []
    if m.get("cpu_model"):
        parts.append(str(m["cpu_model"]))
    if m.get("cpus") is not None:
        parts.append("%s CPU%s" % (m["cpus"], "" if m["cpus"] == 1 else "s"))
    if m.get("kernel"):
        parts.append("kernel %s" % m["kernel"])
    gov = re.search(r"go(\d+\.\d+(?:\.\d+)?)", str(m.get("go") or ""))
    if gov:
        parts.append("Go %s" % gov.group(1))
    if doc.get("date"):
        parts.append(str(doc["date"])[:10])
    return ", ".join(parts) or "unknown machine"


# ---- the results file ---------------------------------------------------------------------

def family_of(impl):
    for fam in FAMILIES:
        if impl == fam or impl.startswith(fam + "_"):
            return fam
    return impl.split("_")[0]


def parse_name(name):
    """'pingpong/gort_unbuffered/procs:2' -> ('pingpong', 'gort_unbuffered', {'procs': '2'})."""
    parts = name.split("/")
    args = {}
    for p in parts[2:]:
        k, sep, v = p.partition(":")
        if sep:
            args[k] = v
    return parts[0], (parts[1] if len(parts) > 1 else ""), args


def norm_name(name):
    return _AGG_SUFFIX.sub("", _GBENCH_SUFFIX.sub("", name.strip()))


def _number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def load_results(path):
    """Reads and checks a gort-bench/1 file.  Returns the document with every entry completed
    (group, impl, family, args from the name when absent).  Raises Malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except OSError as e:
        raise Malformed("cannot read %s: %s" % (path, e.strerror or e))
    except (ValueError, UnicodeDecodeError) as e:
        raise Malformed("%s is not JSON: %s" % (path, e))
    if not isinstance(doc, dict):
        raise Malformed("%s: the top level is not an object" % path)
    schema = doc.get("schema")
    if not isinstance(schema, str) or not schema.startswith("gort-bench/"):
        raise Malformed("%s: schema is %r, not gort-bench/1" % (path, schema))
    if schema != "gort-bench/1":
        raise Malformed("%s: schema %s is not supported (this script reads gort-bench/1)" % (path, schema))
    results = doc.get("results")
    if not isinstance(results, list):
        raise Malformed("%s: \"results\" is not a list" % path)
    for i, r in enumerate(results):
        where = "%s: results[%d]" % (path, i)
        if not isinstance(r, dict):
            raise Malformed("%s is not an object" % where)
        name = r.get("name")
        if not isinstance(name, str) or "/" not in name:
            raise Malformed("%s: name %r is not GROUP/IMPL[/ARG:VALUE]" % (where, name))
        if r.get("value") is not None and not _number(r["value"]):
            raise Malformed("%s (%s): value %r is not a number or null" % (where, name, r["value"]))
        if r.get("error") is not None and not isinstance(r["error"], str):
            raise Malformed("%s (%s): error %r is not a string or null" % (where, name, r["error"]))
        for key in ("min", "max"):
            if r.get(key) is not None and not _number(r[key]):
                raise Malformed("%s (%s): %s %r is not a number or null" % (where, name, key, r[key]))
        if r.get("samples") is not None and not (isinstance(r["samples"], list)
                                                  and all(_number(s) for s in r["samples"])):
            raise Malformed("%s (%s): samples is not a list of numbers" % (where, name))
        if r.get("args") is not None and not isinstance(r["args"], dict):
            raise Malformed("%s (%s): args is not an object" % (where, name))
        if r.get("extra") is not None and not isinstance(r["extra"], dict):
            raise Malformed("%s (%s): extra is not an object" % (where, name))
        group, impl, args = parse_name(norm_name(name))
        r.setdefault("group", group)
        r.setdefault("impl", impl)
        if not r.get("family"):
            r["family"] = family_of(r["impl"] or impl)
        if r.get("args") is None:
            r["args"] = args
        if not r.get("unit"):
            r["unit"] = "B" if str(r.get("metric", "")).startswith("bytes") else "ns"
    skipped = doc.get("skipped")
    if skipped is None:
        doc["skipped"] = []
    elif not isinstance(skipped, list) or not all(isinstance(s, dict) for s in skipped):
        raise Malformed("%s: \"skipped\" is not a list of objects" % path)
    if doc.get("machine") is not None and not isinstance(doc["machine"], dict):
        raise Malformed("%s: \"machine\" is not an object" % path)
    return doc


class Results:
    """The entries of a results file by name (Google Benchmark suffixes ignored)."""

    def __init__(self, doc):
        self.doc = doc
        self.by_name = {}
        for r in doc["results"]:
            self.by_name.setdefault(norm_name(r["name"]), r)
        self.quick = doc.get("mode") == "quick"
        self.groups = set(parse_name(n)[0] for n in self.by_name)

    def absent(self, names):
        """The groups of `names` when none of them has a single entry in a full run's results
        (a file written before the groups were in the suite, or a run of other groups), else
        None.  A quick run leaves groups out by design: its rows say so one by one."""
        groups = set(parse_name(n)[0] for n in names)
        if self.quick or groups & self.groups:
            return None
        return groups

    def get(self, name):
        return self.by_name.get(norm_name(name))

    def why_missing(self, name):
        """The skipped list's reason for a name that is not in the results, or a default."""
        group, impl, _ = parse_name(name)
        fam = family_of(impl)
        keys = {name, group, impl, fam, group + "/" + impl, fam.split("_")[0]}
        for s in self.doc.get("skipped", []):
            what = str(s.get("what", ""))
            words = set(re.split(r"[^\w:/.-]+", what.lower()))
            if what and (what in keys or keys & words or name.startswith(what)):
                why = s.get("why")
                return "not run (%s)" % why if why else "not run"
        return "not run (not in this quick run)" if self.quick else "not run"

    def expand(self, names, placeholder_names):
        """Substitutions for the {ARG} placeholders of `names`: every combination of values
        that the results hold for the first name that matches (in order); [{}] without any."""
        keys = sorted(set(k for n in placeholder_names for k in _PLACEHOLDER.findall(n)))
        if not keys:
            return [{}]
        seen = []
        for pattern in names:
            rx = _pattern_regex(pattern)
            for n in sorted(self.by_name, key=_natural):
                m = rx.match(n)
                if m:
                    sub = {k: m.group(k) for k in keys if k in m.groupdict()}
                    if len(sub) == len(keys) and sub not in seen:
                        seen.append(sub)
        return seen or [{}]


def _pattern_regex(pattern):
    """'pool/gort/procs:{procs}' -> a regex with a named group per placeholder."""
    rx, pos, used = "^", 0, set()
    for m in _PLACEHOLDER.finditer(pattern):
        rx += re.escape(pattern[pos:m.start()])
        key = m.group(1)
        rx += "(?P=%s)" % key if key in used else "(?P<%s>[^/]+)" % key
        used.add(key)
        pos = m.end()
    return re.compile(rx + re.escape(pattern[pos:]) + "$")


def _natural(s):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", s)]


# ---- the thresholds file -----------------------------------------------------------------

OPS = {"<=": lambda a, b: a <= b, "<": lambda a, b: a < b}


def load_thresholds(path):
    try:
        with open(path, encoding="utf-8") as f:
            t = json.load(f)
    except OSError as e:
        raise Malformed("cannot read %s: %s" % (path, e.strerror or e))
    except (ValueError, UnicodeDecodeError) as e:
        raise Malformed("%s is not JSON: %s" % (path, e))
    if not isinstance(t, dict):
        raise Malformed("%s: the top level is not an object" % path)

    def need(obj, key, kinds, where, optional=False):
        if key not in obj or obj[key] is None:
            if optional:
                return None
            raise Malformed("%s: %s lacks %r" % (path, where, key))
        if not isinstance(obj[key], kinds) or isinstance(obj[key], bool):
            raise Malformed("%s: %s: %r has the wrong type" % (path, where, key))
        return obj[key]

    for key in ("gates", "peers", "targets"):
        if not isinstance(t.get(key, []), list):
            raise Malformed("%s: %r is not a list" % (path, key))
    for i, g in enumerate(t.get("gates", [])):
        where = "gates[%d]" % i
        if not isinstance(g, dict):
            raise Malformed("%s: %s is not an object" % (path, where))
        for k in ("name", "gort", "baseline"):
            need(g, k, str, where)
        need(g, "max_ratio", (int, float), where)
        need(g, "measured_ratio", (str, int, float), where, optional=True)
        if _PLACEHOLDER.search(g["gort"] + g["baseline"]):
            raise Malformed("%s: %s: gates take exact names, no {ARG} placeholders" % (path, where))
    for i, p in enumerate(t.get("peers", [])):
        where = "peers[%d]" % i
        if not isinstance(p, dict):
            raise Malformed("%s: %s is not an object" % (path, where))
        for k in ("name", "gort", "peer"):
            need(p, k, str, where)
        need(p, "target_ratio", (int, float), where, optional=True)
        need(p, "target", str, where, optional=True)
        need(p, "metric", str, where, optional=True)
        if p.get("op", "<=") not in OPS:
            raise Malformed("%s: %s: op must be one of %s" % (path, where, ", ".join(OPS)))
        if family_of(parse_name(p["peer"])[1]) not in ("go", "boost_fiber", "boost_context"):
            raise Malformed("%s: %s: peer %s is neither a go nor a boost entry" % (path, where, p["peer"]))
    for i, x in enumerate(t.get("targets", [])):
        where = "targets[%d]" % i
        if not isinstance(x, dict):
            raise Malformed("%s: %s is not an object" % (path, where))
        need(x, "name", str, where)
        need(x, "gort", str, where)
        need(x, "value", (int, float), where)
        need(x, "metric", str, where, optional=True)
        kind = x.get("kind")
        if kind == "ratio":
            b = need(x, "baseline", (str, list), where)
            if isinstance(b, list) and (not b or not all(isinstance(n, str) for n in b)):
                raise Malformed("%s: %s: baseline is not a name or a list of names" % (path, where))
        elif kind != "absolute":
            raise Malformed("%s: %s: kind must be \"ratio\" or \"absolute\"" % (path, where))
        if x.get("op", "<=") not in OPS:
            raise Malformed("%s: %s: op must be one of %s" % (path, where, ", ".join(OPS)))
    return t


# ---- the comparisons ----------------------------------------------------------------------

def _fill(template, sub):
    return _PLACEHOLDER.sub(lambda m: str(sub.get(m.group(1), m.group(0))), template)


def figure_of(r, metric=None):
    """(value, unit) of an entry: its primary figure, or with `metric` the number under that key
    of its "extra" (KEY_ns: ns; others unitless); (None, unit) when it has none."""
    if not metric:
        return r.get("value"), r.get("unit")
    v = (r.get("extra") or {}).get(metric)
    unit = "ns" if metric.endswith("_ns") else ""
    return (v if _number(v) else None), unit


def _figure(res, name, metric=None):
    """(entry or None, cell text, problem or None) for one name."""
    r = res.get(name)
    if r is None:
        return None, "not run", "missing"
    value, unit = figure_of(r, metric)
    if value is None:
        err = r.get("error")
        what = "no %s" % metric if metric else "no value"
        return r, "failed" if err else what, ("error: %s" % err) if err else what
    text = fmt_value(value, unit)
    if r.get("error"):
        return r, text + " (error)", "error: %s" % r["error"]
    return r, text, None


def _row(res, name, gort, other, limit=None, op="<=", target=None, metric=None):
    """One comparison: a dict of the table's cells and its verdict (with `metric`, of that
    figure of both entries' "extra" instead of their primary figures)."""
    g, gtext, gprob = _figure(res, gort, metric)
    b, btext, bprob = _figure(res, other, metric)
    row = {"name": name, "gort": gort, "gort_fig": gtext, "other": other, "other_fig": btext,
           "ratio": None, "ratio_text": "", "factor": "", "limit": "", "status": "", "ok": None,
           "problem": gprob or bprob, "entries": (g, b),
           "why": res.why_missing(gort) if g is None else res.why_missing(other) if b is None else None,
           "why_other": res.why_missing(other) if b is None else None}
    if limit is not None:
        row["limit"] = "%s %g" % ("≤" if op == "<=" else "<", limit)
    (gv, gu), (bv, bu) = (figure_of(g, metric) if g else (None, None)), (figure_of(b, metric) if b
                                                                         else (None, None))
    if gv is not None and bv is not None:
        if gu != bu:
            row["problem"] = "units differ (%s, %s)" % (gu, bu)
        elif bv <= 0:
            row["problem"] = "%s is %s" % (other, bv)
        else:
            row["ratio"] = gv / bv
            # A family against itself (preempt's async:1 / async:0): the ratio to 4 digits and the
            # difference in percent, which "1.00 same" would hide.
            fine = family_of(parse_name(gort)[1]) == family_of(parse_name(other)[1])
            row["ratio_text"] = sig(row["ratio"], 4 if fine else 3)
            row["factor"] = ("%+.2f%%" % ((row["ratio"] - 1) * 100) if fine
                             else fmt_factor(row["ratio"], gu))
    if target:
        row["target"] = target
    return row


def compare(res, thr):
    """The four sections' rows.  Gate rows have ok True/False; others None, True or False."""
    sections = {key: [] for key, _ in SECTIONS}
    # section -> the groups whose pairings were left out: no entry of theirs in the results
    sections["absent"] = {key: set() for key, _ in SECTIONS}

    for gdef in thr.get("gates", []):
        row = _row(res, gdef["name"], gdef["gort"], gdef["baseline"], gdef["max_ratio"])
        g, b = row["entries"]
        if row["ratio"] is not None and not (g.get("error") or b.get("error")):
            row["ok"] = row["ratio"] <= gdef["max_ratio"]
        else:
            row["ok"] = False
        row["status"] = "ok" if row["ok"] else "FAIL"
        row["fail"] = None if row["ok"] else _fail_line(gdef, row, res)
        sections["gate"].append(row)

    seen = set()
    for pdef in thr.get("peers", []):
        section = "go" if family_of(parse_name(pdef["peer"])[1]) == "go" else "boost"
        op = pdef.get("op", "<=")
        metric = pdef.get("metric")
        absent = res.absent([pdef["gort"], pdef["peer"]])
        if absent:
            sections["absent"][section] |= absent
            if pdef.get("target_ratio") is not None:
                sections["absent"]["targets"] |= absent
            continue
        for sub in res.expand([pdef["gort"], pdef["peer"]], [pdef["gort"], pdef["peer"], pdef["name"]]):
            gort, peer = _fill(pdef["gort"], sub), _fill(pdef["peer"], sub)
            if (gort, peer, metric) in seen:  # an earlier, explicit pairing wins
                continue
            seen.add((gort, peer, metric))
            name = _fill(pdef["name"], sub)
            if _PLACEHOLDER.search(gort + peer + name):   # no values in the results at all
                gort, peer, name = (_PLACEHOLDER.sub("*", x) for x in (gort, peer, name))
            row = _row(res, name, gort, peer, pdef.get("target_ratio"), op, pdef.get("target"), metric)
            _judge(row, pdef.get("target_ratio"), op)
            sections[section].append(row)
            if pdef.get("target_ratio") is not None:
                label = pdef.get("target") or name
                if sub:
                    label += " (%s)" % ", ".join("%s:%s" % kv for kv in sorted(sub.items()))
                sections["targets"].append(dict(row, name=label))

    for tdef in thr.get("targets", []):
        op = tdef.get("op", "<=")
        metric = tdef.get("metric")
        base = tdef.get("baseline") or []
        absent = res.absent([tdef["gort"]] + (base if isinstance(base, list) else [base]))
        if absent:
            sections["absent"]["targets"] |= absent
            continue
        if tdef["kind"] == "absolute":
            g, gtext, gprob = _figure(res, tdef["gort"], metric)
            unit = (figure_of(g, metric)[1] if g else
                    "B" if tdef["gort"].startswith("memory/") else "ns")
            row = {"name": tdef.get("target") or tdef["name"], "gort": tdef["gort"], "gort_fig": gtext,
                   "other": "", "other_fig": "", "ratio": None, "ratio_text": "", "factor": "",
                   "limit": "%s %s" % ("≤" if op == "<=" else "<", fmt_value(tdef["value"], unit)),
                   "problem": gprob, "value": figure_of(g, metric)[0] if g else None,
                   "why": res.why_missing(tdef["gort"]) if g is None else None}
            if row["value"] is not None and not gprob:
                row["ok"] = OPS[op](row["value"], tdef["value"])
            else:
                row["ok"] = None
            row["status"] = _status(row)
        else:
            baselines = tdef["baseline"] if isinstance(tdef["baseline"], list) else [tdef["baseline"]]
            present = [n for n in baselines if res.get(n) and figure_of(res.get(n), metric)[0] is not None]
            best = min(present, key=lambda n: figure_of(res.get(n), metric)[0]) if present else baselines[0]
            row = _row(res, tdef.get("target") or tdef["name"], tdef["gort"], best, tdef["value"], op,
                       metric=metric)
            _judge(row, tdef["value"], op)
        sections["targets"].append(row)
    # the checklist in the suite's order of groups (stable: the file's order within a group)
    sections["targets"].sort(key=lambda r: _group_rank(r["gort"]))
    return sections


GROUP_ORDER = ("spawn", "spawn_batch", "yield", "pingpong", "pool", "chan_throughput", "select", "timers",
               "cond", "cond_pingpong", "skynet", "preempt", "memory")


def _group_rank(name):
    group = name.split("/")[0]
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def _judge(row, limit, op):
    if limit is not None and row["ratio"] is not None and not row["problem"]:
        row["ok"] = OPS[op](row["ratio"], limit)
    else:
        row["ok"] = None
    row["status"] = _status(row, limit is not None)


def _status(row, has_target=True):
    prob = row.get("problem")
    if prob == "missing":
        return row["why"]                # "not run (why, from the results' skipped list)"
    if prob:
        return prob if len(prob) <= 60 else prob[:57] + "..."
    if not has_target:
        return ""
    return "met" if row["ok"] else "not met"


def _fail_line(gdef, row, res):
    g, b = row["entries"]
    gfam = family_of(parse_name(gdef["gort"])[1])
    bfam = family_of(parse_name(gdef["baseline"])[1])
    head = "FAIL %s: " % gdef["name"]
    for name, r in ((gdef["gort"], g), (gdef["baseline"], b)):
        if r is None:
            return head + "%s is missing from the results: %s" % (name, res.why_missing(name))
        if r.get("error"):
            return head + "%s failed: %s" % (name, r["error"])
        if r.get("value") is None:
            return head + "%s has no value" % name
    if row["ratio"] is None:
        return head + (row["problem"] or "no ratio")
    return head + "%s/%s = %s > %g (%s = %s, %s = %s)" % (
        gfam, bfam, row["ratio_text"], gdef["max_ratio"], gdef["gort"], row["gort_fig"],
        gdef["baseline"], row["other_fig"])


# ---- printing -----------------------------------------------------------------------------

COLUMNS = {
    "gate": [("gate", "name"), ("gort", "gort"), ("", "gort_fig"), ("pthread baseline", "other"),
             ("", "other_fig"), ("gort/base", "ratio_text"), ("", "factor"), ("max", "limit"),
             ("status", "status")],
    "go": [("comparison", "name"), ("gort", "gort"), ("", "gort_fig"), ("Go", "other"), ("", "other_fig"),
           ("gort/Go", "ratio_text"), ("", "factor"), ("target", "limit"), ("status", "status")],
    "boost": [("comparison", "name"), ("gort", "gort"), ("", "gort_fig"), ("Boost", "other"),
              ("", "other_fig"), ("gort/Boost", "ratio_text"), ("", "factor"), ("target", "limit"),
              ("status", "status")],
    "targets": [("target", "name"), ("gort", "gort"), ("", "gort_fig"), ("against", "other"),
                ("", "other_fig"), ("ratio", "ratio_text"), ("", "factor"), ("needs", "limit"),
                ("status", "status")],
}
RIGHT = {"gort_fig", "other_fig", "ratio_text", "limit"}


def _table_plain(cols, rows):
    cells = [[h for h, _ in cols]] + [[str(r.get(k, "")) for _, k in cols] for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(cols))]
    keep = [i for i in range(len(cols)) if widths[i] > 0]
    out = []
    for n, c in enumerate(cells):
        line = "  ".join(c[i].rjust(widths[i]) if cols[i][1] in RIGHT else c[i].ljust(widths[i]) for i in keep)
        out.append("  " + line.rstrip())
        if n == 0:
            out.append("  " + "  ".join("-" * widths[i] for i in keep))
    return out


def _md_escape(s):
    return str(s).replace("|", "\\|")


def _table_md(cols, rows):
    head = "| " + " | ".join(h for h, _ in cols) + " |"
    rule = "|" + "|".join("---:" if k in RIGHT else "---" for _, k in cols) + "|"
    out = [head, rule]
    for r in rows:
        cells = []
        for _, k in cols:
            v = _md_escape(r.get(k, ""))
            if k in ("gort", "other") and v:
                v = "`%s`" % v
            if k == "status" and v == "FAIL":
                v = "**FAIL**"
            cells.append(v)
        out.append("| " + " | ".join(cells) + " |")
    return out


EXPLAIN = ("ratio = gort's figure / the other's (time per operation or bytes per task: lower is better, "
           "below 1 gort wins); \"N× faster\" = other / gort")


def render(doc, res, sections, markdown=False, gate_only=False):
    out = []
    mode = doc.get("mode") or "?"
    reps = doc.get("repetitions")
    run = "%s run%s" % (mode, ", %s repetitions (medians)" % reps if reps else "")
    if markdown:
        out.append("_%s; %s. %s._" % (machine_line(doc), run, EXPLAIN))
    else:
        out.append("gort benchmark comparison: %s; %s" % (machine_line(doc), run))
        out.append(EXPLAIN)
    keys = ["gate"] if gate_only else [k for k, _ in SECTIONS]
    for key in keys:
        title = dict(SECTIONS)[key]
        rows = sections[key]
        absent = sorted(sections.get("absent", {}).get(key, ()), key=lambda g: (_group_rank(g), g))
        note = ("left out, no entries in these results (a file from before the group%s, or a run of "
                "others): %s" % ("s" if len(absent) > 1 else "", ", ".join(absent)) if absent else None)
        out.append("")
        out.append(("### " if markdown else "== ") + title)
        if markdown:
            out.append("")
        if not rows:
            out.append(("_%s._" % note if markdown else note) if note else "(nothing configured)")
            continue
        if key in ("go", "boost") and all(r.get("why_other") for r in rows):
            # the whole peer is absent: one line instead of a table of "not run"
            reasons = sorted(set(r["why_other"] for r in rows))
            out.append("; ".join(reasons))
            if note:
                out.append(("_%s._" % note) if markdown else note)
            continue
        out.extend((_table_md if markdown else _table_plain)(COLUMNS[key], rows))
        if note:
            out.append("")
            out.append(("_%s._" % note) if markdown else note)
        if key == "gate":
            fails = [r["fail"] for r in rows if not r["ok"]]
            out.append("")
            for f in fails:
                out.append(("- " if markdown else "") + f)
            verdict = ("gate: %d of %d failed" % (len(fails), len(rows)) if fails
                       else "gate: all %d passed" % len(rows))
            out.append(("**%s**" % verdict) if markdown else verdict)
    return "\n".join(out) + "\n"


def default_thresholds():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "thresholds.json")


def main(argv=None):
    ap = argparse.ArgumentParser(description="gort's benchmark comparisons and CI gate over a results file "
                                             "(schema gort-bench/1).")
    ap.add_argument("results", help="the results file written by scripts/bench.py")
    ap.add_argument("--thresholds", default=default_thresholds(),
                    help="the pairings and limits (default: bench/thresholds.json)")
    ap.add_argument("--markdown", action="store_true", help="GitHub markdown tables (for the README)")
    ap.add_argument("--gate-only", action="store_true", help="only the gate section (for CI)")
    a = ap.parse_args(argv)
    try:
        doc = load_results(a.results)
        thr = load_thresholds(os.path.normpath(a.thresholds))
    except Malformed as e:
        print("compare.py: error: %s" % e, file=sys.stderr)
        return 2
    res = Results(doc)
    sections = compare(res, thr)
    sys.stdout.write(render(doc, res, sections, a.markdown, a.gate_only))
    return 0 if all(r["ok"] for r in sections["gate"]) else 1


if __name__ == "__main__":
    sys.exit(main())
