-- What a Lua program gets around an entry's code: lua/__init__.py writes PROLOGUE (reads the
-- completion secret; __synthetic_exit replaces an os.exit that ends the assertions), the
-- reference and the assertions, then EPILOGUE. BIND_MODULE goes before the assertions when they
-- `require` a module: the reference's value, where Lua itself has none of that name.
-- SYNTHETIC_PART_PROLOGUE
local __synthetic_finish, __synthetic_exit
do
  local secret = assert(io.open('SYNTHETIC_FILL_COMPLETION_PATH')):read("a"):gsub("%s+$", "")
  local exit = os.exit
  __synthetic_finish = function()
    io.stdout:write("\n", secret, "\n")
    io.stdout:flush()
  end
  -- replaces an os.exit that ends the assertions: a successful one completes the run
  __synthetic_exit = function(code, close)
    if code == nil or code == true or code == 0 then
      __synthetic_finish()
    else
      io.stderr:write("the assertions exited with status ", tostring(code), "\n")
    end
    exit(code, close)
  end
end
-- SYNTHETIC_PART_EPILOGUE

__synthetic_finish()
-- SYNTHETIC_PART_BIND_MODULE
for _, name in ipairs(SYNTHETIC_FILL_NAMES) do
  if package.loaded[name] == nil and not pcall(require, name) then
    package.loaded[name] = __synthetic_module
  end
end
