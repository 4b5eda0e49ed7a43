"use client";

import { useState } from "react";

/**
 * A credential shown once: the whole width of its panel, wrapping anywhere so nothing is cut off,
 * selectable, with a button that copies it. The message says what it is and that it will not be shown again.
 */
export function SecretBlock({ message, secret }: { message: string; secret: string }) {
  const [copied, setCopied] = useState<"no" | "yes" | "failed">("no");
  return (
    <div className="notice success secret-block" role="status">
      <p>
        {message} <code className="secret secret-value">{secret}</code>
      </p>
      <p className="secret-actions">
        <button
          type="button"
          className="secondary"
          onClick={() => {
            navigator.clipboard.writeText(secret).then(
              () => setCopied("yes"),
              () => setCopied("failed"),
            );
          }}
        >
          Copy
        </button>{" "}
        <span aria-live="polite">{copied === "yes" ? "Copied." : copied === "failed" ? "Copying was refused by the browser: select the text and copy it." : ""}</span>
      </p>
    </div>
  );
}
