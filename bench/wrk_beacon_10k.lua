-- Platform bench (issue 15): every wrk connection is one storefront visitor on a keep-alive
-- connection, sending one analytics beacon (one page_view event), then waiting a few seconds
-- (closed loop: the next beacon leaves only after the answer and the pause).
-- Environment: BEACON_PATH (/api/v1/t/<slug>/analytics/events), BEACON_KEY (the tenant's ingest
-- key), BEACON_DELAY_MS (mean pause, jittered +/-50 %).
local path = os.getenv("BEACON_PATH")
local key = os.getenv("BEACON_KEY")
local delay_ms = tonumber(os.getenv("BEACON_DELAY_MS") or "5000")
local counter = 0

wrk.method = "POST"
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"

function setup(thread)
  thread:set("seed", math.random(1, 2147483647))
end

function init(args)
  math.randomseed(seed or os.time())
end

local function event_id()
  return string.format("%08x-%04x-4%03x-a%03x-%012x", math.random(0, 0xffffffff), math.random(0, 0xffff),
    math.random(0, 0xfff), math.random(0, 0xfff), math.random(0, 0xffffffffffff))
end

function request()
  counter = counter + 1
  local now = os.date("!%Y-%m-%dT%H:%M:%SZ")
  local body = string.format(
    '{"key":"%s","sent_at":"%s","events":[{"event_id":"%s","type":"page_view","occurred_at":"%s","url":"/s/seed-00000/p/%d"}]}',
    key, now, event_id(), now, counter % 500)
  return wrk.format(nil, path, nil, body)
end

function delay()
  return math.random(math.floor(delay_ms / 2), math.floor(delay_ms * 3 / 2))
end
