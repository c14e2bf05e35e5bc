-- wrk script for the soak test: a mix like a live site's, cycling through a
-- `qid<TAB>query` file. Of every 20 requests: 10 searches (limits 10 and 20,
-- some with facets or a date sort, some a second page), 5 suggestions of a
-- half-typed prefix, 3 search pages, 2 malformed (a bad limit, bytes that are
-- not UTF-8). wrk -s soak.lua URL -- QUERIES_FILE
local queries = {}
local n = 0

local function url_encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local thread_count = 0
function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  for line in io.lines(args[1]) do
    local query = line:match("^[^\t]*\t(.+)$")
    if query then queries[#queries + 1] = query end
  end
  assert(#queries > 0, "no queries in " .. args[1])
  n = (thread_number or 0) * 997
end

-- The first `count` bytes of a query cut back to whole UTF-8 characters, plus
-- the lead byte run of the next one: a half-typed word.
local function prefix(query)
  local cut = math.max(3, math.floor(#query * 2 / 3))
  while cut < #query and query:byte(cut + 1) >= 0x80 and query:byte(cut + 1) < 0xC0 do cut = cut + 1 end
  return query:sub(1, cut)
end

function request()
  n = n + 1
  -- Each query in all 20 kinds in turn (the kind must not follow from the
  -- query, or only #queries distinct requests would ever be made).
  local q = queries[math.floor(n / 20) % #queries + 1]
  local kind = n % 20
  local path
  if kind < 4 then
    path = "/api/search?limit=10&q=" .. url_encode(q)
  elseif kind < 6 then
    path = "/api/search?limit=20&facets=category,year&q=" .. url_encode(q)
  elseif kind < 8 then
    path = "/api/search?limit=10&sort=date&q=" .. url_encode(q)
  elseif kind < 10 then
    path = "/api/search?limit=10&offset=10&q=" .. url_encode(q)
  elseif kind < 15 then
    path = "/api/suggest?q=" .. url_encode(prefix(q))
  elseif kind < 18 then
    path = "/?q=" .. url_encode(q) .. (kind == 17 and "&page=2" or "")
  elseif kind == 18 then
    path = "/api/search?limit=abc&q=" .. url_encode(q)
  else
    path = "/api/search?q=%FF%FE" .. url_encode(q)
  end
  return wrk.format("GET", path)
end
