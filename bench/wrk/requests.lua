-- wrk script for bench.load: replays a file of requests, one per line,
--   METHOD <tab> PATH <tab> TOKEN <tab> BODY (JSON, may be empty)
-- each wrk thread starting at its own offset, and prints the figures as one JSON line.
-- Usage: wrk -s bench/wrk/requests.lua URL -- REQUESTS_FILE

local requests = {}
local counter = 0
local thread_index = 0
local threads = {}
-- Per thread: how many responses had each status of 400 and above.
failures = {}

function setup(thread)
  thread:set("index", thread_index)
  thread_index = thread_index + 1
  threads[#threads + 1] = thread
end

function response(status, headers, body)
  if status >= 400 then
    failures[status] = (failures[status] or 0) + 1
  end
end

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local method, path, token, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    local headers = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
    if body ~= nil and body ~= "" then
      headers["Content-Type"] = "application/json"
    else
      body = nil
    end
    requests[#requests + 1] = wrk.format(method, path, headers, body)
  end
  file:close()
  counter = ((index or 0) * 7919) % #requests
end

function request()
  counter = counter + 1
  if counter > #requests then counter = 1 end
  return requests[counter]
end

function done(summary, latency, requests)
  local e = summary.errors
  local statuses = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("failures") or {}) do
      statuses[#statuses + 1] = string.format('"%d": %d', status, count)
    end
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, "read_errors": %d, ' ..
    '"write_errors": %d, "status_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "mean_us": %.1f, "failed_statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean, table.concat(statuses, ", ")))
end
