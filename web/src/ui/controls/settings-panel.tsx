// Why: the owner's view of what the camera itself stores (settings.get / settings.set over the
// data channel): its own name, time zone, microphone, picture, stream profiles and recording.
// Save sends only what changed; a value the camera refuses shows the camera's reason next to
// that field; another owner's change arrives live (settings.changed) without losing edits.
// Account matters (viewer limit, the name in "My cameras", sharing) live at the edge, in the
// owner's Settings card on this page, and are linked rather than repeated here.
import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { NIGHT_MODES, RECORDING_MODES, type DeviceFeatures, type DeviceSettings, type Quality, type QualityProfile } from "../../../../protocol/controls.ts";
import { browserTimeZones, errorSlot, parseWholeNumber, sizeKey, sizeOptions, timeZoneOptions, type SettingsSlot } from "../../lib/settings-fields.ts";
import { diffSettings, isEmptyPatch, rebaseDraft } from "../../lib/settings-patch.ts";
import { settingsSections } from "../../lib/settings-sections.ts";
import { ControlRequestError, type ControlClient } from "../../session/control-client.ts";

export interface SettingsPanelProps {
  client: ControlClient;
  features: DeviceFeatures;
}

type Errors = Partial<Record<SettingsSlot, string>>;

const NIGHT_LABELS: Record<(typeof NIGHT_MODES)[number], string> = { auto: "Automatic", on: "Always on", off: "Off" };
const RECORDING_LABELS: Record<(typeof RECORDING_MODES)[number], string> = { off: "Off", continuous: "Continuous", "on-demand": "On demand" };
const QUALITY_LABELS: Record<Quality, string> = { sd: "SD", hd: "HD" };

/** The camera's message without the "field: " prefix it starts with (the field is shown by place). */
function deviceReason(e: ControlRequestError): string {
  return e.field && e.message.startsWith(`${e.field}: `) ? e.message.slice(e.field.length + 2) : e.message;
}

function describeLoadError(e: unknown): string {
  if (e instanceof ControlRequestError && e.code === "timeout") return "The camera did not send its settings in time.";
  if (e instanceof ControlRequestError && e.code === "unavailable") return "The connection to the camera is closed.";
  return `The camera's settings could not be loaded: ${(e as Error).message}`;
}

function FieldError({ slot, errors }: { slot: SettingsSlot; errors: Errors }) {
  const msg = errors[slot];
  if (!msg) return null;
  return (
    <span class="device-settings__error" role="alert" data-testid="device-settings-error" data-field={slot}>
      {msg}
    </span>
  );
}

function Section(p: { title: string; testId: string; enabled: boolean; reason: string | null; children: ComponentChildren }) {
  return (
    <fieldset class="device-settings__section" data-testid={p.testId} disabled={!p.enabled} aria-disabled={!p.enabled}>
      <legend class="device-settings__legend">{p.title}</legend>
      {!p.enabled && p.reason && <p class="field__hint" data-testid={`${p.testId}-reason`}>{p.reason}</p>}
      {p.children}
    </fieldset>
  );
}

/** Scrolls to the owner's account Settings card (viewer limit) on this page. */
function goToAccountSettings(e: Event): void {
  const target = document.querySelector<HTMLElement>('[data-testid="settings-max-viewers"]') ?? document.querySelector<HTMLElement>('[data-testid="settings-panel"]');
  if (!target) return;
  e.preventDefault();
  target.scrollIntoView({ behavior: "smooth", block: "center" });
  target.focus({ preventScroll: true });
}

export function SettingsPanel({ client, features }: SettingsPanelProps) {
  const [form, setForm] = useState<{ base: DeviceSettings; draft: DeviceSettings } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  /** Number fields as typed, while they hold something that is not a whole number. */
  const [typed, setTyped] = useState<Partial<Record<SettingsSlot, string>>>({});
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let alive = true;
    // An event that overtook the reply is newer than the reply: it wins.
    let changedMeanwhile = false;
    setLoadError(null);
    client.request("settings.get", {}).then(
      (r) => alive && !changedMeanwhile && setForm({ base: r.settings, draft: r.settings }),
      (e: unknown) => alive && setLoadError(describeLoadError(e)),
    );
    // Another owner (or this one, from another tab) changed something: follow it, keep edits.
    const off = client.on("settings.changed", ({ settings }) => {
      changedMeanwhile = true;
      setForm((f) => (f ? { base: settings, draft: rebaseDraft(f.base, settings, f.draft) } : { base: settings, draft: settings }));
    });
    return () => {
      alive = false;
      off();
    };
  }, [client]);

  const sections = settingsSections(features);
  const zones = form ? timeZoneOptions(browserTimeZones(), form.base.timeZone) : [];
  const patch = form ? diffSettings(form.base, form.draft) : {};
  const localErrors = Object.keys(typed).length > 0 || (form !== null && form.draft.name.trim() === "");
  const dirty = !isEmptyPatch(patch);

  const edit = (fn: (d: DeviceSettings) => DeviceSettings, slot?: SettingsSlot) => {
    setSaved(false);
    if (slot) setErrors(({ [slot]: _drop, general: _g, ...rest }) => rest);
    setForm((f) => (f ? { ...f, draft: fn(f.draft) } : f));
  };

  const setNumber = (slot: SettingsSlot, text: string, apply: (d: DeviceSettings, n: number) => DeviceSettings) => {
    const n = parseWholeNumber(text);
    setTyped(({ [slot]: _old, ...rest }) => (n === null ? { ...rest, [slot]: text } : rest));
    if (n !== null) edit((d) => apply(d, n), slot);
    else setErrors((e) => ({ ...e, [slot]: "Enter a whole number." }));
  };

  const setProfile = (q: Quality, change: Partial<QualityProfile>) => (d: DeviceSettings): DeviceSettings => ({
    ...d,
    quality: { ...d.quality, [q]: { ...d.quality[q], ...change } },
  });

  const save = async () => {
    if (!form || !dirty || localErrors) return;
    setSaving(true);
    setSaved(false);
    setErrors({});
    const sentFrom = form.base;
    try {
      const r = await client.request("settings.set", { patch });
      setForm((f) => (f ? { base: r.settings, draft: rebaseDraft(sentFrom, r.settings, f.draft) } : f));
      setSaved(true);
    } catch (e) {
      if (e instanceof ControlRequestError) {
        if (e.code === "invalid_value") setErrors({ [errorSlot(e.field)]: deviceReason(e) });
        else if (e.code === "forbidden") setErrors({ general: "Only the camera's owner can change its settings." });
        else setErrors({ general: e.message });
      } else setErrors({ general: "The settings could not be sent to the camera." });
    } finally {
      setSaving(false);
    }
  };

  const numberInput = (slot: SettingsSlot, value: number, apply: (d: DeviceSettings, n: number) => DeviceSettings, testId: string, attrs: { label: string; unit?: string }) => (
    <label class="field device-settings__num">
      <span class="field__label">{attrs.label}</span>
      <span class="device-settings__unit">
        <input
          class={`field__input${errors[slot] ? " field__input--bad" : ""}`}
          inputMode="numeric"
          data-testid={testId}
          value={typed[slot] ?? String(value)}
          aria-invalid={Boolean(errors[slot])}
          onInput={(e) => setNumber(slot, e.currentTarget.value, apply)}
        />
        {attrs.unit && <span class="field__hint">{attrs.unit}</span>}
      </span>
      <FieldError slot={slot} errors={errors} />
    </label>
  );

  return (
    <section class="card device-settings" data-testid="device-settings">
      <button type="button" class="device-settings__toggle" aria-expanded={open} data-testid="device-settings-toggle" onClick={() => setOpen(!open)}>
        <span class="card__title">Camera settings</span>
        <span class="field__hint">Stored on the camera: its own name, clock, microphone, picture, streams and recording.</span>
      </button>
      {open && (
        <div class="device-settings__body">
          {loadError && <p class="form__error" role="alert" data-testid="device-settings-load-error">{loadError}</p>}
          {!form && !loadError && <p class="muted">Loading the camera's settings…</p>}
          {form && (
            <form
              class="device-settings__form"
              novalidate
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              <Section title="Camera" testId="device-settings-general" enabled reason={null}>
                <label class="field">
                  <span class="field__label">Camera's own name</span>
                  <input
                    class={`field__input${errors.name ? " field__input--bad" : ""}`}
                    data-testid="device-settings-name"
                    value={form.draft.name}
                    maxLength={64}
                    onInput={(e) => {
                      const v = e.currentTarget.value;
                      edit((d) => ({ ...d, name: v }), "name");
                    }}
                  />
                  <span class="field__hint">
                    The camera keeps this name and tells everyone watching it. The name in your camera list is your account's label for it, set in{" "}
                    <a href="#account-settings" onClick={goToAccountSettings}>Settings</a>.
                  </span>
                  {form.draft.name.trim() === "" && <span class="device-settings__error" role="alert">Enter a name.</span>}
                  <FieldError slot="name" errors={errors} />
                </label>
                <label class="field">
                  <span class="field__label">Time zone</span>
                  <select
                    class="field__input"
                    data-testid="device-settings-timezone"
                    value={form.draft.timeZone}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      edit((d) => ({ ...d, timeZone: v }), "timeZone");
                    }}
                  >
                    {zones.map((z) => <option key={z} value={z}>{z.replace(/_/g, " ")}</option>)}
                  </select>
                  <span class="field__hint">For the camera's clock: recording times and overlays.</span>
                  <FieldError slot="timeZone" errors={errors} />
                </label>
                <label class="toggle">
                  <input
                    type="checkbox"
                    data-testid="device-settings-audio"
                    checked={form.draft.audio}
                    onChange={(e) => {
                      const v = e.currentTarget.checked;
                      edit((d) => ({ ...d, audio: v }), "audio");
                    }}
                  />
                  <span>
                    <span class="toggle__label">Camera microphone</span>
                    <span class="field__hint">Send the sound the camera hears to everyone watching.</span>
                    <FieldError slot="audio" errors={errors} />
                  </span>
                </label>
                <p class="field__hint" data-testid="device-settings-viewer-limit">
                  How many people may watch at once is an account setting: <a href="#account-settings" onClick={goToAccountSettings}>Viewers at once</a> in Settings.
                </p>
              </Section>

              <Section title="Picture" testId="device-settings-image" enabled={sections.image.enabled} reason={sections.image.reason}>
                <div class="device-settings__row">
                  <label class="toggle">
                    <input type="checkbox" data-testid="device-settings-flip" checked={form.draft.image.flip} onChange={(e) => {
                      const v = e.currentTarget.checked;
                      edit((d) => ({ ...d, image: { ...d.image, flip: v } }), "image.flip");
                    }} />
                    <span><span class="toggle__label">Upside down</span><span class="field__hint">For a camera mounted on the ceiling.</span></span>
                  </label>
                  <label class="toggle">
                    <input type="checkbox" data-testid="device-settings-mirror" checked={form.draft.image.mirror} onChange={(e) => {
                      const v = e.currentTarget.checked;
                      edit((d) => ({ ...d, image: { ...d.image, mirror: v } }), "image.mirror");
                    }} />
                    <span><span class="toggle__label">Mirror</span><span class="field__hint">Swap left and right.</span></span>
                  </label>
                </div>
                <FieldError slot="image.flip" errors={errors} />
                <FieldError slot="image.mirror" errors={errors} />
                <label class="field">
                  <span class="field__label">Night mode</span>
                  <select class="field__input" data-testid="device-settings-night" value={form.draft.image.night} onChange={(e) => {
                    const v = e.currentTarget.value as DeviceSettings["image"]["night"];
                    edit((d) => ({ ...d, image: { ...d.image, night: v } }), "image.night");
                  }}>
                    {NIGHT_MODES.map((m) => <option key={m} value={m}>{NIGHT_LABELS[m]}</option>)}
                  </select>
                  <FieldError slot="image.night" errors={errors} />
                </label>
              </Section>

              <Section title="Streams" testId="device-settings-quality" enabled={sections.quality.enabled} reason={sections.quality.reason}>
                <p class="field__hint">The camera sends SD to save data and HD for detail; each viewer picks one under the picture.</p>
                {(["sd", "hd"] as const).map((q) => {
                  const prof = form.draft.quality[q];
                  const on = sections.quality.profiles[q];
                  const sizeSlot = `quality.${q}.size` as const;
                  return (
                    <fieldset key={q} class="device-settings__profile" disabled={!on} data-testid={`device-settings-${q}`}>
                      <legend class="device-settings__legend">{QUALITY_LABELS[q]}{!on && sections.quality.enabled ? " (this camera does not stream it)" : ""}</legend>
                      <div class="device-settings__row">
                        <label class="field">
                          <span class="field__label">Resolution</span>
                          <select
                            class={`field__input${errors[sizeSlot] ? " field__input--bad" : ""}`}
                            data-testid={`device-settings-${q}-size`}
                            value={sizeKey(prof.width, prof.height)}
                            onChange={(e) => {
                              const pick = sizeOptions(prof).find((s) => s.key === e.currentTarget.value);
                              if (pick) edit(setProfile(q, { width: pick.width, height: pick.height }), sizeSlot);
                            }}
                          >
                            {sizeOptions(prof).map((s) => <option key={s.key} value={s.key}>{s.width}×{s.height}</option>)}
                          </select>
                          <FieldError slot={sizeSlot} errors={errors} />
                        </label>
                        {numberInput(`quality.${q}.fps`, prof.fps, (d, n) => setProfile(q, { fps: n })(d), `device-settings-${q}-fps`, { label: "Frame rate", unit: "fps" })}
                        {numberInput(`quality.${q}.bitrateKbps`, prof.bitrateKbps, (d, n) => setProfile(q, { bitrateKbps: n })(d), `device-settings-${q}-bitrate`, { label: "Bitrate", unit: "kbit/s" })}
                      </div>
                    </fieldset>
                  );
                })}
              </Section>

              <Section title="Recording" testId="device-settings-recording" enabled={sections.recording.enabled} reason={sections.recording.reason}>
                <div class="device-settings__row">
                  <label class="field">
                    <span class="field__label">Record</span>
                    <select class="field__input" data-testid="device-settings-recording-mode" value={form.draft.recording.mode} onChange={(e) => {
                      const v = e.currentTarget.value as DeviceSettings["recording"]["mode"];
                      edit((d) => ({ ...d, recording: { ...d.recording, mode: v } }), "recording.mode");
                    }}>
                      {RECORDING_MODES.map((m) => <option key={m} value={m}>{RECORDING_LABELS[m]}</option>)}
                    </select>
                    <FieldError slot="recording.mode" errors={errors} />
                  </label>
                  {numberInput("recording.retentionMb", form.draft.recording.retentionMb, (d, n) => ({ ...d, recording: { ...d.recording, retentionMb: n } }), "device-settings-retention", { label: "Keep up to", unit: "MB (oldest recordings are deleted first)" })}
                </div>
              </Section>

              <FieldError slot="general" errors={errors} />
              <div class="device-settings__actions">
                <button type="submit" class="btn btn--primary btn--small" data-testid="device-settings-save" disabled={!dirty || localErrors || saving}>
                  {saving ? "Saving…" : "Save"}
                </button>
                <button
                  type="button"
                  class="btn btn--ghost btn--small"
                  data-testid="device-settings-discard"
                  disabled={!dirty || saving}
                  onClick={() => {
                    setErrors({});
                    setTyped({});
                    setForm((f) => (f ? { ...f, draft: f.base } : f));
                  }}
                >
                  Discard changes
                </button>
                {saved && !dirty && <span class="field__hint" data-testid="device-settings-saved">Saved on the camera.</span>}
              </div>
            </form>
          )}
        </div>
      )}
    </section>
  );
}
