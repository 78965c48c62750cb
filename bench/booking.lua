-- wrk script: POST /v1/bookings for slots listed in the file named by the
-- environment variable SLOTS (one ISO start per line), each request with a new
-- e-mail address. Counts the 201 (booked) and 409 (full) answers per thread
-- and prints the totals, so they can be held against the database.
local threads = {}
function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  starts = {}
  for line in io.lines(os.getenv("SLOTS")) do table.insert(starts, line) end
  n = 0
  created = 0
  full = 0
  other = 0
end

function request()
  n = n + 1
  local start = starts[(n + id * 13) % #starts + 1]
  local body = '{"product": "loket.residence_card", "location": "stadskantoor", "start": "' ..
      start .. '", "name": "Bench Mark", "email": "t' .. id .. "-" .. n .. '@example.org"}'
  return wrk.format("POST", "/v1/bookings", {["Content-Type"] = "application/json",
                    ["Authorization"] = "Bearer " .. os.getenv("KEY")}, body)
end

function response(status, headers, body)
  if status == 201 then created = created + 1
  elseif status == 409 then full = full + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local c, f, o = 0, 0, 0
  for _, t in ipairs(threads) do
    c = c + t:get("created"); f = f + t:get("full"); o = o + t:get("other")
  end
  io.write(string.format("created %d full %d other %d p99 %.2fms rps %.0f\n", c, f, o,
                         latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6)))
end
