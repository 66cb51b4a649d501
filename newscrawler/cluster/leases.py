"""Domain leases in Redis, shared by the frontier's pop and the politeness middleware: per
domain, at most a limit of downloads in progress and a delay between two starts, over every
worker of every crawl on that Redis, on the Redis clock (hosts whose clocks differ agree).

A domain's leases are a sorted set of tokens scored by their expiry; a token is
``<workers key>|<worker id>|<n>``, so a token whose worker is no longer alive (reaped, or
silent for the worker timeout) is dropped at once and a SIGKILLed worker does not hold the
domain until the token expires.
"""

from __future__ import annotations

TOKEN = "domain_lease"  # request.meta key: (domain, token) while the request holds a lease

# Lua prelude. ARGV[1..7]: politeness key prefix, limit, delay (ms), lease ttl (ms), worker
# timeout (s), workers key, worker id; a script's own arguments follow.
LEASE_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

-- ms until the domain may start a download: 0 now, -1 while it is at its limit
local function domain_wait(domain)
  local leases = ARGV[1] .. ':' .. domain .. ':leases'
  redis.call('ZREMRANGEBYSCORE', leases, '-inf', now)
  for _, token in ipairs(redis.call('ZRANGE', leases, 0, -1)) do
    local a = string.find(token, '|', 1, true)
    local b = a and string.find(token, '|', a + 1, true)
    if b then
      local seen = redis.call('ZSCORE', string.sub(token, 1, a - 1),
                              string.sub(token, a + 1, b - 1))
      if not seen or tonumber(seen) * 1000 < now - tonumber(ARGV[5]) * 1000 then
        redis.call('ZREM', leases, token)
      end
    end
  end
  if redis.call('ZCARD', leases) >= tonumber(ARGV[2]) then return -1 end
  local nxt = tonumber(redis.call('GET', ARGV[1] .. ':' .. domain .. ':next') or '0')
  return math.max(0, nxt - now)
end

local function take_domain(domain, token)
  local leases = ARGV[1] .. ':' .. domain .. ':leases'
  redis.call('ZADD', leases, now + tonumber(ARGV[4]), token)
  redis.call('PEXPIRE', leases, tonumber(ARGV[4]) * 2)
  local delay = tonumber(ARGV[3])
  if delay > 0 then
    redis.call('SET', ARGV[1] .. ':' .. domain .. ':next', now + delay, 'PX', delay + 60000)
  end
end
"""

# Take a lease on one domain. ARGV[8]: domain, ARGV[9]: token.
# Returns 0 (taken) or the ms to wait (-1: the domain is at its limit).
ACQUIRE = LEASE_LUA + """
local wait = domain_wait(ARGV[8])
if wait == 0 then take_domain(ARGV[8], ARGV[9]) end
return wait
"""


def leases_key(prefix: str, domain: str) -> str:
    return f"{prefix}:{domain}:leases"
