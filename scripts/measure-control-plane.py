#!/usr/bin/env python3
"""Latency of the control plane over HTTP against a running `dynamos up` (orchestrator on :8080).

Approval, then data requests at a steward (computeToData) and at the third party (dataThroughTtp), LIMIT 10 and
LIMIT 30000, timed at the client (a fresh HTTP connection per call). Prints p50 and p95. The full benchmark tool
with plots is `dynamos bench latency` / `bench load`; this script is the quick check behind docs/benchmarks.md.
"""
import json, time, urllib.request, statistics
O="http://127.0.0.1:8080"
user={"id":"12324","userName":"jorrit.stutterheim@cloudnation.nl"}
def post(url, body, token=None):
    req=urllib.request.Request(url, data=json.dumps(body).encode(), headers={"Content-Type":"application/json", **({"Authorization":"Bearer "+token} if token else {})})
    t=time.perf_counter(); r=urllib.request.urlopen(req).read(); return (time.perf_counter()-t)*1000, json.loads(r)
def p(xs): xs=sorted(xs); return f"p50 {statistics.median(xs):.1f} ms, p95 {xs[int(len(xs)*0.95)-1]:.1f} ms, n={len(xs)}"
appr=[post(O+"/api/v1/requestApproval", {"type":"sqlDataRequest","user":user,"dataProviders":["UVA"],"options":{}})[0] for _ in range(30)]
print("approval computeToData UVA:", p(appr))
appr2=[post(O+"/api/v1/requestApproval", {"type":"sqlDataRequest","user":user,"dataProviders":["UVA","VU"],"options":{"aggregate":True}})[0] for _ in range(30)]
print("approval dataThroughTtp UVA+VU:", p(appr2))
_, a = post(O+"/api/v1/requestApproval", {"type":"sqlDataRequest","user":user,"dataProviders":["VU"],"options":{}})
def req(q, job, graph=False): return {"query":q,"algorithm":"average","algorithmColumns":{"Geslacht":"Salschal"},"options":{"graph":graph},"user":user,"requestMetadata":{"jobId":job}}
ep=a["endpoints"]["VU"]
small=[post(ep, req("SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT 10", a["jobId"]), a["token"])[0] for _ in range(60)][10:]
print("computeToData VU LIMIT 10 (query, algorithm), HTTP round trip:", p(small))
big=[post(ep, req("SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT 30000", a["jobId"]), a["token"])[0] for _ in range(23)][3:]
print("computeToData VU LIMIT 30000 (query, algorithm), HTTP round trip:", p(big))
_, b = post(O+"/api/v1/requestApproval", {"type":"sqlDataRequest","user":user,"dataProviders":["UVA","VU"],"options":{"aggregate":True}})
ep=b["endpoints"]["SURF"]
ttp=[post(ep, req("SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT 30000", b["jobId"]), b["token"])[0] for _ in range(23)][3:]
print("dataThroughTtp UVA+VU via SURF LIMIT 30000 each (query, anonymize at UVA, aggregate, algorithm):", p(ttp))
ttps=[post(ep, req("SELECT * FROM Personen p JOIN Aanstellingen s ON p.Unieknr = s.Unieknr LIMIT 10", b["jobId"]), b["token"])[0] for _ in range(43)][3:]
print("dataThroughTtp LIMIT 10:", p(ttps))
