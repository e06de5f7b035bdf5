import { useEffect, useState } from 'preact/hooks';
import { ErrorAlert } from './errors';
import { useResourcePages } from './pages/resources';

const REMEMBERED = 'calsync.resourceId';

/** The resource a page works on, shared by the pages of the tab (sessionStorage). */
export function useSelectedResource(): [string, (id: string) => void] {
  const [id, setId] = useState(() => sessionStorage.getItem(REMEMBERED) ?? '');
  return [
    id,
    (next) => {
      sessionStorage.setItem(REMEMBERED, next);
      setId(next);
    },
  ];
}

/** A select labelled "Resource" over the key's resources (all pages are read). */
export function ResourceSelect({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const pages = useResourcePages();
  useEffect(() => {
    if (pages.hasNext) void pages.more();
  }, [pages.items.length, pages.hasNext]);
  useEffect(() => {
    if (pages.items.length > 0 && !pages.items.some((r) => r.id === value)) onChange(pages.items[0].id);
  }, [pages.items, value]);
  return (
    <div class="resource-select">
      <label>
        Resource
        <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          {pages.items.length === 0 && <option value="">(no resources)</option>}
          {pages.items.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorAlert error={pages.error} />
    </div>
  );
}
