-- register.lua with think time, for make bench-mixed: a person takes a moment per step.
-- args: those of register.lua, then the think time in ms.
dofile("benchmarks/load/register.lua")
local register_init = init

function init(args)
   register_init(args)
   think = tonumber(args[5] or "0")
end

function delay() return think end
