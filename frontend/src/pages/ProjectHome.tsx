// Placeholder: this page is being built (issue 5).
export function ProjectHomePage() {
  return <p>This page is not built yet.</p>;
}
