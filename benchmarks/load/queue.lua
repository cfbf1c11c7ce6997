-- (b) A consulent browsing the waardering queue: a logged-in session that passed the second
-- factor (the cookie is made by bench_load.py), pages 1-5 of this year's open requests.
-- args: the session cookie value.
dofile("benchmarks/load/report.lua")
bad = 0
n = 0

function init(args)
   wrk.headers["X-Forwarded-Proto"] = "https"
   wrk.headers["Cookie"] = "sessionid=" .. args[1]
end

function request()
   n = n + 1
   local page = (n % 5) + 1
   if page == 1 then return wrk.format("GET", "/backoffice/waardering/") end
   return wrk.format("GET", "/backoffice/waardering/?pagina=" .. page)
end

function response(status, headers, body)
   if status ~= 200 then bad = bad + 1 end
end
