-- (a') The floor of a registration step: POST /bench/floor (bench_urls.py, mounted only by
-- the benchmark's own settings) with the same cookies, CSRF token and headers as
-- register.lua, a form of the same size; it reads and writes one row, changes the session
-- and answers 302, as a wizard step does. Every answer must be a 302.
-- args: the sessions file of register.lua (one line "sessionid csrftoken formtoken" per
-- thread); the port.
dofile("benchmarks/load/report.lua")
bad = 0
n = 0

local function enc(s)
   return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", c:byte()) end))
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
   wrk.headers["X-Forwarded-Proto"] = "https"
   wrk.headers["Origin"] = origin
   wrk.headers["Referer"] = origin .. "/bench/floor"
   wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   wrk.headers["Cookie"] = "csrftoken=" .. csrf .. "; sessionid=" .. session
   -- About as many bytes as a step of register.lua sends.
   body = "csrfmiddlewaretoken=" .. enc(token) .. "&step=over-mij&" ..
      string.rep("veld=Lindenlaan&", 20)
end

function request()
   return wrk.format("POST", "/bench/floor", nil, body)
end

function response(status, headers, body)
   if status ~= 302 then bad = bad + 1 end
end
