-- wrk script: opens $SESSIONS sessions (POST /sessions) on one wrk thread, then only asks GET /health.
local target = tonumber(os.getenv("SESSIONS") or "100000")
local opened = 0

function request()
  if opened < target then
    opened = opened + 1
    return wrk.format("POST", "/sessions", nil, "")
  end
  return wrk.format("GET", "/health")
end
