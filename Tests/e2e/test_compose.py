"""compose.yaml against the Compose Specification's JSON schema, and against
the code: every service it runs exists as an executable, and every SYNTH_*
variable it sets is one that service reads."""
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT.parent / "shared/schemas/compose-spec.json"
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
PACKAGE = (ROOT / "Package.swift").read_text()
SYNTH_SERVICES = {name: spec for name, spec in COMPOSE["services"].items()
                  if str(spec.get("command", [""])[0]).startswith("synth-")}


def test_compose_file_is_valid_against_the_compose_specification():
    schema = json.loads(SCHEMA.read_text())
    jsonschema.validate(COMPOSE, schema)


def test_all_six_services_are_deployed():
    commands = sorted(spec["command"][0] for spec in SYNTH_SERVICES.values())
    assert commands == sorted(["synth-api", "synth-scheduler", "synth-llm-router", "synth-executor",
                               "synth-collector", "synth-exporter"])


@pytest.mark.parametrize("name", sorted(SYNTH_SERVICES))
def test_every_service_runs_an_executable_of_the_package(name):
    executable = SYNTH_SERVICES[name]["command"][0]
    assert re.search(r'\.executable\(name: "%s"' % re.escape(executable), PACKAGE), executable


def source_folders(executable):
    """The service's own folder plus every libs/ folder it depends on (directly or via SynthCommon)."""
    targets = dict(re.findall(r'\.(?:target|executableTarget|systemLibrary)\(\s*name: "([^"]+)".*?path: "([^"]+)"', PACKAGE, re.S))
    folder = re.search(r'service\("%s", "([^"]+)"' % re.escape(executable), PACKAGE).group(1)
    line = re.search(r'service\("%s", "[^"]+"(?:, \[([^\]]*)\])?[,)]' % re.escape(executable), PACKAGE)
    extra = re.findall(r'"([^"]+)"', line.group(1) or "")
    folders = [ROOT / "services" / folder, ROOT / "libs/common"] + [ROOT / targets[t] for t in extra if t in targets]
    return folders


def variables_read(executable):
    names = set()
    for folder in source_folders(executable):
        for path in folder.rglob("*.swift"):
            names.update(re.findall(r'"(SYNTH_[A-Z0-9_]+)"', path.read_text()))
    return names


@pytest.mark.parametrize("name", sorted(SYNTH_SERVICES))
def test_every_variable_set_is_one_the_service_reads(name):
    spec = SYNTH_SERVICES[name]
    read = variables_read(spec["command"][0])
    for variable in spec.get("environment", {}):
        if not variable.startswith("SYNTH_"):
            continue
        # NAME_FILE is read through EnvironmentReader's secret-file convention.
        base = variable[:-len("_FILE")] if variable.endswith("_FILE") else variable
        assert base in read, "%s sets %s, which synth-%s never reads" % (name, variable, name)


@pytest.mark.parametrize("name", sorted(SYNTH_SERVICES))
def test_services_are_production_shaped(name):
    spec = SYNTH_SERVICES[name]
    # A drained executor (POST /api/v1/workers/{id}/stop) exits 0 and must stay down.
    assert spec["restart"] == ("on-failure" if name == "executor" else "unless-stopped")
    assert spec["healthcheck"]["test"][-1].endswith("/ready")
    assert spec["deploy"]["resources"]["limits"]["memory"]
    for dependency, condition in spec["depends_on"].items():
        assert dependency in COMPOSE["services"], dependency
        assert condition["condition"] in ("service_healthy", "service_completed_successfully")
    for variable, value in spec.get("environment", {}).items():
        assert not re.search(r"(PASSWORD|SECRET|API_KEY|TOKEN)$", variable), "secrets go through *_FILE: " + variable
        assert "://" not in str(value) or "@" not in str(value), "no credentials in URLs: " + variable


def test_only_the_executor_gets_the_docker_socket():
    mounts = {name: [v for v in spec.get("volumes", []) if "docker.sock" in str(v)] for name, spec in COMPOSE["services"].items()}
    assert [name for name, found in mounts.items() if found] == ["executor"]


def test_keda_scalers_name_real_groups_and_topics():
    sources = "\n".join(p.read_text() for p in (ROOT / "services").rglob("*.swift"))
    topics = set(re.findall(r'= "(synth\.[a-z-]+)"', (ROOT / "libs/common/Events/Topic.swift").read_text()))
    for path in (ROOT / "deploy/keda").glob("*.yaml"):
        for document in yaml.safe_load_all(path.read_text()):
            for trigger in document["spec"]["triggers"]:
                if trigger["type"] == "kafka":
                    assert '"%s"' % trigger["metadata"]["consumerGroup"] in sources, path
                    assert trigger["metadata"]["topic"] in topics, path
