-- wrk: POST one analytics event per request (what the storefront beacon sends), a fresh
-- event_id each time, to $WRK_INGEST_PATH with the public key $WRK_INGEST_KEY. Same JSON summary
-- line as wrk_pool.lua.
local path = os.getenv("WRK_INGEST_PATH")
local key = os.getenv("WRK_INGEST_KEY")
local counter = 0

function init(args)
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 100000)
end

local function uuid()
  local t = "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx"
  return (t:gsub("[xy]", function(c)
    local v = (c == "x") and math.random(0, 15) or math.random(8, 11)
    return string.format("%x", v)
  end))
end

function request()
  counter = counter + 1
  local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local body = string.format(
    '{"key": "%s", "sent_at": "%s", "events": [{"event_id": "%s", "type": "page_view", ' ..
    '"occurred_at": "%s", "url": "http://127.0.0.1/s/bench/"}]}', key, now, uuid(), now)
  return wrk.format("POST", path, {["Content-Type"] = "text/plain"}, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"p50_us": %d, "p90_us": %d, "p99_us": %d, "max_us": %d, "bytes": %d}\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, summary.bytes))
end
