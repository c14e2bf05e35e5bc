-- wrk script: GET /api/search for each query of a `qid<TAB>query` file, in
-- turn, each wrk thread starting at a different place in the list.
--   wrk -s queries.lua URL -- QUERIES_FILE [LIMIT]
local paths = {}
local next_index = 1

local function url_encode(text)
  return (text:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local thread_count = 0
function setup(thread)
  thread:set("thread_number", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file, limit = args[1], args[2] or "10"
  for line in io.lines(file) do
    local query = line:match("^[^\t]*\t(.+)$")
    if query then
      paths[#paths + 1] = "/api/search?limit=" .. limit .. "&q=" .. url_encode(query)
    end
  end
  assert(#paths > 0, "no queries in " .. file)
  next_index = ((thread_number or 0) * 997) % #paths + 1
end

function request()
  local path = paths[next_index]
  next_index = next_index % #paths + 1
  return wrk.format("GET", path)
end
