-- wrk script: like post.lua, but every 10th request on each thread is malformed (truncated JSON).
-- Each thread counts what it sent and the statuses it got back; done() prints the totals and checks
-- that the malformed ones were answered 400 and the others 200 (requests still in flight when the
-- run stopped were sent but never answered: at most one per connection).
local f = assert(io.open(os.getenv("BODY"), "r"))
local good = f:read("*a")
f:close()
local bad = string.sub(good, 1, #good - 3)

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  sent_good, sent_bad, got_200, got_400, got_other, n = 0, 0, 0, 0, 0, 0
  -- Both requests framed once: wrk shares the CPUs with the server, so it should cost no more than post.lua.
  good_request = wrk.format(nil, nil, nil, good)
  bad_request = wrk.format(nil, nil, nil, bad)
end

function request()
  n = n + 1
  if n % 10 == 0 then
    sent_bad = sent_bad + 1
    return bad_request
  end
  sent_good = sent_good + 1
  return good_request
end

function response(status, headers, body)
  if status == 200 then
    got_200 = got_200 + 1
  elseif status == 400 then
    got_400 = got_400 + 1
  else
    got_other = got_other + 1
  end
end

function done(summary, latency, requests)
  local sg, sb, g2, g4, go = 0, 0, 0, 0, 0
  for _, t in ipairs(threads) do
    sg = sg + t:get("sent_good")
    sb = sb + t:get("sent_bad")
    g2 = g2 + t:get("got_200")
    g4 = g4 + t:get("got_400")
    go = go + t:get("got_other")
  end
  io.write(string.format("sent: %d well-formed, %d malformed\n", sg, sb))
  io.write(string.format("answered: %d x 200, %d x 400, %d other\n", g2, g4, go))
  io.write(string.format("unanswered at the end: %d well-formed, %d malformed\n", sg - g2, sb - g4))
end
