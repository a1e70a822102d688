// Placeholder: this page is being built (issue 5).
export function ImportPage() {
  return <p>This page is not built yet.</p>;
}
