"""bench/ingest_timeline.py: the steps of a real `python -m minzheng ingest`, timed from outside."""

from bench import ingest_timeline


def test_a_real_run_times_every_step_in_the_order_the_command_takes_them():
    result = ingest_timeline.measure(rows=2000, reps=1)
    steps = result["steps"]
    read = steps[("read-ahead", "workbook.read")]  # the first file is read in its own thread
    check = steps[("main", "ingest._check_bytes")]
    commit = steps[("main", "ingest._commit_checked")]
    write = steps[("main", "batches.write_batch")]
    extract = steps[("main", "extract.extract")]
    assert ("main", "load duckdb") in steps and ("main", "store.connect") in steps
    assert read[1] <= check[0] + 0.005  # the check waits for the reading it takes
    assert check[0] <= extract[0] <= extract[1] <= check[1] <= commit[0]
    assert commit[0] <= write[0] <= write[1] <= commit[1]
    assert steps[("main", "command returns")][0] >= commit[1]
    assert result["whole"] > result["bare"] > 0  # the command reads the file and does more
    text = ingest_timeline.report(result)
    assert "read-ahead  workbook.read" in text and "(target ≤ 2.0)" in text
