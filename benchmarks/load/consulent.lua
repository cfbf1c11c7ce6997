-- A consulent working through the waardering queue: a signed-in session that passed the
-- second factor (made by bench_mixed.py), each cycle one queue page (pages 1-5 in turn),
-- then the next request of the consulent's own list: its page, and "Goedkeuren" (POST,
-- 302 back to the request). Consulenten get disjoint lists, so none approves another's.
-- args: the file with one line per thread "sessionid csrftoken formtoken id,id,…"; the
-- port; the think time between requests in ms.
dofile("benchmarks/load/report.lua")
bad = 0
n = 0
step = 1  -- 1: queue page; 2: the request's page; 3: approve it
next_id = 1

function init(args)
   local i = 0
   for line in io.lines(args[1]) do
      i = i + 1
      if i == id then
         local list
         session, csrf, token, list = line:match("(%S+) (%S+) (%S+) (%S+)")
         ids = {}
         for value in list:gmatch("%d+") do table.insert(ids, value) end
      end
   end
   origin = "https://127.0.0.1:" .. args[2]
   think = tonumber(args[3] or "0")
   wrk.headers["X-Forwarded-Proto"] = "https"
   wrk.headers["Cookie"] = "csrftoken=" .. csrf .. "; sessionid=" .. session
end

function request()
   local current = ids[next_id]
   if step == 1 or current == nil then
      local page = (n % 5) + 1
      if page == 1 then return wrk.format("GET", "/backoffice/waardering/") end
      return wrk.format("GET", "/backoffice/waardering/?pagina=" .. page)
   elseif step == 2 then
      return wrk.format("GET", "/backoffice/waardering/" .. current .. "/")
   end
   local headers = {}
   for k, v in pairs(wrk.headers) do headers[k] = v end
   headers["Content-Type"] = "application/x-www-form-urlencoded"
   headers["Origin"] = origin
   headers["Referer"] = origin .. "/backoffice/waardering/" .. current .. "/"
   return wrk.format("POST", "/backoffice/waardering/" .. current .. "/goedkeuren/", headers,
                     "csrfmiddlewaretoken=" .. token .. "&expected_state=ingediend")
end

function delay() return think end

function response(status, headers, body)
   local expected = 200
   if step == 3 and ids[next_id] ~= nil then expected = 302 end
   if status ~= expected then bad = bad + 1 end
   if step == 3 or ids[next_id] == nil then
      step = 1
      n = n + 1
      if ids[next_id] ~= nil then next_id = next_id + 1 end
   else
      step = step + 1
   end
end
