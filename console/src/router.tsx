import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Client routes live under /console/ (the gateway answers index.html for any of them). */
export const BASE = '/console/';

export function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    addEventListener('popstate', update);
    return () => removeEventListener('popstate', update);
  }, []);
  return path.startsWith(BASE) ? path.slice(BASE.length).replace(/\/$/, '') : '';
}

export function navigate(route: string): void {
  history.pushState(null, '', BASE + route);
  dispatchEvent(new PopStateEvent('popstate'));
}

export function Link({ to, current, children }: { to: string; current: boolean; children: ComponentChildren }) {
  return (
    <a
      href={BASE + to}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}
