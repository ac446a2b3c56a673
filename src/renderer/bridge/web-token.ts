// The web host hands its per-launch token in the URL fragment (never sent to the server, never
// logged). The page moves it into sessionStorage, so a reload keeps working, and out of the address bar.
const STORAGE_KEY = 'ventana.webHostToken';

export function takeWebHostToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  if (fromHash) {
    window.sessionStorage.setItem(STORAGE_KEY, fromHash);
    window.history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  return window.sessionStorage.getItem(STORAGE_KEY);
}
