-- wrk script: city-size map views (0.5 x 0.35 degrees, 7 days) at random places along the reference workload's
-- front line and random weeks of its period (2025-01-01 .. 2025-06-30), so that no two requests need be alike.
-- Usage: wrk -t2 -c20 -d20s -s bench/web/map-views.lua http://127.0.0.1:5080
math.randomseed(2025)
local days = { "01", "08", "15", "21" }
local months = { "01", "02", "03", "04", "05", "06" }
request = function()
  local lon = 35.0 + math.random() * 4.0
  local lat = 47.0 + math.random() * 2.5
  local from = "2025-" .. months[math.random(#months)] .. "-" .. days[math.random(#days)] .. "T00:00:00Z"
  local to_day = tonumber(string.sub(from, 9, 10)) + 7
  local to = string.sub(from, 1, 8) .. string.format("%02d", to_day) .. "T00:00:00Z"
  local path = string.format("/api/map?bbox=%.4f,%.4f,%.4f,%.4f&from=%s&to=%s", lon, lat, lon + 0.5, lat + 0.35, from, to)
  return wrk.format("GET", path)
end
