// Placeholder: this page is being built (issue 5).
export function MembersPage() {
  return <p>This page is not built yet.</p>;
}
