#!/usr/bin/python3
"""Real-PyTorch oracle for the SeqLens fixture corpus.

Runs every program in test/fixtures/torch, test/examples,
test/fixtures/torch-realistic and test/fixtures/torch-reported under real PyTorch and compares what actually
happened with the header each file carries:

    # oracle: ok
    # oracle: warns UserWarning at line 9: <first line of the message>
    # oracle: raises RuntimeError at line 23: <first line of str(exc)>
    # oracle-stdout: <one line the program printed>

The header is a block of such comment lines at the very top of the file.
Only this script writes it (`--update`); `--check` (the default) re-runs
everything and exits 1 when any file's real behaviour differs from its
header or when its `# expect:` markers are inconsistent with the run.

Usage (PyTorch is only importable from the system interpreter):

    /usr/bin/python3 test/oracle/torch_oracle.py [--check | --update] [-j N] [FILE ...]

Each program runs in its own process, forked from a parent that has already
imported torch, so programs cannot see each other's state and the import is
paid once.

test/fixtures/torch-realistic follows the same naming as test/fixtures/torch
(`<CODE>_<desc>.py` for a buggy program, `clean_<desc>.py` for a correct one)
except that its buggy programs need no `_fixed` twin: its clean programs are
independent ones.

test/fixtures/torch-reported holds real reported bugs rebuilt from the
poster's code: `<id>-bug.py` carries one `# expect: SLxxx` (or
`# expect: NEW <name>`, a rule that does not exist yet) on the bug line or on
the innermost traceback line, and `<id>-fixed.py` must run clean.
"""

import argparse
import builtins
import io
import multiprocessing
import os
import re
import sys
import tempfile
import time
import traceback
import types
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DIRS = [
    os.path.join(ROOT, "test", "fixtures", "torch"),
    os.path.join(ROOT, "test", "examples"),
    os.path.join(ROOT, "test", "fixtures", "torch-realistic"),
    os.path.join(ROOT, "test", "fixtures", "torch-reported"),
    os.path.join(ROOT, "test", "fixtures", "attention-reported"),
]
REPORTED_DIR = DIRS[3]
# Reported bugs kept by layer family: the same rules apply to every such folder.
REPORTED_DIRS = (DIRS[3], DIRS[4])
# Fixture folders: strict file names; only DIRS[0] requires `_fixed` twins.
FIXTURE_DIRS = (DIRS[0], DIRS[2])
# The bound only stops a program that hangs: the slowest fixture takes about 11 s on a 2-core machine running other
# work too, and a 30 s bound once cut it off on a machine running two heavy jobs beside the oracle.
TIMEOUT_S = 120.0
MSG_MAX = 200
STDOUT_MAX_LINES = 20

HEADER_RE = re.compile(r"^# oracle(?:-stdout)?:")
EXPECT_RE = re.compile(r"#\s*expect:\s*(SL\d{3}(?:\s*,\s*SL\d{3})*|NEW\b.*?)\s*$")
CODE_NAME_RE = re.compile(r"^(SL\d{3})_.+?(_fixed)?\.py$")


# ---------------------------------------------------------------- file format

def split_header(text):
    """Return (header_lines, body_text) for a file's text."""
    lines = text.splitlines(keepends=True)
    n = 0
    while n < len(lines) and HEADER_RE.match(lines[n]):
        n += 1
    return [l.rstrip("\r\n") for l in lines[:n]], "".join(lines[n:])


def expect_markers(text):
    """{1-based line number: [codes]} for every `# expect:` marker."""
    out = {}
    for i, line in enumerate(text.splitlines(), start=1):
        m = EXPECT_RE.search(line)
        if m:
            out[i] = [c.strip() for c in m.group(1).split(",")]
    return out


def first_line(message):
    lines = str(message).strip().splitlines()
    line = lines[0] if lines else ""
    return line[:MSG_MAX]


def render_header(result):
    """Header lines (without newlines) describing a run result."""
    out = []
    for w in result["warnings"]:
        out.append("# oracle: warns %s at line %d: %s" % (w["type"], w["line"], w["message"]))
    exc = result["exception"]
    if exc is not None:
        out.append("# oracle: raises %s at line %d: %s" % (exc["type"], exc["line"], exc["message"]))
    elif not result["warnings"]:
        out.append("# oracle: ok")
    stdout = result["stdout"].splitlines()
    if len(stdout) > STDOUT_MAX_LINES:
        stdout = stdout[:STDOUT_MAX_LINES] + ["... (%d more lines)" % (len(stdout) - STDOUT_MAX_LINES)]
    for line in stdout:
        line = line.rstrip()[:MSG_MAX]
        out.append(("# oracle-stdout: " + line) if line else "# oracle-stdout:")
    return [l.rstrip() for l in out]


# ---------------------------------------------------------------- running

def _child(path, source, conn):
    """Runs in a forked process: execute `source` as __main__ of `path`."""
    import random
    import numpy
    import torch

    result = {"warnings": [], "exception": None, "stdout": "", "error": None}
    workdir = tempfile.TemporaryDirectory(prefix="seqlens-oracle-")
    try:
        torch.set_num_threads(1)
        torch.manual_seed(0)
        random.seed(0)
        numpy.random.seed(0)

        seen = set()

        def showwarning(message, category, filename, lineno, file=None, line=None):
            # Attribute the warning to the innermost frame in the program itself.
            frame = sys._getframe(1)
            at = 0
            while frame is not None:
                if frame.f_code.co_filename == path:
                    at = frame.f_lineno
                    break
                frame = frame.f_back
            w = {"type": category.__name__, "line": at, "message": first_line(message)}
            key = (w["type"], w["line"], w["message"])
            if key not in seen:
                seen.add(key)
                result["warnings"].append(w)

        warnings.resetwarnings()
        warnings.simplefilter("always")
        warnings.showwarning = showwarning

        module = types.ModuleType("__main__")
        module.__file__ = path
        module.__builtins__ = builtins
        sys.modules["__main__"] = module
        sys.argv = [path]
        sys.path.insert(0, os.path.dirname(path))
        os.chdir(workdir.name)

        buf = io.StringIO()
        real_stdout = sys.stdout
        sys.stdout = buf
        try:
            code = compile(source, path, "exec")
            exec(code, module.__dict__)
        except SystemExit as e:
            if e.code not in (None, 0):
                result["exception"] = {"type": "SystemExit", "line": 0, "message": first_line(e.code)}
        except BaseException as e:  # noqa: B902 - we report whatever the program raised
            line = 0
            tb = e.__traceback__
            while tb is not None:
                if tb.tb_frame.f_code.co_filename == path:
                    line = tb.tb_lineno
                tb = tb.tb_next
            if line == 0 and isinstance(e, SyntaxError) and e.filename == path:
                line = e.lineno or 0
            result["exception"] = {"type": type(e).__name__, "line": line, "message": first_line(e)}
        finally:
            sys.stdout = real_stdout
        result["stdout"] = buf.getvalue()
    except BaseException:
        result["error"] = traceback.format_exc()
    finally:
        os.chdir("/")
        workdir.cleanup()
    conn.send(result)
    conn.close()


def run_many(jobs, workers):
    """jobs: list of (key, path, source). Returns {key: result}."""
    ctx = multiprocessing.get_context("fork")
    pending = list(jobs)
    running = []  # (key, process, conn, started)
    results = {}
    while pending or running:
        while pending and len(running) < workers:
            key, path, source = pending.pop(0)
            recv, send = ctx.Pipe(duplex=False)
            p = ctx.Process(target=_child, args=(path, source, send))
            p.start()
            send.close()
            running.append((key, p, recv, time.monotonic()))
        still = []
        for key, p, recv, started in running:
            if recv.poll(0.005):
                try:
                    results[key] = recv.recv()
                except EOFError:
                    results[key] = _crash("process exited with code %s" % p.exitcode)
                p.join()
                recv.close()
            elif not p.is_alive() and not recv.poll(0):
                results[key] = _crash("process exited with code %s" % p.exitcode)
                recv.close()
            elif time.monotonic() - started > TIMEOUT_S:
                p.kill()
                p.join()
                recv.close()
                results[key] = _crash("timed out after %.0f s" % TIMEOUT_S)
            else:
                still.append((key, p, recv, started))
        running = still
    return results


def _crash(why):
    return {"warnings": [], "exception": None, "stdout": "", "error": why}


# ---------------------------------------------------------------- checks

def consistency_problems(path, text, result):
    """Problems with the markers / naming given what really happened."""
    problems = []
    name = os.path.basename(path)
    markers = expect_markers(text)
    if os.path.dirname(path) in REPORTED_DIRS:
        return reported_problems(path, name, markers, result)
    marker_lines = sorted(markers)
    exc = result["exception"]
    in_fixtures = os.path.dirname(path) in FIXTURE_DIRS
    needs_twin = os.path.dirname(path) == DIRS[0]

    # A program that raises must carry a marker on the raising line (other
    # markers, e.g. SL109 on a constructor, may sit elsewhere as well).
    if exc is not None and markers and exc["line"] not in markers:
        problems.append(
            "raises at line %d but the `# expect:` markers are on line(s) %s"
            % (exc["line"], ", ".join(map(str, marker_lines))))
    # Likewise a warning must be reported where Python attributes it.
    for w in result["warnings"]:
        if markers and w["line"] not in markers:
            problems.append(
                "warns at line %d but the `# expect:` markers are on line(s) %s"
                % (w["line"], ", ".join(map(str, marker_lines))))

    m = CODE_NAME_RE.match(name)
    is_clean = name.startswith("clean_")
    is_fixed = bool(m and m.group(2))
    if is_clean or is_fixed:
        if exc is not None:
            problems.append("a clean/fixed program must not raise")
        if result["warnings"]:
            problems.append("a clean/fixed program must not warn")
        if markers:
            problems.append("a clean/fixed program must not carry `# expect:` markers")
    elif m:
        code = m.group(1)
        if not any(code in cs for cs in markers.values()):
            problems.append("no `# expect: %s` marker in a %s fixture" % (code, code))
        twin = os.path.join(os.path.dirname(path), name[:-3] + "_fixed.py")
        if needs_twin and not os.path.exists(twin):
            problems.append("missing fixed twin %s" % os.path.basename(twin))
    elif in_fixtures:
        problems.append("fixture name must be <CODE>_<desc>.py, <CODE>_<desc>_fixed.py or clean_<desc>.py")
    elif exc is not None and not markers:
        problems.append("raises but carries no `# expect:` marker")
    return problems


def reported_problems(path, name, markers, result):
    """A rebuilt reported bug marks where the finding must land (the bug line
    or the traceback's line, which may differ); its fixed twin runs clean."""
    problems = []
    if name.endswith("-fixed.py"):
        if result["exception"] is not None:
            problems.append("a fixed twin must not raise")
        if result["warnings"]:
            problems.append("a fixed twin must not warn")
        if markers:
            problems.append("a fixed twin must not carry `# expect:` markers")
    elif name.endswith("-bug.py"):
        if len(markers) != 1:
            problems.append("a rebuilt bug carries exactly one `# expect:` marker")
        if not os.path.exists(path[:-len("-bug.py")] + "-fixed.py"):
            problems.append("missing fixed twin")
    else:
        problems.append("file name must be <id>-bug.py or <id>-fixed.py")
    return problems


def collect(paths):
    files = []
    if paths:
        files = [os.path.abspath(p) for p in paths]
    else:
        for d in DIRS:
            if os.path.isdir(d):
                files += [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.endswith(".py")]
    return files


def rel(path):
    return os.path.relpath(path, ROOT)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="verify headers (default)")
    mode.add_argument("--update", action="store_true", help="rewrite headers from real runs")
    ap.add_argument("-j", "--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    ap.add_argument("-v", "--verbose", action="store_true", help="list every file")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args(argv)

    # Imported once here; every forked child inherits the loaded modules.
    import numpy  # noqa: F401
    import torch  # noqa: F401
    import torch.nn  # noqa: F401
    import torch.nn.functional  # noqa: F401
    import torch.nn.utils.rnn  # noqa: F401

    started = time.monotonic()
    files = collect(args.files)
    texts = {}
    for f in files:
        with open(f, encoding="utf-8") as fh:
            texts[f] = fh.read()

    def source_with_header(f, header_len):
        # The header is a fixed block at the top; reserve exactly that many
        # comment lines so line numbers in the run are the final ones.
        _, body = split_header(texts[f])
        return "".join("# oracle:\n" for _ in range(header_len)) + body

    if args.update:
        # Pass 1 with the current header length; pass 2 only for files whose
        # header length changes (line numbers shift by the difference).
        guess = {f: max(1, len(split_header(texts[f])[0])) for f in files}
        results = run_many([(f, f, source_with_header(f, guess[f])) for f in files], args.jobs)
        redo = [f for f in files
                if results[f]["error"] is None and len(render_header(results[f])) != guess[f]]
        if redo:
            for f in redo:
                guess[f] = len(render_header(results[f]))
            results.update(run_many([(f, f, source_with_header(f, guess[f])) for f in redo], args.jobs))
        for f in files:
            r = results[f]
            if r["error"] is not None:
                continue
            header = render_header(r)
            if len(header) != guess[f]:
                r["error"] = "header length did not settle"
                continue
            _, body = split_header(texts[f])
            new = "\n".join(header) + "\n" + body
            if new != texts[f]:
                with open(f, "w", encoding="utf-8") as fh:
                    fh.write(new)
                texts[f] = new
                print("updated %s" % rel(f))

    # Check: run the files exactly as they are on disk.
    results = run_many([(f, f, texts[f]) for f in files], args.jobs)
    passed = failed = 0
    for f in files:
        r = results[f]
        problems = []
        if r["error"] is not None:
            problems.append("oracle could not run it: " + r["error"].strip().splitlines()[-1])
        else:
            header, _ = split_header(texts[f])
            actual = render_header(r)
            if header != actual:
                problems.append("header differs from the real run")
                for l in header:
                    if l not in actual:
                        problems.append("  header: " + l)
                for l in actual:
                    if l not in header:
                        problems.append("  actual: " + l)
                if not [l for l in header if l not in actual] and not [l for l in actual if l not in header]:
                    problems.append("  (same lines, different order)")
            problems += consistency_problems(f, texts[f], r)
        if problems:
            failed += 1
            print("FAIL %s" % rel(f))
            for p in problems:
                print("     " + p)
        else:
            passed += 1
            if args.verbose:
                print("ok   %s" % rel(f))
    if args.verbose:
        print("(%.1f s)" % (time.monotonic() - started))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
