-- wrk script for bench/sync/run.sh: replays, against a fresh registry, the
-- exact requests the agent makes for each record (HEAD /files/{sha256},
-- PUT /files/{sha256} with the file, PUT /evidence/{id} with the record),
-- each record once, split among wrk's threads. Run with one connection per
-- thread (-c equal to -t) so a record's three requests go out in order.
--
--   wrk -t2 -c2 -d600s -s put.lua http://127.0.0.1:PORT -- DATA TOKEN_FILE OUT_DIR 2
--
-- DATA: one record a line, tab-separated: id, sha256, media type, blob
-- path, record JSON. Each thread writes OUT_DIR/thread-N when its share is
-- answered: "start_ns end_ns records unexpected_answers"; run.sh waits for
-- those files, then ends wrk (its own summary counts its fixed duration).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock, bench_timespec *tp);
]]
local function now_ns()
  local ts = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
  return tonumber(ts.tv_sec) * 1e9 + tonumber(ts.tv_nsec)
end

local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local reqs, expect = {}, {}
local answered, bad, records = 0, 0, 0
local start_ns, out_dir, finished

local function slurp(path)
  local f = assert(io.open(path, "rb"), "cannot open " .. path)
  local data = f:read("*a")
  f:close()
  return data
end

function init(args)
  local data_file, token_file = args[1], args[2]
  out_dir = args[3]
  local token = slurp(token_file):gsub("%s+$", "")
  local total = assert(tonumber(args[4]), "the 4th argument is the number of wrk threads")
  local tid = tonumber(wrk.thread:get("tid"))
  local auth = { ["Authorization"] = "Bearer " .. token, ["Accept"] = "application/json" }
  local n = 0
  for line in io.lines(data_file) do
    if n % total == tid then
      local id, sha, media, blob, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t(.*)$")
      assert(id, "malformed data line " .. n)
      local file_headers = { ["Authorization"] = auth.Authorization, ["Content-Type"] = media }
      local json_headers = { ["Authorization"] = auth.Authorization, ["Content-Type"] = "application/json" }
      reqs[#reqs + 1] = wrk.format("HEAD", "/api/v1/files/" .. sha, auth)
      expect[#expect + 1] = 404
      reqs[#reqs + 1] = wrk.format("PUT", "/api/v1/files/" .. sha, file_headers, slurp(blob))
      expect[#expect + 1] = 201
      reqs[#reqs + 1] = wrk.format("PUT", "/api/v1/evidence/" .. id, json_headers, body)
      expect[#expect + 1] = 201
      records = records + 1
    end
    n = n + 1
  end
  start_ns = now_ns()
end

-- With one connection per thread exactly one request is outstanding, so the
-- next one is the first unanswered. (Counting calls instead would be off by
-- one: wrk calls request() once more on thread 0 to inspect it.)
function request()
  if answered >= #reqs then
    return wrk.format("GET", "/api/v1/health") -- only while run.sh ends wrk
  end
  return reqs[answered + 1]
end

function response(status, headers, body)
  if finished then return end
  answered = answered + 1
  if status ~= expect[answered] and not (status == 200 and expect[answered] == 201) then
    bad = bad + 1
    if bad <= 3 then io.stderr:write("unexpected answer " .. status .. " to request " .. answered .. ": " .. body .. "\n") end
  end
  if answered == #reqs then
    finished = true
    local f = assert(io.open(out_dir .. "/thread-" .. wrk.thread:get("tid"), "w"))
    f:write(string.format("%.0f %.0f %d %d\n", start_ns, now_ns(), records, bad))
    f:close()
    wrk.thread:stop()
  end
end
