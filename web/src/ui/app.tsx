// Why: the PWA's shell — who is signed in, which screen the URL names, and the one
// ViewerSession every live screen shares. Screens arrange state; they own no connection.
import type { ComponentChildren, RefObject } from "preact";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { isValidAccessCode, isValidSerial, normalizeAccessCode, normalizeSerial, parsePrefill } from "../lib/prefill.ts";
import { describePresence } from "../lib/presence-text.ts";
import type { Route } from "../lib/router.ts";
import { needsAccount } from "../lib/router.ts";
import type { UiError } from "../lib/session-state.ts";
import { setDebugUser } from "../session/debug-handle.ts";
import type { SessionStore } from "../session/store.ts";
import { ViewerSession } from "../session/viewer-session.ts";
import { AddCamera } from "./add-camera.tsx";
import { AuthCard } from "./auth-card.tsx";
import { CameraList } from "./camera-list.tsx";
import { CameraPage } from "./camera-page.tsx";
import { ConnectForm } from "./connect-form.tsx";
import { ConnectionTestPage } from "./connection-test-page.tsx";
import { FormError } from "./form-error.tsx";
import { EventsPage } from "./events-page.tsx";
import { LiveView } from "./live-view.tsx";
import { MultiView } from "./multi-view.tsx";
import { OpsPage } from "./ops/index.ts";
import { TopBar } from "./top-bar.tsx";
import { useAuth, type Auth } from "./use-auth.ts";
import { useCameras } from "./use-cameras.ts";
import { useCountdown } from "./use-countdown.ts";
import { usePresence } from "./use-presence.ts";
import { linkTo, navigate, useRoute } from "./use-route.ts";
import { useSessionState } from "./use-session-state.ts";

const LAST_SERIAL_KEY = "porthole.lastSerial";

function initialFields(): { serial: string; code: string; fromLink: boolean } {
  const prefill = parsePrefill(location.search, location.hash);
  let remembered = "";
  try {
    remembered = localStorage.getItem(LAST_SERIAL_KEY) ?? "";
  } catch {
    /* storage disabled */
  }
  return { serial: prefill.serial ?? remembered, code: prefill.accessCode ?? "", fromLink: prefill.serial !== null };
}

/** Screens that hold a live session; leaving one ends it. */
const liveKey = (r: Route): string | null => (r.name === "watch" ? "watch" : r.name === "camera" ? `camera:${r.serial}` : null);

export function App({ store }: { store: SessionStore }) {
  const state = useSessionState(store);
  const videoRef = useRef<HTMLVideoElement>(null);
  const session = useMemo(() => new ViewerSession({ store, video: () => videoRef.current }), [store]);
  const auth = useAuth();
  const route = useRoute();
  const [fields] = useState(initialFields);
  const [serial, setSerial] = useState(fields.serial);
  const [code, setCode] = useState(fields.code);
  const [formError, setFormError] = useState<UiError | null>(null);
  const [waitUntil, setWaitUntil] = useState<number | null>(null);
  const waitSeconds = useCountdown(waitUntil);
  const serialRef = useRef<HTMLInputElement>(null);
  const codeRef = useRef<HTMLInputElement>(null);

  const signedIn = auth.state.status === "signed-in" ? auth.state.me : null;
  const active = state.phase === "connecting" || state.phase === "live" || state.phase === "reconnecting";
  const codeFormShown = auth.state.status === "signed-out" ? route.name === "home" || route.name === "watch" : route.name === "watch";
  const presenceResult = usePresence(serial, codeFormShown && !active, state.error?.code);
  const presence = presenceResult.presence ? describePresence(presenceResult.presence, Date.now()) : null;
  const presenceNote = presenceResult.errorCode === "device_not_found" ? "No camera has this serial" : null;

  // A rate limit starts a countdown that disables Connect and Retry.
  useEffect(() => {
    const e = state.error;
    if (e?.code === "rate_limited") setWaitUntil(Date.now() + (e.retryAfterSeconds ?? 60) * 1000);
  }, [state.error]);

  // Leaving the page ends the session cleanly (bye) instead of waiting for ICE to time out.
  useEffect(() => {
    const bye = () => session.disconnect();
    addEventListener("pagehide", bye);
    return () => removeEventListener("pagehide", bye);
  }, [session]);

  // Leaving a live screen (or switching cameras) ends its session.
  const key = liveKey(route);
  useEffect(() => {
    if (!key) return;
    return () => session.disconnect();
  }, [key, session]);

  useEffect(() => setDebugUser(signedIn?.user.email ?? null), [signedIn?.user.email]);

  // A label link (?serial=…#code=…) opened while signed in means "add this camera".
  useEffect(() => {
    if (signedIn && fields.fromLink && route.name === "home") navigate({ name: "add-camera" }, { replace: true, keepQuery: true });
  }, [signedIn !== null]);

  const connectWithCode = () => {
    const s = normalizeSerial(serial);
    const c = normalizeAccessCode(code);
    setSerial(s);
    if (!isValidSerial(s)) return setFormError({ code: "invalid_serial" });
    if (!isValidAccessCode(c)) return setFormError({ code: "invalid_access_code" });
    setFormError(null);
    try {
      localStorage.setItem(LAST_SERIAL_KEY, s);
    } catch {
      /* storage disabled */
    }
    if (route.name !== "watch") navigate({ name: "watch" });
    void session.connect(s, c);
  };

  const edit = (field: "serial" | "code") => {
    const input = (field === "serial" ? serialRef : codeRef).current;
    input?.focus();
    input?.select();
  };

  const codeForm = (
    <ConnectForm
      serial={serial}
      code={code}
      busy={false}
      waitSeconds={waitSeconds}
      presence={presence}
      presenceNote={presenceNote}
      serialRef={serialRef}
      codeRef={codeRef}
      onSerial={(v) => setSerial(v.toUpperCase())}
      onCode={setCode}
      onSubmit={connectWithCode}
    />
  );

  const signOut = () => {
    session.disconnect();
    void auth.signOut().then(() => navigate({ name: "home" }));
  };

  let body;
  if (route.name === "ops") {
    // Operators sign in with the admin token, not a user account (ops/ops-page.tsx).
    body = <OpsPage />;
  } else if (auth.state.status === "loading") {
    body = <main class="page"><p class="muted" data-testid="app-loading">Loading…</p></main>;
  } else if (route.name === "watch") {
    body = (
      <LiveView
        state={state}
        videoRef={videoRef}
        title={state.device?.name ?? presenceResult.presence?.name ?? null}
        serial={serial}
        idle={codeForm}
        formError={formError}
        waitSeconds={waitSeconds}
        lastSeen={presence?.lastSeen ?? null}
        onRetry={connectWithCode}
        session={session}
        role="code"
        onDisconnect={() => session.disconnect()}
        onEdit={edit}
        onSignIn={() => navigate({ name: "home" })}
      />
    );
  } else if (route.name === "not-found") {
    body = (
      <main class="page page--narrow">
        <div class="card">
          <h1 class="page__title">Page not found</h1>
          <p>There's nothing at {route.path}.</p>
          <a class="btn btn--small" {...linkTo({ name: "home" })}>Go home</a>
        </div>
      </main>
    );
  } else if (route.name === "connection-test") {
    // Signed out too: the edge checks run for anyone, the network part asks to sign in.
    body = <ConnectionTestPage key={route.camera ?? ""} signedIn={signedIn !== null} camera={route.camera ?? null} />;
  } else if (!signedIn) {
    body = (
      <Landing
        auth={auth}
        codeForm={codeForm}
        formError={formError}
        note={
          needsAccount(route)
            ? route.name === "camera"
              ? `Sign in to watch ${route.serial}.`
              : route.name === "multi"
                ? "Sign in to watch your cameras."
                : route.name === "events"
                  ? "Sign in to see what your cameras saw."
                  : "Sign in to add a camera."
            : fields.fromLink
              ? "Sign in to add this camera to your account — or watch it right away with the access code below."
              : null
        }
      />
    );
  } else {
    body = <SignedIn auth={auth} route={route} fields={fields} session={session} state={state} videoRef={videoRef} waitSeconds={waitSeconds} />;
  }

  return (
    <div class="app">
      <TopBar phase={state.phase} email={signedIn?.user.email ?? null} route={route} onSignOut={signOut} />
      {body}
    </div>
  );
}

function Landing({ auth, codeForm, formError, note }: { auth: Auth; codeForm: ComponentChildren; formError: UiError | null; note: string | null }) {
  return (
    <main class="page landing">
      <div class="landing__intro">
        <h1 class="page__title">Watch your cameras from anywhere</h1>
        <p class="muted">Live video goes straight from your camera to this device, encrypted. Sign in to see your cameras and share them.</p>
      </div>
      <div class="landing__grid">
        <AuthCard onSignedIn={auth.signedIn} note={note} />
        <section class="landing__code" data-testid="code-watch">
          <h2 class="card__title">Or watch with the label code</h2>
          {codeForm}
          <FormError error={formError} testId="error-message" />
        </section>
      </div>
    </main>
  );
}

interface SignedInProps {
  auth: Auth;
  route: Route;
  fields: { serial: string; code: string; fromLink: boolean };
  session: ViewerSession;
  state: ReturnType<typeof useSessionState>;
  videoRef: RefObject<HTMLVideoElement>;
  waitSeconds: number;
}

function SignedIn({ auth, route, fields, session, state, videoRef, waitSeconds }: SignedInProps) {
  const me = auth.state.status === "signed-in" ? auth.state.me : null;
  const cameras = useCameras(auth.expired);
  if (!me) return null;
  switch (route.name) {
    case "add-camera":
      return (
        <AddCamera
          initialSerial={fields.fromLink ? fields.serial : ""}
          initialCode={fields.fromLink ? fields.code : ""}
          onNotSignedIn={auth.expired}
          onClaimed={(c) => {
            cameras.reload();
            navigate({ name: "camera", serial: c.serial }, { replace: true });
          }}
        />
      );
    case "camera":
      return (
        <CameraPage
          key={route.serial}
          serial={route.serial}
          {...(route.event ? { event: route.event } : {})}
          me={me}
          cameras={cameras.cameras}
          state={state}
          session={session}
          videoRef={videoRef}
          waitSeconds={waitSeconds}
          reloadCameras={cameras.reload}
          onNotSignedIn={auth.expired}
        />
      );
    case "multi":
      return <MultiView cameras={cameras.cameras} error={cameras.error} />;
    case "events":
      return <EventsPage cameras={cameras.cameras} error={cameras.error} />;
    default:
      return <CameraList cameras={cameras.cameras} error={cameras.error} onSignOutEverywhere={async () => {
        session.disconnect();
        const r = await auth.signOutEverywhere();
        if (r.ok) navigate({ name: "home" });
        return r;
      }} />;
  }
}
