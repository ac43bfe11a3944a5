-- bench/write.lua: start-job writes for wrk.
--
--   wrk -t2 -c64 -d10s --latency -s bench/write.lua http://127.0.0.1:PORT/api/v1/BatchTask
--
-- Every request is POST /api/v1/BatchTask with the JSON BatchTaskInfo
-- {"Name":"bench"} and Basic credentials (tje0:Tje0, the demo data's
-- onsite login); each one creates a task. The answer is the new task's Id.
wrk.method = "POST"
wrk.body = '{"Name":"bench"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Basic dGplMDpUamUw"
