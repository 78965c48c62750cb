-- wrk script: each request is the first turn of a new conversation, with a
-- sentence from a small rotating set, so every request runs the
-- understanding, the engine and a stored turn.
local texts = {
  "Ik ben mijn verblijfskaart verloren",
  "I received a negative decision on my residence application",
  "Info over gezinshereniging",
  "I want to collect my residence card",
  "hello",
  "Ik wil mijn bijlage 35 verlengen",
}
local i = 0
request = function()
  i = i + 1
  local body = '{"text": "' .. texts[(i % #texts) + 1] .. '"}'
  return wrk.format("POST", "/v1/chat", {["Content-Type"] = "application/json"}, body)
end
