#!/usr/bin/env python3
"""Persistent warm, persistent cold (scale from zero after the reaper) and ephemeral latency over HTTP.

Run against `dynamos up --idle-timeout 2` (release build): computeToData at UVA, a 4-service chain (query,
anonymize (UVA enforces it), algorithm, graph), join LIMIT 10; timed at the client. The full tool with plots is
`dynamos bench latency`; this is the quick check behind docs/benchmarks.md.
"""
import json, statistics, time, urllib.request

O = "http://127.0.0.1:8080"
USER = {"id": "12324", "userName": "jorrit.stutterheim@cloudnation.nl"}


def post(url, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers)
    started = time.perf_counter()
    answer = json.loads(urllib.request.urlopen(request).read())
    return (time.perf_counter() - started) * 1000, answer


def get(url):
    return json.loads(urllib.request.urlopen(url).read())


def summary(values):
    values = sorted(values)
    return f"p50 {statistics.median(values):.1f} ms, p95 {values[max(0, int(len(values) * 0.95) - 1)]:.1f} ms, n={len(values)}"


_, approval = post(O + "/api/v1/requestApproval", {"type": "sqlDataRequest", "user": USER, "dataProviders": ["UVA"], "options": {"graph": True}})
endpoint = approval["endpoints"]["UVA"]
agent = get(O + "/api/v1/agents")
uva = [a["endpoint"] for a in agent if a["party"] == "UVA"][0]


def request(mode):
    body = {"query": "SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT 10",
            "algorithm": "average", "algorithmColumns": {"Geslacht": "Salschal"}, "options": {"graph": True},
            "user": USER, "requestMetadata": {"jobId": approval["jobId"]}, "executionMode": mode}
    return post(endpoint, body, approval["token"])


def live_workers():
    return sum(len(p["workers"]) for p in get(uva + "/agent/v1/workers")["pools"])


warm, ephemeral, cold, cold_hops = [], [], [], []
for _ in range(5):
    request("persistent")
for _round in range(8):
    for _ in range(5):
        warm.append(request("persistent")[0])
    for _ in range(3):
        ephemeral.append(request("ephemeral")[0])
for _ in range(6):
    deadline = time.time() + 30
    while live_workers() > 0 and time.time() < deadline:
        time.sleep(0.2)
    latency, answer = request("persistent")
    cold.append(latency)
    cold_hops.append([round(h.get("coldStartMs") or 0, 1) for h in answer["timings"]["hops"]])
print("persistent warm:", summary(warm))
print("ephemeral:", summary(ephemeral))
print("persistent cold (pools reaped to zero):", summary(cold))
print("cold start per hop (ms), each cold request:", cold_hops)
print(f"ephemeral / persistent warm p50 ratio: {statistics.median(ephemeral) / statistics.median(warm):.1f}")
