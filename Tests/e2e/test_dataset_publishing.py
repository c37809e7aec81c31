"""Dataset versions published to an S3-compatible store and a Hugging Face Hub, read back by
the tools trainers use: the exporter runs with SYNTH_OBJECT_STORE=s3://... against moto's S3
server (which checks every SigV4 signature) and SYNTH_HF_* against the fake Hub, whose wire
format the real huggingface_hub client accepts (Tests/e2e/fake_hub.py). The shards are then
fetched with boto3 and with huggingface_hub.snapshot_download and compared with Postgres."""
import io
import os
import subprocess
import tempfile
import uuid

import pyarrow.parquet as pq
import pytest
from huggingface_hub import HfApi, snapshot_download

from conftest import ROOT, SYNTH_HOME
from dataset_support import envelope, produce, psql_json, wait_until
from fake_hub import FakeHub
from moto_s3 import MotoS3
from test_dataset_export import assert_row_matches, expected_rows, export, finished_export, make_trajectories, read_all_three_ways

BUCKET = "synth-datasets"
REPO = "synth-org/trajectories"
TOKEN = "hf_" + uuid.uuid4().hex


def exporter_pid():
    path = SYNTH_HOME / "pids" / "exporter.pid"
    return int(path.read_text()) if path.exists() else None


def alive(pid):
    return subprocess.run(["kill", "-0", str(pid)], capture_output=True).returncode == 0


def stop_exporter(process=None):
    """SIGTERM (a graceful stop) and wait; a child of ours must be reaped, or it lingers as a zombie."""
    if process is not None:
        process.terminate()
        process.wait(timeout=40)
    else:
        pid = exporter_pid()
        if pid and alive(pid):
            os.kill(pid, 15)
            wait_until("exporter to stop", lambda: not alive(pid), timeout=40)
    (SYNTH_HOME / "pids" / "exporter.pid").unlink(missing_ok=True)


@pytest.fixture(scope="module")
def moto():
    """One server per process: moto's IAM state and its count of unsigned calls are global."""
    server = MotoS3([BUCKET])
    yield server
    server.stop()


@pytest.fixture()
def publishing_exporter(services, moto):
    """The stack's exporter swapped for one that publishes to moto and the fake Hub; the
    usual one is back afterwards (scripts/services.sh up starts whatever is missing)."""
    hub = FakeHub(TOKEN)
    log_path = SYNTH_HOME / "logs" / "exporter-publishing.log"
    stop_exporter()
    environment = dict(os.environ, **moto.environment("s3://%s/synth" % BUCKET))
    environment.update({"SYNTH_HF_ENDPOINT": hub.endpoint, "SYNTH_HF_REPO": REPO, "SYNTH_HF_TOKEN": TOKEN,
                        "SYNTH_HTTP_PORT": str(int(os.environ.get("SYNTH_PORT_BASE", "8400")) + 5)})
    # Through scripts/lib.sh, as services.sh does, so the stack's database, broker and home apply.
    launch = 'source "%s/scripts/lib.sh" && exec "$SYNTH_BUILD_DIR/debug/synth-exporter"' % ROOT
    with open(log_path, "ab") as log:
        process = subprocess.Popen(["bash", "-c", launch], env=environment, stdout=log, stderr=log)
    (SYNTH_HOME / "pids" / "exporter.pid").write_text(str(process.pid))
    try:
        yield moto, hub, log_path
    finally:
        stop_exporter(process)
        subprocess.run([str(ROOT / "scripts/services.sh"), "up"], check=True)
        hub.stop()


def s3_files(moto, export_id):
    prefix = "synth/datasets/%s/" % export_id
    listed = moto.s3().list_objects_v2(Bucket=BUCKET, Prefix=prefix)
    return {item["Key"][len(prefix):]: moto.s3().get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
            for item in listed.get("Contents", [])}


def test_versions_go_to_s3_and_the_hub_and_read_back_value_by_value(publishing_exporter):
    moto, hub, log_path = publishing_exporter
    category = "publish-test-" + uuid.uuid4().hex[:8]
    make_trajectories(category, [
        ("model-a", 5, True, 1.0, "inst-p"), ("model-b", 3, False, 0.25, None), ("model-b", 4, True, 0.75, "inst-p")])
    expected = {row["trajectory_id"]: row for row in expected_rows(category)}

    # Version 1, in two shards (one row per shard would be three; two rows per shard is two).
    first_id = "publish-" + uuid.uuid4().hex[:8]
    produce("synth.exports", [(first_id, envelope("ExportRequested", {"export_id": first_id, "categories": [category],
                                                                       "verified_only": False, "max_shard_rows": 2}))])
    first = finished_export(first_id)
    assert first["files"] == ["data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"]
    assert first["location"] == "s3://%s/synth/datasets/%s/" % (BUCKET, first_id)

    # S3: every file, byte for byte what the exporter wrote, and the rows equal Postgres.
    local = os.path.dirname(os.path.dirname(first["path"]))
    objects = s3_files(moto, first_id)
    assert sorted(objects) == sorted(first["files"] + ["README.md"])
    for name, content in objects.items():
        assert content == open(os.path.join(local, name), "rb").read(), name
    from_s3 = {}
    for name in first["files"]:
        for row in pq.read_table(io.BytesIO(objects[name])).to_pylist():
            from_s3[row["trajectory_id"]] = row
    assert set(from_s3) == set(expected)
    for trajectory_id, want in expected.items():
        assert_row_matches(from_s3[trajectory_id], want)
    head = moto.s3().head_object(Bucket=BUCKET, Key="synth/datasets/%s/README.md" % first_id)
    assert head["ContentType"] == "text/markdown"

    # The Hub: the real client downloads the version, and datasets/pyarrow/duckdb read it.
    api = HfApi(endpoint=hub.endpoint, token=TOKEN)
    first_commit = api.repo_info(REPO, repo_type="dataset").sha
    snapshot = snapshot_download(REPO, repo_type="dataset", endpoint=hub.endpoint, token=TOKEN, cache_dir=tempfile.mkdtemp())
    downloaded = sorted(os.path.relpath(os.path.join(folder, name), snapshot)
                        for folder, _, names in os.walk(snapshot) for name in names)
    assert downloaded == sorted(first["files"] + ["README.md"])
    for name in downloaded:
        assert open(os.path.join(snapshot, name), "rb").read() == objects[name], name
    # Parquet shards went through LFS, the card inline, as the Hub's preupload asked.
    tree = {entry.path: entry for entry in api.list_repo_tree(REPO, repo_type="dataset", recursive=True) if hasattr(entry, "lfs")}
    assert all(tree[name].lfs is not None for name in first["files"]) and tree["README.md"].lfs is None
    _, by_pyarrow, by_duckdb, by_hf = read_all_three_ways(snapshot)
    assert set(by_pyarrow) == set(by_duckdb) == set(by_hf) == set(expected)
    for trajectory_id, want in expected.items():
        assert_row_matches(by_hf[trajectory_id], want)

    # Version 2 (one shard) replaces version 1 at the head: stale shards are deleted in the commit.
    second = export({"categories": [category], "verified_only": True})
    assert second["rows"] == 2 and second["files"] == ["data/train-00000-of-00001.parquet"]
    info = api.repo_info(REPO, repo_type="dataset")
    assert info.sha != first_commit
    assert sorted(s.rfilename for s in info.siblings) == ["README.md", "data/train-00000-of-00001.parquet"]
    assert hub.files("dataset", REPO)["data/train-00000-of-00001.parquet"] == s3_files(moto, second["export_id"])["data/train-00000-of-00001.parquet"]
    # Version 1 is still there, as the commit the first DatasetPublished named.
    old = snapshot_download(REPO, repo_type="dataset", endpoint=hub.endpoint, revision=first_commit, cache_dir=tempfile.mkdtemp())
    assert sorted(os.listdir(os.path.join(old, "data"))) == ["train-00000-of-00002.parquet", "train-00001-of-00002.parquet"]

    # DatasetPublished names the Hub commit (logged with the event's fields), and the token went
    # only to the Hub in the Authorization header: never to LFS storage, a URL or the log.
    log = log_path.read_text()
    assert "%s/datasets/%s/tree/%s" % (hub.endpoint, REPO, info.sha) in log
    assert TOKEN not in log
    for request in hub.requests:
        assert TOKEN not in request["path"]
        if request["path"].startswith("/lfs-objects/"):
            assert "Authorization" not in request["headers"]


def test_a_refused_hub_fails_the_export_with_its_message_until_the_hub_accepts(publishing_exporter):
    moto, hub, log_path = publishing_exporter
    hub.token = "rotated-" + uuid.uuid4().hex  # the exporter's token is no longer valid
    category = "publish-refused-" + uuid.uuid4().hex[:8]
    make_trajectories(category, [("model-a", 2, True, 1.0, None)])
    export_id = "refused-" + uuid.uuid4().hex[:8]
    produce("synth.exports", [(export_id, envelope("ExportRequested", {"export_id": export_id, "categories": [category],
                                                                        "verified_only": False}))])
    with pytest.raises(AssertionError) as failure:
        finished_export(export_id, timeout=60)
    assert "Hugging Face Hub create repository failed: 401 Invalid credentials in Authorization header" in str(failure.value)
    assert TOKEN not in str(failure.value)
    # The request is retried (its offset is not committed), so once the Hub accepts the token
    # again the same version is published: nothing is lost.
    hub.token = TOKEN
    done = wait_until("the retried export to succeed", lambda: psql_json(
        "SELECT to_jsonb(e) FROM exports e WHERE export_id = :'p1' AND status = 'succeeded'", export_id), timeout=120)
    assert sorted(hub.files("dataset", REPO)) == ["README.md"] + done["files"]
