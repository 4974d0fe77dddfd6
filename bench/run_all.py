"""Run every benchmark in this folder, one after another."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in (
    "pages.py",
    "plans_pages.py",
    "consultations.py",
    "seed.py",
    "directory_search.py",
    "monitoring_indicators.py",
    "monitoring_import.py",
):
    print(f"== {script}", flush=True)
    subprocess.run([sys.executable, str(HERE / script)], check=True)
