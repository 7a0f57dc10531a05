/**
 * The store's two Lua scripts. Both touch the keys of one shard only (one hash slot), so they
 * run on any node of a Cluster. Every check comes before the first write: a script that
 * fails half-way does not undo what it wrote before the failure.
 */

/** Replies of {@link COMMIT_SCRIPT} other than 1 (committed) and 0 (revision moved on). */
export const COMMIT_REFUSALS = {
  [-1]: 'state',
  [-2]: 'history',
  [-3]: 'index',
  [-4]: 'feed',
  [-5]: 'log',
} as const;

/**
 * Commits one change of one tenant if it is still at the revision read.
 *
 * KEYS: state, history, index, feed, log (tenantKeys).
 * ARGV: 1 revision read, 2 new revision, 3 updatedAt, 4 modules JSON, 5 flags JSON, 6 history
 * entry JSON, 7 history limit, 8 channel, 9 tenant, 10 shard, 11 a new generation id (used
 * when the shard has none), 12 this commit's id, 13 change log length, 14… the history
 * carried over from another store (newest first), kept under the entry when the tenant has
 * no history.
 *
 * Steps: check every key's type; if the state already carries this commit's id, the commit
 * was applied and this is a client's resend: reply 1 and do nothing; refuse (0) unless the
 * revision is the one read; write the state hash; push and trim the history; add the tenant
 * to the shard's index; give the shard a generation if it has none (starting an empty
 * change log); bump the shard's sequence number; push `{seq, tenant, revision}` onto the
 * change log and trim it; publish `{shard, seq, generation, tenant, revision}`.
 *
 * Replies 1 committed, 0 revision moved on (read again), or a key of COMMIT_REFUSALS that
 * holds something modreg did not write.
 */
export const COMMIT_SCRIPT = `
local function holds(key, wanted)
  local found = redis.call('TYPE', key).ok
  return found == wanted or found == 'none'
end
if not holds(KEYS[1], 'hash') then return -1 end
if not holds(KEYS[2], 'list') then return -2 end
if not holds(KEYS[3], 'zset') then return -3 end
if not holds(KEYS[4], 'hash') then return -4 end
if not holds(KEYS[5], 'list') then return -5 end
local revision = '0'
if redis.call('EXISTS', KEYS[1]) == 1 then
  local state = redis.call('HMGET', KEYS[1], 'revision', 'commit')
  if not state[1] then return -1 end
  if state[2] == ARGV[12] then return 1 end
  revision = state[1]
end
if revision ~= ARGV[1] then return 0 end
local feed = redis.call('HMGET', KEYS[4], 'generation', 'seq')
local generation = feed[1]
if redis.call('EXISTS', KEYS[4]) == 1 then
  if not generation or generation == '' or not feed[2] or not string.match(feed[2], '^%d+$') then
    return -4
  end
end
redis.call('HSET', KEYS[1], 'revision', ARGV[2], 'updatedAt', ARGV[3], 'modules', ARGV[4],
  'flags', ARGV[5], 'commit', ARGV[12])
if #ARGV > 13 and redis.call('LLEN', KEYS[2]) == 0 then
  redis.call('RPUSH', KEYS[2], unpack(ARGV, 14))
end
redis.call('LPUSH', KEYS[2], ARGV[6])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[7]) - 1)
redis.call('ZADD', KEYS[3], 0, ARGV[9])
if not generation then
  generation = ARGV[11]
  redis.call('DEL', KEYS[5])
  redis.call('HSET', KEYS[4], 'generation', generation, 'seq', 0)
end
local seq = redis.call('HINCRBY', KEYS[4], 'seq', 1)
local newRevision = tonumber(ARGV[2])
redis.call('LPUSH', KEYS[5], cjson.encode({seq = seq, tenant = ARGV[9], revision = newRevision}))
redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[13]) - 1)
redis.call('PUBLISH', ARGV[8], cjson.encode({shard = tonumber(ARGV[10]), seq = seq,
  generation = generation, tenant = ARGV[9], revision = newRevision}))
return 1
`;

/**
 * Reads one shard's feed position and, when it moved past the position a subscriber holds,
 * the change log entries since.
 *
 * KEYS: feed, log (shardKeys). ARGV: 1 the sequence number held, 2 most entries wanted.
 *
 * Replies `{generation, seq, entry…}` (entries newest first; none when more are missing than
 * wanted, so the caller sees the gap), `{'', 0}` for a shard without a generation, -1 when
 * the feed hash, -2 when the log, holds something modreg did not write.
 */
export const FEED_SCRIPT = `
local feedType = redis.call('TYPE', KEYS[1]).ok
if feedType == 'none' then return {'', 0} end
if feedType ~= 'hash' then return -1 end
local feed = redis.call('HMGET', KEYS[1], 'generation', 'seq')
if not feed[1] or feed[1] == '' or not feed[2] or not string.match(feed[2], '^%d+$') then
  return -1
end
local logType = redis.call('TYPE', KEYS[2]).ok
if logType ~= 'list' and logType ~= 'none' then return -2 end
local seq = tonumber(feed[2])
local reply = {feed[1], seq}
local wanted = seq - tonumber(ARGV[1])
if wanted <= 0 or wanted > tonumber(ARGV[2]) then return reply end
local entries = redis.call('LRANGE', KEYS[2], 0, wanted - 1)
for i = 1, #entries do reply[#reply + 1] = entries[i] end
return reply
`;

/**
 * Every shard's position at once, on a single server (a Cluster's shards live in different
 * slots, which one script may not touch): for each KEYS[i], a feed hash, its `generation`
 * and `seq`; '' and '' for a feed that does not exist, '?' for a field an existing hash lacks.
 * A key of another type fails the whole call (WRONGTYPE); the caller then reads each shard
 * with FEED_SCRIPT, which says which.
 */
export const POSITIONS_SCRIPT = `
local reply = {}
for i = 1, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 0 then
    reply[#reply + 1] = ''
    reply[#reply + 1] = ''
  else
    local feed = redis.call('HMGET', KEYS[i], 'generation', 'seq')
    reply[#reply + 1] = feed[1] or '?'
    reply[#reply + 1] = feed[2] or '?'
  end
end
return reply
`;
