// @ts-check
// The inbox: the commune's requests sorted by their legal decision date, filtered (state, service, overdue,
// decision due before, a step past its state's SLA, mine / unassigned / a colleague's, a tracking code or a
// national id), counted per filter, paged, and updated live through the `inboxChanged` subscription. A request
// whose step is overdue is marked beside its state. A head of service sees the workload per agent.

import { useEffect, useState } from "preact/hooks";

import { html } from "../html.js";
import { date, language, number, t, today } from "../i18n.js";
import { call, may, useSession } from "../session.js";
import { ErrorBox, Loading, Notice, href, useLoad } from "../ui.js";

const PAGE = 20;

export function Inbox({ commune }) {
  const { features } = useSession();
  const extended = Boolean(features?.inboxCounts);
  const steps = Boolean(features?.stepDeadlines);
  const [filters, setFilters] = useState(
    /** @type {import("jamaa-sdk").InboxFilters} */ ({ state: "", serviceCode: "", overdue: false, dueBefore: "", stepOverdue: false, assignment: "ANY", assigneeId: "", search: "" }),
  );
  const [applied, setApplied] = useState(filters);
  const [cursors, setCursors] = useState(/** @type {(string | null)[]} */ ([null]));
  const [live, setLive] = useState("");
  const [connected, setConnected] = useState(false);
  const after = cursors[cursors.length - 1];
  const page = useLoad(() => call((c) => c.inbox(commune, extended ? applied : { state: applied.state }, { first: PAGE, after })), [commune, applied, after, language()]);
  const counts = useLoad(() => (extended ? call((c) => c.inboxCounts(commune, applied)) : Promise.resolve(null)), [commune, applied, extended, language()]);
  const services = useLoad(() => call((c) => c.listServices(commune)), [commune, language()]);
  const workload = useLoad(
    () => (features?.assignment && may(commune, "assign_requests") ? call((c) => c.workload(commune)).catch(() => null) : Promise.resolve(null)),
    [commune, features?.assignment],
  );

  useEffect(() => {
    let timer;
    const stop = call(async (c) =>
      c.subscribeInbox(
        commune,
        (update) => {
          setLive(t("inbox.updated", { code: update.trackingCode }));
          clearTimeout(timer);
          timer = setTimeout(() => {
            page.reload();
            counts.reload();
          }, 300);
        },
        () => setLive(t("inbox.liveLost")),
        () => setConnected(true),
      ),
    );
    return () => {
      clearTimeout(timer);
      stop.then((f) => f());
    };
  }, [commune]);

  const apply = (/** @type {Event} */ event) => {
    event.preventDefault();
    setCursors([null]);
    setApplied({ ...filters });
  };
  const set = (/** @type {string} */ name) => (/** @type {any} */ e) =>
    setFilters({ ...filters, [name]: e.currentTarget.type === "checkbox" ? e.currentTarget.checked : e.currentTarget.value });
  const quick = (/** @type {import("jamaa-sdk").InboxFilters} */ change) => {
    const next = { ...filters, ...change };
    setFilters(next);
    setCursors([null]);
    setApplied(next);
  };
  const stateOptions = counts.data?.byState ?? uniqueStates(page.data?.nodes ?? []);
  const todayDate = today();

  return html`<section>
    <h1>${t("inbox.title")}</h1>
    <p class="hint" id="live-state" data-connected=${String(connected)}>${connected ? t("inbox.live") : ""}</p>
    <${Notice} text=${live} />
    ${counts.data
      ? html`<ul class="counts" aria-label=${t("inbox.counts")}>
          <li><button type="button" onClick=${() => quick({ assignment: "ANY", overdue: false })}>${t("inbox.total")} <strong>${number(counts.data.total)}</strong></button></li>
          <li><button type="button" onClick=${() => quick({ overdue: true })}>${t("inbox.overdue")} <strong>${number(counts.data.overdue)}</strong></button></li>
          ${counts.data.stepOverdue === undefined
            ? null
            : html`<li><button type="button" onClick=${() => quick({ stepOverdue: true })}>${t("inbox.stepsOverdue")} <strong>${number(counts.data.stepOverdue)}</strong></button></li>`}
          <li><button type="button" onClick=${() => quick({ assignment: "MINE" })}>${t("inbox.mine")} <strong>${number(counts.data.mine)}</strong></button></li>
          <li><button type="button" onClick=${() => quick({ assignment: "UNASSIGNED" })}>${t("inbox.unassigned")} <strong>${number(counts.data.unassigned)}</strong></button></li>
        </ul>`
      : null}
    <form class="filters" onSubmit=${apply} aria-label=${t("inbox.filters")}>
      <div class="field">
        <label for="f-state">${t("inbox.state")}</label>
        <select id="f-state" value=${filters.state} onChange=${set("state")}>
          <option value="">${t("common.all")}</option>
          ${stateOptions.map((s) => html`<option value=${s.state} selected=${filters.state === s.state}>${s.label}${"count" in s ? ` (${number(s.count)})` : ""}</option>`)}
        </select>
      </div>
      ${extended
        ? html`
          <div class="field">
            <label for="f-service">${t("inbox.service")}</label>
            <select id="f-service" value=${filters.serviceCode} onChange=${set("serviceCode")}>
              <option value="">${t("common.all")}</option>
              ${(services.data ?? []).map((s) => html`<option value=${s.code} selected=${filters.serviceCode === s.code}>${s.name}</option>`)}
            </select>
          </div>
          <div class="field">
            <label for="f-assignment">${t("inbox.assignment")}</label>
            <select id="f-assignment" value=${filters.assignment} onChange=${set("assignment")}>
              ${["ANY", "MINE", "UNASSIGNED"].map((a) => html`<option value=${a} selected=${filters.assignment === a}>${t(`inbox.assignment.${a}`)}</option>`)}
            </select>
          </div>
          ${workload.data?.length
            ? html`<div class="field">
                <label for="f-assignee">${t("inbox.assignee")}</label>
                <select id="f-assignee" value=${filters.assigneeId} onChange=${set("assigneeId")}>
                  <option value="">${t("common.all")}</option>
                  ${workload.data.map((w) => html`<option value=${w.member.id} selected=${filters.assigneeId === w.member.id}>${w.member.displayName}</option>`)}
                </select>
              </div>`
            : null}
          <div class="field">
            <label for="f-due">${t("inbox.dueBefore")}</label>
            <input id="f-due" type="date" value=${filters.dueBefore} onInput=${set("dueBefore")} />
          </div>
          <div class="field check">
            <input id="f-overdue" type="checkbox" checked=${filters.overdue} onChange=${set("overdue")} />
            <label for="f-overdue">${t("inbox.overdueOnly")}</label>
          </div>
          ${steps
            ? html`<div class="field check">
                <input id="f-step-overdue" type="checkbox" checked=${filters.stepOverdue} onChange=${set("stepOverdue")} />
                <label for="f-step-overdue">${t("inbox.stepLateOnly")}</label>
              </div>`
            : null}
          <div class="field">
            <label for="f-search">${t("inbox.search")}</label>
            <input id="f-search" type="search" dir="ltr" value=${filters.search} onInput=${set("search")} />
          </div>`
        : null}
      <button type="submit">${t("inbox.apply")}</button>
    </form>
    <${ErrorBox} error=${page.error || counts.error} />
    ${page.loading && !page.data ? html`<${Loading} />` : null}
    ${page.data
      ? html`<table class="list" aria-describedby="inbox-caption">
          <caption id="inbox-caption">${page.data.totalCount === null ? t("inbox.caption") : t("inbox.captionCount", { count: page.data.totalCount })}</caption>
          <thead><tr>
            <th scope="col">${t("inbox.code")}</th><th scope="col">${t("inbox.service")}</th><th scope="col">${t("inbox.state")}</th>
            <th scope="col">${t("inbox.submitted")}</th><th scope="col">${t("inbox.due")}</th>
            ${features?.assignment ? html`<th scope="col">${t("inbox.assignee")}</th>` : null}
          </tr></thead>
          <tbody>
            ${page.data.nodes.map((r) => {
              const late = !r.closedAt && r.decisionDue < todayDate;
              return html`<tr class=${late ? "late" : ""}>
                <td><a href=${href(commune, `inbox/${r.id}`)} dir="ltr">${r.trackingCode}</a></td>
                <td>${r.serviceName}</td>
                <td>${r.stateLabel}${r.lapsedAt ? html` <span class="badge">${t("inbox.lapsed")}</span>` : null}${r.stepOverdue && r.stepDueDate
                  ? html` <span class="badge step-late" title=${t("inbox.stepDue", { date: date(r.stepDueDate) })}>${t("inbox.stepLate")}</span>`
                  : null}</td>
                <td>${date(r.submittedAt.slice(0, 10))}</td>
                <td>${date(r.decisionDue)}${late ? html` <span class="badge">${t("inbox.late")}</span>` : null}</td>
                ${features?.assignment ? html`<td>${r.assignee?.displayName ?? t("inbox.nobody")}</td>` : null}
              </tr>`;
            })}
          </tbody>
        </table>
        ${page.data.nodes.length === 0 ? html`<p>${t("inbox.empty")}</p>` : null}
        <nav class="pager" aria-label=${t("common.pages")}>
          <button type="button" disabled=${cursors.length === 1} onClick=${() => setCursors(cursors.slice(0, -1))}>${t("common.previous")}</button>
          <span>${t("common.page", { count: cursors.length })}</span>
          <button type="button" disabled=${!page.data.pageInfo.hasNextPage}
            onClick=${() => setCursors([...cursors, page.data.pageInfo.endCursor])}>${t("common.next")}</button>
        </nav>`
      : null}
    ${workload.data?.length
      ? html`<table class="list">
          <caption>${t("inbox.workload")}</caption>
          <thead><tr><th scope="col">${t("inbox.member")}</th><th scope="col">${t("inbox.open")}</th><th scope="col">${t("inbox.overdue")}</th></tr></thead>
          <tbody>${workload.data.map((w) => html`<tr><td>${w.member.displayName}</td><td>${number(w.open)}</td><td>${number(w.overdue)}</td></tr>`)}</tbody>
        </table>`
      : null}
  </section>`;
}

/** @param {{state: string, stateLabel: string}[]} nodes */
function uniqueStates(nodes) {
  const seen = new Map();
  for (const n of nodes) seen.set(n.state, { state: n.state, label: n.stateLabel });
  return [...seen.values()];
}
