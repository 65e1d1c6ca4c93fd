-- wrk script for bench/run.py: rotate through a file of requests, one per line,
-- "<METHOD> <token> <path>" (the token goes into "Authorization: Bearer"), each thread from
-- its own offset. With "once" (for requests that change state, such as accepting a handoff),
-- thread k of n sends lines k, k + n, ... once each and then stops. At the end it prints one
-- line "WRKJSON {...}" with the totals and latency percentiles (microseconds).
--
--   wrk -t2 -c8 -d10s -s bench/requests.lua http://127.0.0.1:8000 -- requests.txt [once 2]

local threads, counter = {}, 0

function setup(thread)
   counter = counter + 1
   thread:set("tid", counter)
   table.insert(threads, thread)
end

local lines, n, i, once, sent, answered, idle, verified = {}, 0, 0, false, 0, 0, nil, true

function init(args)
   once = args[2] == "once"
   local all = {}
   for line in assert(io.open(args[1], "r"), "cannot open " .. args[1]):lines() do
      if #line > 0 then table.insert(all, line) end
   end
   local step = once and tonumber(args[3] or "1") or 1  -- run.py passes the thread count
   for k = 1, #all do
      if not once or (k - 1) % step == (tid - 1) then
         local method, token, path = all[k]:match("^(%S+) (%S+) (%S+)$")
         assert(method, "a line is <METHOD> <token> <path>: " .. all[k])
         local headers = {}
         for name, value in pairs(wrk.headers) do headers[name] = value end
         headers["Authorization"] = "Bearer " .. token
         n = n + 1
         lines[n] = wrk.format(method, path, headers)
      end
   end
   assert(n > 0, "no requests for this thread")
   -- Once every line is sent, keep the connection busy with a cheap probe until wrk stops.
   idle = wrk.format("GET", "/healthz")
   if not once then i = (tid - 1) * math.floor(n / 2 + 0.5) % n end
   -- wrk calls the first thread's request() once to check the script, and drops the result.
   verified = tid ~= 1
end

function request()
   if not verified then
      verified = true
      return idle
   end
   if once then
      if sent >= n then return idle end
      sent = sent + 1
      return lines[sent]
   end
   i = i % n + 1
   return lines[i]
end

function response(status, headers, body)
   answered = answered + 1
   if once and answered >= n then wrk.thread:stop() end
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRKJSON {"requests":%d,"duration_us":%d,"status_errors":%d,"connect_errors":%d,' ..
      '"read_errors":%d,"write_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,' ..
      '"p99_us":%d,"max_us":%d}\n',
      summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
