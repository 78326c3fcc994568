"""Hyperparameter sweeps on Optuna: one study, any number of workers, each trial a normal run.

    python -m core.sweep --study NAME --trials N [--storage postgresql+psycopg://...]   (see __main__)

space.py     what varies and its range          study.py   a study's settings, stored in the study
storage.py   journal file or PostgreSQL         stale.py   trials of dead workers -> failed
trial.py     one trial = one run, reported      worker.py  the loop every worker runs
report.py    trial lines and table rows         job.py     a sweep as the app's background job
"""
