-- bench/mix.lua: the benchmark's rotating mix for wrk.
--
--   wrk -t2 -c64 -d10s --latency -s bench/mix.lua http://127.0.0.1:PORT -- LIST
--
-- LIST (written and checked by bench/bench.py) holds one request a line:
-- the path, then its headers, separated by tabs. The lines cycle through
-- states, associates and authentication schemes, formats, languages and
-- zones, every answer N=100 tasks; bench.py shuffles them so consecutive
-- requests differ in several ways at once. Each wrk thread starts at its own
-- offset in the list and walks it round-robin, so no two threads send the
-- same sequence. Requests are formatted once in init(): the per-request
-- cost in wrk is one table lookup.

local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
end

local requests = {}
local n, i = 0, 0

local function split(line, sep)
   local out = {}
   for field in string.gmatch(line, "[^" .. sep .. "]+") do
      out[#out + 1] = field
   end
   return out
end

function init(args)
   local path = args[1]
   if not path then
      error("mix.lua: pass the request list after --")
   end
   local f = assert(io.open(path, "r"))
   for line in f:lines() do
      if #line > 0 then
         local fields = split(line, "\t")
         local headers = {}
         for k = 2, #fields do
            local name, value = string.match(fields[k], "^([^:]+):%s*(.*)$")
            headers[name] = value
         end
         n = n + 1
         requests[n] = wrk.format("GET", fields[1], headers)
      end
   end
   f:close()
   if n == 0 then
      error("mix.lua: no requests in " .. path)
   end
   -- spread the threads over the list
   i = math.floor((id or 0) * n / 2) % n
end

function request()
   i = i + 1
   if i > n then
      i = 1
   end
   return requests[i]
end
