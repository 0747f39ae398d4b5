-- wrk: GET the paths listed in the file named by $WRK_URLS (one per line), in order, each wrk
-- thread starting at its own offset, so a pool of N distinct URLs is walked before any repeats
-- (a cold run stays cold). Prints one JSON line of totals and latency percentiles at the end.
-- Optional $WRK_HEADERS: "Name: value|Name: value" added to every request.
local paths = {}
for line in io.lines(os.getenv("WRK_URLS")) do
  if #line > 0 then paths[#paths + 1] = line end
end
local extra = os.getenv("WRK_HEADERS") or ""
for pair in string.gmatch(extra, "[^|]+") do
  local name, value = pair:match("^%s*([^:]+):%s*(.*)$")
  if name then wrk.headers[name] = value end
end

local threads = {}
function setup(thread)
  thread:set("id", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  count = tonumber(os.getenv("WRK_THREADS") or "1")
  index = math.floor(#paths * id / count)
end

function request()
  index = index % #paths + 1
  return wrk.format("GET", paths[index])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "bytes": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, summary.bytes))
end
