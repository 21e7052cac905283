// Why: a phone moving between Wi-Fi and mobile data keeps its peer connection on a dead path
// until consent checks fail (RFC 7675, ~30 s); the browser's own network events let the
// session ask for an ICE restart at once instead.

/** Calls `onChange` on `online` and on a Network Information API change (Wi-Fi ↔ mobile). */
export function watchNetwork(onChange: () => void): () => void {
  if (typeof window === "undefined") return () => {};
  const connection = (navigator as Navigator & { connection?: EventTarget }).connection;
  window.addEventListener("online", onChange);
  connection?.addEventListener("change", onChange);
  return () => {
    window.removeEventListener("online", onChange);
    connection?.removeEventListener("change", onChange);
  };
}
