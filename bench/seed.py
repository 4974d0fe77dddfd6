"""How the demo borough's cost grows: building it at full size against small size, in one run.

.venv/bin/python bench/seed.py
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATA = ROOT / "bench" / "data"
DATA.mkdir(parents=True, exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "waymark.settings")
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"
os.environ.pop("DATABASE_URL", None)


def run(size: str) -> tuple[float, int]:
    """Seconds and peak bytes to seed a fresh database of the given size, in a child process's clean state."""
    code = (
        "import os,time,tracemalloc,django;django.setup();"
        "from django.core.management import call_command;"
        "call_command('migrate',verbosity=0);"
        "tracemalloc.start();t=time.perf_counter();"
        f"call_command('seed_demo','--seed','1','--size','{size}',verbosity=0);"
        "print(time.perf_counter()-t, tracemalloc.get_traced_memory()[1])"
    )
    env = {**os.environ, "WAYMARK_VAR_DIR": tempfile.mkdtemp(dir=DATA)}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    seconds, peak = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(peak)


def main() -> None:
    small_s, small_peak = run("small")
    full_s, full_peak = run("full")
    print(f"{'size':6} {'seconds':>8} {'× small':>8} {'peak MiB':>9} {'× small':>8}")
    print(f"{'small':6} {small_s:8.2f} {1:8.1f} {small_peak / 2**20:9.1f} {1:8.1f}")
    print(f"{'full':6} {full_s:8.2f} {full_s / small_s:8.1f} {full_peak / 2**20:9.1f} {full_peak / small_peak:8.1f}")


if __name__ == "__main__":
    main()
