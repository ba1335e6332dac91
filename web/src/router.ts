/**
 * A tiny history router: `usePath()` re-renders on navigation, `navigate(path)` pushes a history entry,
 * `match(pattern, path)` extracts `:params`. Links use `<a href>` with `linkClick` for SPA navigation.
 */
import { type MouseEvent, useSyncExternalStore } from "react";

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => {
  for (const fn of listeners) fn();
});

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  for (const fn of listeners) fn();
}

export function usePath(): string {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => location.pathname + location.search,
  );
}

/** `match("/studies/:id", "/studies/abc")` → `{ id: "abc" }`, or null when the path does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split("/");
  const s = (path.split("?")[0] ?? "").split("/");
  if (p.length !== s.length) return null;
  const out: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    const a = p[i] ?? "";
    const b = s[i] ?? "";
    if (a.startsWith(":")) {
      if (b === "") return null;
      out[a.slice(1)] = decodeURIComponent(b);
    } else if (a !== b) return null;
  }
  return out;
}

/** onClick for `<a href>`: SPA navigation unless a modifier key asks for a new tab. */
export function linkClick(e: MouseEvent<HTMLAnchorElement>): void {
  if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = e.currentTarget.getAttribute("href");
  if (href === null || !href.startsWith("/") || href.startsWith("/api/")) return;
  e.preventDefault();
  navigate(href);
}
