-- (a) Full registrations, as a browser sends them: one wrk thread is one person with one
-- connection (run with -t equal to -c), holding the session and CSRF cookies and the form
-- token bench_load.py fetched for it with a GET of the first step. Each round POSTs the
-- five steps (over-mij, naaste, contact, belasting skipped, controleren) and follows the last
-- redirect to /aanmelden/klaar, where the wizard stores the registration; then starts again.
-- Every POST must answer 302 (a 200 is a form with errors): others count as `bad`.
-- args: the file with one line "sessionid csrftoken formtoken" per thread; the port; a folder
-- where a thread writes the first unexpected answer it gets (bench_load.py shows its errors);
-- the first round number (a warm-up and the measured run must not register the same people).
dofile("benchmarks/load/report.lua")
bad = 0
round = 0
-- The step of the next request; only an answer moves it on. wrk calls request() once more
-- on the first thread before the run, to check the script (script_verify_request): a counter
-- moved by request() made that thread start its first person at the second step.
step = 1

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
   dump_dir = args[3]
   round = tonumber(args[4] or "0")
   wrk.headers["X-Forwarded-Proto"] = "https"
   wrk.headers["Origin"] = origin
   wrk.headers["Cookie"] = "csrftoken=" .. csrf .. "; sessionid=" .. session
end

local STEPS = {"over-mij", "naaste", "contact", "belasting", "controleren"}

local function fields(name)
   local f = {{"csrfmiddlewaretoken", token}, {"registration_wizard-current_step", name}}
   local add = function(k, v) table.insert(f, {name .. "-" .. k, v}) end
   if name == "over-mij" then
      add("first_name", "Riet"); add("last_name", "Bakker")
      -- A different person at a different address each round: the rate limit counts per
      -- address (postcode + house number), 10 posts per 10 minutes.
      add("date_of_birth", string.format("%02d-%02d-%d", 1 + round % 28,
                                         1 + math.floor(round / 28) % 12, 1930 + id))
      add("postcode", "3845 AB")
      add("house_number", string.format("%d-%d", 1 + round % 99999, id))
      add("street", "Lindenlaan")
      add("city", "Harderwijk")
      add("email", string.format("bench%d.%d@example.nl", id, round))
      add("phone", "06-1234 5678")
   elseif name == "naaste" then
      add("name", "Henk Bakker"); add("date_of_birth", ""); add("relationship", "partner")
      add("lives_in_municipality", "ja"); add("living_together", "ja")
      add("care_kinds", "huishouden"); add("care_kinds", "verzorging")
      add("hours_per_week", "20"); add("care_since", "01-03-2019"); add("care_need", "")
   elseif name == "contact" then
      add("channel", "email"); add("wants_newsletter", "on")
   elseif name == "belasting" then
      add("skip", "1")
   else
      add("consent", "on")
   end
   return form(f)
end

function request()
   if step <= #STEPS then
      local name = STEPS[step]
      -- wrk.format uses the given headers instead of wrk.headers: start from a copy.
      local headers = {}
      for k, v in pairs(wrk.headers) do headers[k] = v end
      headers["Content-Type"] = "application/x-www-form-urlencoded"
      headers["Referer"] = origin .. "/aanmelden/" .. name
      return wrk.format("POST", "/aanmelden/" .. name, headers, fields(name))
   end
   return wrk.format("GET", "/aanmelden/klaar")
end

function response(status, headers, body)
   if status ~= 302 then
      bad = bad + 1
      if bad == 1 and dump_dir then
         local f = io.open(string.format("%s/unexpected-%d.html", dump_dir, id), "w")
         f:write(string.format("<!-- thread %d round %d step %d status %d -->\n",
                               id, round, step, status), body or "")
         f:close()
      end
   end
   step = step + 1
   if step > #STEPS + 1 then
      step = 1
      round = round + 1
   end
end
