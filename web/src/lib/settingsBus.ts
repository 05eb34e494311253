// Opening the Settings panel from anywhere (the sidebar, the model menu, a
// health banner), and telling the page that the models changed, without
// threading callbacks through every component in between.
import { useEffect } from 'react';

const OPEN = 'analyzer:open-settings';
const CHANGED = 'analyzer:models-changed';

export function openSettings() {
  window.dispatchEvent(new Event(OPEN));
}

export function modelsChanged() {
  window.dispatchEvent(new Event(CHANGED));
}

function useWindowEvent(name: string, fn: () => void) {
  useEffect(() => {
    window.addEventListener(name, fn);
    return () => window.removeEventListener(name, fn);
  }, [name, fn]);
}

export const useOpenSettings = (fn: () => void) => useWindowEvent(OPEN, fn);
export const useModelsChanged = (fn: () => void) => useWindowEvent(CHANGED, fn);
