// Why: push-to-talk like an intercom handset: hold the button (pointer, or Space while it has
// focus) to speak through the camera, let go to listen. The camera gives one person the floor at
// a time; everyone sees who is talking, and a refusal says why in plain words.
import { useEffect, useRef, useState } from "preact/hooks";
import { ControlRequestError, type ControlClient } from "../../session/control-client.ts";
import { TalkMediaError } from "../../session/talk-sender.ts";
import type { ViewerSession } from "../../session/viewer-session.ts";

export interface TalkButtonProps {
  client: ControlClient;
  session: ViewerSession;
}

type Phase = "idle" | "opening" | "requesting" | "talking";

interface TalkProblem {
  code: string;
  text: string;
}

/** A failure in words the person can act on; the camera's own reason where it gave one. */
export function describeTalkError(e: unknown): TalkProblem {
  if (e instanceof TalkMediaError) return { code: e.code, text: e.message };
  if (!(e instanceof ControlRequestError)) return { code: "internal", text: "Talking failed in this browser. Try again." };
  switch (e.code) {
    case "busy":
      return { code: e.code, text: `${e.message} Try again when they finish.` };
    case "forbidden":
      return { code: e.code, text: "Your access to this camera does not include talking." };
    case "unsupported":
      return { code: e.code, text: e.message || "This camera cannot play sound." };
    case "timeout":
      return { code: e.code, text: "The camera did not answer. Try again." };
    case "unavailable":
      return { code: e.code, text: "The connection to the camera closed." };
    default:
      return { code: e.code, text: `The camera could not start talking: ${e.message}` };
  }
}

export function TalkButton({ client, session }: TalkButtonProps) {
  const [phase, setPhaseState] = useState<Phase>("idle");
  const [other, setOther] = useState<string | null>(null);
  const [problem, setProblem] = useState<TalkProblem | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  /** The button is held down now (pointer or Space). */
  const held = useRef(false);
  const phaseRef = useRef<Phase>("idle");
  const setPhase = (p: Phase) => {
    phaseRef.current = p;
    setPhaseState(p);
  };

  /** Gives up the microphone and, if we had it, the floor. */
  const hangUp = async (hadFloor: boolean): Promise<void> => {
    await session.talk?.stop();
    if (hadFloor) await client.request("talk.stop", {}).catch(() => undefined);
  };

  useEffect(
    () =>
      client.on("talk.state", (s) => {
        setOther(s.you ? null : s.by);
        // "X is talking, try again" is stale once the floor changes hands.
        setProblem((p) => (p?.code === "busy" ? null : p));
        // We were talking and the camera says we no longer are (silence timeout, or it restarted).
        if (!s.you && phaseRef.current === "talking") {
          held.current = false;
          setPhase("idle");
          void session.talk?.stop();
          setProblem({ code: "floor_lost", text: "Talking stopped: the camera stopped hearing you." });
        }
      }),
    [client, session],
  );

  // Leaving the page (or the session ending) while talking hands the floor back.
  useEffect(
    () => () => {
      if (phaseRef.current === "talking") void hangUp(true);
      else void session.talk?.stop();
    },
    [client, session],
  );

  /**
   * Runs straight from the pointerdown / keydown handler: getUserMedia (in openMic) is called
   * synchronously within that user gesture. It is the only place the microphone is asked for:
   * no page load or session start does, so the permission prompt only ever follows a press.
   */
  const start = async (): Promise<void> => {
    if (held.current || phaseRef.current !== "idle") return;
    held.current = true;
    setProblem(null);
    setHint(null);
    const talk = session.talk;
    let hasFloor = false;
    try {
      if (!talk) throw new TalkMediaError("no_audio_path", "Not connected to the camera.");
      // The microphone first: a refused or missing mic never takes the floor, and the first-time
      // permission prompt does not hold it while the person decides.
      setPhase("opening");
      await talk.openMic();
      if (!held.current) {
        await hangUp(false);
        setHint("Microphone ready. Hold the button to talk.");
        return setPhase("idle");
      }
      setPhase("requesting");
      await client.request("talk.start", {});
      hasFloor = true;
      if (!held.current) {
        await hangUp(true);
        return setPhase("idle");
      }
      await talk.send();
      setPhase("talking");
    } catch (e) {
      held.current = false;
      await hangUp(hasFloor);
      setProblem(describeTalkError(e));
      setPhase("idle");
    }
  };

  const release = (): void => {
    if (!held.current) return;
    held.current = false;
    // A start still in flight sees `held` false and cleans up itself.
    if (phaseRef.current !== "talking") return;
    setPhase("idle");
    void hangUp(true);
  };

  const talking = phase === "talking";
  const status = talking
    ? "Talking…"
    : phase === "opening"
      ? "Opening the microphone…"
      : phase === "requesting"
        ? "Connecting to the camera's speaker…"
        : problem
          ? problem.text
          : other
            ? `${other} is talking`
            : hint;

  return (
    <div class="talk" data-talking={talking ? "me" : other ? "other" : "none"}>
      <button
        type="button"
        class={`btn talk__button${talking ? " talk__button--on" : ""}`}
        data-testid="talk-button"
        aria-pressed={talking}
        // Hold-to-talk: pointer capture keeps the release even when the finger slides off.
        onPointerDown={(e) => {
          if (e.button !== 0) return;
          e.currentTarget.setPointerCapture(e.pointerId);
          void start();
        }}
        onPointerUp={release}
        onPointerCancel={release}
        onLostPointerCapture={release}
        onKeyDown={(e) => {
          if (e.key !== " " && e.key !== "Spacebar") return;
          e.preventDefault(); // no page scroll, no click
          if (!e.repeat) void start();
        }}
        onKeyUp={(e) => {
          if (e.key !== " " && e.key !== "Spacebar") return;
          e.preventDefault();
          release();
        }}
        onBlur={release}
        onContextMenu={(e) => e.preventDefault()} // a long press must not open the menu on phones
      >
        {talking ? "Talking… release to stop" : "Hold to talk"}
      </button>
      <span class="talk__state" data-testid="talk-state" role="status" aria-live="polite" {...(problem && !talking ? { "data-error-code": problem.code } : {})}>
        {status ?? ""}
      </span>
    </div>
  );
}
