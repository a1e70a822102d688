import ReactMarkdown from "react-markdown";

/** Guidelines and other user-written Markdown. No rehype-raw: raw HTML in the source shows as
 * text and is never run; react-markdown's default URL filter drops javascript: links. */
export function Markdown({ source }: { source: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown>{source}</ReactMarkdown>
    </div>
  );
}
