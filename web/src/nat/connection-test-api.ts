// Why: the test's one call to the edge (protocol/connection-test.ts), through the PWA's request()
// so errors arrive as stable codes (not_signed_in, rate_limited, no_access).
import { CONNECTION_TEST_PATH, ConnectionTestResponseSchema, type ConnectionTestResponse } from "../../../protocol/connection-test.ts";
import { request, type ApiResult } from "../session/api.ts";

export function fetchConnectionTest(camera: string | null): Promise<ApiResult<ConnectionTestResponse>> {
  return request(ConnectionTestResponseSchema, CONNECTION_TEST_PATH, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(camera ? { camera } : {}),
  });
}
