-- (a) A new visitor opens the first step of /aanmelden: no cookies, so every request starts
-- a session (the wizard stores its submission key) as a first visit does.
-- args: none. The proxy header says the request came in over HTTPS.
dofile("benchmarks/load/report.lua")
bad = 0

function init(args)
   wrk.headers["X-Forwarded-Proto"] = "https"
   req = wrk.format("GET", "/aanmelden/over-mij")
end

function request() return req end

function response(status, headers, body)
   if status ~= 200 then bad = bad + 1 end
end
