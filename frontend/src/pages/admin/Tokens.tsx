// Placeholder: this page is being built (issue 5).
export function TokensPage() {
  return <p>This page is not built yet.</p>;
}
