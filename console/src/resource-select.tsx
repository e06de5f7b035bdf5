import type { CombinedError } from '@urql/core';
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

/** Every resource of the key: useResourcePages with all its pages read, one after the other. */
export function useAllResources() {
  const pages = useResourcePages();
  useEffect(() => {
    if (pages.hasNext) void pages.more();
  }, [pages.items.length, pages.hasNext]);
  return pages;
}

/** A select labelled "Resource" over the key's resources (all pages are read). */
export function ResourceSelect({ value, onChange }: { value: string; onChange: (id: string) => void }) {
  const pages = useAllResources();
  return <ResourceSelectField value={value} onChange={onChange} resources={pages.items} error={pages.error} />;
}

/**
 * The select labelled "Resource" over `resources` (read by the caller with useAllResources); it
 * chooses the first resource when `value` is none of them.
 */
export function ResourceSelectField({
  value,
  onChange,
  resources,
  error,
}: {
  value: string;
  onChange: (id: string) => void;
  resources: { id: string; name: string }[];
  error: CombinedError | null;
}) {
  useEffect(() => {
    if (resources.length > 0 && !resources.some((r) => r.id === value)) onChange(resources[0].id);
  }, [resources, value]);
  return (
    <div class="resource-select">
      <label>
        Resource
        <select value={value} onChange={(e) => onChange(e.currentTarget.value)}>
          {resources.length === 0 && <option value="">(no resources)</option>}
          {resources.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </select>
      </label>
      <ErrorAlert error={error} />
    </div>
  );
}
