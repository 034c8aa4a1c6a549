// @ts-check
// The moderation of public complaints: the complaints held because the screen found personal data in the text
// bound for the public listing (or published before texts were screened), what it found, and the moderator's
// decision: publish as typed, publish a redacted text in place of the applicant's, or keep it private.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { dateTime, language, t } from "../i18n.js";
import { call } from "../session.js";
import { ErrorBox, Loading, Notice, useLoad } from "../ui.js";

/** How many held complaints a page shows. */
const PAGE = 20;

export function Moderation({ commune }) {
  const [cursors, setCursors] = useState(/** @type {(string | null)[]} */ ([null]));
  const after = cursors[cursors.length - 1];
  const queue = useLoad(
    () => call((c) => c.complaintModerationQueue(commune, { first: PAGE, after })),
    [commune, language(), after],
  );
  const [notice, setNotice] = useState(/** @type {string | null} */ (null));
  const decided = (/** @type {string} */ code, /** @type {string} */ action) => {
    setNotice(t(`moderation.done.${action}`, { code }));
    setCursors([null]);
    queue.reload();
  };
  return html`<section>
    <h1>${t("moderation.title")}</h1>
    <p class="hint">${t("moderation.help")}</p>
    <${Notice} text=${notice} />
    <${ErrorBox} error=${queue.error} />
    ${queue.loading && !queue.data ? html`<${Loading} />` : null}
    ${queue.data
      ? html`<p id="moderation-count">${t("moderation.count", { count: queue.data.totalCount })}</p>
        ${queue.data.nodes.length === 0 ? html`<p>${t("moderation.empty")}</p>` : null}
        <ul class="cards wide">
          ${queue.data.nodes.map((c) => html`<li key=${c.trackingCode}>
            <${Held} commune=${commune} complaint=${c} decided=${decided} />
          </li>`)}
        </ul>
        <nav class="pager" aria-label=${t("common.pages")}>
          <button type="button" disabled=${cursors.length === 1} onClick=${() => setCursors(cursors.slice(0, -1))}>${t("common.previous")}</button>
          <span>${t("common.page", { count: cursors.length })}</span>
          <button type="button" disabled=${!queue.data.pageInfo.hasNextPage}
            onClick=${() => setCursors([...cursors, queue.data.pageInfo.endCursor])}>${t("common.next")}</button>
        </nav>`
      : null}
  </section>`;
}

/** One held complaint: what the applicant wrote, what the screen found, and the three decisions. */
function Held({ commune, complaint, decided }) {
  const code = complaint.trackingCode;
  const id = code.replace(/[^A-Za-z0-9]/g, "-");
  const [text, setText] = useState(complaint.suggestedRedaction ?? complaint.description ?? "");
  const [place, setPlace] = useState(complaint.address ?? "");
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const decide = async (/** @type {"APPROVE" | "REDACT" | "KEEP_PRIVATE"} */ action) => {
    setError(null);
    setBusy(true);
    try {
      const options = action === "REDACT"
        ? { description: text, address: complaint.address == null ? null : place }
        : {};
      await call((c) => c.moderateComplaint(commune, code, action, options));
      decided(code, action);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const findings = complaint.findings;
  return html`<article aria-labelledby=${`${id}-title`} data-code=${code}>
    <h2 id=${`${id}-title`}><span dir="ltr">${code}</span> — ${complaint.categoryLabel ?? complaint.category ?? ""}</h2>
    <p class="hint">${t("moderation.submitted", { date: dateTime(complaint.submittedAt) })}</p>
    <p><strong>${t("moderation.found")}</strong> ${findings == null
      ? t("moderation.unscreened")
      : findings.map((kind) => t(`moderation.finding.${kind}`)).join(", ")}</p>
    <h3>${t("moderation.original")}</h3>
    <blockquote class="original">${complaint.description ?? ""}</blockquote>
    ${complaint.address ? html`<p>${t("moderation.place")}: ${complaint.address}</p>` : null}
    <div class="field">
      <label for=${`${id}-text`}>${t("moderation.published")}</label>
      <textarea id=${`${id}-text`} rows="4" value=${text} onInput=${(/** @type {any} */ e) => setText(e.currentTarget.value)}></textarea>
      <p class="hint">${t("moderation.publishedHint")}</p>
    </div>
    ${complaint.address != null
      ? html`<div class="field">
          <label for=${`${id}-place`}>${t("moderation.publishedPlace")}</label>
          <input id=${`${id}-place`} value=${place} onInput=${(/** @type {any} */ e) => setPlace(e.currentTarget.value)} />
        </div>`
      : null}
    <${ErrorBox} error=${error} />
    <div class="actions">
      <button type="button" disabled=${busy} onClick=${() => decide("APPROVE")}>${t("moderation.approve")}</button>
      <button type="button" disabled=${busy} onClick=${() => decide("REDACT")}>${t("moderation.redact")}</button>
      <button type="button" disabled=${busy} onClick=${() => decide("KEEP_PRIVATE")}>${t("moderation.keepPrivate")}</button>
    </div>
  </article>`;
}
