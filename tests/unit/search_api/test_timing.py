"""Stage timings: recorded per context, summed on repeats, free outside a recording."""

from __future__ import annotations

import contextvars
import threading
import time

from search_api.timing import recording, stage


def test_stages_are_recorded_and_summed() -> None:
    with recording() as timings:
        with stage("embed"):
            time.sleep(0.01)
        with stage("embed"):
            time.sleep(0.01)
        with stage("bm25"):
            pass
    assert set(timings) == {"embed", "bm25"}
    assert timings["embed"] >= 15.0
    assert timings["bm25"] < timings["embed"]


def test_stage_outside_a_recording_records_nothing() -> None:
    with stage("embed"):
        pass
    with recording() as timings:
        pass
    assert timings == {}


def test_a_worker_thread_with_the_request_context_records_into_it() -> None:
    # FastAPI runs sync routes in a thread with a copy of the request's context.
    with recording() as timings:
        ctx = contextvars.copy_context()

        def work() -> None:
            with stage("dense"):
                pass

        t = threading.Thread(target=ctx.run, args=(work,))
        t.start()
        t.join()
    assert "dense" in timings


def test_recordings_do_not_leak_into_each_other() -> None:
    with recording() as outer:
        with recording() as inner:
            with stage("fuse"):
                pass
        with stage("graph"):
            pass
    assert set(inner) == {"fuse"} and set(outer) == {"graph"}
