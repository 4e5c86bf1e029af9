"""The target of each forked child. Kept free of imports: unpickling it in the child must
not load anything the fork server has not already loaded."""


def run(job: dict) -> None:
    from nn_notes.runner.worker import run_job  # already imported by the fork server

    run_job(job)
