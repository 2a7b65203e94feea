import { useState } from 'react';

/** Copies the page's address, which always carries the current setup (task, settings, seed, backend). */
export function ShareSetup() {
  const [shown, setShown] = useState<{ url: string; copied: boolean } | null>(null);
  const copy = async () => {
    const url = window.location.href;
    try {
      await navigator.clipboard.writeText(url);
      setShown({ url, copied: true });
    } catch {
      // No clipboard permission: show the link to copy by hand.
      setShown({ url, copied: false });
    }
  };
  return (
    <section className="panel share" aria-label="Share this setup">
      <button type="button" onClick={() => void copy()}>
        Copy a link to this setup
      </button>
      {shown && (
        <p role="status">
          {shown.copied ? 'Link copied: ' : 'Copy this link: '}
          <input readOnly value={shown.url} aria-label="Link to this setup" onFocus={(e) => e.target.select()} />
        </p>
      )}
      <p className="hint">The link carries the task, every changed setting and the seed, so it sets up the same run elsewhere. Images never travel in it.</p>
    </section>
  );
}
