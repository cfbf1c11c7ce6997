-- Caregivers asking the waardering for themselves (/waardering/zelf), as a browser does:
-- one wrk thread is one person with one connection, holding the session and CSRF cookies
-- and the form token bench_mixed.py fetched for it. Each round opens the wizard afresh
-- (GET /waardering/zelf), POSTs its steps and follows the last redirect to the step
-- "klaar", where the request is stored; then the next person. A step the wizard skips for
-- this person also answers 302. Every answer must be a 302: others count as `bad`.
-- args: the sessions file (one line "sessionid csrftoken formtoken" per thread); the port;
-- the first round number; the think time between requests in ms.
dofile("benchmarks/load/report.lua")
bad = 0
round = 0
step = 0  -- 0: open the wizard; 1..#STEPS: post a step; #STEPS + 1: GET klaar

local function enc(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
end

local function form(fields)
   local out = {}
   for _, kv in ipairs(fields) do table.insert(out, enc(kv[1]) .. "=" .. enc(kv[2])) end
   return table.concat(out, "&")
end

function init(args)
   local i = 0
   for line in io.lines(args[1]) do
      i = i + 1
      if i == id then
         session, csrf, token = line:match("(%S+) (%S+) (%S+)")
      end
   end
   origin = "https://127.0.0.1:" .. args[2]
   round = tonumber(args[3] or "0")
   think = tonumber(args[4] or "0")
   wrk.headers["X-Forwarded-Proto"] = "https"
   wrk.headers["Origin"] = origin
   wrk.headers["Cookie"] = "csrftoken=" .. csrf .. "; sessionid=" .. session
end

local STEPS = {"mantelzorger", "zorg", "betaling", "nieuwsbrief", "belasting", "controleren"}

local function fields(name)
   local f = {{"csrfmiddlewaretoken", token}, {"waardering_zelf-current_step", name}}
   local add = function(k, v) table.insert(f, {name .. "-" .. k, v}) end
   -- Another person at another address each round (the limit counts per address).
   local house = string.format("%d-%d", 1 + round % 99999, id)
   if name == "mantelzorger" then
      add("first_name", "Anna"); add("last_name", "de Boer")
      add("date_of_birth", string.format("%02d-%02d-%d", 1 + round % 28,
                                         1 + math.floor(round / 28) % 12, 1940 + id))
      add("postcode", "3846 CD"); add("house_number", house)
      add("street", "Stationslaan"); add("city", "Harderwijk")
      add("email", string.format("waardering%d.%d@example.nl", id, round)); add("phone", "")
   elseif name == "zorg" then
      add("recipient_name", "Kees de Boer"); add("recipient_postcode", "3846 CD")
      add("recipient_house_number", house); add("relationship", "partner")
      add("living_together", "ja"); add("hours_per_week", "20")
      add("care_since", "01-03-2019")
   elseif name == "betaling" then
      add("iban", "NL91ABNA0417164300"); add("account_holder", "A. de Boer")
   elseif name == "nieuwsbrief" then
      add("wants_newsletter", "")
   elseif name == "belasting" then
      add("skip", "1")
   else
      add("consent", "on")
   end
   return form(f)
end

function request()
   if step == 0 then return wrk.format("GET", "/waardering/zelf") end
   if step <= #STEPS then
      local name = STEPS[step]
      local headers = {}
      for k, v in pairs(wrk.headers) do headers[k] = v end
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      headers["Referer"] = origin .. "/waardering/zelf/" .. name
      return wrk.format("POST", "/waardering/zelf/" .. name, headers, fields(name))
   end
   return wrk.format("GET", "/waardering/zelf/klaar")
end

function delay() return think end

function response(status, headers, body)
   if status ~= 302 then bad = bad + 1 end
   step = step + 1
   if step > #STEPS + 1 then
      step = 0
      round = round + 1
   end
end
