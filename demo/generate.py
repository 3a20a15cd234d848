#!/usr/bin/env python3
"""Generates the demo data set: the INM ethics committee's evidence for PAT-2021.

    python3 demo/generate.py [TARGET] [--seed N]

TARGET defaults to demo/generated/ (git-ignored).  The output is a pure
function of the seed: same bytes, same names, same mtimes on every run.  It
holds share/ (the committee's shared folder, source "comite"), mail/ (the
committee's mailbox, a Maildir: source "buzon"), rh/ (HR exports: the census
"censo", the training list "capacitacion", the pledges "cartas") and
EXPECTED.json (what the agent should make of every file; see
demogen/expected.py).  Python 3 standard library only.

The target is replaced as a whole: the new data set is built beside it and
renamed into place.  A non-empty target without EXPECTED.json is not ours and
is refused (exit 2) rather than deleted.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from demogen import expected, hr, mailbox, people, share  # noqa: E402

DEFAULT_SEED = 2021
DEFAULT_TARGET = Path(__file__).resolve().parent / "generated"
MAX_TOTAL_BYTES = 5 * 1000 * 1000  # the data set ships in demos and CI: keep it small
MARKER = "EXPECTED.json"

# Each builder writes its part under the output directory and returns its
# entries and the sources they belong to: builder(out, rng, roster).  They
# share the random generator (in this order: a new builder goes last, so that
# the parts before it keep their bytes) and the roster, so that all parts name
# the same people; the HR exports list the courses the share and the mailbox
# show (roster.passed), so they run after them.
BUILDERS = (share.build, mailbox.build, hr.build)


class TargetError(Exception):
    """The target cannot be (re)generated safely."""


def _check_target(target: Path) -> None:
    if target.exists() and not target.is_dir():
        raise TargetError(f"{target} exists and is not a directory; choose another target")
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        raise TargetError(f"{target} is not empty and has no {MARKER}, so it was not made by this generator; "
                          "refusing to replace it (choose an empty or new directory)")


def _roster_json(roster: people.Roster) -> list[dict[str, str]]:
    return [{"name": p.full_name, "curp": p.curp, "employee_id": p.employee_id, "sex": p.sex,
             "birth": p.birth.isoformat(), "committee_role": p.committee_role} for p in roster.everyone()]


def build_into(out: Path, seed: int) -> dict[str, object]:
    """Writes the whole data set into the empty directory `out`; returns the summary."""
    rng = random.Random(seed)
    roster = people.make_roster(rng)
    entries: list[expected.Entry] = []
    sources: dict[str, dict[str, str]] = {}
    for builder in BUILDERS:
        part, part_sources = builder(out, rng, roster)
        entries += part
        sources.update(part_sources)
    keys = [e.path for e in entries]
    if len(keys) != len(set(keys)):
        raise RuntimeError("two builders wrote the same path; each path must be written once")
    total = sum(e.size for e in entries)
    if total > MAX_TOTAL_BYTES:
        raise RuntimeError(f"the data set is {total} bytes, over the {MAX_TOTAL_BYTES}-byte budget")
    (out / MARKER).write_text(expected.document(entries, seed, sources, _roster_json(roster)), encoding="utf-8")
    return expected.summary(entries)


def generate(target: Path, seed: int = DEFAULT_SEED) -> dict[str, object]:
    target = target.resolve()
    _check_target(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    retired = None
    try:
        staging.chmod(0o755)
        summary = build_into(staging, seed)
        if target.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            target.rename(retired / "data")
        staging.rename(target)
        return summary
    finally:
        if staging.exists():
            shutil.rmtree(staging)
        if retired is not None:
            shutil.rmtree(retired)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT_TARGET,
                        help=f"output directory (default: {DEFAULT_TARGET})")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default: {DEFAULT_SEED})")
    args = parser.parse_args(argv)
    try:
        summary = generate(args.target, args.seed)
    except TargetError as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    by_activity = ", ".join(f"{a}: {n}" for a, n in summary["classified"].items())  # type: ignore[union-attr]
    print(f"wrote {summary['files']} files ({summary['total_bytes']} bytes) to {args.target.resolve()}\n"
          f"expected: {sum(summary['classified'].values())} records ({by_activity}); "  # type: ignore[union-attr]
          f"{summary['unclassified']} items no rule takes; {summary['excluded']} files skipped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
