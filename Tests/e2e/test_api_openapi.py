"""schemathesis fuzzes the api from its own OpenAPI 3.1 document: every
answer must be documented (status, content type, body schema) and none may
be a 5xx."""
import shutil
import subprocess

from conftest import API_KEY, SYNTH_HOME


def test_openapi_document_matches_behaviour_with_no_server_errors(services):
    st = shutil.which("st") or shutil.which("schemathesis")
    assert st, "schemathesis is installed by scripts/install-deps.sh"
    result = subprocess.run(
        [st, "run", services["api"] + "/api/v1/openapi.json", "-H", "Authorization: Bearer " + API_KEY,
         "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
         "--max-examples", "30", "--phases", "examples,coverage,fuzzing", "--no-color", "--seed", "20261128",
         "--suppress-health-check", "too_slow,data_too_large", "--request-timeout", "60",
         # Stopping a worker is real: the fuzzer would find the suite's own
         # executor in GET /workers and stop it. test_api stops one of its own.
         "--exclude-path", "/api/v1/workers/{id}/stop"],
        capture_output=True, text=True, timeout=900)
    # The whole report, for when it fails.
    (SYNTH_HOME / "logs" / "schemathesis.log").write_text(result.stdout + result.stderr)
    summary = result.stdout[-6000:]
    assert result.returncode == 0, summary + result.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary.split("SUMMARY")[-1], summary
