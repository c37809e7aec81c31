"""The end-to-end suite runs the six real service processes against the local
stack (scripts/stack.sh up must have run; scripts/test.sh does both)."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYNTH_HOME = Path(os.environ.get("SYNTH_HOME", ROOT / ".synth"))
sys.path.insert(0, str(ROOT / "scripts"))

API = "http://127.0.0.1:%d" % int(os.environ.get("SYNTH_PORT_BASE", "8400"))
ROUTER = "http://127.0.0.1:%d" % (int(os.environ.get("SYNTH_PORT_BASE", "8400")) + 1)
# The bearer key scripts/services.sh installs in the api.
API_KEY = os.environ.get("SYNTH_API_KEY", "synth-local-dev-key")
AUTH = {"Authorization": "Bearer " + API_KEY}


def service_environment():
    """The environment scripts/services.sh gives the six services (database and
    Redis URLs derived from SYNTH_PG_DB / SYNTH_REDIS_DB, the api keys, the
    router's URL), for a test that starts one more process of the set."""
    out = subprocess.run([str(ROOT / "scripts/services.sh"), "env"], check=True, capture_output=True).stdout
    return dict(entry.split("=", 1) for entry in out.decode().split("\0") if "=" in entry)


@pytest.fixture(scope="session")
def services():
    """Starts the six services (fresh processes) and stops them gracefully at the end."""
    subprocess.run([str(ROOT / "scripts/services.sh"), "down"], check=True)
    subprocess.run([str(ROOT / "scripts/services.sh"), "up"], check=True)
    yield {"api": API, "router": ROUTER}
    subprocess.run([str(ROOT / "scripts/services.sh"), "down"], check=True)
