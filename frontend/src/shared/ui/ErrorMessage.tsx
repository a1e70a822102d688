import { describeError } from "./errors";

/** An API error (its message and per-field messages) as text; nothing when there is none. */
export function ErrorMessage({ error, prefix }: { error: unknown; prefix?: string }) {
  if (error === null || error === undefined || error === "") return null;
  const { message, fields, items } = describeError(error);
  const summarised = fields.length > 0 && fields.every(([field, msgs]) => message.includes(`${field}: ${msgs[0]}`));
  return (
    <div className="error error-box" role="alert">
      <p>
        {prefix ? `${prefix} ` : ""}
        {summarised ? "The server refused the input:" : message}
      </p>
      {fields.length > 0 && (
        <ul>
          {fields.map(([field, messages]) => (
            <li key={field || "_"}>
              {field && <strong>{field}: </strong>}
              {messages.join(" ")}
            </li>
          ))}
        </ul>
      )}
      {items.length > 0 && (
        <ul>
          {items.slice(0, 50).map(([index, messages]) => (
            <li key={index}>
              <strong>item {index}: </strong>
              {messages.join(" ")}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
