/** A page of the console not built yet (issue 19's week view and appointments). */
export function PlaceholderPage({ title }: { title: string }) {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">{title}</h1>
      <p>Not built yet: this page comes in a later slice of the console.</p>
    </section>
  );
}
