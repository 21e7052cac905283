// A forced relay in both engines: the owner opens the camera with ?relay=1 (iceTransportPolicy
// "relay") in Debian's Chromium and in Debian's Firefox ESR, and watches through a real local
// coturn with TURN REST credentials the edge minted for that session. The control and bulk
// data channels ride the same relayed DTLS association: PTZ answers and a snapshot arrives.
// Loopback peers are allowed on THIS coturn only (coturn-policy.e2e.test.ts checks the shipped
// config refuses them).
import { afterAll, beforeAll, expect } from "vitest";
import { readJpegInfo } from "../../device-agent/src/controls/snapshot/jpeg-info.ts";
import { ffmpegAvailable } from "../../device-agent/src/media/ffmpeg-source.ts";
import { RELAY_REASONS } from "../../web/src/lib/relay-reason.ts";
import { signIn } from "./support/accounts.ts";
import { createDiagnostics } from "./support/diagnostics.ts";
import {
  decodedCodec,
  describeInEachEngine,
  EXPECTED_CODEC,
  expectCameraSentCodec,
  expectLivePicture,
  sessionIdOf,
  waitForPathKind,
  watchSignedIn,
} from "./support/engine-suite.ts";
import { startTestStack } from "./support/local-stack.ts";
import { pageControl, readState, testId } from "./support/pwa.ts";

let stack: Awaited<ReturnType<typeof startTestStack>>;
const diagnostics = createDiagnostics(() => stack.logs);

beforeAll(async () => {
  if (!ffmpegAvailable()) throw new Error('ffmpeg is not installed: this test needs the Debian package "ffmpeg" (npm test installs it when run as root).');
  stack = await startTestStack("cross-browser-relay", { agentArgs: ["--ptz", "virtual"], turn: true });
  expect(stack.coturn, "coturn (Debian package `coturn`) must be installed for this test").toBeDefined();
  if (!stack.camera.owner) throw new Error("this e2e needs the demo owner account");
});

afterAll(async () => {
  await stack?.stop();
});

describeInEachEngine("forced relay", diagnostics, {}, ({ engine, page: tab, flow }) => {
  flow(`plays the camera through the TURN relay with this session's credentials, and PTZ and snapshots work on it`, async () => {
    const page = tab();
    await signIn(page, stack.url, stack.camera.owner!.email, stack.camera.owner!.password);
    // ?relay=1 is read when the app loads: open the camera page with it.
    await watchSignedIn(page, `${stack.url}/cameras/${stack.camera.serial}?relay=1`);
    await expectLivePicture(page);
    expect(await waitForPathKind(page)).toBe("relay");
    const state = (await readState(page)) as Awaited<ReturnType<typeof readState>> & { relayReason?: string | null };
    expect(state.relayReason).toBe(RELAY_REASONS.forced);
    expect(await page.textContent(testId("path-label"))).toMatch(/Relay/);
    expect(await decodedCodec(page)).toBe(EXPECTED_CODEC[engine]);
    // The edge minted this session's TURN credentials: coturn saw an allocation for "<exp>:<sid>".
    const sessionId = await sessionIdOf(page);
    expect(stack.coturn!.log()).toMatch(new RegExp(`username=<\\d+:${sessionId}>`));
    expectCameraSentCodec(stack.logs, sessionId, EXPECTED_CODEC[engine]);

    // The control channel: PTZ answers over the relay.
    const move = await pageControl(page, "ptz.move", { pan: 0.5, tilt: 0, zoom: 0, timeoutMs: 300 });
    expect(move.ok, JSON.stringify(move)).toBe(true);
    const status = await pageControl(page, "ptz.status", {});
    expect(status.ok, JSON.stringify(status)).toBe(true);
    // The bulk channel: a snapshot comes through whole.
    const { bytes } = await page.download(testId("snapshot-button"), 20_000);
    expect([...bytes.subarray(-2)]).toEqual([0xff, 0xd9]);
    expect(readJpegInfo(bytes)?.width).toBeGreaterThan(0);
    expect((await readState(page)).pathKind).toBe("relay");
  });
});
