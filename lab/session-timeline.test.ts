import { describe, expect, it } from "vitest";
import { iceMilestones, parseAgentLog, sessionTimeline, type AgentLine } from "./session-timeline.ts";

const T0 = Date.parse("2026-12-07T04:34:33.000Z");
const at = (ms: number) => new Date(T0 + ms).toISOString();
const line = (ms: number, event: string, extra: Partial<AgentLine> = {}): AgentLine => ({ t: at(ms), event, sessionId: "s1", ...extra });

// A punched session as the lab logs it: the page's clock starts 10 000 ms before T0.
const marks = { timeOrigin: T0 - 10_000, offerReceived: T0 + 300, connected: T0 + 1190 };
const timings = { clickAt: 10_000, ticketAt: 10_050, socketOpenAt: 10_110, welcomeAt: 10_120, iceConnectedAt: 11_000, dtlsConnectedAt: 11_190, firstFrameAt: 11_400 };
const agent: AgentLine[] = [
  line(200, "session_mark", { mark: "start_received" }),
  line(260, "session_offer_sent"),
  line(420, "session_mark", { mark: "answer_received" }),
  line(900, "session_ice_nomination", { trace: "+120 host>prflx:198.51.100.22:43373 succeeded after 1 sent; +120 nominate host>prflx:198.51.100.22:43373; pending direct: none; +181 nominated host>prflx:198.51.100.22:43373" }),
  line(1200, "session_connected"),
  line(1210, "session_mark", { mark: "first_rtp_sent" }),
  line(5000, "session_ice_nomination", { trace: "restart 1, nominated 351 ms after it: +34 host>srflx:1.2.3.4:5 succeeded after 1 sent; +35 nominated host>srflx:1.2.3.4:5" }),
  { ...line(50, "session_offer_sent"), sessionId: "other" },
];

describe("session timeline", () => {
  it("puts the page's and the agent's timestamps on one clock and splits tap to first frame into phases that add up", () => {
    const tl = sessionTimeline("s1", marks, timings, agent);
    expect(tl.ttffMs).toBe(1400);
    expect(tl.phases).toEqual({ signaling: 300, candidates: 419, iceChecks: 120, nomination: 61, dtls: 300, firstFrame: 200 });
    expect(Object.values(tl.phases).reduce<number>((s, v) => s + (v ?? 0), 0)).toBe(tl.ttffMs);
    expect(tl.signaling).toEqual({ toCamera: 200, cameraToOffer: 60, offerTransit: 40, toTicket: 50, ticketToSocket: 60, socketToCamera: 90, toWelcome: 120 });
    expect(tl.at.firstRtpSent).toBe(T0 + 1210);
  });

  it("reads the first connect's nomination, not a later restart's, and ignores other sessions' lines", () => {
    const tl = sessionTimeline("s1", marks, timings, [...agent].reverse());
    expect(tl.at.nominated).toBe(T0 + 900);
    expect(tl.at.offerSent).toBe(T0 + 260);
  });

  it("takes DTLS as up when the later of the two sides says so", () => {
    const tl = sessionTimeline("s1", { ...marks, connected: T0 + 1300 }, timings, agent);
    expect(tl.at.dtlsConnected).toBe(T0 + 1300);
    expect(tl.phases.firstFrame).toBe(100);
  });

  it("leaves a phase unknown when an agent without the newer events did not log its boundary", () => {
    const old = agent.filter((l) => l.event !== "session_mark");
    const tl = sessionTimeline("s1", marks, timings, old);
    expect(tl.signaling.toCamera).toBeNull();
    expect(tl.signaling.cameraToOffer).toBeNull();
    expect(tl.phases.signaling).toBe(300);
    expect(tl.at.firstRtpSent).toBeUndefined();
    // An older PWA has no grant or socket timings.
    const bare = sessionTimeline("s1", marks, { clickAt: 10_000, firstFrameAt: 11_400 }, agent);
    expect([bare.signaling.toTicket, bare.signaling.ticketToSocket, bare.signaling.socketToCamera]).toEqual([null, null, null]);
  });

  it("cannot place the checks' start when the nomination trace was cut before its nominated entry", () => {
    expect(iceMilestones(line(900, "session_ice_nomination", { trace: "+10 relay>relay:1.2.3.4:5 succeeded after 1 sent; +11 hold relay" }))).toEqual({ nominated: T0 + 900 });
  });

  it("parses the agent log's JSON lines and skips everything else", () => {
    const text = [`[agent] ${JSON.stringify(agent[0])}`, "ffmpeg: frame=1", JSON.stringify({ t: at(1), event: "agent_started" }), JSON.stringify(agent[1]), "{broken"].join("\n");
    expect(parseAgentLog(text).map((l) => l.event)).toEqual(["session_mark", "session_offer_sent"]);
  });
});
