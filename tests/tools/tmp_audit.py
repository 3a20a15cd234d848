#!/usr/bin/env python3
"""The suite leaves nothing of its own in the temporary directory.

    tmp_audit.py record FILE   before any test: the sseccoe-* entries there now
    tmp_audit.py check FILE    after every test: fails listing each new entry

ctest runs `record` as the setup and `check` as the cleanup of the fixture
every test requires (tests/CMakeLists.txt), so a test that forgets to remove
its state directory, registry, socket or mount point fails the run by name.
Entries that were there before the run (another checkout's, a demo's) are
not this run's and are ignored."""
import os
import sys
import tempfile

PREFIXES = ("sseccoe-",)


def places():
    seen = []
    for d in (tempfile.gettempdir(), "/tmp", "/dev/shm"):
        d = os.path.realpath(d)
        if os.path.isdir(d) and d not in seen:
            seen.append(d)
    return seen


def entries():
    out = set()
    for d in places():
        try:
            names = os.listdir(d)
        except OSError:
            continue
        out.update(os.path.join(d, n) for n in names if n.startswith(PREFIXES))
    return out


def size_of(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:
                pass
    if not os.path.isdir(path):
        try:
            total = os.lstat(path).st_size
        except OSError:
            pass
    return total


def main(argv):
    if len(argv) != 3 or argv[1] not in ("record", "check"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, path = argv[1], argv[2]
    if mode == "record":
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(sorted(entries())) + "\n")
        print(f"tmp_audit: {len(entries())} entries before the run in {', '.join(places())}")
        return 0
    try:
        with open(path, encoding="utf-8") as f:
            before = {line for line in f.read().splitlines() if line}
    except FileNotFoundError:
        print(f"tmp_audit: {path} is missing: the record step did not run", file=sys.stderr)
        return 1
    left = sorted(entries() - before)
    os.unlink(path)
    if not left:
        print(f"tmp_audit: nothing left behind in {', '.join(places())}")
        return 0
    print(f"tmp_audit: the run left {len(left)} entr{'y' if len(left) == 1 else 'ies'} behind:", file=sys.stderr)
    for p in left:
        kind = "dir" if os.path.isdir(p) and not os.path.islink(p) else "file"
        print(f"  {p} ({kind}, {size_of(p)} bytes)", file=sys.stderr)
    print("the tests that made them must remove them (addCleanup / a TempDir that removes itself)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
