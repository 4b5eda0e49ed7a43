"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { LiveAlertEvent } from "@/lib/monitoring/live-event";

const SOUND_KEY = "lantern.alerts.sound";
// The latest few new alerts stay on screen until the page is left.
const MAX_ANNOUNCEMENTS = 5;
const soundListeners = new Set<() => void>();

function subscribeSound(listener: () => void) {
  soundListeners.add(listener);
  return () => soundListeners.delete(listener);
}

function soundOn(): boolean {
  return window.localStorage.getItem(SOUND_KEY) === "on";
}

function setSound(on: boolean) {
  window.localStorage.setItem(SOUND_KEY, on ? "on" : "off");
  for (const listener of soundListeners) listener();
}

/** Two short tones: heard, not startling. Browsers allow it once the page has had a click (the toggle). */
function chime() {
  const context = new AudioContext();
  for (const [offset, frequency] of [
    [0, 880],
    [0.25, 660],
  ] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.2, context.currentTime + offset);
    gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + offset + 0.2);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(context.currentTime + offset);
    oscillator.stop(context.currentTime + offset + 0.2);
  }
  setTimeout(() => void context.close(), 1000);
}

/**
 * The inbox's live channel (docs/alerts.md): server-sent events from /api/alerts/stream. A new
 * alert, or an urgent one escalated because nobody acknowledged it, is announced in a role="alert" region (and, when the clinician turned the sound on, with a
 * chime for urgent ones), and the server-rendered list is refreshed in place, keeping the
 * filters, the sort and what was typed. After a dropped connection the list is refreshed too, so
 * nothing announced meanwhile is missed.
 */
export function LiveInbox() {
  const router = useRouter();
  const [state, setState] = useState<"connecting" | "connected" | "reconnecting">("connecting");
  const [announcements, setAnnouncements] = useState<{ key: string; text: string }[]>([]);
  const sound = useSyncExternalStore(subscribeSound, soundOn, () => false);
  const soundRef = useRef(sound);
  useEffect(() => {
    soundRef.current = sound;
  }, [sound]);

  useEffect(() => {
    const source = new EventSource("/api/alerts/stream");
    let dropped = false;
    source.onopen = () => {
      setState("connected");
      if (dropped) router.refresh();
      dropped = false;
    };
    source.onerror = () => {
      dropped = true;
      setState("reconnecting");
    };
    source.addEventListener("alert", (event) => {
      const alert = JSON.parse((event as MessageEvent<string>).data) as LiveAlertEvent;
      const what = `${alert.kindLabel}, ${alert.patientName}, since ${new Date(alert.startedAt).toISOString().slice(11, 16)} UTC.`;
      const text =
        alert.reason === "escalation"
          ? `Escalated, nobody has acknowledged it yet: ${alert.severityLabel.toLowerCase()} alert: ${what}`
          : `New ${alert.severityLabel.toLowerCase()} alert: ${what}`;
      setAnnouncements((shown) => [{ key: `${alert.reason}-${alert.id}`, text }, ...shown].slice(0, MAX_ANNOUNCEMENTS));
      if (alert.severity === "urgent" && soundRef.current) chime();
      router.refresh();
    });
    return () => source.close();
  }, [router]);

  return (
    <div className="panel live-inbox">
      <p className="meta" data-live-state={state}>
        Live updates: {state === "connected" ? "on" : state === "connecting" ? "connecting…" : "reconnecting…"}
      </p>
      <div className="field checkbox">
        <label>
          <input type="checkbox" checked={sound} onChange={(event) => setSound(event.target.checked)} /> Play a sound for new urgent alerts
        </label>
      </div>
      <div role="alert" className="notice live-cue">
        {announcements.map((announcement) => (
          <p key={announcement.key}>{announcement.text}</p>
        ))}
      </div>
    </div>
  );
}
