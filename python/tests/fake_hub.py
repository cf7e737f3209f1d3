"""A small fake Hugging Face Hub + dataset viewer on 127.0.0.1 for the package's tests.

It speaks the dialect the catalog's sync relies on (see docs/hub-contract.md): the listing
(`search` id substring, `filter` tags, `sort`, `expand`), the detail call, the viewer's
`/splits`, `/first-rows`, `/rows`, `/size`, `/statistics` (404 here) and repository files
(404: no README), with `RateLimit` headers. One listing page: these tests have few datasets.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def chat(turns, seed, system=True):
    messages = [{"role": "system", "content": "You are a supportive counselor."}] if system else []
    for i in range(turns):
        role = "user" if i % 2 == 0 else "assistant"
        messages.append({"role": role, "content": f"Session {seed}: message {i} about coping with stress and sleep."})
    return {"messages": messages}


def item(dataset_id, description, tags, created="2024-03-01T10:00:00.000Z", downloads=1000, likes=20):
    name = dataset_id.split("/")[1]
    card = {"pretty_name": name, "license": "mit", "language": ["en"], "tags": [t for t in tags if ":" not in t]}
    return {
        "_id": "%024x" % (abs(hash(dataset_id)) % (16 ** 24)),
        "id": dataset_id,
        "author": dataset_id.split("/")[0],
        "sha": "%040x" % (abs(hash(dataset_id + "sha")) % (16 ** 40)),
        "lastModified": "2026-10-01T00:00:00.000Z",
        "createdAt": created,
        "private": False,
        "gated": False,
        "disabled": False,
        "downloads": downloads,
        "likes": likes,
        "tags": tags + ["language:en", "license:mit"],
        "description": description,
        "cardData": card,
        "siblings": [{"rfilename": ".gitattributes"}, {"rfilename": "data/train.parquet"}],
    }


class FakeHub:
    """Datasets and viewer rows; `url` once started."""

    def __init__(self):
        self.datasets = {}
        self.rows = {}
        self.requests = []
        self.server = None

    def add(self, dataset, rows=None):
        self.datasets[dataset["id"]] = dataset
        if rows is not None:
            self.rows[dataset["id"]] = rows

    def start(self):
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep pytest output clean
                pass

            def send_json(self, status, body, headers=None):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("RateLimit", '"api";r=499;t=300')
                self.send_header("RateLimit-Policy", '"fixed window";"api";q=500;w=300')
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                q = parse_qs(url.query)
                hub.requests.append(url.path)
                path = url.path
                if path == "/api/datasets":
                    found = list(hub.datasets.values())
                    for term in q.get("search", []):
                        found = [d for d in found if term.lower() in d["id"].lower()]
                    for tag in q.get("filter", []):
                        found = [d for d in found if tag in d["tags"]]
                    return self.send_json(200, found)
                if path.startswith("/api/datasets/"):
                    dataset = hub.datasets.get(path[len("/api/datasets/"):])
                    if dataset is None:
                        return self.send_json(401, {"error": "Invalid username or password."}, {"X-Error-Code": "RepoNotFound"})
                    return self.send_json(200, dataset)
                dataset = q.get("dataset", [""])[0]
                rows = hub.rows.get(dataset)
                not_found = ({"error": "Not found."}, {"X-Error-Code": "ResponseNotFound"})
                if path in ("/splits", "/first-rows", "/rows", "/size", "/statistics") and rows is None:
                    return self.send_json(404, *not_found)
                if path == "/splits":
                    return self.send_json(200, {"splits": [{"dataset": dataset, "config": "default", "split": "train"}], "pending": [], "failed": []})
                if path in ("/first-rows", "/rows"):
                    body = {"dataset": dataset, "config": "default", "split": "train", "features": [],
                            "rows": [{"row_idx": i, "row": r, "truncated_cells": []} for i, r in enumerate(rows[:100])],
                            "truncated": False, "num_rows_total": len(rows)}
                    return self.send_json(200, body)
                if path == "/size":
                    split = {"dataset": dataset, "config": "default", "split": "train", "num_rows": len(rows)}
                    return self.send_json(200, {"size": {"dataset": {"dataset": dataset, "num_rows": len(rows)},
                                                         "configs": [dict(split, split=None)], "splits": [split]},
                                                "pending": [], "failed": [], "partial": False})
                if path == "/statistics":
                    return self.send_json(404, *not_found)
                return self.send_json(404, {"error": "Entry not found"}, {"X-Error-Code": "EntryNotFound"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server.server_address[1]

    def stop(self):
        if self.server:
            self.server.shutdown()
