// Placeholder: this page is being built (issue 5).
export function ExportPage() {
  return <p>This page is not built yet.</p>;
}
