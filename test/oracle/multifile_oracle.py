#!/usr/bin/python3
"""Real-PyTorch oracle for the multi-file projects in test/fixtures/torch-multifile.

Each folder there is a small project (model.py, train.py, config.py, a package...). Its entry script
(train.py, else main.py, else model.py) runs under real PyTorch with the folder as working directory and
first entry of sys.path, as `python train.py` would. cases.json records, per folder, the entry and what
happened:

    "ok"                                                  the program ran to its end
    "raises RuntimeError at model.py:13: <first line>"    innermost frame of the project's own files

--check (the default) runs every project and exits 1 when one differs from cases.json, when a folder whose
name ends in -fixed does not run clean, or when a project that raises does not carry exactly one
`# expect: SLxxx` marker, on the line the traceback points to. --update rewrites cases.json.

Usage: /usr/bin/python3 test/oracle/multifile_oracle.py [--check | --update]
"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CASES = os.path.join(ROOT, "test", "fixtures", "torch-multifile")
RECORD = os.path.join(CASES, "cases.json")
EXPECT = re.compile(r"#\s*expect:\s*(SL\d{3})\s*$")

RUNNER = r"""
import os, runpy, sys, traceback
entry = sys.argv[1]
sys.argv = [entry]
sys.path.insert(0, os.getcwd())
try:
    runpy.run_path(entry, run_name='__main__')
    print('ORACLE ok')
except BaseException as exc:
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename).startswith(os.getcwd() + os.sep)]
    where = frames[-1] if frames else None
    place = '%s:%d' % (os.path.relpath(where.filename), where.lineno) if where else '?'
    first = (str(exc).strip().splitlines() or [''])[0]
    print('ORACLE raises %s at %s: %s' % (type(exc).__name__, place, first))
"""


def entry_of(folder):
    for name in ("train.py", "main.py", "model.py"):
        if os.path.exists(os.path.join(folder, name)):
            return name
    raise SystemExit("%s: no train.py, main.py or model.py to run" % folder)


def run(folder):
    entry = entry_of(folder)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    done = subprocess.run([sys.executable, "-c", RUNNER, entry], cwd=folder, env=env, capture_output=True, text=True, timeout=120)
    lines = [l for l in done.stdout.splitlines() if l.startswith("ORACLE ")]
    return entry, (lines[-1][len("ORACLE "):] if lines else "no result: " + done.stderr.strip().splitlines()[-1:][0] if done.stderr.strip() else "no result")


def markers(folder):
    found = []
    for base, _, files in os.walk(folder):
        for name in sorted(files):
            if not name.endswith(".py"):
                continue
            path = os.path.join(base, name)
            with open(path, encoding="utf8") as f:
                for i, line in enumerate(f, 1):
                    m = EXPECT.search(line)
                    if m:
                        found.append((os.path.relpath(path, folder), i, m.group(1)))
    return found


def main(argv):
    update = "--update" in argv
    folders = sorted(d for d in os.listdir(CASES) if os.path.isdir(os.path.join(CASES, d)))
    record = {}
    if os.path.exists(RECORD):
        with open(RECORD, encoding="utf8") as f:
            record = json.load(f)
    problems = []
    results = {}
    for name in folders:
        folder = os.path.join(CASES, name)
        entry, outcome = run(folder)
        results[name] = {"entry": entry, "oracle": outcome}
        print("%-32s %s" % (name, outcome))
        marks = markers(folder)
        if name.endswith("-fixed"):
            if outcome != "ok":
                problems.append("%s: a fixed project must run clean, got %s" % (name, outcome))
            if marks:
                problems.append("%s: a fixed project carries no # expect: marker" % name)
        else:
            m = re.match(r"raises \w+ at (\S+):(\d+):", outcome)
            if not m:
                problems.append("%s: a buggy project must raise, got %s" % (name, outcome))
            elif len(marks) != 1 or (marks[0][0], marks[0][1]) != (m.group(1), int(m.group(2))):
                problems.append("%s: the # expect: marker %s is not on the traceback's line %s:%s" % (name, marks, m.group(1), m.group(2)))
        if not update and record.get(name) != results[name]:
            problems.append("%s: cases.json says %s, the run gave %s" % (name, record.get(name), results[name]))
    if update:
        with open(RECORD, "w", encoding="utf8") as f:
            json.dump(results, f, indent=1, sort_keys=True)
            f.write("\n")
        print("wrote %s" % os.path.relpath(RECORD, ROOT))
    for p in problems:
        print("PROBLEM " + p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
