// @ts-check
// The council (its secretary and president): members and mandates, sessions, a session's agenda, deliberations
// with each member's roll-call vote (the commune's quorum and majority rules decide), and publication.

import { html } from "../html.js";
import { arFr, date, dateTime, number, t, today } from "../i18n.js";
import { call, useDraft } from "../session.js";
import { ErrorBox, Field, Form, Loading, Select, href, useLoad } from "../ui.js";

const ROLES = ["PRESIDENT", "VICE_PRESIDENT", "SECRETARY", "MEMBER"];

export function Council({ commune }) {
  const members = useLoad(() => call((c) => c.councilMembers(commune)), [commune]);
  const sessions = useLoad(() => call((c) => c.councilSessions(commune)), [commune]);
  const [member, setMember, clearMember] = useDraft(`member:${commune}`, { nameAr: "", nameLatin: "", party: "", role: "MEMBER", mandateStart: "" });
  const [session, setSession, clearSession] = useDraft(`session:${commune}`, { kind: "ORDINARY", startsOn: "", titleAr: "", titleFr: "" });
  return html`<section>
    <h1>${t("council.title")}</h1>
    <section aria-labelledby="sessions-title">
      <h2 id="sessions-title">${t("council.sessions")}</h2>
      <${ErrorBox} error=${sessions.error} />
      ${sessions.data
        ? html`<ul class="cards">${sessions.data.map((s) => html`<li>
            <a href=${href(commune, `council/${s.id}`)}>${arFr(s.titleAr, s.titleFr)}</a>
            <span>${t(`council.${s.kind}`)} — ${date(s.startsOn)} — ${s.publishedAt ? t("council.published") : t("council.draft")}</span>
          </li>`)}</ul>`
        : html`<${Loading} />`}
      <h3>${t("council.schedule")}</h3>
      <${Form} id="schedule-form" submitLabel=${t("council.scheduleSubmit")} onSubmit=${async () => {
        const created = await call((c) => c.scheduleCouncilSession(commune, /** @type {any} */ (session)));
        clearSession();
        location.hash = href(commune, `council/${created.id}`);
      }}>
        <${Select} label=${t("council.kind")} name="kind" value=${session} set=${setSession} options=${[["ORDINARY", t("council.ORDINARY")], ["EXTRAORDINARY", t("council.EXTRAORDINARY")]]} />
        <${Field} label=${t("council.startsOn")} name="startsOn" type="date" value=${session} set=${setSession} required hint=${t("council.startsOnHint")} />
        <${Field} label=${t("council.titleAr")} name="titleAr" value=${session} set=${setSession} required dir="rtl" lang="ar" />
        <${Field} label=${t("council.titleFr")} name="titleFr" value=${session} set=${setSession} required dir="ltr" lang="fr" />
      </${Form}>
    </section>
    <section aria-labelledby="members-title">
      <h2 id="members-title">${t("council.members")}</h2>
      ${members.data
        ? html`<table class="list">
            <caption>${t("council.membersCount", { count: members.data.length })}</caption>
            <thead><tr><th scope="col">${t("council.name")}</th><th scope="col">${t("council.party")}</th><th scope="col">${t("council.role")}</th><th scope="col">${t("council.mandate")}</th></tr></thead>
            <tbody>${members.data.map((m) => html`<tr><td><span lang="ar">${m.nameAr}</span> / <span lang="fr">${m.nameLatin}</span></td><td>${m.party}</td><td>${t(`council.${m.role}`)}</td><td>${date(m.mandateStart)} – ${date(m.mandateEnd)}</td></tr>`)}</tbody>
          </table>`
        : html`<${Loading} />`}
      <h3>${t("council.addMember")}</h3>
      <${Form} submitLabel=${t("council.addMember")} onSubmit=${async () => {
        await call((c) => c.addCouncilMember(commune, { ...member, role: /** @type {any} */ (member.role), mandateEnd: null }));
        clearMember();
        members.reload();
      }}>
        <${Field} label=${t("council.nameAr")} name="nameAr" value=${member} set=${setMember} required dir="rtl" lang="ar" />
        <${Field} label=${t("council.nameLatin")} name="nameLatin" value=${member} set=${setMember} required dir="ltr" />
        <${Field} label=${t("council.party")} name="party" value=${member} set=${setMember} required />
        <${Select} label=${t("council.role")} name="role" value=${member} set=${setMember} options=${ROLES.map((r) => [r, t(`council.${r}`)])} />
        <${Field} label=${t("council.mandateStart")} name="mandateStart" type="date" value=${member} set=${setMember} required />
      </${Form}>
    </section>
  </section>`;
}

export function CouncilSessionView({ commune, id }) {
  const sessions = useLoad(() => call((c) => c.councilSessions(commune)), [commune, id]);
  const members = useLoad(() => call((c) => c.councilMembers(commune)), [commune]);
  const petitions = useLoad(() => call((c) => c.petitions(commune)), [commune]);
  const [item, setItem, clearItem] = useDraft(`agenda:${id}`, { titleAr: "", titleFr: "", requestId: "" });
  const [deliberation, setDeliberation, clearDeliberation] = useDraft(`deliberation:${id}`, /** @type {Record<string, string>} */ ({ agendaItemId: "", textAr: "", textFr: "" }));
  if (sessions.error) return html`<${ErrorBox} error=${sessions.error} />`;
  const s = sessions.data?.find((x) => x.id === id);
  if (!s || !members.data) return html`<${Loading} />`;
  const inOffice = members.data.filter((m) => m.mandateStart <= s.startsOn && (!m.mandateEnd || m.mandateEnd >= s.startsOn));
  const open = !s.publishedAt;
  const admissible = (petitions.data ?? []).filter((p) => !p.openForSignatures);
  return html`<article>
    <p><a href=${href(commune, "council")}>${t("council.back")}</a></p>
    <h1>${arFr(s.titleAr, s.titleFr)}</h1>
    <p>${t(`council.${s.kind}`)} — ${date(s.startsOn)} — <span id="session-status">${s.publishedAt ? `${t("council.published")} ${dateTime(s.publishedAt)}` : t("council.draft")}</span></p>
    <section aria-labelledby="agenda-title">
      <h2 id="agenda-title">${t("council.agenda")}</h2>
      ${s.agenda.length ? html`<ol>${s.agenda.map((a) => html`<li>${arFr(a.titleAr, a.titleFr)}</li>`)}</ol>` : html`<p>${t("council.noAgenda")}</p>`}
      ${open
        ? html`<${Form} id="agenda-form" submitLabel=${t("council.addItem")} onSubmit=${async () => {
            await call((c) => c.addAgendaItem(commune, { sessionId: id, titleAr: item.titleAr, titleFr: item.titleFr, requestId: item.requestId || null }));
            clearItem();
            sessions.reload();
          }}>
            <${Field} label=${t("council.itemAr")} name="titleAr" value=${item} set=${setItem} required dir="rtl" lang="ar" />
            <${Field} label=${t("council.itemFr")} name="titleFr" value=${item} set=${setItem} required dir="ltr" lang="fr" />
            ${admissible.length ? html`<${Select} label=${t("council.petition")} name="requestId" value=${item} set=${setItem}
              options=${[["", "—"], ...admissible.map((p) => [p.id, `${p.subject} (${p.stateLabel})`])]} />` : null}
          </${Form}>`
        : null}
    </section>
    <section aria-labelledby="deliberations-title">
      <h2 id="deliberations-title">${t("council.deliberations")}</h2>
      ${s.deliberations.map((d) => html`<div class="deliberation">
        <h3>${t("council.deliberationNumber", { count: d.number })} — ${t(`council.${d.count.outcome}`)}</h3>
        <p>${arFr(d.textAr, d.textFr)}</p>
        <p>${t("council.tally", { present: d.count.present, members: d.count.membersInOffice, for: d.count.votesFor, against: d.count.against, abstain: d.count.abstain })}</p>
      </div>`)}
      ${open && s.agenda.length
        ? html`<${Form} id="deliberation-form" submitLabel=${t("council.record")} onSubmit=${async () => {
            const votes = inOffice.map((m) => ({ memberId: m.id, choice: /** @type {any} */ (deliberation[`vote-${m.id}`] || "ABSENT") }));
            await call((c) => c.recordDeliberation(commune, { sessionId: id, agendaItemId: deliberation.agendaItemId || null, textAr: deliberation.textAr, textFr: deliberation.textFr, votes }));
            clearDeliberation();
            sessions.reload();
          }}>
            <${Select} label=${t("council.item")} name="agendaItemId" value=${deliberation} set=${setDeliberation}
              options=${[["", "—"], ...s.agenda.map((a) => [a.id, arFr(a.titleAr, a.titleFr)])]} />
            <${Field} label=${t("council.textAr")} name="textAr" type="textarea" value=${deliberation} set=${setDeliberation} required dir="rtl" lang="ar" />
            <${Field} label=${t("council.textFr")} name="textFr" type="textarea" value=${deliberation} set=${setDeliberation} required dir="ltr" lang="fr" />
            <table class="list votes">
              <caption>${t("council.rollCall", { count: inOffice.length })}</caption>
              <thead><tr><th scope="col">${t("council.name")}</th>${["FOR", "AGAINST", "ABSTAIN", "ABSENT"].map((c) => html`<th scope="col">${t(`vote.${c}`)}</th>`)}</tr></thead>
              <tbody>${inOffice.map((m) => html`<tr>
                <th scope="row">${arFr(m.nameAr, m.nameLatin)}</th>
                ${["FOR", "AGAINST", "ABSTAIN", "ABSENT"].map((choice) => html`<td>
                  <input type="radio" name=${`vote-${m.id}`} id=${`vote-${m.id}-${choice}`} value=${choice}
                    aria-label=${`${arFr(m.nameAr, m.nameLatin)}: ${t(`vote.${choice}`)}`}
                    checked=${(deliberation[`vote-${m.id}`] || "ABSENT") === choice}
                    onChange=${() => setDeliberation({ ...deliberation, [`vote-${m.id}`]: choice })} />
                </td>`)}
              </tr>`)}</tbody>
            </table>
          </${Form}>`
        : null}
    </section>
    ${open && s.deliberations.length
      ? html`<section aria-labelledby="publish-title">
          <h2 id="publish-title">${t("council.publish")}</h2>
          <p>${t("council.publishHelp", { count: s.deliberations.length })}</p>
          <${Form} submitLabel=${t("council.publishSubmit")} onSubmit=${async () => {
            await call((c) => c.publishCouncilDecisions(commune, id));
            sessions.reload();
          }}><span></span></${Form}>
        </section>`
      : null}
    <p class="hint">${t("council.todayIs", { date: date(today()) })} · ${t("council.membersCount", { count: inOffice.length })} · ${number(s.deliberations.length)}</p>
  </article>`;
}
