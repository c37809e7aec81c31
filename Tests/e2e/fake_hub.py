"""A Hugging Face Hub stand-in that speaks the Hub's HTTP API as the `huggingface_hub` client
uses it (huggingface_hub/hf_api.py, _commit_api.py, lfs.py, file_download.py), so the real
client library works against it unchanged:

  writing   POST /api/repos/create
            POST /api/{type}s/{repo}/preupload/{rev}          -> uploadMode lfs | regular
            POST /{prefix}{repo}.git/info/lfs/objects/batch  -> basic transfer actions
            PUT  <upload href>, POST <verify href>           (LFS objects, checked by sha256)
            POST /api/{type}s/{repo}/commit/{rev}            (NDJSON: header, file, lfsFile)
  reading   GET  /api/{type}s/{repo}[/revision/{rev}]        (repo info with sha and siblings)
            GET  /api/{type}s/{repo}/tree/{rev}[/{path}]     (files with git and LFS oids)
            HEAD/GET /{prefix}{repo}/resolve/{rev}/{path}    (X-Repo-Commit, ETag, X-Linked-*)

Writes need `Authorization: Bearer <token>`; `requests` records every request's method, path
and headers so a test can check what a client sent (for example that no token leaked into
a URL).
"""
import base64
import hashlib
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

PREFIXES = {"datasets/": "dataset", "spaces/": "space"}
LFS_POINTER = "version https://git-lfs.github.com/spec/v1\noid sha256:%s\nsize %d\n"


def git_blob_oid(content):
    return hashlib.sha1(b"blob %d\0" % len(content) + content).hexdigest()


class Repo:
    def __init__(self, repo_type, repo_id):
        self.repo_type, self.repo_id = repo_type, repo_id
        # A first empty commit, as the Hub makes one (with .gitattributes) when a repo is created.
        self.head = hashlib.sha1(("init " + repo_id).encode()).hexdigest()
        self.trees = {self.head: {}}
        self.commits = [{"sha": self.head, "summary": "initial commit"}]


class FakeHub:
    def __init__(self, token):
        self.token = token
        self.repos = {}
        self.lfs = {}  # sha256 hex -> bytes
        self.requests = []
        self.lock = threading.Lock()
        hub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                hub.dispatch(self, "GET")

            def do_HEAD(self):
                hub.dispatch(self, "HEAD")

            def do_POST(self):
                hub.dispatch(self, "POST")

            def do_PUT(self):
                hub.dispatch(self, "PUT")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = "http://127.0.0.1:%d" % self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def files(self, repo_type, repo_id):
        """The head revision's files, path -> bytes."""
        repo = self.repos[(repo_type, repo_id)]
        return {path: (self.lfs[entry["lfs"]] if "lfs" in entry else entry["content"])
                for path, entry in repo.trees[repo.head].items()}

    # -- plumbing -------------------------------------------------------------------------------

    def dispatch(self, handler, method):
        url = urlsplit(handler.path)
        path, query = unquote(url.path), parse_qs(url.query)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
        with self.lock:
            self.requests.append({"method": method, "path": handler.path, "headers": dict(handler.headers)})
        try:
            status, headers, payload = self.route(method, path, query, handler.headers, body)
        except HubError as error:
            status, headers, payload = error.status, {"X-Error-Message": error.message}, {"error": error.message}
        if not isinstance(payload, (bytes, bytearray)):
            payload = json.dumps(payload).encode()
            headers.setdefault("Content-Type", "application/json")
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(headers.pop("_length", len(payload))))
        handler.end_headers()
        if method != "HEAD":
            handler.wfile.write(payload)

    def authorize(self, headers):
        if headers.get("Authorization") != "Bearer " + self.token:
            raise HubError(401, "Invalid credentials in Authorization header")

    def repo(self, repo_type, repo_id):
        repo = self.repos.get((repo_type, repo_id))
        if repo is None:
            raise HubError(404, "Repository not found")
        return repo

    def route(self, method, path, query, headers, body):
        m = re.fullmatch(r"/api/repos/create", path)
        if m and method == "POST":
            return self.create_repo(headers, json.loads(body))
        if path == "/api/validate-yaml" and method == "POST":
            return self.validate_yaml(json.loads(body))
        m = re.fullmatch(r"/api/(dataset|model|space)s/([^/]+/[^/]+)/(preupload|commit)/(.+)", path)
        if m and method == "POST":
            self.authorize(headers)
            repo = self.repo(m.group(1), m.group(2))
            if m.group(3) == "preupload":
                return self.preupload(json.loads(body))
            return self.commit(repo, headers, body)
        m = re.fullmatch(r"/(datasets/|spaces/)?([^/]+/[^/]+)\.git/info/lfs/objects/batch", path)
        if m and method == "POST":
            self.authorize(headers)
            self.repo(PREFIXES.get(m.group(1), "model"), m.group(2))
            return self.lfs_batch(headers, json.loads(body))
        m = re.fullmatch(r"/lfs-objects/([0-9a-f]{64})", path)
        if m and method == "PUT":
            return self.lfs_put(m.group(1), body)
        m = re.fullmatch(r"/lfs-verify/([0-9a-f]{64})", path)
        if m and method == "POST":
            self.authorize(headers)
            return self.lfs_verify(m.group(1), json.loads(body))
        m = re.fullmatch(r"/api/(dataset|model|space)s/([^/]+/[^/]+)(?:/revision/([^/]+))?", path)
        if m and method == "GET":
            return self.repo_info(self.repo(m.group(1), m.group(2)), m.group(3))
        m = re.fullmatch(r"/api/(dataset|model|space)s/([^/]+/[^/]+)/tree/([^/]+)(?:/(.*))?", path)
        if m and method == "GET":
            return self.tree(self.repo(m.group(1), m.group(2)), m.group(3), m.group(4) or "", query)
        m = re.fullmatch(r"/(datasets/|spaces/)?([^/]+/[^/]+)/resolve/([^/]+)/(.+)", path)
        if m and method in ("GET", "HEAD"):
            return self.resolve(self.repo(PREFIXES.get(m.group(1), "model"), m.group(2)), m.group(3), m.group(4))
        raise HubError(404, "no route for %s %s" % (method, path))

    # -- writing ----------------------------------------------------------------------------------

    def create_repo(self, headers, payload):
        self.authorize(headers)
        repo_type = payload.get("type") or "model"
        repo_id = "%s/%s" % (payload["organization"], payload["name"]) if payload.get("organization") else payload["name"]
        if "/" not in repo_id:
            repo_id = "synth-user/" + repo_id
        url = "%s/%s%s" % (self.endpoint, "" if repo_type == "model" else repo_type + "s/", repo_id)
        with self.lock:
            if (repo_type, repo_id) in self.repos:
                raise HubError(409, "You already created this %s repo" % repo_type)
            self.repos[(repo_type, repo_id)] = Repo(repo_type, repo_id)
        return 200, {}, {"url": url, "name": repo_id}

    def validate_yaml(self, payload):
        """The card's YAML header must parse to a mapping, as the Hub requires."""
        content = payload.get("content", "")
        match = re.match(r"---\n(.*?)\n---\n", content, re.S)
        try:
            header = yaml.safe_load(match.group(1)) if match else {}
        except yaml.YAMLError as error:
            return 400, {}, {"errors": [{"message": str(error)}]}
        if not isinstance(header, dict):
            return 400, {}, {"errors": [{"message": "the metadata must be a mapping"}]}
        return 200, {}, {"warnings": []}

    def preupload(self, payload):
        files = []
        for entry in payload["files"]:
            sample = base64.b64decode(entry["sample"])
            # The Hub's rule of thumb: binary content or large files go to LFS.
            lfs = entry["size"] > 10 * 1024 * 1024 or b"\0" in sample or entry["path"].endswith(".parquet")
            files.append({"path": entry["path"], "uploadMode": "lfs" if lfs else "regular", "shouldIgnore": False})
        return 200, {}, {"files": files}

    def lfs_batch(self, headers, payload):
        if "application/vnd.git-lfs+json" not in (headers.get("Accept") or ""):
            raise HubError(406, "LFS batch requests must accept application/vnd.git-lfs+json")
        if payload.get("operation") != "upload" or "basic" not in payload.get("transfers", ["basic"]):
            raise HubError(422, "only basic uploads are supported")
        objects = []
        for item in payload["objects"]:
            oid, size = item["oid"], item["size"]
            entry = {"oid": oid, "size": size}
            if oid not in self.lfs:
                entry["actions"] = {
                    "upload": {"href": "%s/lfs-objects/%s" % (self.endpoint, oid)},
                    "verify": {"href": "%s/lfs-verify/%s" % (self.endpoint, oid),
                               "header": {"Authorization": "Bearer " + self.token}},
                }
            objects.append(entry)
        return 200, {"Content-Type": "application/vnd.git-lfs+json"}, {"transfer": "basic", "objects": objects}

    def lfs_put(self, oid, body):
        if hashlib.sha256(body).hexdigest() != oid:
            raise HubError(400, "content does not match oid %s" % oid)
        with self.lock:
            self.lfs[oid] = bytes(body)
        return 200, {}, b""

    def lfs_verify(self, oid, payload):
        if payload.get("oid") != oid or oid not in self.lfs or len(self.lfs[oid]) != payload.get("size"):
            raise HubError(404, "object %s not uploaded" % oid)
        return 200, {}, {"message": "verified"}

    def commit(self, repo, headers, body):
        if (headers.get("Content-Type") or "").split(";")[0] != "application/x-ndjson":
            raise HubError(415, "commits are application/x-ndjson")
        lines = [json.loads(line) for line in body.split(b"\n") if line.strip()]
        if not lines or lines[0]["key"] != "header" or not lines[0]["value"].get("summary"):
            raise HubError(400, "the first line must be the commit header with a summary")
        with self.lock:
            tree = dict(repo.trees[repo.head])
            for line in lines[1:]:
                value = line["value"]
                if line["key"] == "file":
                    if value.get("encoding") != "base64":
                        raise HubError(400, "inline files must be base64")
                    tree[value["path"]] = {"content": base64.b64decode(value["content"])}
                elif line["key"] == "lfsFile":
                    stored = self.lfs.get(value["oid"])
                    if value.get("algo") != "sha256" or stored is None or len(stored) != value["size"]:
                        raise HubError(422, "LFS object %s for %s was never uploaded" % (value["oid"], value["path"]))
                    tree[value["path"]] = {"lfs": value["oid"]}
                elif line["key"] == "deletedFile":
                    tree.pop(value["path"], None)
                else:
                    raise HubError(400, "unknown commit operation %s" % line["key"])
            sha = hashlib.sha1((repo.head + json.dumps(sorted(tree), sort_keys=True) + body.decode()).encode()).hexdigest()
            repo.trees[sha] = tree
            repo.head = sha
            repo.commits.append({"sha": sha, "summary": lines[0]["value"]["summary"]})
        prefix = "" if repo.repo_type == "model" else repo.repo_type + "s/"
        return 200, {}, {"success": True, "commitOid": sha,
                         "commitUrl": "%s/%s%s/commit/%s" % (self.endpoint, prefix, repo.repo_id, sha)}

    # -- reading ----------------------------------------------------------------------------------

    def revision(self, repo, rev):
        if rev in (None, "main"):
            return repo.head
        if rev in repo.trees:
            return rev
        raise HubError(404, "Revision Not Found")

    def entry_info(self, repo, path, entry):
        if "lfs" in entry:
            oid = entry["lfs"]
            size = len(self.lfs[oid])
            pointer = (LFS_POINTER % (oid, size)).encode()
            return {"type": "file", "path": path, "size": size, "oid": git_blob_oid(pointer),
                    "lfs": {"oid": oid, "size": size, "pointerSize": len(pointer)}}
        return {"type": "file", "path": path, "size": len(entry["content"]), "oid": git_blob_oid(entry["content"])}

    def repo_info(self, repo, rev):
        sha = self.revision(repo, rev)
        return 200, {}, {"id": repo.repo_id, "_id": repo.repo_id, "sha": sha, "private": False, "disabled": False,
                         "gated": False, "downloads": 0, "likes": 0, "tags": [], "lastModified": "2026-01-01T00:00:00.000Z",
                         "siblings": [{"rfilename": path} for path in sorted(repo.trees[sha])]}

    def tree(self, repo, rev, folder, query):
        sha = self.revision(repo, rev)
        recursive = query.get("recursive", ["false"])[0] in ("true", "True", "1")
        prefix = folder.rstrip("/") + "/" if folder else ""
        entries, folders = [], set()
        for path in sorted(repo.trees[sha]):
            if not path.startswith(prefix):
                continue
            rest = path[len(prefix):]
            parts = rest.split("/")
            for depth in range(1, len(parts)):
                name = prefix + "/".join(parts[:depth])
                if (recursive or depth == 1) and name not in folders:
                    folders.add(name)
                    entries.append({"type": "directory", "path": name, "oid": git_blob_oid(name.encode()), "size": 0})
            if recursive or len(parts) == 1:
                entries.append(self.entry_info(repo, path, repo.trees[sha][path]))
        return 200, {}, entries

    def resolve(self, repo, rev, path):
        sha = self.revision(repo, rev)
        entry = repo.trees[sha].get(path)
        if entry is None:
            raise HubError(404, "Entry not found")
        info = self.entry_info(repo, path, entry)
        content = self.lfs[entry["lfs"]] if "lfs" in entry else entry["content"]
        headers = {"X-Repo-Commit": sha, "ETag": '"%s"' % info["oid"], "Content-Type": "application/octet-stream"}
        if "lfs" in entry:
            headers["X-Linked-Etag"] = '"%s"' % entry["lfs"]
            headers["X-Linked-Size"] = str(len(content))
        return 200, headers, content


class HubError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status, self.message = status, message
