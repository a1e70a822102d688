import "./admin.css";

/** A labelled progress bar; `value` null means the total is not known yet (indeterminate). */
export function ProgressBar({ value, label, text }: { value: number | null; label: string; text?: string }) {
  const known = value !== null;
  return (
    <div className="progress-row">
      <div
        className={`progress${known ? "" : " indeterminate"}`}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={known ? value : undefined}
        aria-valuetext={text ?? (known ? `${value}%` : "working")}
      >
        <div style={{ width: known ? `${value}%` : "30%" }} />
      </div>
      <span className="progress-text">{text ?? (known ? `${value}%` : "")}</span>
    </div>
  );
}
