-- Shared by the scenarios: wrk's summary as one line the Python script parses.
-- `bad` counts answers a thread did not expect (e.g. a form re-rendered with errors).
threads = {}

function setup(thread)
   thread:set("id", #threads + 1)
   table.insert(threads, thread)
end

function done(summary, latency, requests)
   local bad = 0
   for _, t in ipairs(threads) do bad = bad + (t:get("bad") or 0) end
   local e = summary.errors
   io.write(string.format(
      "WRK requests=%d seconds=%.3f p50_us=%d p95_us=%d p99_us=%d max_us=%d " ..
      "connect=%d read=%d write=%d status=%d timeout=%d bad=%d\n",
      summary.requests, summary.duration / 1e6, latency:percentile(50),
      latency:percentile(95), latency:percentile(99), latency.max,
      e.connect, e.read, e.write, e.status, e.timeout, bad))
end
