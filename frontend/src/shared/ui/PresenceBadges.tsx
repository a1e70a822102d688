// The people who have an article open, as initials with their names on hover and for screen readers.
export function PresenceBadges({ users, label = "Also here" }: { users: readonly string[]; label?: string }) {
  if (users.length === 0) return null;
  return (
    <span className="presence" role="list" aria-label={`${label}: ${users.join(", ")}`}>
      {users.map((user) => (
        <span key={user} role="listitem" className="presence-badge" title={user}>
          {user.slice(0, 2).toUpperCase()}
        </span>
      ))}
    </span>
  );
}
