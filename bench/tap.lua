-- wrk script: POST /calls the way the Closer tap button does (htmx, CSRF header, session cookie).
--
-- wrk -t2 -c10 -d10s --latency -s bench/tap.lua http://127.0.0.1:PORT/calls -- SESSIONS OUTCOMES SEED
--   SESSIONS  a file, one logged-in session per line: "<Cookie header value>\t<CSRF token>"
--   OUTCOMES  comma-separated outcome codes, e.g. no_answer,voicemail,sale
--   SEED      an integer; each thread seeds math.random with SEED and its own number
-- Requests rotate through the sessions (each thread starts at a different one), so
-- every rep gets taps; every request carries a fresh random UUID v4 as client_id.

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local sessions = {}
local outcomes = {}
local counter = 0
local user_agent = "closer-bench/1"

function init(args)
  local path = args[1]
  if path == nil then
    error("tap.lua: pass the sessions file after --")
  end
  for line in io.lines(path) do
    local cookie, token = line:match("^([^\t]+)\t([^\t]+)$")
    if cookie then
      sessions[#sessions + 1] = { cookie = cookie, token = token }
    end
  end
  if #sessions == 0 then
    error("tap.lua: no sessions in " .. path)
  end
  for code in string.gmatch(args[2] or "", "[^,]+") do
    outcomes[#outcomes + 1] = code
  end
  if #outcomes == 0 then
    error("tap.lua: pass the outcome codes after the sessions file")
  end
  local seed = tonumber(args[3]) or os.time()
  math.randomseed(seed + 7919 * (tid or 0))
  for _ = 1, 10 do math.random() end
  counter = (tid or 0) * 3
end

local function uuid4()
  local r = math.random
  return string.format(
    "%04x%04x-%04x-%04x-%04x-%04x%04x%04x",
    r(0, 0xffff), r(0, 0xffff), r(0, 0xffff),
    0x4000 + r(0, 0x0fff),          -- version 4
    0x8000 + r(0, 0x3fff),          -- RFC 4122 variant
    r(0, 0xffff), r(0, 0xffff), r(0, 0xffff)
  )
end

function request()
  counter = counter + 1
  local session = sessions[(counter % #sessions) + 1]
  local body = "outcome=" .. outcomes[math.random(1, #outcomes)] .. "&client_id=" .. uuid4()
  local headers = {
    ["Host"] = wrk.headers["Host"],
    ["Cookie"] = session.cookie,
    ["X-CSRFToken"] = session.token,
    ["HX-Request"] = "true",
    ["User-Agent"] = user_agent,
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", nil, headers, body)
end
