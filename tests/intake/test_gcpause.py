"""minzheng.intake.gcpause: the collector is off inside a pause and restored as it was after the last."""

from __future__ import annotations

import gc
import threading

import pytest

from minzheng.intake import gcpause


@pytest.fixture(autouse=True)
def _collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_off_inside_and_back_on_after():
    with gcpause.paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_nested_pauses_restore_only_at_the_outermost():
    with gcpause.paused():
        with gcpause.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_restored_after_an_exception():
    with pytest.raises(ValueError), gcpause.paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_left_off_when_it_was_off_before():
    gc.disable()
    with gcpause.paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads():
    first_in, second_done = threading.Event(), threading.Event()
    seen = []

    def first():
        with gcpause.paused():
            first_in.set()
            second_done.wait(5)
            seen.append(gc.isenabled())  # the other thread's pause ended: still off here

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with gcpause.paused():
        pass
    second_done.set()
    thread.join(5)
    assert seen == [False]
    assert gc.isenabled()
