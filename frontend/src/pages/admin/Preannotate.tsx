// Placeholder: this page is being built (issue 5).
export function PreannotatePage() {
  return <p>This page is not built yet.</p>;
}
