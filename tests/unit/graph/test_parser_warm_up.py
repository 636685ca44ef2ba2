"""Each untrusted query is checked in a fresh fork, so whatever the SPARQL grammar sets up
on its first use must already be done in the parent: ``warm_parser`` does it once.
Counted in Python calls (not seconds) in a fresh interpreter, where the grammar is cold."""

from __future__ import annotations

import subprocess
import sys

from tests.paths import ROOT

COUNT_CALLS = """
import sys
from graph.sparql_guard import parse_read_only, warm_parser

def calls_to_parse(query):
    n = 0
    def count(frame, event, arg):
        nonlocal n
        if event == "call":
            n += 1
    sys.setprofile(count)
    try:
        parse_read_only(query)
    finally:
        sys.setprofile(None)
    return n

query = "SELECT ?d WHERE { GRAPH ?g { ?d a ?t } } LIMIT 20"
if sys.argv[1] == "warm":
    warm_parser()
print(calls_to_parse(query))
"""


def parse_calls(state: str) -> int:
    done = subprocess.run(
        [sys.executable, "-c", COUNT_CALLS, state],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout.strip())


def test_a_warmed_parser_does_far_less_work_on_its_next_query() -> None:
    cold, warm = parse_calls("cold"), parse_calls("warm")
    assert warm * 2 < cold, (cold, warm)
