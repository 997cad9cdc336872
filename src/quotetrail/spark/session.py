"""A SparkSession for the jobs: the one `spark-submit` started, or a local one set up to find this Python.

Local sessions get the running interpreter as `PYSPARK_PYTHON` (so the workers import the same
quotetrail and spaCy), bind to 127.0.0.1 unless told otherwise, and run their JVM with the quick
compiler only (LOCAL_JAVA_OPTIONS); a missing PySpark or Java is one `SparkUnavailable` line, never
a Java stack trace.
"""
from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

INSTALL = "pip install 'quotetrail[spark]'"
# The JIT's quick tier (C1) only, for the one JVM of a local session: there the work is Python's
# (spaCy in the workers) and the JVM only moves rows, yet its compilers spent 6.3 of the JVM's 9.6 CPU
# seconds on a 406-article `spark extract` on local[1] (5.0 of them the optimising C2), again on every
# run of the session, on cores the Python workers need; with C1 alone the JVM spent 3.5 s, its tasks'
# own work no more than before (README, "Scale, measured"). Set as the driver's *default* options,
# so that a user's spark.driver.extraJavaOptions still applies after them (and wins).
LOCAL_JAVA_OPTIONS = "-XX:TieredStopAtLevel=1"


class SparkUnavailable(RuntimeError):
    """Spark cannot run here: PySpark or Java is missing."""


def missing() -> str | None:
    """Why Spark cannot start on this machine (no PySpark, no Java), or None when it can."""
    if importlib.util.find_spec("pyspark") is None:
        return f"PySpark is not installed ({INSTALL})"
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and os.access(os.path.join(java_home, "bin", "java"), os.X_OK)) and not shutil.which("java"):
        return ("Spark needs Java 17 or newer: no `java` on PATH or in JAVA_HOME "
                "(apt-get install openjdk-17-jre-headless)")
    return None


def submitted() -> bool:
    """Whether this process was started by `spark-submit` (which hands it a running JVM)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


@contextmanager
def spark_session(master: str | None = None, app: str = "quotetrail",
                  conf: dict[str, str] | None = None) -> Iterator[SparkSession]:
    """The active SparkSession, or a new one (`master` as given, else `spark-submit`'s or `local[*]`),
    stopped at the end only when it was started here."""
    problem = missing()
    if problem:
        raise SparkUnavailable(problem)
    settings = {"spark.ui.showConsoleProgress": str(sys.stderr.isatty()).lower()}
    if not submitted() and (master is None or master.startswith("local")):
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        settings["spark.driver.defaultJavaOptions"] = LOCAL_JAVA_OPTIONS
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    builder = SparkSession.builder.appName(app)
    if master:
        builder = builder.master(master)
    for key, value in {**settings, **(conf or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    if active is None:
        spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        if active is None:
            spark.stop()
