request = function()
  return wrk.format("POST", "/echo", {["Content-Type"] = "application/json"}, '{"text": "Ik ben mijn verblijfskaart verloren"}')
end
