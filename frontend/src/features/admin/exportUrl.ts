// Pure helpers of the export page: the layers field, the curl-able URL, format rules.

/** "gold, alice ,," -> ["gold", "alice"]; empty means all. */
export function parseLayers(text: string): string[] {
  const seen: string[] = [];
  for (const part of text.split(/[,\s]+/)) {
    const layer = part.trim();
    if (layer && !seen.includes(layer)) seen.push(layer);
  }
  return seen;
}

/** The URL a script can fetch: the page's origin + the API path. */
export function absoluteUrl(path: string, origin: string): string {
  return new URL(path, origin).toString();
}

/** A shell command equivalent to the Download link, for a token holder. */
export function curlCommand(absolute: string): string {
  return `curl -H "Authorization: Bearer $TOKEN" '${absolute.replace(/'/g, "'\\''")}'`;
}

/** Formats the streaming export (GET .../export.jsonl) serves; brat is a zip, made by a job only. */
export const STREAM_FORMATS = ["native", "doccano", "labelstudio", "conll"] as const;

/** A problem with the choice that the server would refuse, to say before downloading. */
export function layerProblem(format: string, layers: string[]): string {
  if ((format === "doccano" || format === "brat") && (layers.length !== 1 || layers[0] === "all")) {
    return `${format} holds one layer per article: enter exactly one (gold, suggestions or a username).`;
  }
  return "";
}
