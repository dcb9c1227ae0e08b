/**
 * Lua scripts of the Redis registry. Each multi-key change runs as one script, so no reader ever sees a
 * connection half indexed. Keys are built inside the scripts from the prefix (ARGV[1]); the registry
 * targets one Redis primary (not Redis Cluster, whose slots would need every key declared).
 */

/** Helpers shared by the scripts: load a record, add it to / remove it from every index. */
const prelude = `
local p = ARGV[1]
local function decr(hash, field)
  if redis.call('HINCRBY', hash, field, -1) <= 0 then redis.call('HDEL', hash, field) end
end
local function load(id)
  local flat = redis.call('HGETALL', p .. 'conn:' .. id)
  if #flat == 0 then return nil, nil end
  local rec = {}
  for i = 1, #flat, 2 do rec[flat[i]] = flat[i + 1] end
  return rec, flat
end
local function index(id, rec, seen)
  redis.call('ZADD', p .. 'lastseen', seen, id)
  redis.call('SADD', p .. 'node:' .. rec.nodeId .. ':conns', id)
  redis.call('SADD', p .. 'user:' .. rec.userId .. ':conns', id)
  redis.call('SET', p .. 'session:' .. rec.sessionId, id)
  redis.call('HINCRBY', p .. 'count:kind', rec.kind, 1)
  redis.call('HINCRBY', p .. 'count:node', rec.nodeId, 1)
  redis.call('HINCRBY', p .. 'count:user', rec.userId, 1)
  if rec.channelId ~= '' then
    redis.call('SADD', p .. 'channel:' .. rec.channelId .. ':conns', id)
    redis.call('HINCRBY', p .. 'count:channel', rec.channelId, 1)
  end
end
local function unindex(id, rec)
  redis.call('ZREM', p .. 'lastseen', id)
  redis.call('SREM', p .. 'node:' .. rec.nodeId .. ':conns', id)
  redis.call('SREM', p .. 'user:' .. rec.userId .. ':conns', id)
  if redis.call('GET', p .. 'session:' .. rec.sessionId) == id then
    redis.call('DEL', p .. 'session:' .. rec.sessionId)
  end
  decr(p .. 'count:kind', rec.kind)
  decr(p .. 'count:node', rec.nodeId)
  decr(p .. 'count:user', rec.userId)
  if rec.channelId ~= '' then
    redis.call('SREM', p .. 'channel:' .. rec.channelId .. ':conns', id)
    decr(p .. 'count:channel', rec.channelId)
  end
end
local function remove(id)
  local rec, flat = load(id)
  if rec == nil then
    redis.call('ZREM', p .. 'lastseen', id)
    return nil
  end
  local seen = redis.call('ZSCORE', p .. 'lastseen', id) or '0'
  unindex(id, rec)
  redis.call('DEL', p .. 'conn:' .. id)
  table.insert(flat, 'lastSeenAt')
  table.insert(flat, seen)
  return flat
end
`;

/** ARGV: prefix, connectionId, lastSeenAt, field1, value1, … → 1. Replaces an existing record. */
export const registerScript = `${prelude}
local id = ARGV[2]
local old = load(id)
if old ~= nil then unindex(id, old) end
local rec = {}
local fields = {}
for i = 4, #ARGV, 2 do
  rec[ARGV[i]] = ARGV[i + 1]
  table.insert(fields, ARGV[i])
  table.insert(fields, ARGV[i + 1])
end
redis.call('DEL', p .. 'conn:' .. id)
redis.call('HSET', p .. 'conn:' .. id, unpack(fields))
index(id, rec, ARGV[3])
return 1
`;

/** ARGV: prefix, connectionId → the removed record's fields (+ lastSeenAt), or nil. */
export const disconnectScript = `${prelude}
return remove(ARGV[2])
`;

/**
 * ARGV: prefix, connectionId, channelId ('' = leave), selfMute, selfDeaf, streaming (1/0), userLimit.
 * → {'UNKNOWN_CONNECTION'} | {'CHANNEL_FULL'} | {'OK', previousChannelId, record fields, evicted}
 * where evicted lists {connectionId, previousChannelId} of the same user's other sessions taken out of voice.
 */
export const voiceScript = `${prelude}
local id = ARGV[2]
local target = ARGV[3]
local limit = tonumber(ARGV[7])
local rec = load(id)
if rec == nil then return {'UNKNOWN_CONNECTION'} end
local others = redis.call('SMEMBERS', p .. 'user:' .. rec.userId .. ':conns')
if target ~= '' and target ~= rec.channelId and limit > 0 then
  local key = p .. 'channel:' .. target .. ':conns'
  local count = redis.call('SCARD', key)
  for _, other in ipairs(others) do
    if other ~= id and redis.call('SISMEMBER', key, other) == 1 then count = count - 1 end
  end
  if count >= limit then return {'CHANNEL_FULL'} end
end
local evicted = {}
if target ~= '' then
  for _, other in ipairs(others) do
    if other ~= id then
      local key = p .. 'conn:' .. other
      local channel = redis.call('HGET', key, 'channelId')
      if channel and channel ~= '' then
        redis.call('SREM', p .. 'channel:' .. channel .. ':conns', other)
        decr(p .. 'count:channel', channel)
        redis.call('HSET', key, 'channelId', '', 'selfMute', '0', 'selfDeaf', '0', 'streaming', '0')
        table.insert(evicted, {other, channel})
      end
    end
  end
end
local previous = rec.channelId
if previous ~= '' then
  redis.call('SREM', p .. 'channel:' .. previous .. ':conns', id)
  decr(p .. 'count:channel', previous)
end
local key = p .. 'conn:' .. id
if target ~= '' then
  redis.call('SADD', p .. 'channel:' .. target .. ':conns', id)
  redis.call('HINCRBY', p .. 'count:channel', target, 1)
  redis.call('HSET', key, 'channelId', target, 'selfMute', ARGV[4], 'selfDeaf', ARGV[5], 'streaming', ARGV[6])
else
  redis.call('HSET', key, 'channelId', '', 'selfMute', '0', 'selfDeaf', '0', 'streaming', '0')
end
local _, flat = load(id)
return {'OK', previous, flat, evicted}
`;

/**
 * ARGV: prefix, sessionId, newConnectionId, nodeId, ip, userAgent, at
 * → {previousConnectionId, previousNodeId, record fields} or nil when the session is unknown.
 */
export const reattachScript = `${prelude}
local old = redis.call('GET', p .. 'session:' .. ARGV[2])
if not old then return nil end
local rec = load(old)
if rec == nil then return nil end
local previousNode = rec.nodeId
unindex(old, rec)
local id = ARGV[3]
redis.call('RENAME', p .. 'conn:' .. old, p .. 'conn:' .. id)
rec.connectionId = id
rec.nodeId = ARGV[4]
redis.call('HSET', p .. 'conn:' .. id, 'connectionId', id, 'nodeId', ARGV[4], 'ip', ARGV[5], 'userAgent', ARGV[6])
index(id, rec, ARGV[7])
local _, flat = load(id)
return {old, previousNode, flat}
`;

/**
 * ARGV: prefix, cutoff, limit → the removed records (each with lastSeenAt). Reads only the stale range
 * of the last-seen sorted set, so its cost follows the number of stale entries.
 */
export const sweepScript = `${prelude}
local ids = redis.call('ZRANGEBYSCORE', p .. 'lastseen', '-inf', ARGV[2], 'LIMIT', 0, tonumber(ARGV[3]))
local removed = {}
for _, id in ipairs(ids) do
  local flat = remove(id)
  if flat ~= nil then table.insert(removed, flat) end
end
return removed
`;

/** KEYS[1]: lock key; ARGV[1]: owner token → 1 if released. */
export const releaseLockScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
