"""Deterministic generator of the demo data set (stdlib only).

Each module has one job: `pdf` and `png` write real, valid files by hand,
`people` invents the fictitious personnel, `dates` knows the activity windows,
`office` writes the non-evidence and junk files, `share` lays out the
committee's shared folder, and `expected` records what the agent should make
of every file.  Builders for a mailbox and HR exports plug in beside `share`
(see generate.py: BUILDERS).
"""
